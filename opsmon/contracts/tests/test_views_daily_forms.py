"""Issue 20, daily use: signing, archiving and terminating a contract name their consequence in the page before
they happen; the contract page lays facts, actions and the terms left, timeline and related records right."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from opsmon.contracts import selectors, services

from .factories import decide_all, draft, routes, signed, submitted


def page_of(browser, username, contract) -> str:
    return browser(username).get(reverse("contracts:detail", args=[contract.pk])).content.decode()


def attrs(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split(">")[0]


def test_signing_names_what_will_happen(browser, org):
    routes(org)
    html = page_of(browser, "rep1", decide_all(submitted(org)))
    sign = _("The contract is recorded as signed: the sale is won, its project goes to implementation, and the "
             "terms change only through amendments from now on.")
    assert f'data-confirm="{escape(sign)}"' in attrs(html, "sign")
    assert 'data-dirty="discard"' in attrs(html, "sign-form")


def test_terminating_names_what_will_happen(browser, org):
    routes(org)
    html = page_of(browser, "rep1", signed(org))
    assert "data-confirm=" in attrs(html, "terminate")
    assert 'data-dirty="discard"' in attrs(html, "terminate-form")


def test_draft_page_layout_and_submit_without_confirmation(browser, org):
    html = page_of(browser, "rep1", draft(org))
    main, side = html.split('data-testid="detail-main"')[1].split('data-testid="detail-side"')
    assert 'data-testid="actions"' in main and 'data-testid="edit-form"' in main
    assert 'data-testid="timeline"' in side and 'data-testid="actions"' not in side
    assert "data-confirm" not in attrs(html, "submit")  # submitting for review can be sent back: no confirmation


def test_only_the_last_review_step_asks_before_approving(browser, org):
    """Approving the last step approves the contract (it cannot be taken back); earlier steps say nothing."""
    routes(org)
    contract = submitted(org)
    first = selectors.current_step(contract)
    decider = first.deciders.select_related("user").first().user
    assert "data-confirm" not in attrs(page_of(browser, decider.username, contract), "approve")
    while True:  # approve up to the last step
        step = selectors.current_step(contract)
        later = step.review.steps.filter(position__gt=step.position).exists()
        if not later:
            break
        for d in step.deciders.filter(decision="").select_related("user"):
            contract = services.step_decide(actor=d.user, contract=contract, step_id=step.pk, decision="approve")
            if step.mode == "any":
                break
    last = selectors.current_step(contract).deciders.select_related("user").first().user
    assert "data-confirm=" in attrs(page_of(browser, last.username, contract), "approve")
