"""What the pages of every reviewed record share about a step's decision (the forms post `decision`)."""

from django.utils.translation import gettext as _

from .choices import Decision


def posted_decision(request, *, returned_to: str, rejected: str = "") -> tuple[str, str]:
    """(decision, the message after it) of a step's form: approve, return or reject as posted. Anything else is
    passed on as it came, for the engine to refuse (422 on `decision`): a forged value is never read as approve."""
    decision = request.POST.get("decision", "")
    messages = {Decision.APPROVE: _("Approved."), Decision.RETURN: returned_to, Decision.REJECT: rejected or _(
        "Rejected.")}
    return decision, messages.get(decision, "")
