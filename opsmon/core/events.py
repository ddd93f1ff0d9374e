"""The one registry of actions and events, with their labels (zh-Hans and English through gettext), and the one
way a module tells the others that something happened.

- Every timeline action and webhook event is declared once, by the module that writes it, in its `events.py`
  (`register("bid.mark_won", _("Won"), webhook="bid.won")`). The timeline, notifications, the webhook admin and
  the inbox read labels from here: a user never sees a raw key.
- `publish()` runs inside the caller's transaction and hands the event to every subscriber: integrations queues
  the webhooks, notifications writes the in-app messages. Lower modules publish; higher ones subscribe in their
  AppConfig.ready(), so no module imports upwards to tell the others.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Action:
    key: str                 # "bid.mark_won": what the timeline stores
    label: object            # lazy translated text
    webhook: str = ""        # the outbound event it fires, if any ("bid.won")


@dataclass(frozen=True)
class Event:
    key: str                 # "bid.won": what webhooks carry
    label: object


_actions: dict[str, Action] = {}
_events: dict[str, Event] = {}


def register(key: str, label, *, webhook: str = "") -> str:
    """Declare a timeline action (and the webhook event it fires); answers the key. Declaring a key twice with
    another label is a bug caught at start-up."""
    known = _actions.get(key)
    if known is not None and str(known.label) != str(label):
        raise RuntimeError(f"action {key} declared twice")
    _actions[key] = Action(key, label, webhook)
    return key


def register_event(key: str, label) -> str:
    """Declare an outbound event (webhooks) with its label; answers the key."""
    _events[key] = Event(key, label)
    return key


def is_action(key: str) -> bool:
    return key in _actions


def label(key: str) -> str:
    """The translated label of an action or event. An undeclared key (an old row, a removed action) is shown as
    a plain word, never as the key itself."""
    found = _actions.get(key) or _events.get(key)
    return str(found.label) if found is not None else _("Record changed")


def actions() -> list[Action]:
    return list(_actions.values())


def webhook_events() -> list[tuple[str, str]]:
    """(key, label) of every outbound event, for the webhook admin's choices."""
    return [(e.key, e.label) for e in _events.values()]


@dataclass
class Published:
    """One happening handed to the subscribers."""

    key: str                                  # an event key ("bid.won") or an action key
    id: uuid.UUID
    subject: object = None                    # the record it is about
    data: dict = field(default_factory=dict)  # the webhook payload's data
    recipients: list = field(default_factory=list)  # users to tell in the app
    text: str = ""                            # what to tell them (translated by the caller)
    url: str = ""
    outbound: bool = True                     # False for a notice: it fires no webhook even if its key names one


_subscribers: list[Callable[[Published], None]] = []


def subscribe(receiver: Callable[[Published], None]) -> Callable:
    """Add a receiver of every published event (decorator; in AppConfig.ready())."""
    if receiver not in _subscribers:
        _subscribers.append(receiver)
    return receiver


def publish(key: str, *, subject=None, data: dict | None = None, notify: Iterable = (), text: str = "",
            url: str = "", outbound: bool = True) -> uuid.UUID:
    """Tell every subscriber, inside the caller's transaction (the outbox rows and notifications exist exactly when
    the change does); answers the event's id (the hand-off id of a routed project)."""
    happening = Published(key=key, id=uuid.uuid4(), subject=subject, data=data or {},
                          recipients=[u for u in notify if u is not None], text=text, url=url, outbound=outbound)
    for receiver in _subscribers:
        receiver(happening)
    return happening.id


def notify(recipients: Iterable, *, text: str, url: str = "", kind: str = "notice") -> None:
    """Tell users something, with no outbound event (e.g. "the review waits for you"). `kind` is the declared action
    it comes from, so each user's channel choice for that kind applies (notifications)."""
    publish(kind, notify=recipients, text=text, url=url, outbound=False)
