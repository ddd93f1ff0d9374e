"""Keeping the summary rows exact, in the transaction of each change.

A change to a sales record changes the facts of its opportunity (facts.py). Before the change the opportunity's
row is locked and its facts read; after it they are read again, and the difference is added to the summary rows
with one upsert each (`n = n + delta`, so concurrent writers never lose an update). The lock makes a second
writer of the same opportunity wait and then read the first one's committed facts as its "before".

What triggers it: save() and delete() of the records (model signals), and `core.changes.changing()` around the
QuerySet.update() and bulk writes of the services. Inside a changing() block the opportunity is held: the saves
within it are counted once, by the block. Only the figures a model's fields feed are recomputed (DEPENDS).
"""

import threading
from collections import Counter

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete, pre_save

from opsmon.bids.models import Bid, BidOpening, Bond, OpeningEntry
from opsmon.contracts.models import Contract
from opsmon.core.changes import rows_changed, rows_changing
from opsmon.opportunities.models import Opportunity
from opsmon.projects.models import Project

from . import facts
from .models import COMPANY, MEASURES, Daily, Monthly
from .verify import rebuild

# Which figures a model's rows feed (facts.FACTS): a change elsewhere leaves the other figures as they were.
DEPENDS = {
    Opportunity: ("opp", "pipeline", "project", "bid", "won", "decided", "contract", "stray"),
    Project: ("opp", "project"),
    Bid: ("opp", "bid", "won", "decided", "decided_owner", "bond", "competitor", "stray"),
    Bond: ("bond",),
    BidOpening: ("won", "competitor"),
    OpeningEntry: ("won", "competitor"),
    Contract: ("opp", "contract"),
}
OPPORTUNITY_OF = {  # the lookup from a model's rows to their opportunity's id
    Opportunity: "pk", Project: "opportunity_id", Bid: "opportunity_id", Bond: "bid__opportunity_id",
    BidOpening: "bid__opportunity_id", OpeningEntry: "opening__bid__opportunity_id", Contract: "opportunity_id",
}

_state = threading.local()


def _local():
    """This thread's state: `held`, the opportunities of the open changing() blocks, counted; `frames`, those
    blocks; `saves`, id(instance) → (its opportunity, its save's frame) (a new save of the same id replaces a
    failed one's)."""
    if not hasattr(_state, "held"):
        _state.held = Counter()
        _state.frames = []
        _state.saves = {}
    return _state


def opportunities_of(model, pks) -> list[int]:
    if model is Opportunity:
        return sorted(set(pks))
    if not pks:
        return []
    lookup = OPPORTUNITY_OF[model]
    return sorted({o for o in model.objects.filter(pk__in=list(pks)).values_list(lookup, flat=True) if o})


def _instance_opportunity(instance) -> int | None:
    model = type(instance)
    if model is Opportunity:
        return instance.pk
    if model in (Project, Bid, Contract):
        return instance.opportunity_id
    if model in (Bond, BidOpening):
        return Bid.objects.filter(pk=instance.bid_id).values_list("opportunity_id", flat=True).first()
    return BidOpening.objects.filter(pk=instance.opening_id).values_list("bid__opportunity_id", flat=True).first()


