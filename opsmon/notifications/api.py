"""/inbox (everything waiting for me) and /notifications."""

from datetime import datetime, time

from ninja import Query, Router, Schema

from opsmon.core.inbox import items_for
from opsmon.core.phrases import render
from opsmon.core.schemas import ERRORS, In, Page, PageParams, paginate

from . import channels, services

router = Router(tags=["inbox"])


class InboxItemOut(Schema):
    kind: str
    label: str
    title: str
    url: str
    record_type: str
    record_id: int
    since: datetime


class NotificationOut(Schema):
    id: int
    text: str
    url: str
    created_at: datetime
    read: bool


class NotificationPage(Page[NotificationOut]):
    unread: int


class ChangedOut(Schema):
    changed: int


@router.get("/inbox", response={200: Page[InboxItemOut], **ERRORS})
def inbox(request):
    """Work waiting for the current user across modules, oldest first."""
    items = [i.as_dict() for i in items_for(request.auth)]
    return {"items": items, "count": len(items)}


@router.get("/notifications", response={200: NotificationPage, **ERRORS})
def notification_list(request, unread_only: bool = False, pager: Query[PageParams] = None):
    qs = services.shown_to(request.auth)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = paginate(qs.order_by("-created_at", "-id"), pager or PageParams())
    page["items"] = [{"id": n.pk, "text": render(n.text), "url": n.url, "created_at": n.created_at,
                      "read": n.read_at is not None} for n in page["items"]]
    page["unread"] = services.unread_count(request.auth)
    return page


@router.post("/notifications/{notification_id}/read", response={200: ChangedOut, **ERRORS})
def notification_read(request, notification_id: int):
    return {"changed": services.mark_read(actor=request.auth, notification_id=notification_id)}


@router.post("/notifications/read-all", response={200: ChangedOut, **ERRORS})
def notification_read_all(request):
    return {"changed": services.mark_read(actor=request.auth)}


# --- the caller's channel settings ----------------------------------------------------------------

class KindOut(Schema):
    key: str
    label: str
    channels: list[str]


class ChannelSettingsOut(Schema):
    kinds: list[KindOut]
    language: str
    digest_at: time | None = None
    email_enabled: bool


class ChannelSettingsIn(In):
    channels: dict[str, list[str]] = {}
    language: str = ""
    digest_at: time | None = None


def _settings_out(row) -> dict:
    return {"kinds": [{"key": k.key, "label": k.label, "channels": channels.chosen(row, k.key)}
                      for k in channels.kinds()],
            "language": row.language, "digest_at": row.digest_at, "email_enabled": channels.email_enabled()}


@router.get("/me/notification-settings", response={200: ChannelSettingsOut, **ERRORS})
def settings_get(request):
    """Where the caller hears of each kind of event (in the app, e-mail, group robot), his language and digest."""
    return _settings_out(services.settings_of(request.auth))


@router.put("/me/notification-settings", response={200: ChannelSettingsOut, **ERRORS})
def settings_put(request, payload: ChannelSettingsIn):
    """Replace the caller's choices; kinds left out keep the site's default."""
    row = services.settings_save(actor=request.auth, channels_by_kind=payload.channels, language=payload.language,
                                 digest_at=payload.digest_at)
    return _settings_out(row)
