"""A letter released tomorrow is refused (issue 20, item 3) in the one wording of core.workflow."""

from datetime import timedelta

import pytest

from opsmon.core.errors import Invalid
from opsmon.core.workflow import future_refusal
from opsmon.guarantees import services

from .factories import bond_letter, today


def test_a_release_in_the_future_is_refused(org):
    letter = bond_letter(org)
    with pytest.raises(Invalid) as error:
        services.letter_release(actor=org["assistant1"], letter=letter, released_on=today() + timedelta(days=1))
    assert error.value.status == 422 and error.value.fields["released_on"] == [future_refusal()]
    letter.refresh_from_db()
    assert letter.status != "released"
