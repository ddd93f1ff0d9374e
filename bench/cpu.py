"""Where a load's CPU went (Linux /proc): the server's processes, PostgreSQL's, the load client's, and what the
machine left idle. bench/run.py takes a snapshot before and after its mixed load and divides by the requests.

A process's own time is utime + stime; what its children used and it has waited for (cutime + cstime) is counted
with it, so backends and workers that ended during the load are not lost. bench/load.py takes the snapshots
itself, at the start and at the end of its timed window (not around its tidying up afterwards, whose requests
are not counted).
"""

import os
import resource
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """pid → (parent pid, command name, CPU seconds of it and its reaped children)."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1: raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        out[int(entry.name)] = (int(fields[1]), name, (utime + stime + cutime + cstime) / _TICK)
    return out


def _machine() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine since boot."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / _TICK, idle / _TICK


def _under(root: int, table: dict) -> set[int]:
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _name, _cpu) in table.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def snapshot(server_pid: int, client: int = resource.RUSAGE_SELF) -> dict:
    """CPU seconds so far: the server's process tree, PostgreSQL's processes, the load client (`client`: this
    process itself, bench/load.py's own snapshots), and the machine."""
    table = _processes()
    server = _under(server_pid, table)
    busy, idle = _machine()
    return {
        "server": sum(table[p][2] for p in server),
        "postgres": sum(cpu for pid, (_pp, name, cpu) in table.items() if name.startswith("postgres")
                        and pid not in server),
        "client": sum(resource.getrusage(client)[:2]),
        "machine_busy": busy, "machine_idle": idle,
    }


def spent(before: dict, after: dict, requests: int) -> dict:
    """CPU ms per request of each part, and the share of the machine's time left idle."""
    delta = {k: after[k] - before[k] for k in before}
    per = {k: round(delta[k] * 1000 / max(requests, 1), 2) for k in ("server", "postgres", "client")}
    busy = delta["machine_busy"]
    per["other"] = round(max(busy - delta["server"] - delta["postgres"] - delta["client"], 0) * 1000
                         / max(requests, 1), 2)
    per["idle_share"] = round(delta["machine_idle"] / max(busy + delta["machine_idle"], 1e-9), 3)
    return per


# --- what the server's Python did during the load: py-spy samples of its process tree ---------------------------

LAYERS = (  # the first that matches a sample's innermost frame's file names its layer
    ("database driver (psycopg / sqlite3)", ("psycopg", "sqlite3")),
    ("Django ORM (query building, model instances)", ("django/db/",)),
    ("Django templates", ("django/template/", "django/templatetags/")),
    ("ninja / pydantic (validation, serialisation)", ("ninja/", "pydantic")),
    ("JSON (orjson / json)", ("orjson", "json/")),
    ("Django request, middleware, auth, sessions, i18n", ("django/",)),
    ("gunicorn and the socket", ("gunicorn/", "socket.py", "selectors.py")),
    ("OpsMon's own code", ("opsmon/",)),
)


def layer(frame: str) -> str:
    where = frame[frame.rfind("(") + 1:]
    return next((name for name, marks in LAYERS if any(m in where for m in marks)), "other (stdlib, libraries)")


def read_collapsed(path: Path) -> tuple[dict, dict, int]:
    """From py-spy's raw (collapsed) output: own samples per function, samples per layer (by the innermost frame),
    and the number of samples, of gunicorn's workers only (a stack under three processes: serve, gunicorn's
    master, a worker); idle samples (a worker waiting for a request) are left out by py-spy itself."""
    own: dict[str, int] = {}
    layers: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        if sum(f.startswith("process ") for f in frames) < 3:
            continue  # the supervisor's or gunicorn master's loop, not a request
        leaf = frames[-1]
        own[leaf] = own.get(leaf, 0) + int(count)
        name = layer(leaf)
        layers[name] = layers.get(name, 0) + int(count)
        total += int(count)
    return own, layers, total
