"""Capacity of the scale-out deployment on this machine (issue 19): the bench's mixed load (70 % reads, 20 %
follow-up writes, 10 % transitions; tests/cluster/load.py) through nginx, first with one app node behind it, then
with two, on the cluster of `make test-cluster` (PostgreSQL primary + standby, Redis, S3, demo data).

    .venv/bin/python bench/cluster_capacity.py [--clients 16] [--seconds 30] [--workers 2]

For each run it prints the throughput and latencies, and the CPU seconds each part used (app nodes, PostgreSQL
primary and standby, nginx, Redis, the load generator itself), which shows where the bottleneck is.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cluster.client import Client  # noqa: E402
from tests.cluster.load import LoadClient, Outcome, Plan, percentile  # noqa: E402
from tests.cluster.run import Cluster  # noqa: E402
from tests.cluster.services import Nginx, descendants  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> float:
    """CPU of these processes and of every child they have reaped (PostgreSQL backends and gunicorn workers come and
    go: a parent's cutime/cstime keeps what its ended children used)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15]) / TICKS
        except (OSError, IndexError, ValueError):
            continue
    return total


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy (all processes, ours and anyone else's)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


def postmaster(db) -> int:
    return int((db.data / "postmaster.pid").read_text().split()[0])


def parts(cluster: Cluster, nginx: Nginx) -> dict[str, list[int]]:
    def tree(pid):
        return [pid, *descendants(pid)]
    return {
        "app nodes": [p for n in cluster.nodes for p in tree(n.process.pid)],
        "postgres primary": tree(postmaster(cluster.primary)),
        "postgres standby": tree(postmaster(cluster.standby)),
        "nginx": tree(nginx.process.pid),
        "redis": [cluster.redis.process.pid],
        "load generator": [os.getpid()],
    }


def measure(cluster: Cluster, nginx: Nginx, clients: int, seconds: float) -> dict:
    base = nginx.url
    market = Client(base, phase="bench").api_login("market1")
    customer = market.ok("GET", "/api/v1/customers").json()["items"][0]["id"]
    pairs = [("rep1", "head1"), ("rep1b", "head1"), ("rep2", "head2")]
    tag = secrets.token_hex(3)
    plans = [Plan(base, *pairs[i % 3], market, customer, f"{tag}-{i}") for i in range(clients)]
    groups = parts(cluster, nginx)
    before = {k: cpu_seconds(v) for k, v in groups.items()}
    busy_before = machine_busy()
    outcome = Outcome()
    started = time.monotonic()
    threads = [LoadClient(i, plan, 10**6, seconds, outcome, started, tag, [0] * clients, paced=False)
               for i, plan in enumerate(plans)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    groups = parts(cluster, nginx)
    used = {k: round(cpu_seconds(v) - before[k], 1) for k, v in groups.items()}
    busy = machine_busy() - busy_before
    used["anything else on the machine"] = round(busy - sum(used.values()), 1)
    attempts = outcome.attempts
    latencies = [a.seconds for a in attempts]
    errors = [a for a in attempts if not (isinstance(a.status, int) and a.status < 400)]
    return {"clients": clients, "seconds": round(elapsed, 1), "requests": len(attempts),
            "rps": round(len(attempts) / elapsed, 1), "errors": len(errors),
            "p50_ms": round(statistics.median(latencies) * 1000), "p95_ms": round(percentile(latencies, 0.95) * 1000),
            "cpu_seconds": used, "cpu_share": {k: round(v / elapsed, 2) for k, v in used.items()},
            "cpu_ms_per_request": {k: round(v * 1000 / max(1, len(attempts)), 1) for k, v in used.items()},
            "cores": os.cpu_count(),
            "unexpected": outcome.unexpected[:3]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="opsmon-capacity-"))
    cluster = Cluster(folder)
    results = {}
    extra = []
    try:
        cluster.start(workers=args.workers)
        print({k: round(v, 1) for k, v in cluster.timings.items()}, flush=True)
        one = Nginx(folder / "one", [cluster.nodes[0].address], cluster.static_root).start()
        extra.append(one)
        for label, nginx in (("warm-up", one), ("1 node", one), ("2 nodes", cluster.nginx)):
            result = measure(cluster, nginx, args.clients, 8 if label == "warm-up" else args.seconds)
            print(label, json.dumps(result, ensure_ascii=False), flush=True)
            if label != "warm-up":
                results[label] = result
    finally:
        for nginx in extra:
            nginx.stop()
        cluster.stop()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
