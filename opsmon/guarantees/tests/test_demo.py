"""The demo shows every state of a letter: expiring soon, expired while still needed, extended, released, and one
on a contract; the expiring ones are in the bid assistant's inbox."""

import pytest
from django.utils import timezone

from opsmon import demo
from opsmon.core.inbox import items_for
from opsmon.guarantees import selectors
from opsmon.guarantees.models import GuaranteeLetter

pytestmark = pytest.mark.django_db


def test_the_demo_shows_each_state_of_a_letter(org):
    demo.load()
    today = timezone.localdate()
    letters = list(GuaranteeLetter.objects.select_related("bond__bid", "contract"))
    flagged = {letter.number for letter in letters if selectors.is_flagged(letter, today)}
    assert flagged == {"BG-DEMO-0001", "BG-DEMO-0002"}
    assert GuaranteeLetter.objects.get(number="BG-DEMO-0002").valid_to < today
    assert GuaranteeLetter.objects.get(number="BG-DEMO-0003").periods.count() == 2
    assert GuaranteeLetter.objects.get(number="BG-DEMO-0004").status == "released"
    assert GuaranteeLetter.objects.get(number="PG-DEMO-0001").contract.status == "signed"
    inbox = {i.record_id for i in items_for(org["assistant1"]) if i.record_type == "guarantee_letter"}
    assert inbox == {GuaranteeLetter.objects.get(number=n).pk for n in flagged}
    demo.load()
    assert GuaranteeLetter.objects.count() == len(letters) == 5
