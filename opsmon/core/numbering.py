"""Human-readable record numbers (SJ-2026-000123), unique and race-free on SQLite and PostgreSQL."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import NumberSequence


def _advance(kind: str, year: int, count: int) -> int:
    """Add `count` to the sequence in one UPDATE and answer the new last value."""
    with transaction.atomic():
        updated = NumberSequence.objects.filter(kind=kind, year=year).update(last=F("last") + count)
        if not updated:
            try:
                with transaction.atomic():  # savepoint: another caller may create the row first
                    NumberSequence.objects.create(kind=kind, year=year, last=count)
            except IntegrityError:
                NumberSequence.objects.filter(kind=kind, year=year).update(last=F("last") + count)
        return NumberSequence.objects.values_list("last", flat=True).get(kind=kind, year=year)


def next_number(kind: str, *, year: int | None = None) -> str:
    """Hand out the next number of `kind` for `year`.

    The UPDATE ... SET last = last + 1 takes the row lock (PostgreSQL) or the write lock
    (SQLite in IMMEDIATE mode), so two callers can never read the same value.
    """
    year = year or timezone.localdate().year
    last = _advance(kind, year, 1)
    return f"{kind}-{year}-{last:06d}"


def next_numbers(kind: str, count: int, *, year: int | None = None) -> list[str]:
    """Hand out `count` consecutive numbers of `kind` for `year` with one UPDATE (bulk imports).

    Race-free like `next_number`: the block last-count+1 .. last belongs to this caller alone.
    """
    if count <= 0:
        return []
    year = year or timezone.localdate().year
    last = _advance(kind, year, count)
    return [f"{kind}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]
