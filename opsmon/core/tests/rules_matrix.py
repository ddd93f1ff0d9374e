"""What every module's test_rules_matrix.py shares: trying a service without keeping its change, and reading the
action buttons a page shows."""

import re

from django.db import transaction

from opsmon.core.errors import ApplicationError


class Rollback(Exception):
    """Raised inside the savepoint so an accepted service call leaves nothing behind."""


def attempt(call, *args) -> ApplicationError | None:
    """None when `call(*args)` is accepted (its changes rolled back), else the refusal it raised."""
    try:
        with transaction.atomic():
            call(*args)
            raise Rollback
    except Rollback:
        return None
    except ApplicationError as error:
        return error


def buttons(html: str) -> set[str]:
    """The `data-action` names of a page's action buttons."""
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def assert_agrees(where: tuple, *, allowed: list[str], rule: ApplicationError | None,
                  error: ApplicationError | None, shown: set[str] | None) -> None:
    """For one action (`where[0]`): in `allowed` ⇔ the rule lets it ⇔ the service accepted it; a refusal is the
    rule's own (status and code); and, when the page was shown (`shown` not None), its button ⇔ allowed."""
    action = where[0]
    assert (action in allowed) is (rule is None) is (error is None), (*where, error and error.message)
    if error is not None:
        assert (error.status, error.code) == (rule.status, rule.code), (*where, error.message)
    if shown is not None:
        assert (action in shown) is (action in allowed), where
