"""The work inbox (我的待办): every module registers a provider of items waiting for a user."""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime


@dataclass(frozen=True)
class InboxItem:
    kind: str            # stable code, e.g. "opportunity.decide_conversion"
    label: str           # what to do, translated
    title: str           # the record's number and title
    url: str             # its web page
    record_type: str
    record_id: int
    since: datetime

    def as_dict(self) -> dict:
        return asdict(self)


_providers: list[Callable[[object], Iterable[InboxItem]]] = []


def provider(func: Callable[[object], Iterable[InboxItem]]):
    """Register `func(actor) -> items` (decorator); modules do this in their AppConfig.ready()."""
    _providers.append(func)
    return func


def items_for(actor) -> list[InboxItem]:
    """Everything waiting for `actor`, oldest first."""
    out = [item for func in _providers for item in func(actor)]
    return sorted(out, key=lambda i: i.since)
