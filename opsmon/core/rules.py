"""The shape every module's `rules.py` shares: one function per action answering "may this viewer do this action
on this record now?" with the refusal (the ApplicationError the service raises) or None.

A module declares `TRANSITIONS` (action → (allowed from-states, to-state)) and `RULES` (action → check). Services
start with `refuse(rules.can_x(actor, record))`; pages draw their buttons and the API answers `allowed_actions`
from `allowed(RULES, viewer, record)`; nothing else decides. See docs/architecture.md.
"""

from collections.abc import Callable, Iterable, Mapping

from django.utils.translation import gettext as _

from .errors import ApplicationError, Conflict

Refusal = ApplicationError | None
Rule = Callable[..., Refusal]


def refuse(refusal: Refusal) -> None:
    """Raise the refusal a rule answered, if any (the first line of a service)."""
    if refusal is not None:
        raise refusal


def first(*refusals: Refusal) -> Refusal:
    """The first refusal of several checks, in the order given (cheap checks first)."""
    return next((r for r in refusals if r is not None), None)


def state_refusal(record, sources: Iterable[str]) -> Refusal:
    """409 `wrong_state` unless `record.status` is one of `sources`."""
    if record.status in sources:
        return None
    return Conflict(_("Not possible while the record is “%(status)s”.") % {"status": record.get_status_display()},
                    code="wrong_state")


def in_state(record, action: str, transitions: Mapping[str, tuple]) -> Refusal:
    """409 unless `record` is in one of the from-states of `transitions[action]`."""
    return state_refusal(record, transitions[action][0])


def allowed(rules: Mapping[str, Rule], viewer, record, **context) -> list[str]:
    """The actions of `rules` whose check lets `viewer` fire them on `record` now, in the table's order."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    return [name for name, rule in rules.items() if rule(viewer, record, **context) is None]
