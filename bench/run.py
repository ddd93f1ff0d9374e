"""The benchmarks of issue 7, all in one run, against a database bench/generate.py filled.

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/bench --json /tmp/bench-pg.json
    .venv/bin/python bench/run.py --database-url sqlite:////tmp/opsmon-bench/bench.sqlite3

It starts the production server (`opsmon serve`, production settings, gunicorn, no task worker) on the database,
then measures, each request repeated (`--repeat`, after warm-up) and reported as median and p95:

1. the opportunity list API (page of 50; with and without filters; as rep1 and as the market head);
2. every /insights endpoint (as the market head, a department head of a generated department (head3, about
   35,000 opportunities), the demo's head1 (about 5,000) and rep1 (about 2,300));
3. the opportunity list HTML page (rep1, market head);
4. mixed load from a separate process (bench/load.py: 70 % reads, 20 % follow-up writes, 10 % transitions,
   16 clients, 60 s) against the server's trivial JSON endpoint (/healthz) under the same 16 clients;
5. the Excel import of a 100,000-row file and the export of those 100,000 rows, against openpyxl alone
   reading and writing the same file (in a transaction rolled back at the end: the database stays as it was).

The floor of 1–3 ("raw SQL") is the very SQL the request runs — captured by running the same request in this
process — replayed through the database driver alone (psycopg / sqlite3) on a connection of its own, plus the
trivial endpoint's time over HTTP: what is left above that floor is Django, ninja, serialisation and templates.
The runner leaves the data as it found it (the mixed load's follow-ups and timeline entries stay).
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import cpu  # noqa: E402 - bench/cpu.py, beside this file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=40, help="timed runs per request (after 3 warm-ups)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers of the server")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--load-seconds", type=float, default=60)
    parser.add_argument("--excel-rows", type=int, default=100_000)
    parser.add_argument("--only", default="list,insights,html,load,excel",
                        help="comma-separated subset of list,insights,html,load,excel")
    parser.add_argument("--json", help="write every figure here as JSON")
    parser.add_argument("--profile-load", metavar="DIR",
                        help="sample the server with py-spy during the mixed load; its raw output is kept in DIR")
    return parser.parse_args(argv)


def configure(url: str) -> Path:
    var = Path(tempfile.mkdtemp(prefix="opsmon-bench-run-"))
    os.environ.update({
        "DATABASE_URL": url, "OPSMON_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "opsmon.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false", "LOG_LEVEL": "WARNING",
    })
    import django
    django.setup()
    return var


# --- the server ---------------------------------------------------------------------------------------------

class Server:
    """`opsmon serve` (migrate, collectstatic, gunicorn; `options` as its command line takes them, by default
    without the task worker) in a process group of its own."""

    def __init__(self, port: int, workers: int, var: Path, options: tuple = ("--no-task-worker",)):
        self.port = port or _free_port()
        self.log = open(var / "server.log", "w")  # noqa: SIM115 - kept open while the server runs
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "opsmon.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(workers), *options],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                if get(self.port, "/healthz")[1] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped; see {var / 'server.log'}")
            time.sleep(0.5)
        raise SystemExit("the server did not answer within 300 s")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None) -> tuple[float, int, bytes]:
    """One GET over a fresh connection (gunicorn's sync workers close each one): seconds, status, body."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return time.perf_counter() - start, response.status, body


# --- statistics ------------------------------------------------------------------------------------------

def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, -(-95 * len(ordered) // 100) - 1))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2),
            "n": len(ordered)}


def repeat(fn, times: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    return [fn() for _ in range(times)]


# --- the floor: the same SQL through the driver alone ------------------------------------------------------

class RawReplay:
    """Replays captured SQL on a connection of its own, fetching every row, and times it."""

    def __init__(self, url: str):
        if url.startswith("sqlite"):
            import sqlite3

            from django.db.backends.sqlite3._functions import register
            self.conn = sqlite3.connect(url.split("sqlite:///", 1)[1], isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            register(self.conn)  # the SQL functions Django adds to SQLite (date truncation in the time zone, ...)
        else:
            import psycopg
            self.conn = psycopg.connect(url, autocommit=True)

    def run(self, statements: list[str]) -> float:
        start = time.perf_counter()
        cur = self.conn.cursor()
        for sql in statements:
            cur.execute(sql)
            if cur.description is not None:
                cur.fetchall()
        cur.close()
        return time.perf_counter() - start


def capture(path: str, *, token: str | None = None, session: str | None = None) -> tuple[list[str], int]:
    """The SQL one request runs (in this process, through Django's test client) and its status, once the
    process's copies (code labels, filter choices: core.versions) are loaded, as in a running server."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if session:
        client.cookies["sessionid"] = session
    client.get(path, headers=headers, secure=True)  # a warm-up: the copies a server keeps between requests
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers, secure=True)
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(skip)], response.status_code


# --- who asks --------------------------------------------------------------------------------------------

def credentials(usernames) -> dict:
    """A bearer token and a session for each user (made in the database, as a login would)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from opsmon.accounts.models import User
    from opsmon.accounts.services import token_issue

    out = {}
    for user in User.objects.filter(username__in=usernames):
        key, _ = token_issue(user=user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[1]  # the password backend, as a login
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["started_at"] = int(time.time())
        session.create()
        out[user.username] = {"token": key, "session": session.session_key, "id": user.pk,
                              "department": user.department_id}
    return out


# --- benchmarks 1–3 --------------------------------------------------------------------------------------

def http_case(port, raw, trivial, name, path, *, token=None, session=None, times=40) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if session:
        headers = {"Cookie": f"sessionid={session}", "X-Forwarded-Proto": "https"}
    statements, status = capture(path, token=token, session=session)
    assert status == 200, (name, status)

    def once():
        seconds, code, _ = get(port, path, headers)
        assert code == 200, (name, code)
        return seconds

    api = summary(repeat(once, times))
    floor = summary(repeat(lambda: raw.run(statements), times))
    base = {k: floor[k] + trivial[k] for k in ("median_ms", "p95_ms")}
    row = {"name": name, "path": path, "queries": len(statements), **{f"app_{k}": v for k, v in api.items()},
           "raw_median_ms": floor["median_ms"], "raw_p95_ms": floor["p95_ms"],
           "floor_median_ms": round(base["median_ms"], 2), "floor_p95_ms": round(base["p95_ms"], 2),
           "ratio_median": round(api["median_ms"] / base["median_ms"], 2),
           "ratio_p95": round(api["p95_ms"] / base["p95_ms"], 2)}
    print(f"  {name:<44} {row['queries']:>2} q | app {api['median_ms']:>8.1f} / {api['p95_ms']:>8.1f} ms | "
          f"raw SQL {floor['median_ms']:>7.1f} / {floor['p95_ms']:>7.1f} | floor {base['median_ms']:>7.1f} / "
          f"{base['p95_ms']:>7.1f} | × {row['ratio_median']:.2f} / {row['ratio_p95']:.2f}", flush=True)
    return row


def list_cases(users) -> list[tuple]:
    from opsmon.accounts.models import Department
    centre = Department.objects.get(name="华东大区").pk
    filters = "status=tracking&industry=energy&amount_min=100000&ordering=-expected_close_date"
    return [
        ("list API rep1, no filter", "/api/v1/opportunities?page_size=50", "rep1"),
        ("list API rep1, filtered", f"/api/v1/opportunities?page_size=50&{filters}", "rep1"),
        ("list API market head, no filter", "/api/v1/opportunities?page_size=50", "market1"),
        ("list API market head, filtered", f"/api/v1/opportunities?page_size=50&{filters}&department={centre}",
         "market1"),
    ]


INSIGHTS = ("funnel", "win-rate", "pipeline", "bonds", "deadlines", "signed-by-month")


# --- benchmark 4: mixed load -------------------------------------------------------------------------------

def load_plan(clients: int) -> list[dict]:
    """One plan per client: a rep of his own (and the rep's head), with opportunities no other client touches."""
    from opsmon.accounts.models import User
    from opsmon.opportunities.models import Opportunity

    reps = list(User.objects.filter(groups__name="sales_rep", username__startswith="rep", department__isnull=False)
                .exclude(username__in=["rep1", "rep1b", "rep2"]).order_by("pk")[:clients])
    heads = {u.department_id: u for u in User.objects.filter(groups__name="dept_head")}
    creds = credentials([u.username for u in reps] + [heads[u.department_id].username for u in reps]
                        + ["market1"])
    plans = []
    for rep in reps:
        mine = list(Opportunity.objects.filter(owner=rep, status="tracking").order_by("-created_at")
                    .values_list("pk", flat=True)[:60])
        assert len(mine) >= 20, (rep.username, len(mine))
        head = heads[rep.department_id]
        dept = rep.department_id
        plans.append({
            "tokens": {"rep": creds[rep.username]["token"], "head": creds[head.username]["token"],
                       "market": creds["market1"]["token"]},
            "follow_up": mine[: len(mine) // 2], "transition": mine[len(mine) // 2:],
            "reads": [
                ("list", "/api/v1/opportunities?page_size=50&page={page}", "rep"),
                ("list", "/api/v1/opportunities?page_size=50&status=tracking&ordering=-expected_close_date", "rep"),
                ("list", f"/api/v1/opportunities?page_size=50&page={{page}}&department={dept}", "head"),
                ("list", "/api/v1/opportunities?page_size=50&followup_due=true", "rep"),
                ("detail", "/api/v1/opportunities/{opp}", "rep"),
                ("detail", "/api/v1/opportunities/{opp}", "rep"),
                ("follow_ups", "/api/v1/opportunities/{opp}/follow-ups", "rep"),
                ("insights", "/api/v1/insights/funnel", "rep"),
                ("insights", "/api/v1/insights/pipeline", "head"),
                ("list_all", "/api/v1/opportunities?page_size=50&page={page}", "market"),
            ]})
    return plans


def run_load(server: Server, plans: list[dict], mode: str, seconds: float, var: Path,
             profile: Path | None = None) -> dict:
    plan_file = var / "plan.json"
    plan_file.write_text(json.dumps(plans), encoding="utf-8")
    spy = None
    if profile and mode == "mixed":  # py-spy samples the server's processes (gunicorn's workers) all the load long
        profile.mkdir(parents=True, exist_ok=True)
        spy = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(server.process.pid), "--subprocesses",
             "--nonblocking", "--format", "raw", "--rate", "200", "--duration", str(int(seconds)),
             "--output", str(profile / "load.collapsed")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = subprocess.run(  # noqa: S603
        [sys.executable, str(BENCH / "load.py"), "--base", f"http://127.0.0.1:{server.port}", "--plan",
         str(plan_file), "--mode", mode, "--seconds", str(seconds), "--server-pid", str(server.process.pid)],
        capture_output=True, text=True, check=True)
    if spy is not None:
        spy.wait(timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  {mode:<8} {result['clients']} clients {result['seconds']:.0f} s: {result['requests']} requests, "
          f"{result['rps']:.1f}/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, errors {result['errors']} "
          f"{result['kinds']}; median ms by kind {result['median_ms_by_kind']}", flush=True)
    c = result["cpu_ms_per_request"]
    print(f"  {'':<8} CPU ms per request: server {c['server']}, PostgreSQL {c['postgres']}, load client "
          f"{c['client']}, other {c['other']}; machine idle {c['idle_share']:.0%}", flush=True)
    if spy is not None and (profile / "load.collapsed").exists():
        own, layers, total = cpu.read_collapsed(profile / "load.collapsed")
        result["profile"] = {"samples": total, "layers": {k: round(v / total, 3) for k, v in
                                                          sorted(layers.items(), key=lambda kv: -kv[1])},
                             "top_own": [[f, round(n / total, 4)] for f, n in
                                         sorted(own.items(), key=lambda kv: -kv[1])[:25]]}
        print(f"  {'':<8} py-spy, {total} samples of gunicorn's workers' busy time, by layer:")
        for name, share in result["profile"]["layers"].items():
            print(f"  {'':<10} {share:6.1%}  {name}")
        print(f"  {'':<8} top functions by own time:")
        for frame, share in result["profile"]["top_own"][:15]:
            print(f"  {'':<10} {share:6.1%}  {frame}")
    return result


# --- benchmark 5: Excel ------------------------------------------------------------------------------------

def excel_case(rows: int) -> dict:
    """Import `rows` rows and export them, against openpyxl alone on the same files; all rolled back after."""
    import io

    import import_export as io_bench
    from django.db import transaction

    from opsmon.accounts.models import Department, User
    from opsmon.opportunities import excel
    from opsmon.opportunities.selectors import OpportunityFilters

    content = io_bench.import_file(rows)
    read_s, _ = io_bench.timed(lambda: io_bench.openpyxl_read(content))
    with transaction.atomic():
        department = Department.objects.get(name="华东销售一部")
        actor = User.objects.create(username="bench_import", display_name="导入测试", department=department)
        actor.groups.add(*User.objects.get(username="rep1").groups.all())
        actor = User.objects.select_related("department").get(pk=actor.pk)
        import_s, result = io_bench.timed(lambda: excel.import_opportunities(actor=actor, fileobj=io.BytesIO(content)))
        assert result.created == rows, result
        export_s, exported = io_bench.timed(lambda: excel.export_xlsx(actor=actor,
                                                                      filters=OpportunityFilters(owner=actor.pk)))
        transaction.set_rollback(True)
    written = io_bench.openpyxl_read(exported)
    assert len(written) == rows + 1, len(written)
    write_s, _ = io_bench.timed(lambda: io_bench.openpyxl_write(written))
    out = {"rows": rows, "openpyxl_read_s": round(read_s, 2), "import_s": round(import_s, 2),
           "import_ratio": round(import_s / read_s, 2), "openpyxl_write_s": round(write_s, 2),
           "export_s": round(export_s, 2), "export_ratio": round(export_s / write_s, 2)}
    print(f"  {rows} rows: openpyxl read {read_s:.1f} s → import {import_s:.1f} s (× {out['import_ratio']}); "
          f"openpyxl write {write_s:.1f} s → export {export_s:.1f} s (× {out['export_ratio']})", flush=True)
    return out


# --- the run -----------------------------------------------------------------------------------------------

def machine() -> dict:
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cur.fetchone()[0]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    from opsmon.opportunities.models import Opportunity
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory, "python": platform.python_version(),
            "database": f"{connection.vendor} {version}", "opportunities": Opportunity.objects.count()}


def main(argv=None):
    args = parse_args(argv)
    only = set(args.only.split(","))
    var = configure(args.database_url)
    info = machine()
    print(f"{info['database']}, {info['opportunities']:,} opportunities; {info['cpu']} ({info['cores']} cores, "
          f"{info['memory_gib']} GiB), Python {info['python']}", flush=True)
    results = {"machine": info, "args": vars(args)}
    server = Server(args.port, args.workers, var)
    try:
        port = server.port
        users = credentials(["rep1", "head1", "head3", "market1"])
        raw = RawReplay(args.database_url)
        trivial = summary(repeat(lambda: get(port, "/healthz")[0], args.repeat * 2))
        results["trivial"] = trivial
        print(f"trivial endpoint /healthz: {trivial['median_ms']:.1f} / {trivial['p95_ms']:.1f} ms (median / p95)")
        if "list" in only:
            print("1. opportunity list API (median / p95; ratio = app / (raw SQL + trivial))")
            results["list"] = [http_case(port, raw, trivial, name, path, token=users[who]["token"], times=args.repeat)
                               for name, path, who in list_cases(users)]
        if "insights" in only:
            print("2. insights endpoints")
            results["insights"] = [
                http_case(port, raw, trivial, f"{name} as {who}", f"/api/v1/insights/{name}",
                          token=users[who]["token"], times=args.repeat)
                for who in ("market1", "head3", "head1", "rep1") for name in INSIGHTS]
        if "html" in only:
            print("3. opportunity list page (HTML)")
            results["html"] = [http_case(port, raw, trivial, f"/opportunities/ as {who}", "/opportunities/",
                                         session=users[who]["session"], times=args.repeat)
                               for who in ("rep1", "market1")]
        if "load" in only:
            print(f"4. mixed load, {args.clients} clients, separate process")
            plans = load_plan(args.clients)
            trivial_load = run_load(server, plans, "trivial", min(args.load_seconds, 30), var)
            mixed = run_load(server, plans, "mixed", args.load_seconds, var,
                             Path(args.profile_load) if args.profile_load else None)
            mixed["share_of_trivial"] = round(mixed["rps"] / trivial_load["rps"], 3)
            print(f"  mixed / trivial throughput: {mixed['share_of_trivial']:.1%}")
            results["load"] = {"trivial": trivial_load, "mixed": mixed}
    finally:
        server.stop()
    if "excel" in only:
        print("5. Excel import and export")
        results["excel"] = excel_case(args.excel_rows)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
