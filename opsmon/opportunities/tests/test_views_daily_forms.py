"""Issue 20, daily use: the irreversible decisions on an opportunity name their consequence before they happen (an
in-page dialog, no browser confirm), action forms are never "saved" for another action, and the page lays facts
and actions left, follow-ups and timeline right."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from opsmon.opportunities import services
from opsmon.opportunities.models import Opportunity

from . import factories


def page_of(browser, username, opportunity) -> str:
    return browser(username).get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()


def button(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split(">")[0]


def test_close_and_convert_name_what_will_happen(browser, org):
    opportunity = services.opportunity_request_conversion(actor=org["rep1"], opportunity=factories.opportunity(
        org["rep1"]), comment="可以立项")
    html = page_of(browser, "head1", opportunity)
    close = _("The opportunity is closed with the reason given and leaves the pipeline; only a department head can "
              "reopen it.")
    convert = _("The opportunity becomes read-only and a project (立项) starts from it. This cannot be undone.")
    assert f'data-confirm="{escape(close)}"' in button(html, "submit-close")
    assert f'data-confirm="{escape(convert)}"' in button(html, "submit-convert")
    assert 'id="confirm-dialog"' in html and "confirm(" not in html
    # Keeping on tracking is no one-way door: it goes without a confirmation.
    assert "data-confirm" not in button(html, "submit-keep_tracking")


def test_action_forms_are_not_saved_for_another_action(browser, org):
    opportunity = factories.opportunity(org["rep1"])
    html = page_of(browser, "head1", opportunity)
    form = html.split(f'action="{reverse("opportunities:close", args=[opportunity.pk])}"')[1].split(">")[0]
    assert 'data-dirty="discard"' in form


def test_the_confirmation_changes_nothing_by_itself(browser, org):
    """The dialog is the page's: without the confirmed POST nothing happens, with it the close goes through."""
    opportunity = factories.opportunity(org["rep1"])
    assert Opportunity.objects.get(pk=opportunity.pk).status == "tracking"
    browser("head1").post(reverse("opportunities:close", args=[opportunity.pk]),
                          {"close-reason": "lost", "close-comment": "价格"})
    assert Opportunity.objects.get(pk=opportunity.pk).status == "closed"


def test_facts_and_actions_left_follow_ups_and_timeline_right(browser, org):
    opportunity = factories.opportunity(org["rep1"])
    html = page_of(browser, "head1", opportunity)
    main, side = html.split('data-testid="detail-main"')[1].split('data-testid="detail-side"')
    assert 'data-testid="actions"' in main and 'data-testid="team"' in main
    assert 'data-testid="follow-up-list"' in side and 'data-testid="timeline"' in side
