"""The user's calendar page (create, show once, revoke the private link) and the feed itself."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from . import services
from .ics import calendar_for
from .models import CalendarFeed


def _page(request, *, new_url: str = "", status: int = 200):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "calendars/settings.html", {"feed": feed, "new_url": new_url}, status=status)


@login_required
def settings_page(request):
    return _page(request)


@require_POST
@login_required
def create(request):
    """A new link, shown on this answer only (it is kept as a hash); the old link stops working."""
    key, _feed = services.feed_create(actor=request.user)
    return _page(request, new_url=request.build_absolute_uri(reverse("calendars:feed", args=[key])))


@require_POST
@login_required
def revoke(request):
    services.feed_revoke(actor=request.user)
    return redirect("calendars:settings")


@require_safe  # GET, and HEAD for the calendar clients that ask first
def feed(request, key):
    """The .ics of the link's owner; anything else (unknown, revoked, deactivated user) is a plain 404."""
    user = services.feed_user(key)
    if user is None:
        raise Http404
    body = calendar_for(user, absolute=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="opsmon.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
