"""What each summary row counts: the facts of the sales records, one definition per figure, grouped in the
database. The same definitions build the rows (rebuild), check them (verify), keep them current after a change
(maintain: the facts of one opportunity before and after), and count the few records of a viewer's scope that
the rows cannot answer (read.py). So the summaries and a recomputation can never count differently.

Every fact belongs to one opportunity (a project, bid, bond, opening or contract through its opportunity): that
is the unit maintain.py recomputes. A fact's key is (figure, day, department, owner, currency, k1, k2, k3);
its measures are MEASURES (models.py).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Case, CharField, Count, DateField, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from opsmon.bids.choices import VOIDED, BidStatus, BondKind, BondStatus
from opsmon.bids.models import Bid, BidOpening, Bond, OpeningEntry
from opsmon.bids.selectors import stray_q
from opsmon.contracts.models import Contract
from opsmon.core.sums import cents_sql, exact, money_sum
from opsmon.opportunities.choices import EDITABLE, Outcome
from opsmon.opportunities.models import Opportunity
from opsmon.projects.models import Project

NO_DAY = date(1900, 1, 1)  # the day of a fact that has none (a bond not paid): counted by status only
ZERO = (0, 0, 0, 0, 0)

# The cohort: how far an opportunity created in the period got, each stage including the ones after it.
REACH = ("created", "converted", "bid", "won", "signed")


@dataclass(frozen=True)
class Fact:
    name: str
    model: type
    opportunity: str               # the lookup of the record's opportunity id
    day: object                    # an expression of the record's day
    keys: dict = field(default_factory=dict)   # k1..k3 → expressions
    where: Q = field(default_factory=Q)         # which records have this fact
    department: str = "department_id"
    owner: str = "owner_id"
    currency: str = "currency"
    scope: str = "opportunities"   # whose visibility rule applies (read.py)
    amount: str = ""               # the field a1 sums (in cents)
    weighted: bool = False         # a2 sums amount × probability (cents × per cent)


def created_day():
    return TruncDate("created_at", tzinfo=timezone.get_current_timezone())


def _reach():
    signed = Exists(Contract.objects.filter(opportunity=OuterRef("pk"), signed_on__isnull=False))
    won = Exists(Bid.objects.filter(opportunity=OuterRef("pk"), status=BidStatus.WON))
    bid = Exists(Bid.objects.filter(opportunity=OuterRef("pk")))
    project = Exists(Project.objects.filter(opportunity=OuterRef("pk")))
    return Case(When(signed, then=Value("signed")), When(won | Q(outcome=Outcome.WON), then=Value("won")),
                When(bid, then=Value("bid")), When(project, then=Value("converted")), default=Value("created"),
                output_field=CharField())


def _bond_basis():
    return Case(When(~Q(status=BondStatus.PAID), then=Value("")),
                When(kind=BondKind.PERFORMANCE, due_on__isnull=False, then=Value("due")),
                When(kind=BondKind.PERFORMANCE, then=Value("")),
                When(bid__contract_signed_on__isnull=False, then=Value("signed")),
                When(bid__status__in=list(VOIDED), bid__result_known_on__isnull=False, then=Value("voided")),
                default=Value(""), output_field=CharField())


def _bond_day():
    """The day the refund clock starts from (bids.selectors.refund_due_on less its offset): read.py shifts it."""
    return Case(When(~Q(status=BondStatus.PAID), then=Value(NO_DAY)),
                When(kind=BondKind.PERFORMANCE, due_on__isnull=False, then=F("due_on")),
                When(kind=BondKind.PERFORMANCE, then=Value(NO_DAY)),
                When(bid__contract_signed_on__isnull=False, then=F("bid__contract_signed_on")),
                When(bid__status__in=list(VOIDED), bid__result_known_on__isnull=False,
                     then=F("bid__result_known_on")),
                default=Value(NO_DAY), output_field=DateField())


DECIDED = [BidStatus.WON, BidStatus.LOST, BidStatus.ABANDONED]

FACTS = {f.name: f for f in [
    # Funnel stage 1, the cohort and the sales' outcomes: n1 opportunities, a1 estimated amount.
    Fact("opp", Opportunity, "pk", created_day(), {"k1": F("outcome"), "k2": _reach()},
         amount="estimated_amount"),
    # Pipeline: open opportunities by expected close day and stage; a2 = Σ cents × probability.
    Fact("pipeline", Opportunity, "pk", F("expected_close_date"), {"k1": F("stage")},
         amount="estimated_amount", weighted=True,
         where=Q(status__in=list(EDITABLE))),
    Fact("project", Project, "opportunity_id", created_day(), {"k1": F("opportunity__outcome")}, scope="projects",
         amount="estimated_amount"),
    Fact("bid", Bid, "opportunity_id", created_day(), {"k1": F("opportunity__outcome")}, scope="bids",
         amount="estimated_price"),
    # Won bids by the day the result became known; n2 counts our opening rows and a1 sums our price there.
    Fact("won", Bid, "opportunity_id", F("result_known_on"), {"k1": F("opportunity__outcome")},
         where=Q(status=BidStatus.WON, result_known_on__isnull=False), scope="bids"),
    Fact("decided", Bid, "opportunity_id", F("result_known_on"),
         {"k1": F("status"), "k2": F("opportunity__industry"), "k3": F("tender_method")},
         where=Q(status__in=DECIDED, result_known_on__isnull=False), scope="bids"),
    # The same by sales rep, so a month without owners (Monthly) still answers "by rep".
    Fact("decided_owner", Bid, "opportunity_id", F("result_known_on"),
         {"k1": F("status"), "k2": Cast("owner_id", CharField())},
         where=Q(status__in=DECIDED, result_known_on__isnull=False), scope="bids"),
    Fact("contract", Contract, "opportunity_id", F("signed_on"), {"k1": F("opportunity__outcome")},
         where=Q(signed_on__isnull=False), scope="contracts", amount="amount"),
    Fact("bond", Bond, "bid__opportunity_id", _bond_day(),
         {"k1": F("kind"), "k2": F("status"), "k3": _bond_basis()},
         department="bid__department_id", owner="bid__owner_id", scope="bids", amount="amount"),
    # Bids that are not their opportunity's owner's or department's (bids.selectors.stray_q), under the
    # opportunity's owner and department: read.py adds them to the scope of whoever sees the opportunity.
    Fact("stray", Bid, "opportunity_id", Value(NO_DAY, output_field=DateField()),
         {"k1": Cast("pk", CharField())}, where=stray_q(), department="opportunity__department_id",
         owner="opportunity__owner_id", scope="bids"),
    # Competitors (raw SQL below): k1 the other bidder; n1 met, n2 we ranked above them, n3 they won,
    # a1 our price and a2 theirs, summed over the openings.
    Fact("competitor", Bid, "opportunity_id", F("result_known_on"),
         where=Q(status__in=[BidStatus.WON, BidStatus.LOST], result_known_on__isnull=False), scope="bids"),
]}


def records(fact: Fact, opportunity_ids: Iterable[int] | None = None):
    """The records that have `fact`, all of them or those of the given opportunities."""
    qs = fact.model.objects.filter(fact.where)
    if opportunity_ids is not None:
        qs = qs.filter(**{f"{fact.opportunity}__in": list(opportunity_ids)})
    return qs


def _cents(value) -> int:
    return int((exact(value) * 100).to_integral_value())


def _cent_percent(value) -> int:
    return int((exact(value, times=True) * 10000).to_integral_value())


def rows(fact: Fact, queryset, *, first: date | None = None, last: date | None = None) -> Counter:
    """{key: measures} of `queryset` (records of fact.model, already narrowed to fact.where or more), the days
    limited to [first, last] when given. key = (day, department, owner, currency, k1, k2, k3)."""
    if fact.name == "competitor":
        return _competitor_rows(queryset, first, last)
    qs = queryset.order_by().annotate(s_day=fact.day)
    if first is not None:
        qs = qs.filter(s_day__gte=first)
    if last is not None:
        qs = qs.filter(s_day__lte=last)
    keys = {f"s_{k}": e for k, e in fact.keys.items()}
    measures = {"s_n1": Count("*")}
    if fact.name == "won":
        qs = qs.annotate(s_us=Subquery(OpeningEntry.objects.filter(opening__bid=OuterRef("pk"), is_us=True)
                                       .values("price")[:1]))
        measures |= {"s_n2": Count("s_us"), "s_a1": money_sum("s_us")}
    elif fact.amount:
        measures["s_a1"] = money_sum(fact.amount)
    if fact.weighted:
        measures["s_a2"] = money_sum(fact.amount, times="probability")
    grouped = qs.values("s_day", s_dept=F(fact.department), s_owner=F(fact.owner), s_cur=F(fact.currency),
                        **keys).annotate(**measures)
    out: Counter = Counter()
    for r in grouped:
        key = (r["s_day"], r["s_dept"] or 0, r["s_owner"] or 0, r["s_cur"],
               r.get("s_k1") or "", r.get("s_k2") or "", r.get("s_k3") or "")
        a1 = _cents(r["s_a1"]) if "s_a1" in r else 0
        a2 = _cent_percent(r["s_a2"]) if "s_a2" in r else 0
        out[key] = add(out.get(key, ZERO), (r["s_n1"], r.get("s_n2", 0), 0, a1, a2))
    return out


def _competitor_rows(bids, first, last) -> Counter:
    """Each other bidder met in the openings of `bids`, as insights' competitor table counts them."""
    if first is not None:
        bids = bids.filter(result_known_on__gte=first)
    if last is not None:
        bids = bids.filter(result_known_on__lte=last)
    bid_sql, params = bids.order_by().values("pk").query.sql_with_params()
    q = connection.ops.quote_name
    entry, opening, bid = q(OpeningEntry._meta.db_table), q(BidOpening._meta.db_table), q(Bid._meta.db_table)
    sql = f"""
        SELECT b.result_known_on, b.department_id, b.owner_id, b.currency, t.bidder, COUNT(*),
               SUM(CASE WHEN u.{q('rank')} < t.{q('rank')} THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.winner = t.bidder THEN 1 ELSE 0 END),
               SUM({cents_sql('u.price')}), SUM({cents_sql('t.price')})
        FROM {entry} t
        JOIN {entry} u ON u.opening_id = t.opening_id AND u.is_us = %s
        JOIN {opening} o ON o.id = t.opening_id
        JOIN {bid} b ON b.id = o.bid_id
        WHERE t.is_us = %s AND o.bid_id IN ({bid_sql})
        GROUP BY b.result_known_on, b.department_id, b.owner_id, b.currency, t.bidder"""  # noqa: S608 - names only
    out: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, False, *params])
        for day, dept, owner, currency, bidder, met, beaten, they_won, ours, theirs in cursor.fetchall():
            if isinstance(day, str):  # SQLite's raw cursor answers dates as text
                day = date.fromisoformat(day)
            out[(day, dept or 0, owner or 0, currency, bidder, "", "")] = (
                met, beaten, they_won, _cents(ours), _cents(theirs))
    return out


def add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def sub(a: tuple, b: tuple) -> tuple:
    return tuple(x - y for x, y in zip(a, b, strict=True))


def of_opportunities(opportunity_ids: Iterable[int] | None = None, figures=None) -> dict[str, Counter]:
    """{figure: {key: measures}} of the given opportunities and everything under them (None: of all), for every
    figure or those named."""
    ids = None if opportunity_ids is None else list(opportunity_ids)
    return {name: rows(FACTS[name], records(FACTS[name], ids)) for name in (figures or FACTS)}


def month_of(day: date) -> date:
    return day.replace(day=1)
