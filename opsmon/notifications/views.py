"""The work inbox (我的待办) and the user's notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.accounts.roles import Role
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.inbox import items_for
from opsmon.core.paging import CappedPaginator
from opsmon.core.web import apply_error, role_required

from . import channels, services
from .forms import OutgoingFilterForm, RobotForm, SettingsForm, channels_from_post
from .models import Notification, Outgoing, OutgoingStatus, Robot

PAGE_SIZE = 50


def is_local_path(url: str) -> bool:
    """Only a path on this site ("/projects/1/"); never "//host", "/\\host" or a scheme (no open redirect)."""
    return (url.startswith("/") and not url.startswith(("//", "/\\"))
            and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False))


@login_required
def inbox(request):
    """Everything waiting for the user; `?kind=` narrows it to one kind (the workbench links each kind here)."""
    items = items_for(request.user)
    kind = request.GET.get("kind", "")
    shown = [i for i in items if i.kind == kind] if kind else items
    return render(request, "notifications/inbox.html", {"items": shown, "kind": kind if shown else "",
                                                        "total": len(items)})


@login_required
def notification_list(request):
    notifications = services.shown_to(request.user).order_by("-created_at", "-id")
    page = CappedPaginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
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


# --- the user's channel settings -------------------------------------------------------------------

def _kind_rows(user_settings):
    """One row per kind: its label, its module group, and the channels ticked."""
    rows = []
    for kind in channels.kinds():
        rows.append({"key": kind.key, "label": kind.label, "group": kind.group,
                     "chosen": channels.chosen(user_settings, kind.key)})
    return rows


def _reach(user) -> list[Robot]:
    """The active robots of the user's department (or one above it)."""
    if user.department_id is None:
        return []
    return [r for r in Robot.objects.filter(active=True, department__isnull=False).select_related("department")
            if r.department.contains(user.department)]


@login_required
def preferences(request):
    """Where the user hears of each kind of event, his language, and his daily digest."""
    current = services.settings_of(request.user)
    initial = {"language": current.language, "digest_at": current.digest_at}
    form = SettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            current = services.settings_save(actor=request.user, channels_by_kind=channels_from_post(request.POST),
                                             language=form.cleaned_data["language"],
                                             digest_at=form.cleaned_data["digest_at"])
        except ApplicationError as error:
            apply_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Saved."))
            return redirect("notifications:preferences")
    rows = _kind_rows(current)
    return render(request, "notifications/preferences.html", {
        "form": form, "built_in": [r for r in rows if not r["group"]], "by_event": [r for r in rows if r["group"]],
        "channels": channels.CHANNELS, "email_enabled": channels.email_enabled(),
        "has_email": bool(request.user.email), "robots": _reach(request.user),
    }, status=status)


# --- the admin's robots and outbox -----------------------------------------------------------------

@role_required(Role.ADMIN)
def robot_list(request):
    robots = list(Robot.objects.select_related("department").order_by("name"))
    failed = dict.fromkeys([r.pk for r in robots], 0)
    for robot_id in Outgoing.objects.filter(status=OutgoingStatus.FAILED, robot__isnull=False).values_list(
            "robot_id", flat=True):
        failed[robot_id] = failed.get(robot_id, 0) + 1
    for robot in robots:
        robot.failed = failed.get(robot.pk, 0)
        robot.kind_labels = [label for key, label in ((k.key, k.label) for k in channels.kinds())
                             if key in (robot.event_kinds or [])]
    return render(request, "notifications/robot_list.html", {"robots": robots})


@role_required(Role.ADMIN)
def robot_edit(request, pk=None):
    robot = None
    if pk is not None:
        robot = Robot.objects.filter(pk=pk).first()
        if robot is None:
            raise NotFound()
    initial = {"name": robot.name, "kind": robot.kind, "url": robot.url, "department": robot.department_id,
               "event_kinds": robot.event_kinds, "active": robot.active} if robot else {}
    form = RobotForm(request.POST or None, initial=initial, editing=bool(robot))
    if request.method == "POST" and form.is_valid():
        try:
            services.robot_save(actor=request.user, robot=robot, **form.cleaned_data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("notifications:robot_list")
    return render(request, "notifications/robot_form.html", {"form": form, "subject": robot})


@require_POST
@role_required(Role.ADMIN)
def robot_test(request, pk):
    robot = Robot.objects.filter(pk=pk).first()
    if robot is None:
        raise NotFound()
    services.robot_test(actor=request.user, robot=robot)
    messages.success(request, _("A test message is on its way; its delivery shows in the outbox."))
    return redirect("notifications:outbox")


@role_required(Role.ADMIN)
def outbox_list(request):
    """Every e-mail and robot post leaving OpsMon, failed ones first to see."""
    form = OutgoingFilterForm(request.GET)
    rows = Outgoing.objects.select_related("recipient", "robot").order_by("-created_at", "-id")
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {
        "form": form, "page": page,
        "failed": Outgoing.objects.filter(status=OutgoingStatus.FAILED).count()})


@require_POST
@role_required(Role.ADMIN)
def outbox_retry(request, pk):
    services.outgoing_retry(actor=request.user, message_id=pk)
    messages.success(request, _("The message will be sent again."))
    return redirect("notifications:outbox")
