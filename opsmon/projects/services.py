"""Commands on projects."""

from opsmon.core import timeline
from opsmon.core.numbering import next_number

from .models import Project


def project_create_from_opportunity(*, actor, opportunity) -> Project:
    """The project a conversion starts: the opportunity's customer, amount and team, awaiting a technical lead."""
    project = Project.objects.create(
        number=next_number("LX"), opportunity=opportunity, title=opportunity.title, customer=opportunity.customer,
        estimated_amount=opportunity.estimated_amount, currency=opportunity.currency, owner=opportunity.owner,
        department=opportunity.department,
    )
    project.members.set(opportunity.members.all())
    timeline.record(project, actor=actor, action="project.created", to_status=project.status,
                    comment=opportunity.number)
    return project
