"""Webhook delivery against a real HTTP receiver on localhost: signed, retried with backoff, never duplicated."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from opsmon.core.errors import Invalid, PermissionDenied
from opsmon.integrations import delivery, services
from opsmon.integrations.models import WebhookDelivery
from opsmon.projects import services as projects
from opsmon.projects.tests.factories import approved_project

SECRET = "a-shared-secret-of-some-length"


class Receiver:
    """A local HTTP server that records requests and answers with the statuses it is told to."""

    def __init__(self, statuses=(200,)):
        self.requests, self.statuses = [], list(statuses)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.requests.append((self.headers, body))  # case-insensitive, as HTTP is
                status = outer.statuses.pop(0) if len(outer.statuses) > 1 else outer.statuses[0]
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*statuses):
        r = Receiver(statuses or (200,))
        made.append(r)
        return r
    yield make
    for r in made:
        r.close()


def endpoint(org, url, events=("project.routed",)):
    return services.endpoint_create(actor=org["admin"], name="项目监控系统", url=url, secret=SECRET,
                                    events=list(events))


def test_delivery_is_signed_and_verifiable(org, receiver):
    r = receiver(200)
    endpoint(org, r.url)
    project = approved_project(org)
    projects.project_route(actor=org["rep1"], project=project, to="implementation")
    assert r.requests == []  # nothing is sent inside the user's action
    assert delivery.deliver_due() == 1
    headers, body = r.requests[0]
    expected = hmac.new(SECRET.encode(), headers["X-OpsMon-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-OpsMon-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "project.routed" and headers["X-OpsMon-Event-Id"] == payload["id"]
    assert payload["data"]["to"] == "implementation" and payload["data"]["project"]["number"] == project.number
    assert WebhookDelivery.objects.get().status == "delivered"


def test_failures_are_retried_with_backoff_and_never_duplicated(org, receiver):
    r = receiver(500, 200)
    endpoint(org, r.url)
    projects.project_route(actor=org["rep1"], project=approved_project(org), to="implementation")
    now = timezone.now()
    delivery.deliver_due(now=now)
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_status_code, d.last_error) == ("pending", 1, 500, "HTTP 500")
    assert delivery.deliver_due(now=now + timedelta(seconds=30)) == 0  # not due yet
    assert delivery.deliver_due(now=now + timedelta(minutes=2)) == 1
    assert WebhookDelivery.objects.get().status == "delivered"
    assert delivery.deliver_due(now=now + timedelta(days=2)) == 0
    ids = {h["X-OpsMon-Event-Id"] for h, _ in r.requests}
    assert len(r.requests) == 2 and len(ids) == 1  # the retry carries the same event id


def test_unreachable_receiver_fails_after_the_last_attempt(org):
    endpoint(org, "http://127.0.0.1:9/unreachable")
    projects.project_route(actor=org["rep1"], project=approved_project(org), to="implementation")
    now = timezone.now()
    for step in range(delivery.MAX_ATTEMPTS):
        delivery.deliver_due(now=now + timedelta(days=2 * step))
    d = WebhookDelivery.objects.get()
    assert d.status == "failed" and d.attempts == delivery.MAX_ATTEMPTS and d.last_error


def test_only_subscribed_active_endpoints_get_events(org, receiver):
    r = receiver(200)
    endpoint(org, r.url, events=["contract.signed"])
    other = endpoint(org, r.url, events=["project.approved"])
    services.endpoint_update(actor=org["admin"], endpoint=other, active=False)
    projects.project_route(actor=org["rep1"], project=approved_project(org), to="implementation")
    assert WebhookDelivery.objects.count() == 0


def test_endpoint_input_is_checked_and_admin_only(org):
    with pytest.raises(PermissionDenied):
        services.endpoint_create(actor=org["head1"], name="x", url="https://x.cn/h", secret="s" * 20,
                                 events=["bid.won"])
    with pytest.raises(Invalid) as err:
        services.endpoint_create(actor=org["admin"], name="", url="ftp://x", secret="short", events=["nope"])
    assert {"name", "url", "secret", "events"} <= set(err.value.fields)
