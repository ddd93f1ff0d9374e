"""The one registry of actions and events: every key the modules write has a label, and no key reaches a user."""

import pytest
from django.utils import translation

from opsmon import demo
from opsmon.core import events
from opsmon.core.models import TimelineEntry
from opsmon.core.templatetags.timeline_labels import action_label


@pytest.mark.django_db
def test_every_timeline_action_of_the_demo_is_declared_with_a_label(org):
    demo.load()
    written = set(TimelineEntry.objects.values_list("action", flat=True))
    assert written, "the demo writes timeline entries"
    undeclared = sorted(a for a in written if not events.is_action(a))
    assert undeclared == []
    for key in written:
        for language in ("zh-hans", "en"):
            with translation.override(language):
                shown = action_label(key)
                assert shown and shown != key


def test_webhook_events_are_declared_with_labels_in_both_languages():
    keys = [key for key, _label in events.webhook_events()]
    assert {"opportunity.converted", "project.approved", "project.routed", "bid.won", "bid.lost",
            "contract.signed", "contract.amended"} <= set(keys)
    with translation.override("zh-hans"):
        assert all(events.label(k) != k for k in keys)


def test_an_unknown_key_is_shown_as_a_word_not_as_the_key():
    with translation.override("en"):
        assert events.label("nothing.known") == "Record changed"
        assert action_label("nothing.known") != "nothing.known"


def test_publish_reaches_subscribers_inside_the_transaction(org):
    seen = []
    events.subscribe(seen.append)
    try:
        event_id = events.publish("bid.won", data={"x": 1}, notify=[org["rep1"]], text="t")
    finally:
        events._subscribers.remove(seen.append)
    assert [h.id for h in seen] == [event_id] and seen[0].recipients == [org["rep1"]]


def test_the_api_timeline_answers_each_action_with_its_label(client, org):
    from opsmon.opportunities.tests.factories import opportunity

    opp = opportunity(org["rep1"])
    client.force_login(org["rep1"])
    entries = client.get(f"/api/v1/opportunities/{opp.pk}/timeline", HTTP_ACCEPT_LANGUAGE="en").json()
    assert entries and all(e["action_label"] and e["action_label"] != e["action"] for e in entries)
    assert entries[0]["action"] == "opportunity.created" and entries[0]["action_label"] == events.label(
        "opportunity.created")


def test_a_notice_carries_its_kind_and_never_fires_a_webhook(org):
    seen = []
    events.subscribe(seen.append)
    try:
        events.notify([org["rep1"]], text="v2", kind="contract.amended")
    finally:
        events._subscribers.remove(seen.append)
    assert seen[0].key == "contract.amended" and seen[0].outbound is False
    from opsmon.integrations.models import WebhookDelivery, WebhookEndpoint
    WebhookEndpoint.objects.create(name="x", url="http://127.0.0.1:9/", secret="s" * 20, events=["contract.amended"])
    events.notify([org["rep1"]], text="v2", kind="contract.amended")
    assert not WebhookDelivery.objects.exists()
    events.publish("contract.amended", data={"x": 1})
    assert WebhookDelivery.objects.count() == 1
