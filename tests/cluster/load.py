"""A bounded mixed load through nginx, with a client that retries what failed and never does a write twice.

The mix is the bench's (bench/load.py): 70 % reads (opportunity lists, details, follow-up lists, dashboards), 20 %
follow-up writes, 10 % workflow transitions (a department head closes an opportunity of his rep, then reopens it).
Each client works on opportunities no other client touches, so a 409 would be a real error.

A request that fails (connection refused or cut, 502/503/504) is retried after a short pause; before a write is
sent again the client asks whether the first one landed (the follow-up is listed / the opportunity is in the new
state), as a careful client does, so a write the server did but could not confirm is not done twice. Every write
the server confirmed (2xx) is checked in the database at the end: none may be missing or doubled.
"""

import random
import secrets
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import requests

from .client import Client

RETRYABLE = {502, 503, 504}
READS, WRITES = 0.70, 0.20


@dataclass
class Attempt:
    route: str
    status: int | str
    seconds: float
    started: float
    upstream: str


@dataclass
class Outcome:
    attempts: list[Attempt] = field(default_factory=list)
    accepted_notes: list[str] = field(default_factory=list)
    unrecovered: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    landed_without_answer: int = 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))
    return ordered[index]


class Plan:
    """What one client works on: a rep's token, his head's, opportunities of his own."""

    def __init__(self, base: str, rep: str, head: str, market: Client, customer_id: int, tag: str):
        self.rep = Client(base, phase="load").api_login(rep)
        self.head = Client(base, phase="load").api_login(head)
        self.market = market
        day = (date.today() + timedelta(days=60)).isoformat()
        made = []
        for kind in ("follow-ups", "transitions"):
            response = self.rep.ok("POST", "/api/v1/opportunities", 201, json={
                "title": f"负载测试 {tag} {rep} {kind}", "customer_id": customer_id,
                "estimated_amount": "300000.00", "expected_close_date": day})
            made.append(response.json()["id"])
        self.follow_up_opp, self.transition_opp = made
        self.closed = False


