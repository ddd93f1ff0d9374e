"""The opportunity module's dated duties for the calendar feed and the digest (core.deadlines): follow-ups due."""

from datetime import date

from django.utils.translation import gettext as _

from opsmon.core.deadlines import Deadline, provider

from .models import Opportunity

OPEN_OPPORTUNITY = ("tracking", "conversion_requested")


@provider
def follow_ups_due(user, start: date, end: date):
    """The next follow-up of each open opportunity the user owns."""
    for o in Opportunity.objects.filter(owner=user.pk, status__in=OPEN_OPPORTUNITY,
                                        next_followup_on__range=(start, end)):
        yield Deadline(f"opportunity-{o.pk}-follow-up", "opportunity.follow_up",
                       _("Follow-up due: %(n)s %(t)s") % {"n": o.number, "t": o.title},
                       o.next_followup_on, f"/opportunities/{o.pk}/")
