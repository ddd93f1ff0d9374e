"""Checks every bid command shares."""

from django.utils.translation import gettext as _

from opsmon.core.errors import Conflict, PermissionDenied

from .. import permissions


def require_open(bid) -> None:
    """Voided (lost/abandoned) and closed bids refuse every change."""
    if bid.closed:
        raise Conflict(_("The bid is closed; nothing can change any more."), code="bid_closed")
    if bid.voided:
        raise Conflict(_("The bid is voided (lost or abandoned) and read-only."), code="bid_voided")


def require_worker(actor, bid) -> None:
    if not permissions.can_work(actor, bid):
        raise PermissionDenied(_("Only the bid's team, the department head or the bid assistant may do this."))


def require_result_keeper(actor, bid) -> None:
    if not permissions.can_record_results(actor, bid):
        raise PermissionDenied(_("Only the bid's owner or his department head records results."))
