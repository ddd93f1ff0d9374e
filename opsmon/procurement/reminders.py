"""Daily reminder: an approved purchase request not put to sourcing within 7 days (PROCUREMENT.md "Reminders"),
to its requester and the procurement heads."""

from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.core.reminders import Due, provider

from . import services

UNSOURCED_DAYS = 7


@provider
def unsourced_requests(now):
    requests = list(services.unsourced(now, days=UNSOURCED_DAYS))
    if not requests:
        return
    heads = list(User.objects.filter(is_active=True, groups__name=Role.PROCUREMENT_HEAD).order_by("id"))
    for request in requests:
        text = _("Purchase request %(n)s was approved %(d)s days ago and is not being sourced yet.") % {
            "n": request.number, "d": (now - request.approved_at).days}
        for user in dict.fromkeys([request.owner, *heads]):
            if user.is_active:
                yield Due(recipient=user, text=text, url=services.request_url(request))
