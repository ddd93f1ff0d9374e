"""Reminders: every module registers a provider of what is due for whom; notifications sends them (once per user,
text and day) from the daily job, so a lower module never imports notifications."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Due:
    recipient: object    # the user to remind
    text: str            # translated, with the record's number
    url: str


_providers: list[Callable[[datetime], Iterable[Due]]] = []


def provider(func: Callable[[datetime], Iterable[Due]]):
    """Register `func(now) -> reminders` (decorator; in AppConfig.ready())."""
    if func not in _providers:
        _providers.append(func)
    return func


def due(now: datetime) -> list[Due]:
    return [item for func in _providers for item in func(now)]