class LoadClient(threading.Thread):
    def __init__(self, index: int, plan: Plan, operations: int, seconds: float, outcome: Outcome, started: float,
                 tag: str, progress: list, paced: bool = True):
        super().__init__(daemon=True)
        self.paced = paced  # False: as fast as the answers come (a closed loop), for `seconds`
        self.index, self.plan, self.operations, self.seconds = index, plan, operations, seconds
        self.outcome, self.started, self.tag, self.progress = outcome, started, tag, progress
        self.rng = random.Random(index)  # noqa: S311 - a load mix, not a secret
        self.lock = threading.Lock()

    # one HTTP attempt, recorded
    def _send(self, client: Client, method: str, path: str, route: str, **kwargs):
        started = time.monotonic()
        try:
            response = client.request(method, path, record=False, timeout=30, **kwargs)
            status = response.status_code
        except requests.RequestException as exc:
            response, status = None, type(exc).__name__
        self.outcome.attempts.append(Attempt(route, status, time.monotonic() - started, started,
                                             response.headers.get("X-Upstream", "") if response is not None else ""))
        return response

    def _call(self, client: Client, method: str, path: str, route: str, ok=(200,), landed=None, **kwargs):
        """Send; on a retryable failure wait a little, check `landed()` for writes, send again (at most 10 times)."""
        for attempt in range(10):
            if attempt and landed is not None and landed():
                self.outcome.landed_without_answer += 1
                return True
            response = self._send(client, method, path, route, **kwargs)
            if response is not None and response.status_code in ok:
                return response
            if response is not None and response.status_code not in RETRYABLE:
                self.outcome.unexpected.append(f"{route} → {response.status_code} {response.text[:200]}")
                return None
            time.sleep(0.2 * (attempt + 1))
        self.outcome.unrecovered.append(f"{route}: still failing after 10 attempts")
        return None

    def _noted(self, note: str) -> bool:
        response = self._send(self.plan.rep, "GET", f"/api/v1/opportunities/{self.plan.follow_up_opp}/follow-ups"
                              "?page_size=200", "GET /api/v1/opportunities/{id}/follow-ups (check)")
        return response is not None and response.status_code == 200 and any(
            item["note"] == note for item in response.json()["items"])

    def _status_is(self, status: str):
        def check():
            response = self._send(self.plan.head, "GET", f"/api/v1/opportunities/{self.plan.transition_opp}",
                                  "GET /api/v1/opportunities/{id} (check)")
            return response is not None and response.status_code == 200 and response.json()["status"] == status
        return check

    def one(self, n: int) -> None:
        p, r = self.plan, self.rng.random()
        if r < READS:
            choice = self.rng.randrange(6)
            if choice == 0:
                self._call(p.rep, "GET", f"/api/v1/opportunities?page_size=50&page={self.rng.randint(1, 3)}",
                           "GET /api/v1/opportunities")
            elif choice == 1:
                self._call(p.rep, "GET", f"/api/v1/opportunities/{p.follow_up_opp}", "GET /api/v1/opportunities/{id}")
            elif choice == 2:
                self._call(p.rep, "GET", f"/api/v1/opportunities/{p.follow_up_opp}/follow-ups",
                           "GET /api/v1/opportunities/{id}/follow-ups")
            elif choice == 3:
                self._call(p.rep, "GET", "/api/v1/insights/funnel", "GET /api/v1/insights/funnel")
            elif choice == 4:
                self._call(p.head, "GET", "/api/v1/insights/pipeline", "GET /api/v1/insights/pipeline")
            else:
                self._call(p.market, "GET", f"/api/v1/opportunities?page_size=50&page={self.rng.randint(1, 3)}",
                           "GET /api/v1/opportunities (market head)")
        elif r < READS + WRITES:
            note = f"load-{self.tag}-{self.index}-{n}-{secrets.token_hex(3)}"
            today = date.today().isoformat()
            done = self._call(p.rep, "POST", f"/api/v1/opportunities/{p.follow_up_opp}/follow-ups",
                              "POST /api/v1/opportunities/{id}/follow-ups", ok=(201,),
                              landed=lambda: self._noted(note),
                              json={"happened_at": today, "kind": "call", "note": note, "next_step": "继续跟进",
                                    "next_date": today})
            if done:
                self.outcome.accepted_notes.append(note)
        else:
            action, target = ("reopen", "tracking") if p.closed else ("close", "closed")
            body = {} if action == "reopen" else {"reason": "lost", "comment": "负载测试"}
            done = self._call(p.head, "POST", f"/api/v1/opportunities/{p.transition_opp}/{action}",
                              f"POST /api/v1/opportunities/{{id}}/{action}", landed=self._status_is(target), json=body)
            if done:
                p.closed = not p.closed

    def run(self):
        interval = self.seconds / self.operations
        # bounded in time too: a slow machine sends fewer, not longer
        deadline = self.started + (self.seconds * 2 if self.paced else self.seconds)
        for n in range(self.operations):
            if time.monotonic() > deadline:
                break
            pause = self.started + n * interval - time.monotonic()
            if self.paced and pause > 0:
                time.sleep(pause)
            self.one(n)
            self.progress[self.index] = n + 1


def summarize(attempts: list[Attempt]) -> list[tuple]:
    """(route, requests, errors, p50 ms, p95 ms) per route, most asked first."""
    by_route: dict[str, list[Attempt]] = {}
    for a in attempts:
        by_route.setdefault(a.route, []).append(a)
    rows = []
    for route, items in sorted(by_route.items(), key=lambda kv: -len(kv[1])):
        seconds = [a.seconds for a in items]
        errors = sum(1 for a in items if not (isinstance(a.status, int) and a.status < 400))
        rows.append((route, len(items), errors, statistics.median(seconds) * 1000, percentile(seconds, 0.95) * 1000))
    return rows
