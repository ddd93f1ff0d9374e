"""The work inbox (我的待办) and the user's notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.core.errors import NotFound
from opsmon.core.inbox import items_for

from . import services
from .models import Notification

PAGE_SIZE = 50


def is_local_path(url: str) -> bool:
    """Only a path on this site ("/projects/1/"); never "//host", "/\\host" or a scheme (no open redirect)."""
    return (url.startswith("/") and not url.startswith(("//", "/\\"))
            and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False))


@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", {"items": items_for(request.user)})


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def read_all(request):
    changed = services.mark_read(actor=request.user)
    if changed:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")


@require_POST
@login_required
def notification_open(request, pk):
    """Mark one of the user's notifications read and follow its link if it points inside OpsMon."""
    notification = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if notification is None:
        raise NotFound()
    services.mark_read(actor=request.user, notification_id=notification.pk)
    return redirect(notification.url if is_local_path(notification.url) else reverse("notifications:list"))
