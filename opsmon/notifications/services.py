"""Notify users where they want it (in the app, by e-mail, through their department's group robot); read and unread;
the user's channel settings and the admin's robots."""

from datetime import time
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from opsmon.accounts.models import Department
from opsmon.accounts.services import require_admin
from opsmon.core import timeline
from opsmon.core.errors import Invalid, NotFound
from opsmon.core.events import Published, is_action, label, webhook_events
from opsmon.core.phrases import Phrase, render

from . import channels, mail, outbox, robots, visibility
from .channels import EMAIL, INAPP, ROBOT
from .models import ChannelSettings, Notification, Outgoing, OutgoingStatus, Robot, RobotKind

TEXT_LIMIT = 1000


def kept(text: str) -> str:
    """What a notification stores: a Phrase (core.phrases) as its msgid and parameters, so each reader reads it in
    his own language; plain text (or a phrase too long to keep whole) as written."""
    if isinstance(text, Phrase):
        stored = text.stored()
        if len(stored) <= TEXT_LIMIT:
            return stored
    return str(text)[:TEXT_LIMIT]


def notify(recipients, *, text: str, url: str = "") -> None:
    """One in-app notification per distinct active recipient (call inside the transaction of the change)."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, text=kept(text), url=url[:300]))
    Notification.objects.bulk_create(rows)


def _active(recipients) -> list:
    seen, out = set(), []
    for user in recipients:
        if user is not None and user.pk not in seen and user.is_active:
            seen.add(user.pk)
            out.append(user)
    return out


def robots_for(kind: str, users) -> dict[Robot, list]:
    """The active robots a notice goes to: those of its kind (with nobody in particular), and those of the
    departments (or a department above) of the users who want the robot; {robot: [users it is for]}."""
    found: dict[Robot, list] = {}
    candidates = list(Robot.objects.filter(active=True).select_related("department"))
    for robot in candidates:
        if kind in (robot.event_kinds or []):
            found.setdefault(robot, [])
    for user in users:
        for robot in candidates:
            if robot.department_id and user.department_id and robot.department.contains(user.department):
                found.setdefault(robot, []).append(user)
    return found


def events_registered(kind: str) -> bool:
    return is_action(kind) or kind in dict(webhook_events())


def _robot_message(robot: Robot, *, kind: str, text: str, url: str, users) -> Outgoing:
    language = settings.LANGUAGE_CODE
    with override(language):
        text = render(kept(text))  # the group reads the site's language, whoever caused the notice
        title = mail.title_of(kind, text) if events_registered(kind) else _("OpsMon notice")
        payload = robots.body(robot.kind, title=title, text=text, link=mail.absolute(url),
                              open_label=_("Open in OpsMon"), to=[u.display_name or u.username for u in users],
                              mobiles=[u.phone for u in users if u.phone], language=language)
    return Outgoing(channel=robot.kind, robot=robot, kind=kind, summary=text or title, payload=payload)


def deliver_to(recipients, *, kind: str, text: str, url: str = "", dedupe_key: str = "") -> None:
    """Tell each recipient through the channels he chose for `kind` (inside the caller's transaction): in-app rows
    now, e-mails and robot posts to the outbox, sent after the commit."""
    users = _active(recipients)
    if not text:
        return
    chosen = {s.user_id: s for s in ChannelSettings.objects.filter(user__in=[u.pk for u in users])}
    inapp, mails, robot_users = [], [], []
    for user in users:
        wanted = channels.chosen(chosen.get(user.pk), kind)
        if INAPP in wanted:
            inapp.append(user)
        if EMAIL in wanted and user.email and channels.email_enabled():
            language = channels.language_of(chosen.get(user.pk))
            mails.append(Outgoing(channel=EMAIL, recipient=user, kind=kind, summary=str(text)[:300],
                                  dedupe_key=dedupe_key,
                                  payload=mail.message(user=user, kind=kind, text=kept(text), url=url,
                                                       language=language)))
        if ROBOT in wanted:
            robot_users.append(user)
    notify(inapp, text=text, url=url)
    posts = [_robot_message(robot, kind=kind, text=text, url=url, users=for_users)
             for robot, for_users in robots_for(kind, robot_users).items()]
    outbox.queue(mails + posts)


def tell_recipients(happening: Published) -> None:
    """core.events subscriber: a published event with a text reaches its recipients where they want it, and the
    robots that follow its kind; an event without a text (bid.won, contract.signed...) reaches only those robots."""
    if happening.text:
        deliver_to(happening.recipients, kind=happening.key, text=happening.text, url=happening.url)
        return
    followers = [r for r in Robot.objects.filter(active=True) if happening.key in (r.event_kinds or [])]
    if followers:
        subject = happening.subject
        text = f"{label(happening.key)}: {subject}" if subject is not None else label(happening.key)
        url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
        outbox.queue([_robot_message(r, kind=happening.key, text=text, url=url, users=[]) for r in followers])


def mark_read(*, actor, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the actor's notifications read; returns how many changed. One that is
    not his, or does not exist, is a 404 (never a silent 200 that would hide a wrong id)."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(recipient=actor, pk=notification_id).exists():
            raise NotFound()
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def shown_to(actor):
    """The actor's notifications, without those of records he may no longer open (visibility.visible)."""
    return visibility.visible(actor, Notification.objects.filter(recipient=actor))


def unread_count(actor) -> int:
    """Unread notifications the actor may still open."""
    return shown_to(actor).filter(read_at__isnull=True).count()


def unread_links(actor, *, limit: int) -> list[tuple[int, str]]:
    """(id, link) of the actor's newest unread notifications, at most `limit`."""
    return list(Notification.objects.filter(recipient=actor, read_at__isnull=True)
                .order_by("-created_at", "-id").values_list("pk", "url")[:limit])


def mark_opened(actor, ids) -> int:
    """Mark read the notifications of a page the actor has just opened."""
    return Notification.objects.filter(recipient=actor, pk__in=list(ids), read_at__isnull=True).update(
        read_at=timezone.now())


# --- the user's channel settings -----------------------------------------------------------------

def settings_of(user) -> ChannelSettings:
    """The user's settings (unsaved defaults when he has chosen nothing)."""
    return ChannelSettings.objects.filter(user=user).first() or ChannelSettings(user=user)


@transaction.atomic
def settings_save(*, actor, channels_by_kind: dict, language: str = "", digest_at: time | None = None
                  ) -> ChannelSettings:
    """Save the actor's choices; an unknown kind, channel or language is refused naming the field."""
    known, errors, clean = channels.kind_keys(), {}, {}
    allowed = {INAPP, EMAIL, ROBOT}
    for kind, chosen in (channels_by_kind or {}).items():
        if kind not in known:
            errors["channels"] = _("Unknown kind of event: %(kind)s") % {"kind": kind}
            continue
        chosen = list(dict.fromkeys(chosen or []))
        if set(chosen) - allowed:
            errors["channels"] = _("Choose among: %(channels)s") % {"channels": ", ".join(sorted(allowed))}
            continue
        if kind == channels.DIGEST and ROBOT in chosen:
            errors["channels"] = _("The daily digest is personal: in the app or by e-mail.")
            continue
        if sorted(chosen) != sorted(channels.default_channels(kind)):
            clean[kind] = chosen
    if digest_at is not None:
        if digest_at.tzinfo is not None:
            errors["digest_at"] = _("A time of day like 08:30, in the server's time zone.")
        digest_at = digest_at.replace(second=0, microsecond=0)
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of: %(languages)s") % {"languages": ", ".join(dict(settings.LANGUAGES))}
    if errors:
        raise Invalid(fields=errors)
    row = settings_of(actor)
    row.channels, row.language, row.digest_at = clean, language, digest_at
    row.save()
    return row


# --- the admin's robots --------------------------------------------------------------------------

def _clean_robot(data: dict, robot: Robot | None) -> dict:
    errors, clean = {}, {}
    name = (data.get("name") or "").strip()
    if not name or len(name) > 100:
        errors["name"] = _("1 to 100 characters.")
    clean["name"] = name
    kind = data.get("kind") or ""
    if kind not in RobotKind.values:
        errors["kind"] = _("Choose WeCom, DingTalk or Feishu.")
    clean["kind"] = kind
    url = (data.get("url") or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
        errors["url"] = _("An http:// or https:// address.")
    clean["url"] = url
    secret = data.get("secret")
    if secret is None or (secret == "" and robot is not None):
        secret = robot.secret if robot is not None else ""
    if len(secret) > 200:
        errors["secret"] = _("At most 200 characters.")
    if kind in (RobotKind.DINGTALK, RobotKind.FEISHU) and not secret:
        errors["secret"] = _("DingTalk and Feishu robots sign each message: give the robot's secret.")
    clean["secret"] = secret if kind != RobotKind.WECOM else ""
    department = data.get("department")
    if department is not None and (not isinstance(department, Department) or not department.active):
        errors["department"] = _("Choose an active department.")
    clean["department"] = department
    kinds = list(dict.fromkeys(data.get("event_kinds") or []))
    unknown = set(kinds) - channels.kind_keys()
    if unknown:
        errors["event_kinds"] = _("Unknown kind of event: %(kind)s") % {"kind": ", ".join(sorted(unknown))}
    clean["event_kinds"] = kinds
    if department is None and not kinds and "department" not in errors:
        errors["department"] = _("Give the robot a department, kinds of event, or both.")
    clean["active"] = bool(data.get("active", True))
    if errors:
        raise Invalid(fields=errors)
    return clean


@transaction.atomic
def robot_save(*, actor, robot: Robot | None = None, **data) -> Robot:
    """Create or change a group robot (admin); an empty secret on edit keeps the old one."""
    require_admin(actor)
    clean = _clean_robot(data, robot)
    if robot is None:
        robot = Robot.objects.create(**clean)
        timeline.record(robot, actor=actor, action="robot.created")
        return robot
    shown = ("name", "kind", "url", "event_kinds", "active")
    changes = timeline.diff({k: getattr(robot, k) for k in shown} | {"department": robot.department_id},
                            {k: clean[k] for k in shown} | {"department": getattr(clean["department"], "pk", None)})
    for field, value in clean.items():
        setattr(robot, field, value)
    robot.save()
    timeline.record(robot, actor=actor, action="robot.updated", changes=changes)
    return robot


@transaction.atomic
def robot_test(*, actor, robot: Robot) -> Outgoing:
    """Queue a test post to the robot (admin), to see it arrive in the group."""
    require_admin(actor)
    text = _("Test message from OpsMon: this robot is connected.")
    return outbox.queue([_robot_message(robot, kind="robot.test", text=text, url="/", users=[])])[0]


@transaction.atomic
def outgoing_retry(*, actor, message_id: int) -> Outgoing:
    """Send a failed message again from the first attempt (admin)."""
    require_admin(actor)
    message = Outgoing.objects.filter(pk=message_id, status=OutgoingStatus.FAILED).first()
    if message is None:
        raise NotFound()
    Outgoing.objects.filter(pk=message.pk).update(status=OutgoingStatus.PENDING, attempts=0,
                                                  next_attempt_at=timezone.now(), last_error="")
    outbox.wake()
    timeline.record(message, actor=actor, action="outgoing.retried")
    return message
