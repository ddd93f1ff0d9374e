"""A reviewer of a contract reads what he decides on (issue 22, item 6): the bid behind it, its opening record and
its bonds, read-only; nobody else gains anything, and his reading ends with nothing he could act on."""

import pytest

from opsmon.bids import rules as bid_rules
from opsmon.bids import selectors as bid_selectors
from opsmon.bids.services import bid_create_contract, bid_mark_won, bond_create
from opsmon.bids.tests.factories import opened_bid
from opsmon.contracts import services
from opsmon.contracts.tests.factories import routes, terms
from opsmon.core.errors import NotFound


@pytest.fixture
def reviewed_bid(org):
    routes(org)
    bid = bid_mark_won(actor=org["head1"], bid=opened_bid(org, won=True))
    bond_create(actor=org["assistant1"], bid=bid, kind="performance", amount="50000", method="bank_transfer")
    contract = bid_create_contract(actor=org["rep1"], bid=bid)
    contract = services.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                        **terms(amount=f"{contract.amount:.2f}"))
    services.contract_submit(actor=org["rep1"], contract=contract)
    return bid


def test_a_decider_of_the_contract_reads_its_bid_and_bonds_and_may_do_nothing_on_them(org, reviewed_bid):
    for reviewer in ("legal1", "finance1"):
        user = org[reviewer]
        bid = bid_selectors.bid_get(actor=user, pk=reviewed_bid.pk)
        assert bid.pk == reviewed_bid.pk
        assert [b.kind for b in bid_selectors.bond_list(actor=user, bid=bid)] == ["performance"]
        assert bid_rules.allowed_actions(user, bid) == []


def test_nobody_outside_the_review_gains_the_bid(org, reviewed_bid):
    for outsider in ("rep2", "head2"):
        with pytest.raises(NotFound):
            bid_selectors.bid_get(actor=org[outsider], pk=reviewed_bid.pk)


def test_the_contract_page_links_only_what_the_reader_may_open(org, reviewed_bid, browser):
    contract = reviewed_bid.contracts.get()
    html = browser("legal1").get(f"/contracts/{contract.pk}/").content.decode()
    assert f'href="/bids/{reviewed_bid.pk}/"' in html  # he reads the bid behind it
    assert f'href="/opportunities/{contract.opportunity_id}/"' not in html  # 404 for him: the number as text
    assert f'href="/projects/{contract.project_id}/"' not in html
    assert contract.opportunity.number in html and contract.project.number in html
    owner = browser("rep1").get(f"/contracts/{contract.pk}/").content.decode()
    assert f'href="/opportunities/{contract.opportunity_id}/"' in owner
    assert f'href="/projects/{contract.project_id}/"' in owner
    assert browser("legal1").get(f"/bids/{reviewed_bid.pk}/").status_code == 200
