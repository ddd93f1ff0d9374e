"""The desktop client's description of payment requests and retentions names paths and bodies the API has."""

import pytest

from opsmon.core import ui
from opsmon.payments import rules
from opsmon.web.tests import test_ui_resources as t

schema, operations = t.schema, t.operations


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["payment-requests", "retentions"])
def test_the_payment_descriptions_match_the_api(schema, operations, monkeypatch, name):  # noqa: F811
    monkeypatch.setattr(ui, "resources", lambda: [ui.get(name)])
    t.test_every_described_path_and_body_exists_in_the_api(schema, operations, None)
    t.test_every_described_record_answers_its_allowed_actions(schema, operations)


def test_every_action_the_rules_offer_is_described():
    assert {a.name for a in ui.get("payment-requests").actions} == set(rules.RULES)
    assert {a.name for a in ui.get("retentions").actions} == set(rules.RETENTION_RULES)
