"""The demo leaves a budgeted project with a request in each open state and an over-budget project."""

import pytest

from opsmon.opportunities import demo as opportunities_demo
from opsmon.procurement import demo, selectors
from opsmon.procurement.models import PurchaseRequest
from opsmon.projects import demo as projects_demo
from opsmon.projects.models import Project

from . import factories as f

pytestmark = pytest.mark.django_db


def test_demo_requests_and_budgets(org):
    f.routes()
    opportunities_demo.load()
    projects_demo.load()
    demo.load()
    demo.load()  # idempotent
    statuses = sorted(PurchaseRequest.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "draft", "returned", "submitted"]
    over = Project.objects.get(title=demo.OVER_BUDGET)
    cost = selectors.cost_of(over)
    assert cost["committed"] > cost["budget"]
