"""Deadlines: every module's dated duties of a user (submission and opening times, follow-ups due, bond refunds and
receivables due, review steps waiting), from providers registered at start-up. The calendar feed and the daily
digest read them here, so neither imports the modules that own the dates."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone


@dataclass(frozen=True)
class Deadline:
    uid: str                 # stable across feeds: "bid-12-submission"
    kind: str                # "bid.submission", "bond.refund", ...
    title: str               # translated, with the record's number
    at: datetime | date      # a moment (aware datetime) or a whole day
    url: str                 # the record's page (a path)
    description: str = ""

    @property
    def day(self) -> date:
        """The local day of the deadline (for "today" and "overdue")."""
        if isinstance(self.at, datetime):
            return timezone.localtime(self.at).date()
        return self.at


Provider = Callable[[object, date, date], Iterable[Deadline]]
_providers: list[Provider] = []


def provider(func: Provider) -> Provider:
    """Register `func(user, start, end) -> deadlines between the two days` (decorator; in AppConfig.ready())."""
    if func not in _providers:
        _providers.append(func)
    return func


def for_user(user, *, start: date, end: date) -> list[Deadline]:
    """Every deadline of `user` from `start` to `end` (days, both included), earliest first."""
    found = [d for func in _providers for d in func(user, start, end) if start <= d.day <= end]
    return sorted(found, key=lambda d: (d.day, isinstance(d.at, datetime),
                                        d.at.timestamp() if isinstance(d.at, datetime) else 0, d.uid))
