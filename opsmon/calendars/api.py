"""/me/calendar-feed: the caller's private calendar link."""

from datetime import datetime

from django.urls import reverse
from ninja import Router, Schema, Status

from opsmon.core.schemas import ERRORS

from . import services
from .models import CalendarFeed

router = Router(tags=["calendar"])


class FeedOut(Schema):
    active: bool
    created_at: datetime | None = None
    last_used_at: datetime | None = None


class FeedCreated(Schema):
    url: str
    created_at: datetime


@router.get("/me/calendar-feed", response={200: FeedOut, **ERRORS})
def feed_state(request):
    """Whether the caller has a live calendar link (the link itself is shown only when created)."""
    feed = CalendarFeed.objects.filter(user=request.auth).first()
    if feed is None:
        return {"active": False}
    return {"active": True, "created_at": feed.created_at, "last_used_at": feed.last_used_at}


@router.post("/me/calendar-feed", response={201: FeedCreated, **ERRORS})
def feed_create(request):
    """A new private .ics link (the old one stops working); the URL is answered this once."""
    key, feed = services.feed_create(actor=request.auth)
    return Status(201, {"url": request.build_absolute_uri(reverse("calendars:feed", args=[key])),
                        "created_at": feed.created_at})


@router.delete("/me/calendar-feed", response={204: None, **ERRORS})
def feed_revoke(request):
    services.feed_revoke(actor=request.auth)
    return Status(204, None)
