"""The desktop client's description of sourcings names paths and bodies the API has."""

import pytest

from opsmon.core import ui
from opsmon.web.tests import test_ui_resources as t

schema, operations = t.schema, t.operations


@pytest.mark.django_db
def test_the_sourcing_description_matches_the_api(schema, operations, monkeypatch):  # noqa: F811
    monkeypatch.setattr(ui, "resources", lambda: [ui.get("sourcings")])
    t.test_every_described_path_and_body_exists_in_the_api(schema, operations, None)
    t.test_every_described_record_answers_its_allowed_actions(schema, operations)
