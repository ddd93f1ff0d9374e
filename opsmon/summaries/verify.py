"""Rebuilding the summary rows from the records, and checking them against a recomputation."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from . import facts
from .models import COMPANY, MEASURES, Daily, Monthly

BATCH = 5000


def expected() -> tuple[dict, dict]:
    """The rows the records call for: ({daily key: measures}, {monthly key: measures}), zero rows left out."""
    daily, monthly = {}, Counter()
    for name, rows in facts.of_opportunities(None).items():
        for (day, dept, owner, currency, k1, k2, k3), measures in rows.items():
            if not any(measures):
                continue
            daily[(name, day, dept, owner, currency, k1, k2, k3)] = measures
            for mdept in (dept, COMPANY):
                mkey = (name, facts.month_of(day), mdept, currency, k1, k2, k3)
                monthly[mkey] = facts.add(monthly.get(mkey, facts.ZERO), measures)
    return daily, {k: v for k, v in monthly.items() if any(v)}


def stored() -> tuple[dict, dict]:
    daily = {row[:8]: tuple(row[8:]) for row in Daily.objects.values_list(
        "figure", "day", "department_id", "owner_id", "currency", "k1", "k2", "k3", *MEASURES).iterator(BATCH)}
    monthly = {row[:7]: tuple(row[7:]) for row in Monthly.objects.values_list(
        "figure", "month", "department_id", "currency", "k1", "k2", "k3", *MEASURES).iterator(BATCH)}
    return ({k: v for k, v in daily.items() if any(v)}, {k: v for k, v in monthly.items() if any(v)})


@dataclass(frozen=True)
class Difference:
    table: str
    key: tuple
    expected: tuple
    stored: tuple


def differences(limit: int | None = None) -> list[Difference]:
    """Every row whose stored sums differ from the recomputation (read in one transaction, so a writer cannot
    come between the two on PostgreSQL's repeatable snapshot)."""
    with transaction.atomic():
        want_daily, want_monthly = expected()
        have_daily, have_monthly = stored()
    out = []
    for table, want, have in (("daily", want_daily, have_daily), ("monthly", want_monthly, have_monthly)):
        for key in sorted(set(want) | set(have), key=repr):
            if want.get(key, facts.ZERO) != have.get(key, facts.ZERO):
                out.append(Difference(table, key, want.get(key, facts.ZERO), have.get(key, facts.ZERO)))
                if limit is not None and len(out) >= limit:
                    return out
    return out


@transaction.atomic
def rebuild() -> tuple[int, int]:
    """Replace every summary row by the recomputation; answers (daily rows, monthly rows)."""
    daily, monthly = expected()
    Daily.objects.all().delete()
    Monthly.objects.all().delete()
    Daily.objects.bulk_create(
        (Daily(figure=k[0], day=k[1], department_id=k[2], owner_id=k[3], currency=k[4], k1=k[5], k2=k[6], k3=k[7],
               **dict(zip(MEASURES, v, strict=True))) for k, v in daily.items()), batch_size=BATCH)
    Monthly.objects.bulk_create(
        (Monthly(figure=k[0], month=k[1], department_id=k[2], currency=k[3], k1=k[4], k2=k[5], k3=k[6],
                 **dict(zip(MEASURES, v, strict=True))) for k, v in monthly.items()), batch_size=BATCH)
    return len(daily), len(monthly)
