"""A webhook receiver that accepts the connection and never answers (issue 8, part 5c): the user's request that
emits the event returns at once, other users are served as fast as ever while the task worker waits on the
receiver, the delivery times out in the background (5 s), is scheduled again with backoff, and is retried and
delivered once the receiver answers.

The retry comes after the 1-minute backoff and the scheduler's minute sweep; the default run moves the
delivery's due time into the past instead of waiting (a clock jump) and lets the next event's sweep pick it up.
`make test-reliability-long` waits for the real retry.
"""

import contextlib
import secrets
import socket
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .conftest import LONG

pytestmark = pytest.mark.reliability

FAST = 2.0  # seconds: a user's request while the worker hangs on the receiver (its timeout is 5 s)


class HangingReceiver:
    """Accepts every connection and never answers; after `answer()` it reads each request and says 200."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook"
        self.answering = threading.Event()
        self.accepted: list[float] = []
        self.held: list[socket.socket] = []
        self.received: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(time.monotonic())
            if not self.answering.is_set():
                self.held.append(conn)  # the connection stays open; not a byte comes back
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket):
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:")))
            while len(body) < length:
                body += conn.recv(65536)
            self.received.append(head)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def answer(self):
        self.answering.set()

    def close(self):
        self.listener.close()
        for conn in self.held:
            with contextlib.suppress(OSError):
                conn.close()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def convert_new_opportunity(server, title: str) -> tuple[int, float]:
    """rep1 opens an opportunity and asks; head1 converts it (emits opportunity.converted). Answers (id, seconds
    the convert request took)."""
    rep, head = server.api("rep1"), server.api("head1")
    customer = rep.get("/api/v1/customers").json()["items"][0]["id"]
    close = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=60)).isoformat()
    opportunity = rep.post("/api/v1/opportunities", json={"title": title, "customer_id": customer,
                                                          "estimated_amount": "880000.00",
                                                          "expected_close_date": close}).json()
    path = f"/api/v1/opportunities/{opportunity['id']}"
    assert rep.post(f"{path}/request-conversion", json={"comment": "客户预算已落实。"}).status_code == 200
    response, seconds = timed(lambda: head.post(f"{path}/convert", json={"comment": "同意。"}))
    assert response.status_code == 200, response.text
    return opportunity["id"], seconds


def delivery_of(admin, endpoint_id: int, opportunity_id: int) -> dict | None:
    items = admin.get("/api/v1/integrations/deliveries", params={"endpoint": endpoint_id}).json()["items"]
    return next((d for d in items if d["payload"]["data"]["opportunity"]["id"] == opportunity_id), None)


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {timeout} s")


def test_a_hanging_receiver_never_slows_a_user_and_is_retried(demo_server):
    admin, rep = demo_server.api("admin"), demo_server.api("rep1")
    receiver = HangingReceiver()
    tag = secrets.token_hex(3)
    response = admin.post("/api/v1/integrations/webhooks", json={
        "name": f"挂起的接收方 {tag}", "url": receiver.url, "secret": secrets.token_hex(16),
        "events": ["opportunity.converted"]})
    assert response.status_code == 201, response.text
    endpoint = response.json()["id"]
    try:
        first, convert_seconds = convert_new_opportunity(demo_server, f"挂起测试 {tag} 1")
        assert convert_seconds < FAST, convert_seconds

        wait_for(lambda: receiver.accepted, 30, "the worker connecting to the receiver")
        hung_at = receiver.accepted[0]
        opportunity = rep.one("/api/v1/opportunities", q=f"挂起测试 {tag} 1")
        while_hanging = []
        for _ in range(2):  # the worker waits on the receiver now
            for request in (lambda: rep.get("/api/v1/opportunities"),
                            lambda: rep.post(f"/api/v1/opportunities/{opportunity['id']}/follow-ups", json={
                                "happened_at": datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat(),
                                "kind": "visit", "note": "接收方挂起期间的跟进。"})):
                response, seconds = timed(request)
                assert response.status_code in (200, 201), response.text
                while_hanging.append(seconds)
        assert delivery_of(admin, endpoint, first)["attempts"] == 0, "the worker was not waiting any more"
        assert max(while_hanging) < FAST, while_hanging

        failed = wait_for(lambda: (d := delivery_of(admin, endpoint, first)) and d["attempts"] == 1 and d,
                          60, "the first attempt to time out")
        timed_out_after = time.monotonic() - hung_at
        assert failed["status"] == "pending" and "timed out" in failed["last_error"], failed
        backoff = datetime.fromisoformat(failed["next_attempt_at"]) - datetime.fromisoformat(failed["created_at"])
        assert timedelta(seconds=55) < backoff < timedelta(minutes=3), backoff
        print(f"\nconvert answered in {convert_seconds * 1000:.0f} ms; requests while the worker hung: max "
              f"{max(while_hanging) * 1000:.0f} ms; the attempt gave up after ~{timed_out_after:.1f} s "
              f"({failed['last_error']}), next attempt {backoff.total_seconds():.0f} s after the event")

        receiver.answer()
        if LONG:  # the real clock: the backoff minute, then the scheduler's sweep (every minute)
            delivered = wait_for(lambda: (d := delivery_of(admin, endpoint, first))["status"] == "delivered" and d,
                                 200, "the retry after the backoff")
        else:  # a clock jump: the retry is due now; the next event's delivery run sweeps it up
            demo_server.db.query("UPDATE integrations_webhookdelivery SET next_attempt_at = created_at "
                                 "WHERE id = %s", failed["id"])
            second, _ = convert_new_opportunity(demo_server, f"挂起测试 {tag} 2")
            delivered = wait_for(lambda: (d := delivery_of(admin, endpoint, first))["status"] == "delivered" and d,
                                 60, "the retry")
            wait_for(lambda: delivery_of(admin, endpoint, second)["status"] == "delivered", 60, "the second event")
        assert delivered["attempts"] == 2 and delivered["last_status_code"] == 200, delivered
        assert any(f"x-opsmon-event-id: {failed['event_id']}".encode() in head.lower() for head in receiver.received)
    finally:
        admin.patch(f"/api/v1/integrations/webhooks/{endpoint}", json={"active": False})
        receiver.close()
