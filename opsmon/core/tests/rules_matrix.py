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