def _lock(ids: list[int]) -> None:
    """Lock the opportunities (in id order, so two writers never wait on each other crosswise)."""
    if ids and connection.in_atomic_block and connection.features.has_select_for_update:
        list(Opportunity.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _begin(ids: list[int], figures, *, hold: bool) -> tuple:
    held = _local().held
    ids = [i for i in ids if not held[i]]
    _lock(ids)
    if hold:
        for i in ids:
            held[i] += 1
    return ids, figures, (facts.of_opportunities(ids, figures) if ids else {}), hold


def _end(frame: tuple, extra_ids=(), *, failed: bool = False) -> None:
    ids, figures, before, hold = frame
    held = _local().held
    if hold:
        for i in ids:
            held[i] -= 1
    if failed:
        return
    new = [i for i in extra_ids if i not in ids and not held[i]]  # inserted: nothing of theirs before
    everything = sorted(set(ids) | set(new))
    if everything:
        apply(diff(before, facts.of_opportunities(everything, figures)))


def diff(before: dict, after: dict) -> dict:
    out = {}
    for name in set(before) | set(after):
        b, a = before.get(name, {}), after.get(name, {})
        changes = {key: facts.sub(a.get(key, facts.ZERO), b.get(key, facts.ZERO)) for key in set(a) | set(b)}
        out[name] = {k: v for k, v in changes.items() if any(v)}
    return out


def apply(changes: dict) -> None:
    """Add {figure: {key: measures}} to the daily and monthly rows, one upsert per row."""
    daily, monthly = [], Counter()
    for name, rows in changes.items():
        for (day, dept, owner, currency, k1, k2, k3), measures in rows.items():
            daily.append((name, day, dept, owner, currency, k1, k2, k3, *measures))
            for mdept in (dept, COMPANY):
                mkey = (name, facts.month_of(day), mdept, currency, k1, k2, k3)
                monthly[mkey] = facts.add(monthly.get(mkey, facts.ZERO), measures)
    if not daily:
        return
    _upsert(Daily, ("figure", "day", "department_id", "owner_id", "currency", "k1", "k2", "k3"), daily)
    _upsert(Monthly, ("figure", "month", "department_id", "currency", "k1", "k2", "k3"),
            [(*key, *measures) for key, measures in monthly.items() if any(measures)])


def _upsert(model, key: tuple, rows: list) -> None:
    if not rows:
        return
    # In key order: two writers sharing rows (the company's monthly rows, at least) then lock them in the same
    # order and one waits for the other instead of deadlocking (PostgreSQL saw this in CI).
    rows = sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row[: len(key)]))
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    columns = ", ".join(q(c) for c in (*key, *MEASURES))
    marks = ", ".join(["%s"] * (len(key) + len(MEASURES)))
    adds = ", ".join(f"{q(m)} = {table}.{q(m)} + excluded.{q(m)}" for m in MEASURES)
    sql = (f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608 - names only
           f"ON CONFLICT ({', '.join(q(c) for c in key)}) DO UPDATE SET {adds}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- the triggers ----------------------------------------------------------------------------------------

def _pre(sender, instance, **kwargs):
    opportunity = _instance_opportunity(instance)
    _local().saves[id(instance)] = (opportunity, _begin([opportunity] if opportunity else [], DEPENDS[sender],
                                                        hold=False))


def _post(sender, instance, **kwargs):
    opportunity, frame = _local().saves.pop(id(instance), (None, None))
    if sender is Opportunity:
        opportunity = instance.pk  # a new one has its id only now
    elif frame is None:  # no pre_save seen: look it up
        opportunity = _instance_opportunity(instance)
    _end(frame or ([], DEPENDS[sender], {}, False), [opportunity] if opportunity else [])


def _changing(sender, pks, **kwargs):
    if sender not in DEPENDS:
        return
    _local().frames.append((sender, _begin(opportunities_of(sender, pks), DEPENDS[sender], hold=True)))


def _changed(sender, pks, failed=False, **kwargs):
    if sender not in DEPENDS:
        return
    model, frame = _local().frames.pop()
    assert model is sender, "changing() blocks nest"
    _end(frame, [] if failed else opportunities_of(sender, pks), failed=failed)


def _fill_after_migrate(sender, **kwargs):
    """A database that has sales records but no summaries yet (an upgrade) gets them built once."""
    if sender.label != "summaries":
        return
    if not Daily.objects.exists() and Opportunity.objects.exists():
        with transaction.atomic():
            rebuild()


def connect() -> None:
    for model in DEPENDS:
        uid = f"summaries-{model.__name__}"
        pre_save.connect(_pre, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_post, sender=model, dispatch_uid=f"{uid}-post-save")
        pre_delete.connect(_pre, sender=model, dispatch_uid=f"{uid}-pre-delete")
        post_delete.connect(_post, sender=model, dispatch_uid=f"{uid}-post-delete")
    rows_changing.connect(_changing, dispatch_uid="summaries-changing")
    rows_changed.connect(_changed, dispatch_uid="summaries-changed")
    post_migrate.connect(_fill_after_migrate, dispatch_uid="summaries-fill")
