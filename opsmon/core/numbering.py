"""Human-readable record numbers (SJ-2026-000123), unique and race-free on SQLite and PostgreSQL."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import NumberSequence


def next_number(kind: str, *, year: int | None = None) -> str:
    """Hand out the next number of `kind` for `year`.

    The UPDATE ... SET last = last + 1 takes the row lock (PostgreSQL) or the write lock
    (SQLite in IMMEDIATE mode), so two callers can never read the same value.
    """
    year = year or timezone.localdate().year
    with transaction.atomic():
        updated = NumberSequence.objects.filter(kind=kind, year=year).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():  # savepoint: another caller may create the row first
                    NumberSequence.objects.create(kind=kind, year=year, last=1)
            except IntegrityError:
                NumberSequence.objects.filter(kind=kind, year=year).update(last=F("last") + 1)
        last = NumberSequence.objects.values_list("last", flat=True).get(kind=kind, year=year)
    return f"{kind}-{year}-{last:06d}"
