"""Resource request and effort log actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

SUBMITTED = register_event("resource_request.submitted", _("Resource request submitted"))
GRANTED = register_event("resource_request.granted", _("Resource request granted"))
REFUSED = register_event("resource_request.refused", _("Resource request refused"))

# Every timeline action the module writes (services, core.workflow.transition and the approvals engine's
# "<record>.step_approved"), and the notification kinds it sends.
register("resourcerequest.filed", _("Resource request filed"))
register("resourcerequest.updated", _("Resource request edited"))
register("resourcerequest.submit", _("Resource request submitted"), webhook=SUBMITTED)
register("resourcerequest.step_approved", _("Review step approved"))
register("resourcerequest.figures_set", _("Granted figures set"))
register("resourcerequest.granted", _("Resources granted"), webhook=GRANTED)
register("resourcerequest.refused", _("Resource request refused"), webhook=REFUSED)
register("resourcerequest.reopen", _("Reopened as a draft"))
register("project.effort_logged", _("Effort logged"))
