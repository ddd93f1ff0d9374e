"""The demo suppliers: one of each state PROCUREMENT.md asks for, loaded twice without change."""

import pytest

from opsmon.suppliers import demo, eligibility, reminders
from opsmon.suppliers.models import Supplier

from .factories import today

pytestmark = pytest.mark.django_db


def test_demo_suppliers(org):
    demo.load()
    demo.load()
    states = sorted(Supplier.objects.values_list("status", flat=True))
    assert states == ["blacklisted", "pending", "qualified", "qualified", "qualified", "qualified"]
    expiring = reminders.expiring(today=today())
    assert [e.qualification.supplier.name for e in expiring] == ["深圳迅达网络技术有限公司"]
    eligible = [s.name for s in Supplier.objects.all() if eligibility.is_eligible(s, today())]
    assert "杭州联创系统集成有限公司" in eligible and len(eligible) == 4
