"""Reading the summaries for one viewer: his scope, a period, a currency and a department, summed by what the
figure needs.

The scope is the module's selector (visible_opportunities, …), never restated here. It is answered in parts:
- a viewer who sees every record: every row (by month where whole months are asked, by day at the edges);
- a viewer who sees few records (up to LIMIT): the facts of those records, counted from the records themselves;
- anyone else: the rows of his own records (owner) and, for a head, of his departments; plus the facts of the
  records he sees for another reason (a team, a project he leads), counted from the records — the selector
  minus what the rows already hold, so nothing is counted twice and nothing he may not see is counted.
"""

from calendar import monthrange
from collections import Counter
from datetime import date, timedelta

from django.db.models import Q, Sum

from opsmon.accounts.viewer import viewer_of
from opsmon.bids.selectors import visible_bids
from opsmon.contracts.selectors import visible_contracts
from opsmon.opportunities.selectors import visible_opportunities
from opsmon.projects.selectors import visible_projects

from . import facts
from .models import COMPANY, MEASURES, Daily, Monthly

LIMIT = 500  # a viewer who sees this few records is counted from the records
SELECTORS = {"opportunities": visible_opportunities, "projects": visible_projects, "bids": visible_bids,
             "contracts": visible_contracts}
KEY_COLUMNS = {"day": 0, "department": 1, "owner": 2, "currency": 3, "k1": 4, "k2": 5, "k3": 6}


class Scope:
    """A viewer's records of one module, split into what the rows answer and what the records must."""

    def __init__(self, actor, module: str):
        visible = SELECTORS[module](actor)
        self.everything = False
        self.owner = None
        self.departments: list[int] = []
        self.records = None  # the records counted from the base tables (None: none)
        if visible.query.is_empty():  # he sees nothing
            return
        if not visible.query.where:  # the selector filters nothing: he sees every record
            self.everything = True
            return
        viewer = viewer_of(actor)
        if viewer.head_departments is None:  # a head sees his departments: too many to list, never asked
            few = list(visible.order_by().values_list("pk", flat=True)[: LIMIT + 1])
            if len(few) <= LIMIT:
                self.records = visible.model.objects.filter(pk__in=few) if few else None
                return
        self.owner = viewer.pk
        self.departments = list(viewer.head_departments or [])
        covered = Q(owner=self.owner) | Q(department__in=self.departments)
        # What he sees beyond his own and his departments' records (a team, a project he leads): usually a few,
        # read once, then written into each figure's query. The selector's own parts, never a second rule.
        beyond = SELECTORS[module](actor, beyond=True)
        if module == "bids":  # the bids of his own and his departments' opportunities that the rows miss
            strays = Daily.objects.filter(Q(department_id__in=self.departments) | Q(owner_id=self.owner),
                                          figure="stray", n1__gt=0).values_list("k1", flat=True)
            beyond = visible.model.objects.filter(Q(pk__in=beyond.values("pk")) | Q(pk__in=[int(k) for k in strays]))
        beyond = beyond.exclude(covered)
        extra = list(beyond.order_by().values_list("pk", flat=True)[: LIMIT + 1])
        if len(extra) <= LIMIT:
            self.records = visible.model.objects.filter(pk__in=extra) if extra else None
        else:
            self.records = beyond


    def q(self, prefix: str = "") -> Q:
        """The records of this scope as a filter (`prefix`: the path to them, "bid__" from a bond): the rows'
        part by owner and department, the rest by id."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.owner is not None:
            q |= Q(**{f"{prefix}owner": self.owner}) | Q(**{f"{prefix}department__in": self.departments})
        if self.records is not None:
            q |= Q(**{f"{prefix}pk__in": self.records.values("pk")})
        return q


def scope_of(actor, module: str, scopes: dict | None = None) -> Scope:
    """The viewer's Scope of one module, worked out once per `scopes` dict."""
    scopes = {} if scopes is None else scopes
    if module not in scopes:
        scopes[module] = Scope(actor, module)
    return scopes[module]


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def split_period(first: date | None, last: date | None) -> tuple[tuple | None, list[tuple]]:
    """((first whole month, last whole month) of [first, last], or None when it holds none; the day ranges
    around them). None for `first` or `last`: open on that side."""
    low = first if first is None or first.day == 1 else _month_end(first) + timedelta(days=1)
    high = last if last is None or last == _month_end(last) else last.replace(day=1) - timedelta(days=1)
    low_month = low.replace(day=1) if low is not None else None
    high_month = high.replace(day=1) if high is not None else None
    if low_month is not None and high_month is not None and low_month > high_month:
        return None, [(first, last)]
    edges = []
    if first is not None and first != low:
        edges.append((first, low - timedelta(days=1)))
    if last is not None and last != high:
        edges.append((high + timedelta(days=1), last))
    return (low_month, high_month), edges


