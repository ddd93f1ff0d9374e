"""Issue 20, daily use: marking a bid lost, abandoning, closing and forfeiting a bond name their consequence in the
page before they happen; the bid page lays facts and actions left, timeline and related records right."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from .factories import opened_bid, routed_bid


def page_of(browser, username, bid) -> str:
    return browser(username).get(reverse("bids:detail", args=[bid.pk])).content.decode()


def test_marking_lost_names_what_will_happen(browser, org):
    html = page_of(browser, "rep1", opened_bid(org, won=False))
    lost = _("Once marked as lost the bid is voided, and its project and opportunity are closed. "
             "This cannot be undone.")
    mark_lost = html.split('data-testid="mark-lost"')[1].split(">")[0]
    assert f'data-confirm="{escape(lost)}"' in mark_lost
    assert 'id="confirm-dialog"' in html


def test_abandoning_names_what_will_happen_and_its_reason_is_never_saved_for_another_action(browser, org):
    html = page_of(browser, "rep1", routed_bid(org))
    assert "data-confirm=" in html.split('data-testid="abandon"')[1].split(">")[0]
    assert 'data-dirty="discard"' in html.split('data-testid="abandon-form"')[1].split(">")[0]
    # Starting preparation is an everyday step: no confirmation.
    assert "data-confirm" not in html.split('data-testid="start-preparation"')[1].split(">")[0]


def test_facts_and_actions_left_timeline_and_related_records_right(browser, org):
    html = page_of(browser, "rep1", opened_bid(org))
    main, side = html.split('data-testid="detail-main"')[1].split('data-testid="detail-side"')
    assert 'data-testid="actions"' in main and 'data-testid="analysis"' in main
    assert 'data-testid="timeline"' in side and 'data-testid="documents"' in side and 'data-testid="bonds"' in side
    assert 'data-testid="actions"' not in side
