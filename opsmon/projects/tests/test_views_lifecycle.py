"""The project page after an abandoned bid: the retender and close buttons (from rules.allowed_actions), the close
reason kept in the form on a refusal, and the end states' badges on the page and in the list."""

import re

from django.urls import reverse

from opsmon.bids import services as bid_services
from opsmon.bids.tests.factories import routed_bid
from opsmon.projects.models import Project


def abandoned(org):
    bid = routed_bid(org)
    bid_services.bid_abandon(actor=org["rep1"], bid=bid, reason="流标")
    return Project.objects.get(pk=bid.project_id)


def actions(response) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode()))


def test_the_owner_sees_retender_and_close_and_bids_again(browser, org):
    project = abandoned(org)
    client = browser("rep1")
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert {"retender", "close"} <= actions(page)
    market = browser("market1").get(reverse("projects:detail", args=[project.pk]))  # sees it, decides nothing
    assert market.status_code == 200 and not {"retender", "close"} & actions(market)
    client = browser("rep1")
    response = client.post(reverse("projects:retender", args=[project.pk]))
    assert response.status_code == 302
    assert project.bids.count() == 2
    page = client.get(reverse("projects:detail", args=[project.pk]))
    assert not {"retender", "close"} & actions(page)


def test_a_refused_close_keeps_the_reason_typed(browser, org):
    project = abandoned(org)
    client = browser("rep1")
    typed = "客户改为单一来源采购" * 60  # over the 500 characters a reason may have
    response = client.post(reverse("projects:close", args=[project.pk]), {"reason": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert typed in body and 'data-testid="close-form"' in body
    assert Project.objects.get(pk=project.pk).status == "bidding"
    # refused by the rule (someone bid again meanwhile): 409 with the reason on the page, nothing changed
    from opsmon.projects import services
    services.project_retender(actor=org["head1"], project=project)
    response = client.post(reverse("projects:close", args=[project.pk]), {"reason": "放弃"})
    assert response.status_code == 409 and 'data-testid="action-error"' in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == "bidding"


def test_an_empty_reason_is_refused_next_to_the_field_and_the_page_closes_with_a_reason(browser, org):
    project = abandoned(org)
    client = browser("rep1")
    response = client.post(reverse("projects:close", args=[project.pk]), {"reason": "  "})
    assert response.status_code == 422
    assert 'data-testid="close-form"' in response.content.decode()
    response = client.post(reverse("projects:close", args=[project.pk]), {"reason": "客户改为单一来源采购"})
    assert response.status_code == 302
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-status="lost"' in page and "客户改为单一来源采购" in page
    listing = client.get(reverse("projects:list")).content.decode()
    assert 'data-status="lost"' in listing
    opportunity = client.get(reverse("opportunities:detail", args=[project.opportunity_id])).content.decode()
    assert 'data-outcome="lost"' in opportunity and 'data-status="closed"' in opportunity
