"""Issue 20 item 11: a notification is written once, when the change happens, and read later in each reader's own
language (core.phrases), whatever the language of the person who caused it."""

from django.utils import translation
from django.utils.translation import gettext_noop

from opsmon.core.phrases import phrase
from opsmon.notifications.models import Notification
from opsmon.notifications.services import notify
from opsmon.opportunities import services as opportunities
from opsmon.opportunities.tests import factories


def test_a_head_working_in_english_converts_and_the_rep_reads_it_in_chinese(browser, org):
    opportunity = factories.opportunity(org["rep1"], stage="qualified")
    with translation.override("en"):
        opportunities.opportunity_convert(actor=org["head1"], opportunity=opportunity, comment="go")
    zh = browser("rep1").get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["items"]
    en = browser("rep1").get("/api/v1/notifications", HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    with translation.override("zh-hans"):
        expected_zh = translation.gettext("%(number)s was converted to project %(project)s.")
    assert expected_zh != "%(number)s was converted to project %(project)s."  # the catalogue has it
    assert zh[0]["text"].startswith(opportunity.number) and expected_zh.split("%(project)s")[0].split(
        "%(number)s")[1] in zh[0]["text"]
    assert "was converted to project" in en[0]["text"]
    assert "\x1e" not in zh[0]["text"] + en[0]["text"]  # never the stored form


def test_the_notification_page_shows_the_readers_language_and_plain_rows_stay_as_written(browser, org):
    with translation.override("en"):
        notify([org["rep1"]], text=phrase(gettext_noop("%(number)s was rejected."), number="LX-2026-000001"))
    notify([org["rep1"]], text="旧的纯文本通知")
    with translation.override("zh-hans"):
        expected = translation.gettext("%(number)s was rejected.") % {"number": "LX-2026-000001"}
    page = browser("rep1").get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert expected in page and "旧的纯文本通知" in page and "was rejected" not in page
    assert Notification.objects.filter(text__startswith="\x1ei18n:").count() == 1


def test_a_phrase_too_long_to_keep_whole_is_kept_as_plain_text(org):
    notify([org["rep1"]], text=phrase(gettext_noop("%(number)s was rejected."), number="长" * 1200))
    kept = Notification.objects.get(recipient=org["rep1"]).text
    assert not kept.startswith("\x1e") and len(kept) == 1000
