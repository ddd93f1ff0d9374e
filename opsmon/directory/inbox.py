"""Inbox items of directory sign-in: a head reassigns the open work of a member the directory disabled."""

from django.utils.translation import gettext as _

from opsmon.core.inbox import InboxItem, provider

from . import selectors


@provider
def departed_items(actor):
    if selectors.listing() or not (actor.is_admin or actor.has_role("dept_head")):
        return
    for user in selectors.departed_users(actor):
        if selectors.open_work(user):
            yield InboxItem("directory.reassign", _("Reassign the open work of %(name)s (disabled in the directory)")
                            % {"name": user.display_name or user.username}, user.display_name or user.username,
                            "/directory/departed/", "user", user.pk, user.directory_account.disabled_at)
