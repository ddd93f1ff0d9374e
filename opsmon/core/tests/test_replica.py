"""The replica router (issue 19, DATABASE_REPLICA_URL): which reads go to the hot standby, read-your-writes by WAL
position, the fall-back to the primary. The standby itself is exercised by `make test-cluster`; here its answers
are stood in for, and on PostgreSQL the WAL queries run against the test database."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from opsmon.core import replica
from opsmon.core.replica import PRIMARY, REPLICA, ReplicaMiddleware, ReplicaRouter, State, parse_lsn

factory = RequestFactory()


class User:
    def __init__(self, pk):
        self.pk = pk
        self.is_authenticated = True


def request(path="/api/v1/insights/funnel", method="get", user=7):
    r = getattr(factory, method)(path)
    r.user = User(user) if user else None
    return r


@pytest.fixture
def standby(monkeypatch):
    """The standby's answers: `standby.state` is what a probe finds, `standby.pins` the users' write positions."""
    class Standby:
        state = State(True, "streaming", replay_lsn=100, lag_seconds=0.0)
        pins: dict = {}
        probes = 0
        cache_down = False

    def state(*, fresh=False):
        Standby.probes += fresh
        return Standby.state

    def pinned(user_id):
        if Standby.cache_down:
            raise ConnectionError("redis away")
        return Standby.pins.get(user_id)

    monkeypatch.setattr(replica, "state", state)
    monkeypatch.setattr(replica, "pinned", pinned)
    Standby.pins = {}
    return Standby


def test_wal_positions_order_as_the_wal_does():
    assert parse_lsn("0/16B3748") < parse_lsn("0/16B3749") < parse_lsn("1/0") < parse_lsn("16/B374D848")
    assert parse_lsn(None) == 0


@pytest.mark.parametrize(("path", "method", "eligible"), [
    ("/insights/", "get", True), ("/api/v1/insights/funnel", "get", True), ("/insights/funnel/won/", "get", True),
    ("/api/v1/opportunities/export.xlsx", "get", True), ("/contracts/export.xlsx", "get", True),
    ("/api/v1/changes", "get", True), ("/api/v1/opportunities", "get", False), ("/opportunities/12/", "get", False),
    ("/api/v1/insights/funnel", "post", False), ("/api/v1/opportunities/import-template.xlsx", "get", False),
])
def test_which_requests_may_read_from_the_replica(path, method, eligible):
    assert replica.eligible(request(path, method)) is eligible


def test_reads_go_to_the_replica_only_inside_an_eligible_request(standby, settings):
    router = ReplicaRouter()
    from opsmon.accounts.models import User as Account
    from opsmon.opportunities.models import Opportunity

    assert router.db_for_read(Opportunity) == PRIMARY  # outside a request: primary
    seen = {}

    def view(r):
        seen["opportunity"] = router.db_for_read(Opportunity)
        seen["user"] = router.db_for_read(Account)  # who is asking: always the primary
        seen["write"] = router.db_for_write(Opportunity)
        return HttpResponse("ok")

    response = ReplicaMiddleware(view)(request())
    assert seen == {"opportunity": REPLICA, "user": PRIMARY, "write": PRIMARY}
    assert response[replica.HEADER] == "replica"
    assert router.allow_migrate(REPLICA, "opportunities") is False and router.allow_migrate(PRIMARY, "x") is True


def test_his_own_write_keeps_his_reads_on_the_primary_until_replayed(standby):
    standby.pins = {7: 150}  # he wrote at 150; the standby has replayed 100
    assert replica.choose(request(user=7)) == PRIMARY
    assert standby.probes == 1  # asked the standby again before deciding
    assert replica.choose(request(user=8)) == REPLICA  # others are not held back
    standby.state = State(True, "streaming", replay_lsn=150, lag_seconds=0.0)
    assert replica.choose(request(user=7)) == REPLICA


def test_unusable_standby_or_unknown_write_position_means_the_primary(standby):
    standby.state = State(False, "unreachable (connection refused); reads go to the primary")
    assert replica.choose(request()) == PRIMARY
    standby.state = State(True, "streaming", replay_lsn=100, lag_seconds=0.0)
    standby.cache_down = True  # cannot tell whether he just wrote
    assert replica.choose(request()) == PRIMARY
    assert replica.choose(request(user=None)) == REPLICA  # anonymous: nothing of his to see


def test_a_successful_write_records_his_position(standby, monkeypatch):
    pinned = []
    monkeypatch.setattr(replica, "pin", pinned.append)
    middleware = ReplicaMiddleware(lambda r: HttpResponse(status=201))
    middleware(request("/api/v1/opportunities", "post", user=7))
    ReplicaMiddleware(lambda r: HttpResponse(status=409))(request("/api/v1/opportunities", "post", user=8))
    middleware(request("/api/v1/opportunities", "get", user=9))
    assert pinned == [7]


def test_a_read_that_failed_on_a_vanished_replica_is_answered_from_the_primary(standby):
    from opsmon.opportunities.models import Opportunity

    answers = []

    def view(r):
        alias = ReplicaRouter().db_for_read(Opportunity)
        answers.append(alias)
        if alias == REPLICA:
            standby.state = State(False, "unreachable; reads go to the primary")
            return HttpResponse(status=503)
        return HttpResponse("from the primary")

    response = ReplicaMiddleware(view)(request())
    assert answers == [REPLICA, PRIMARY]
    assert response.status_code == 200 and response[replica.HEADER] == "primary"


def test_health_is_off_without_a_replica():
    assert replica.health() == {"status": "off"}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="WAL positions are PostgreSQL's")
def test_on_postgresql_the_probe_and_the_write_position(monkeypatch, settings):
    from django.db import connections

    class Aliases:
        def __getitem__(self, alias):
            return connections["default"]  # the primary stands in for the standby (not in recovery)

    monkeypatch.setattr(replica, "connections", Aliases())
    found = replica._ask()
    assert found.usable and found.replay_lsn > 0 and found.detail.startswith("not in recovery")
    stored = {}
    monkeypatch.setattr(replica, "_shared_cache", lambda: type("C", (), {
        "set": lambda self, k, v, t: stored.update({k: v})})())
    replica.pin(7)
    assert stored[replica._pin_key(7)] >= found.replay_lsn
