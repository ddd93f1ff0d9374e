"""May this viewer decide this step now? The one answer the service raises and the pages and the API draw from."""

from django.utils.translation import gettext as _

from opsmon.core.errors import Conflict, NotFound, PermissionDenied
from opsmon.core.rules import Refusal

from . import kinds
from .choices import Decision, ReviewStatus, StepStatus
from .models import ReviewStep


def pk_of(value):
    """A user or a user id as the id (kinds may answer either)."""
    return getattr(value, "pk", value)


def subject_of(review):
    """The subject of a round, through its kind's model (cached on the round)."""
    if not hasattr(review, "_subject"):
        review._subject = kinds.get(review.kind).model.objects.filter(pk=review.subject_id).first()
    return review._subject


def excluded(kind: kinds.Kind, subject) -> set:
    """Who never decides a step on `subject`: its owner and whoever proposed it."""
    return {pk for pk in (pk_of(kind.owner(subject)), pk_of(kind.proposer(subject))) if pk is not None}


def can_decide(viewer, step: ReviewStep | None, *, subject=None, decision: str = "") -> Refusal:
    """404 no such step; 403 the subject's owner or proposer, or not a decider of the step; 409 the step is not
    waiting, or the viewer already decided it, or `decision` is "return" on a kind that does not allow it. Reads
    `step.deciders.all()` (prefetch it for a page)."""
    if step is None:
        return NotFound()
    kind = kinds.get(step.review.kind)
    subject = subject if subject is not None else subject_of(step.review)
    if viewer.pk == pk_of(kind.owner(subject)):
        return PermissionDenied(str(kinds.text(kind, "own")), code=kind.texts.get("own_code", "own_record"))
    if viewer.pk == pk_of(kind.proposer(subject)):
        return PermissionDenied(str(kinds.text(kind, "proposed")), code="own_proposal")
    mine = next((d for d in step.deciders.all() if d.user_id == viewer.pk), None)
    if mine is None:
        return PermissionDenied(_("You are not a decider of this step."), code="not_decider")
    if step.status != StepStatus.CURRENT or step.review.status != ReviewStatus.IN_REVIEW:
        return Conflict(_("This step is not waiting for a decision."), code="not_current")
    if mine.decision:
        return Conflict(_("You have already decided this step."), code="already_decided")
    if decision == Decision.RETURN and not kind.allows_return:
        return Conflict(str(kinds.text(kind, "no_return")), code="no_return")
    return None


def can_return(viewer, step: ReviewStep | None, *, subject=None) -> Refusal:
    """can_decide for the decision "return" (409 on kinds that do not allow it)."""
    return can_decide(viewer, step, subject=subject, decision=Decision.RETURN)


def can_configure_routes(viewer) -> Refusal:
    return None if viewer.has_role("admin") else PermissionDenied()
