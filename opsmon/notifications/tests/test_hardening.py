"""Issue 21, item 10: marking a notification read answers 404 for one that is someone else's or does not exist
(it answered 200 with nothing changed), and still 200 for one's own, read or not."""

import pytest

from opsmon.core.tests.test_hardening import Api
from opsmon.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_marking_read(org):
    mine = Notification.objects.create(recipient=org["rep1"], text="给我的")
    theirs = Notification.objects.create(recipient=org["rep2"], text="给别人的")
    api = Api(org["rep1"])
    foreign = api.post(f"/api/v1/notifications/{theirs.pk}/read", {})
    assert foreign.status_code == 404, foreign.content
    assert foreign.json()["error"]["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    missing = api.post(f"/api/v1/notifications/{theirs.pk + 1000}/read", {})
    assert missing.status_code == 404
    first = api.post(f"/api/v1/notifications/{mine.pk}/read", {})
    assert (first.status_code, first.json()) == (200, {"changed": 1})
    again = api.post(f"/api/v1/notifications/{mine.pk}/read", {})
    assert (again.status_code, again.json()) == (200, {"changed": 0})
