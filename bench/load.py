"""The mixed-load client of bench/run.py, in a process of its own: N concurrent clients for S seconds.

    .venv/bin/python bench/load.py --base http://127.0.0.1:8765 --plan plan.json --mode mixed --seconds 60

`--mode trivial` asks the server's trivial JSON endpoint (/healthz) only; `--mode mixed` mixes 70 % reads
(opportunity lists, details, follow-up lists, dashboards), 20 % follow-up writes and 10 % workflow transitions
(a department head closes an opportunity of his rep, then reopens it). Each client works as one sales rep and
his head on opportunities no other client touches, so a conflict (409) would be a real error. Prints one JSON
line: requests, errors (any non-2xx answer or failed connection), requests per second, latency percentiles.
"""

import argparse
import http.client
import json
import math
import random
import statistics
import threading
import time
from datetime import date
from urllib.parse import urlsplit

import cpu  # bench/cpu.py, beside this file

READS = 0.70
WRITES = 0.20  # the rest (10 %) are transitions


class Client(threading.Thread):
    def __init__(self, index: int, base: str, plan: dict, mode: str, deadline: float):
        super().__init__(daemon=True)
        self.rng = random.Random(index)  # noqa: S311 - a load mix, not a secret
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.plan, self.mode, self.deadline = plan, mode, deadline
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.kind = "trivial"
        self.errors: list[str] = []
        self.kinds: dict[str, int] = {}
        self.closed: set[int] = set()
        self.cycle = 0

    def request(self, method: str, path: str, token: str | None = None, body: dict | None = None) -> None:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            ok = 200 <= response.status < 300
            status = response.status
        except OSError as exc:
            ok, status = False, type(exc).__name__
        self.latencies.append(time.perf_counter() - start)
        self.by_kind.setdefault(self.kind, []).append(self.latencies[-1])
        if not ok:
            self.errors.append(f"{method} {path} → {status}")

    def one(self) -> None:
        if self.mode == "trivial":
            self.kinds["trivial"] = self.kinds.get("trivial", 0) + 1
            return self.request("GET", "/healthz")
        p, rng = self.plan, self.rng
        r = rng.random()
        if r < READS:
            kind, path, token = rng.choice(p["reads"])
            self.kind = kind
            path = path.replace("{page}", str(rng.randint(1, 5))).replace("{opp}", str(rng.choice(p["follow_up"])))
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            return self.request("GET", path, p["tokens"][token])
        if r < READS + WRITES:
            self.kind = "follow_up"
            self.kinds["follow_up"] = self.kinds.get("follow_up", 0) + 1
            opp = rng.choice(p["follow_up"])
            today = date.today().isoformat()
            return self.request("POST", f"/api/v1/opportunities/{opp}/follow-ups", p["tokens"]["rep"], {
                "happened_at": today, "kind": "call", "note": "电话沟通进展（负载测试）", "next_step": "继续跟进",
                "next_date": today})
        self.kind = "transition"
        self.kinds["transition"] = self.kinds.get("transition", 0) + 1
        opp = p["transition"][self.cycle % len(p["transition"])]
        self.cycle += 1
        if opp in self.closed:
            self.closed.discard(opp)
            return self.request("POST", f"/api/v1/opportunities/{opp}/reopen", p["tokens"]["head"], {})
        self.closed.add(opp)
        return self.request("POST", f"/api/v1/opportunities/{opp}/close", p["tokens"]["head"],
                            {"reason": "lost", "comment": "负载测试"})

    def run(self):
        while time.perf_counter() < self.deadline:
            self.one()

    def tidy(self):
        """Reopen what this client left closed, so the database ends as it began."""
        for opp in list(self.closed):
            self.request("POST", f"/api/v1/opportunities/{opp}/reopen", self.plan["tokens"]["head"], {})


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--plan", required=True, help="JSON: one entry per client (tokens, opportunity ids, reads)")
    parser.add_argument("--mode", choices=["trivial", "mixed"], default="mixed")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--server-pid", type=int, default=0,
                        help="account the CPU of this process tree, PostgreSQL's and this client's (bench/cpu.py)")
    args = parser.parse_args()
    with open(args.plan, encoding="utf-8") as fh:
        plans = json.load(fh)
    before = cpu.snapshot(args.server_pid) if args.server_pid else None
    start = time.perf_counter()
    clients = [Client(i, args.base, plan, args.mode, start + args.seconds) for i, plan in enumerate(plans)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    elapsed = time.perf_counter() - start
    after = cpu.snapshot(args.server_pid) if args.server_pid else None
    requests = sum(len(c.latencies) for c in clients)
    latencies = [x for c in clients for x in c.latencies]
    errors = [e for c in clients for e in c.errors]
    for c in clients:
        c.tidy()
    kinds: dict[str, int] = {}
    per_kind: dict[str, list[float]] = {}
    for c in clients:
        for k, n in c.kinds.items():
            kinds[k] = kinds.get(k, 0) + n
        for k, values in c.by_kind.items():
            per_kind.setdefault(k, []).extend(values)
    median_ms = {k: round(statistics.median(v) * 1000, 1) for k, v in sorted(per_kind.items())}
    spent = cpu.spent(before, after, requests) if before else None
    print(json.dumps({"mode": args.mode, "clients": len(clients), "seconds": round(elapsed, 1), "requests": requests,
                      "errors": len(errors), "error_samples": errors[:10], "rps": round(requests / elapsed, 1),
                      "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
                      "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                      "p99_ms": round(percentile(latencies, 0.99) * 1000, 1), "kinds": kinds,
                      "median_ms_by_kind": median_ms, "cpu_ms_per_request": spent}, ensure_ascii=False))


if __name__ == "__main__":
    main()
