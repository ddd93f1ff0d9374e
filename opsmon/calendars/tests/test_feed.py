"""Calendar feeds: a private, revocable .ics link per user listing his deadlines, checked with `icalendar`."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from opsmon.calendars import services
from opsmon.core import deadlines
from opsmon.core.deadlines import Deadline


def fetch(client, url):
    path = url.split("testserver", 1)[-1] if "testserver" in url else url
    return client.get(path)


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_of(cal: Calendar) -> dict:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def demo_data(org):
    from opsmon import demo
    demo.load()
    return org


def test_the_feed_lists_the_users_bid_deadlines_and_follow_ups(demo_data, client, browser):
    from django.db.models import Q

    from opsmon.bids.models import Bid
    from opsmon.opportunities.models import Opportunity

    rep1 = demo_data["rep1"]
    key, _feed = services.feed_create(actor=rep1)
    cal = parse(client.get(f"/calendar/{key}.ics"))
    assert str(cal["VERSION"]) == "2.0" and "OpsMon" in str(cal["PRODID"])
    found = events_of(cal)
    start, end = timezone.localdate() - timedelta(days=60), timezone.localdate() + timedelta(days=366)
    mine = Bid.objects.filter(Q(owner=rep1) | Q(opportunity__members=rep1)).distinct()
    expected = {f"bid-{b.pk}-submission@opsmon" for b in mine.filter(status__in=["registered", "preparing"],
                                                                      submission_deadline__isnull=False)}
    expected |= {f"bid-{b.pk}-opening@opsmon" for b in mine.filter(
        status__in=["registered", "preparing", "submitted"], opening_at__isnull=False)}
    expected |= {f"opportunity-{o.pk}-follow-up@opsmon" for o in Opportunity.objects.filter(
        owner=rep1, status__in=["tracking", "conversion_requested"], next_followup_on__range=(start, end))}
    assert expected and expected <= set(found)
    some = found[sorted(u for u in expected if u.startswith("bid-"))[0]]
    bid = Bid.objects.get(pk=int(str(some["UID"]).split("-")[1]))
    assert bid.number in str(some["SUMMARY"])
    assert str(some["URL"]) == f"http://testserver/bids/{bid.pk}/"
    assert isinstance(some.decoded("DTSTART"), datetime) and some.decoded("DTSTART").tzinfo is not None
    # Someone else's deadlines are not in it.
    others = Bid.objects.exclude(pk__in=mine.values("pk")).filter(status__in=["registered", "preparing"])
    assert not {f"bid-{b.pk}-submission@opsmon" for b in others} & set(found)


def test_the_feed_carries_every_kind_of_deadline(org, client, monkeypatch):
    rep1 = org["rep1"]
    at = timezone.now().replace(microsecond=0) + timedelta(days=3)
    today = timezone.localdate()
    fake = [Deadline("bond-7-refund", "bond.refund", "保证金退还 TB-1 24,000.00 CNY", today - timedelta(days=2),
                     "/bids/1/"),
            Deadline("milestone-3", "contract.receivable", "Payment due: HT-1 首付款", today + timedelta(days=9),
                     "/contracts/1/"),
            Deadline("review-contract-5", "review.step", "Decide the finance review: HT-5", today, "/contracts/5/"),
            Deadline("bid-9-opening", "bid.opening", "Bid opening: TB-9", at, "/bids/9/"),
            Deadline("far-away", "bid.opening", "too late", today + timedelta(days=900), "/bids/10/")]
    monkeypatch.setattr(deadlines, "_providers", [lambda user, start, end: fake if user == rep1 else []])
    key, _feed = services.feed_create(actor=rep1)
    found = events_of(parse(client.get(f"/calendar/{key}.ics")))
    assert set(found) == {"bond-7-refund@opsmon", "milestone-3@opsmon", "review-contract-5@opsmon",
                          "bid-9-opening@opsmon"}
    refund = found["bond-7-refund@opsmon"]
    assert refund.decoded("DTSTART") == today - timedelta(days=2)  # a whole day, overdue still shown
    assert refund.decoded("DTEND") == today - timedelta(days=1)
    assert str(refund["SUMMARY"]) == "保证金退还 TB-1 24,000.00 CNY"
    opening = found["bid-9-opening@opsmon"]
    assert opening.decoded("DTSTART") == at and opening.decoded("DTEND") == at + timedelta(minutes=30)
    assert opening.walk("VALARM")


def test_a_revoked_or_replaced_link_answers_404(org, client, browser):
    rep1 = org["rep1"]
    old, _feed = services.feed_create(actor=rep1)
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    new, _feed = services.feed_create(actor=rep1)
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert services.feed_revoke(actor=rep1)
    assert client.get(f"/calendar/{new}.ics").status_code == 404
    assert client.get("/calendar/not-a-key.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 300}.ics").status_code == 404


def test_a_deactivated_users_link_answers_404(org, client):
    rep1 = org["rep1"]
    key, _feed = services.feed_create(actor=rep1)
    rep1.is_active = False
    rep1.save()
    assert client.get(f"/calendar/{key}.ics").status_code == 404


def test_the_calendar_page_shows_the_link_once_and_revokes_it(browser):
    page = browser("rep1")
    assert 'data-action="create_link"' in page.get("/calendar/").content.decode()
    created = page.post("/calendar/link/").content.decode()
    assert 'data-testid="calendar-url"' in created
    url = created.split('data-testid="calendar-url"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert url.startswith("http://testserver/calendar/") and url.endswith(".ics")
    assert url not in page.get("/calendar/").content.decode()  # shown once: kept as a hash only
    assert page.get(url.replace("http://testserver", "")).status_code == 200
    assert page.post("/calendar/revoke/").status_code == 302
    assert page.get(url.replace("http://testserver", "")).status_code == 404


def test_the_api_creates_shows_and_revokes_the_link(http):
    rep1 = http("rep1")
    assert rep1.get("/api/v1/me/calendar-feed").json() == {"active": False, "created_at": None,
                                                           "last_used_at": None}
    created = rep1.post("/api/v1/me/calendar-feed")
    assert created.status_code == 201
    url = created.json()["url"]
    anonymous = http()
    assert Calendar.from_ical(anonymous.get(url.replace(rep1.base, "")).content)
    assert rep1.get("/api/v1/me/calendar-feed").json()["active"] is True
    assert rep1.delete("/api/v1/me/calendar-feed").status_code == 204
    assert anonymous.get(url.replace(rep1.base, "")).status_code == 404
    assert http().get("/api/v1/me/calendar-feed").status_code == 401


def test_deadlines_are_sorted_and_limited_to_the_window(org, monkeypatch):
    today = date(2026, 5, 1)
    items = [Deadline("b", "x", "b", today + timedelta(days=1), "/"), Deadline("a", "x", "a", today, "/"),
             Deadline("c", "x", "c", today + timedelta(days=40), "/")]
    monkeypatch.setattr(deadlines, "_providers", [lambda user, start, end: items])
    assert [d.uid for d in deadlines.for_user(org["rep1"], start=today, end=today + timedelta(days=30))] == ["a", "b"]
