"""The history on a record's page names each action in the reader's language, never the fallback "Record changed"
(a label translated once in the view and looked up again as a key in the template read as unknown)."""

from opsmon.bids.tests.factories import opened_bid
from opsmon.contracts.tests.factories import routes, submitted
from opsmon.core.events import label


def _history(response) -> str:
    html = response.content.decode()
    return html[html.index('data-testid="timeline"'):]


def test_bid_and_contract_pages_label_every_history_row(org, browser, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    routes(org)
    bid = opened_bid(org)
    contract = submitted(org)
    client = browser("rep1")
    for url, action in ((f"/bids/{bid.pk}/", "bid.registered"), (f"/contracts/{contract.pk}/", "contract.submitted")):
        history = _history(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
        assert "记录已变更" not in history and "Record changed" not in history, url
        assert str(label(action)) in history, url