def sums(figure: str, *, actor, currency: str, first: date | None = None, last: date | None = None,
         departments: list[int] | None = None, by: tuple = ("k1",), match: dict | None = None,
         scopes: dict | None = None) -> Counter:
    """{(values of `by`): measures} of `figure` over the viewer's scope. `by` names key columns (day, month,
    department, owner, k1, k2, k3); `match` narrows on them ({"k2": "paid", "k3__in": [...]}). `scopes`: a
    dict the caller keeps for one computation, so the scope of a module is worked out once for several sums."""
    fact = facts.FACTS[figure]
    scope = scope_of(actor, fact.scope, scopes)
    match = match or {}
    out: Counter = Counter()
    if scope.everything or scope.owner is not None:
        _from_rows(out, figure, scope, currency, first, last, departments, by, match)
    if scope.records is not None:
        _from_records(out, fact, scope.records, currency, first, last, departments, by, match)
    return Counter({key: m for key, m in out.items() if any(m)})


def _rows(model, figure, currency, departments, match, extra: Q):
    # rows whose records all went elsewhere stay behind as zeros (an upsert never deletes): left out
    qs = model.objects.filter(extra, figure=figure, currency=currency, **match).exclude(n1=0, n2=0, n3=0, a1=0, a2=0)
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    return qs


def _fold(out: Counter, qs, by_columns: list[str], by: tuple, month_of=None) -> None:
    """Add the rows of `qs`, summed in the database by `by_columns`, to `out`."""
    sums = {f"s_{m}": Sum(m) for m in MEASURES}
    for row in qs.values_list(*by_columns).annotate(**sums).values_list(*by_columns, *sums):
        key = row[: len(by_columns)]
        if month_of is not None:
            key = tuple(month_of(v) if name == "month" else v for name, v in zip(by, key, strict=True))
        out[key] = facts.add(out.get(key, facts.ZERO), tuple(int(v or 0) for v in row[len(by_columns):]))


def _columns(by: tuple, table: str) -> list[str]:
    names = {"day": "day", "month": "month" if table == "monthly" else "day", "department": "department_id",
             "owner": "owner_id", "currency": "currency", "k1": "k1", "k2": "k2", "k3": "k3"}
    return [names[b] for b in by]


def _from_rows(out, figure, scope: Scope, currency, first, last, departments, by, match) -> None:
    by_day = "day" in by or "owner" in by
    months, edges = (None, [(first, last)]) if by_day else split_period(first, last)
    if scope.everything:
        whole, mine = Q(), None
        # every department: the months' company rows, unless asked by department or for some of them
        company = departments is None and "department" not in by
    else:
        whole = Q(department_id__in=scope.departments)
        mine = Q(owner_id=scope.owner) & ~Q(department_id__in=scope.departments)
        company = False
    month_start = (lambda d: d.replace(day=1)) if "month" in by else None

    def days(q: Q, ranges) -> None:
        for a, b in ranges:
            period = Q()
            if a is not None:
                period &= Q(day__gte=a)
            if b is not None:
                period &= Q(day__lte=b)
            _fold(out, _rows(Daily, figure, currency, departments, match, q & period).order_by(),
                  _columns(by, "daily"), by, month_start)

    if scope.everything or scope.departments:
        if months is not None:
            low, high = months
            period = Q()
            if low is not None:
                period &= Q(month__gte=low)
            if high is not None:
                period &= Q(month__lte=high)
            which = Q(department_id=COMPANY) if company else whole & ~Q(department_id=COMPANY)
            _fold(out, _rows(Monthly, figure, currency, departments, match, which & period).order_by(),
                  _columns(by, "monthly"), by)
        days(whole, edges)
    if mine is not None:
        days(mine, [(first, last)])


def _from_records(out, fact, visible, currency, first, last, departments, by, match) -> None:
    if fact.model is visible.model:
        records = facts.records(fact).filter(pk__in=visible.values("pk"))
    else:  # bonds: of the visible bids
        records = facts.records(fact).filter(bid__in=visible.values("pk"))
    records = records.filter(**{fact.currency: currency})
    if departments is not None:
        records = records.filter(**{f"{fact.department}__in": departments})
    for key, measures in facts.rows(fact, records, first=first, last=last).items():
        values = dict(zip(("day", "department", "owner", "currency", "k1", "k2", "k3"), key, strict=True))
        if not _matches(values, match):
            continue
        values["month"] = values["day"].replace(day=1)
        folded = tuple(values[b] for b in by)
        out[folded] = facts.add(out.get(folded, facts.ZERO), measures)


def _matches(values: dict, match: dict) -> bool:
    for lookup, wanted in match.items():
        name, _, op = lookup.partition("__")
        if (values[name] in wanted) if op == "in" else (values[name] == wanted):
            continue
        return False
    return True
