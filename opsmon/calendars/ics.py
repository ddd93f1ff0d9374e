"""The iCalendar (RFC 5545) text of a user's deadlines, written with the `icalendar` package."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from opsmon.core import deadlines

PAST = timedelta(days=60)      # overdue refunds and follow-ups stay visible this long
AHEAD = timedelta(days=366)
MOMENT = timedelta(minutes=30)  # a deadline at a time is shown as a short event


def window(today: date) -> tuple[date, date]:
    return today - PAST, today + AHEAD


def calendar_for(user, *, absolute) -> bytes:
    """The feed of `user`; `absolute(path)` turns a record's path into a full link."""
    start, end = window(timezone.localdate())
    cal = Calendar()
    cal.add("prodid", "-//OpsMon//Deadlines//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("OpsMon deadlines: %(name)s") % {"name": user.display_name or user.username})
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for d in deadlines.for_user(user, start=start, end=end):
        event = Event()
        event.add("uid", f"{d.uid}@opsmon")
        event.add("dtstamp", stamp)
        event.add("summary", d.title)
        link = absolute(d.url)
        event.add("url", link)
        event.add("description", f"{d.description}\n{link}".strip())
        event.add("categories", [d.kind])
        if isinstance(d.at, datetime):
            begins = d.at.astimezone(UTC).replace(microsecond=0)
            event.add("dtstart", begins)
            event.add("dtend", begins + MOMENT)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", d.title)
            alarm.add("trigger", timedelta(hours=-2))
            event.add_component(alarm)
        else:
            event.add("dtstart", d.at)
            event.add("dtend", d.at + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
