"""The change feed: one change per timeline entry (services and the Excel import alike), positions in commit order,
the visibility filter, the cursor, and the API's answers and refusals."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from opsmon.core import timeline
from opsmon.core.errors import Invalid
from opsmon.core.models import Change, TimelineEntry
from opsmon.feed import cursor, selectors, types
from opsmon.opportunities import excel, services
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests import factories
from opsmon.opportunities.tests.test_excel import good_row, xlsx

pytestmark = pytest.mark.django_db(transaction=True)  # positions are given when a transaction commits

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                   reason="SQLite has one writer at a time: ids are the commit order")


def feed(actor, after=0, limit=500):
    return selectors.changes_after(actor=actor, after=after, limit=limit)


def everything(actor) -> list[dict]:
    items, position = [], 0
    while True:
        page, following = feed(actor, position)
        items += page
        if following == position:
            return items
        position = following


def keys(items) -> list[tuple]:
    return [(i["type"], i["id"], i["action"]) for i in items]


@pytest.fixture
def book(org):
    """rep1's opportunity (rep1b on the team) and rep2's, each created then edited."""
    a = factories.opportunity(org["rep1"], title="甲", member_ids=[org["rep1b"].pk])
    b = factories.opportunity(org["rep2"], title="乙")
    services.opportunity_update(actor=org["rep1"], opportunity=a, version=a.version, title="甲二")
    services.opportunity_update(actor=org["rep2"], opportunity=b, version=b.version, title="乙二")
    return {"a": a, "b": b}


# --- one change per timeline entry, in commit order -----------------------------------------------------------------

def test_every_timeline_entry_has_one_change_placed_in_commit_order(org, book):
    entries = list(TimelineEntry.objects.order_by("id").values_list("id", flat=True))
    changes = list(Change.objects.order_by("position").values_list("entry_id", "position"))
    assert [entry for entry, _ in changes] == entries  # one change each; sequential commits: the id order
    assert all(position is not None for _, position in changes)
    assert len({position for _, position in changes}) == len(changes)


def test_the_excel_import_bulk_entries_reach_the_feed(org):
    before = Change.objects.count()
    result = excel.import_opportunities(actor=org["rep1"], fileobj=xlsx([good_row(n) for n in range(1, 6)]))
    assert result.created == 5
    new = list(Change.objects.filter(entry__action__in=["opportunity.imported", "customer.imported"])
               .order_by("position").values_list("entry__object_id", "entry__action", "position"))
    assert Change.objects.count() - before == len(new) == TimelineEntry.objects.filter(
        action__in=["opportunity.imported", "customer.imported"]).count()
    assert [oid for oid, action, _ in new if action == "opportunity.imported"] == sorted(result.ids)
    assert all(position is not None for *_, position in new)
    listed = [i["id"] for i in everything(org["rep1"]) if i["action"] == "opportunity.imported"]
    assert listed == sorted(result.ids)
    assert not [i for i in everything(org["rep2"]) if i["action"] == "opportunity.imported"]


def test_a_change_rolled_back_never_reaches_the_feed(org):
    customer = factories.customer(org["rep1"])
    before = Change.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        timeline.record(customer, actor=org["rep1"], action="customer.updated")
        raise RuntimeError
    assert Change.objects.count() == before


@postgres_only
def test_positions_follow_the_commits_not_the_inserts(org):
    """A writes its entry first (lower id) and commits last: the feed answers B first, never skips A."""
    customer = factories.customer(org["rep1"])
    actor = org["rep1"]
    start = feed(actor)[1]
    a_wrote, b_done, ids, errors = threading.Event(), threading.Event(), {}, []

    def writer(name, before_commit):
        try:
            with transaction.atomic():
                ids[name] = timeline.record(customer, actor=actor, action="customer.updated", comment=name).pk
                before_commit()
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    def a_waits():
        a_wrote.set()
        assert b_done.wait(30)

    thread_a = threading.Thread(target=writer, args=("A", a_waits))
    thread_a.start()
    assert a_wrote.wait(30)
    thread_b = threading.Thread(target=writer, args=("B", lambda: None))
    thread_b.start()
    thread_b.join(30)
    seen_b, after_b = feed(actor, start)
    assert [i["id"] for i in seen_b] == [customer.pk]  # only B: A has not committed, it has no position yet
    b_done.set()
    thread_a.join(30)
    assert not errors and ids["A"] < ids["B"]
    seen_a, _ = feed(actor, after_b)
    assert len(seen_a) == 1  # A, after the cursor B's page handed out: not skipped
    positions = dict(Change.objects.filter(entry_id__in=ids.values()).values_list("entry_id", "position"))
    assert positions[ids["B"]] < positions[ids["A"]]


@postgres_only
def test_a_commit_waiting_for_a_row_lock_does_not_hold_the_feed_lock(org):
    """B locks a user row and writes an entry; A writes an entry, then one naming that user (its deferred
    foreign-key check waits for B's lock at COMMIT). The feed's lock is taken after every other deferred check, so
    A does not hold it while it waits, and B's commit (which needs it) goes through: no deadlock, both committed,
    B first. (Were the lock taken when A's first entry's trigger fired, A would hold it while waiting for B, B
    would wait for it: a deadlock, one of them refused.)"""
    customer = factories.customer(org["rep1"])
    locked = org["rep2"]
    b_ready, go, ids, errors = threading.Event(), threading.Event(), {}, []
    User = type(locked)

    def b():
        try:
            with transaction.atomic():
                User.objects.select_for_update().get(pk=locked.pk)
                ids["B"] = timeline.record(customer, actor=org["rep1"], action="customer.updated", comment="B").pk
                b_ready.set()
                assert go.wait(30)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    def a():
        try:
            with transaction.atomic():  # COMMIT waits for B's row lock (the second entry's actor, a foreign key)
                timeline.record(customer, actor=org["rep1"], action="customer.updated", comment="A1")
                ids["A"] = timeline.record(customer, actor=locked, action="customer.updated", comment="A2").pk
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    thread_b = threading.Thread(target=b)
    thread_b.start()
    assert b_ready.wait(30)
    thread_a = threading.Thread(target=a)
    thread_a.start()
    thread_a.join(1.5)  # longer than deadlock_timeout (1 s): a deadlock would have been found by now
    assert thread_a.is_alive()  # A is still waiting for B's row lock
    go.set()
    thread_b.join(30)
    thread_a.join(30)
    assert not errors, errors
    positions = dict(Change.objects.filter(entry_id__in=ids.values()).values_list("entry_id", "position"))
    assert positions[ids["B"]] < positions[ids["A"]]


# --- visibility --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("user", "sees"), [
    ("rep1", {"a"}), ("rep1b", {"a"}), ("head1", {"a"}), ("rep2", {"b"}), ("head2", {"b"}),
    ("admin", {"a", "b"}), ("market1", {"a", "b"}), ("lead1", set()), ("finance1", set()),
])
def test_each_user_gets_the_changes_of_the_records_he_sees(org, book, user, sees):
    items = everything(org[user])
    opportunities = [i for i in items if i["type"] == "opportunity"]
    expected = [(book[k].pk, action) for k in sorted(sees) for action in ("opportunity.created", "opportunity.updated")]
    assert sorted((i["id"], i["action"]) for i in opportunities) == sorted(expected)
    assert {i["number"] for i in opportunities} == {book[k].number for k in sees}
    customers = {i["id"] for i in items if i["type"] == "customer"}
    assert customers == {book["a"].customer_id, book["b"].customer_id}  # company-wide master data
    assert {i["type"] for i in items} <= {t.name for t in types.TYPES}  # users, code tables...: never answered


def test_items_are_in_position_order_and_the_cursor_pages_without_gaps_or_repeats(org, book):
    admin = org["admin"]
    whole = everything(admin)
    paged, position = [], 0
    while True:
        page, following = feed(admin, position, limit=2)
        assert len(page) <= 2
        paged += page
        if following == position:
            break
        position = following
    assert paged == whole
    order = {(t["type"], t["id"], t["action"]): n for n, t in enumerate(whole)}
    a = book["a"].pk
    assert order[("opportunity", a, "opportunity.created")] < order[("opportunity", a, "opportunity.updated")]


def test_changes_out_of_scope_are_skipped_and_the_cursor_still_moves(org, book):
    rep1 = org["rep1"]
    start = Change.objects.order_by("-position").values_list("position", flat=True).first()
    services.opportunity_update(actor=org["rep2"], opportunity=book["b"], version=2, title="乙三")
    services.opportunity_update(actor=org["rep2"], opportunity=Opportunity.objects.get(pk=book["b"].pk),
                                version=3, title="乙四")
    last = Change.objects.order_by("-position").values_list("position", flat=True).first()
    items, following = feed(rep1, start, limit=1)
    assert items == [] and following == last  # nothing for him, and he does not read them again
    assert feed(rep1, following) == ([], following)  # caught up: the same cursor
    assert keys(feed(org["rep2"], start)[0]) == [("opportunity", book["b"].pk, "opportunity.updated")] * 2


def test_a_caller_who_sees_little_is_answered_after_a_bounded_scan(org, book, monkeypatch):
    monkeypatch.setattr(selectors, "SCAN_BATCHES", 2)
    monkeypatch.setattr(selectors, "SCAN_MIN", 3)
    positions = list(Change.objects.order_by("position").values_list("position", flat=True))
    items, following = feed(org["lead1"], 0, limit=1)  # he sees customers only; the first changes are users'
    assert items == [] and following == positions[5]  # two batches of three changes read, not the whole feed


def test_one_page_costs_a_few_queries_whatever_its_size(org, book):
    for n in range(20):
        factories.opportunity(org["rep1"], title=f"批量{n}")
    head = org["head1"]
    with CaptureQueriesContext(connection) as small:
        assert len(feed(head, limit=5)[0]) == 5
    with CaptureQueriesContext(connection) as large:
        assert len(feed(head, limit=200)[0]) > 40
    assert len(large.captured_queries) <= len(small.captured_queries) + 1, [q["sql"] for q in large.captured_queries]
    assert len(large.captured_queries) <= 1 + len(types.TYPES) + 6  # changes, one per type, the viewer's scope


# --- the cursor ------------------------------------------------------------------------------------------------------

def test_the_cursor_is_opaque_and_checked():
    for position in (0, 1, 17, 2**63 - 1):
        assert cursor.decode(cursor.encode(position)) == position
    assert cursor.decode(None) == cursor.decode("") == 0
    assert not cursor.encode(42).isdigit()
    for bad in ("42", "abc", "!!!", cursor.encode(5) + "x", cursor.encode(2**63), "ZmVlZDotMQ", "ZmVlZDowMQ"):
        with pytest.raises(Invalid) as refused:
            cursor.decode(bad)
        assert set(refused.value.fields) == {"after"}, bad


# --- the API, over real HTTP -----------------------------------------------------------------------------------------

def test_api_answers_pages_in_order_with_the_next_cursor(http, org, book):
    rep1 = http("rep1")
    first = rep1.get("/api/v1/changes", params={"limit": 2})  # past the departments' and users' changes
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == {"items", "next"} and len(body["items"]) == 2
    collected, after = list(body["items"]), body["next"]
    while True:
        page = rep1.get("/api/v1/changes", params={"after": after, "limit": 3}).json()
        assert len(page["items"]) <= 3
        collected += page["items"]
        if page["next"] == after:
            assert page["items"] == []  # caught up: nothing, and the same cursor
            break
        after = page["next"]
    assert [{k: v for k, v in i.items() if k != "action_label"} for i in collected] == [
        {k: v for k, v in i.items() if k != "action_label"} for i in everything(org["rep1"])]
    mine = [i for i in collected if i["type"] == "opportunity"]
    assert {(i["id"], i["number"]) for i in mine} == {(book["a"].pk, book["a"].number)}
    assert set(mine[0]) == {"type", "id", "number", "action", "action_label", "at"}
    assert mine[0]["action_label"] and mine[0]["action_label"] != mine[0]["action"]


@pytest.mark.parametrize(("params", "field"), [
    ({"after": "not-a-cursor"}, "after"), ({"after": "123"}, "after"), ({"limit": 0}, "limit"),
    ({"limit": 501}, "limit"), ({"limit": "many"}, "limit"),
])
def test_api_refuses_a_bad_cursor_or_limit(http, org, params, field):
    response = http("rep1").get("/api/v1/changes", params=params)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]


def test_api_needs_a_signed_in_caller(http, org):
    assert http().get("/api/v1/changes").status_code == 401



@pytest.mark.parametrize("kind", types.TYPES, ids=lambda t: t.name)
def test_each_registered_type_answers_through_its_selector(org, kind):
    """Each line of the registry: its selector takes an actor and its number field exists."""
    assert list(kind.visible(org["admin"]).filter(pk__in=[0]).values_list("pk", kind.number or "pk")) == []
    assert len({t.name for t in types.TYPES}) == len({t.model for t in types.TYPES}) == len(types.TYPES)


def test_a_deactivated_user_reads_nothing(org, book):
    gone = org["rep1"]
    assert everything(gone)
    gone.is_active = False
    assert everything(gone) == []
