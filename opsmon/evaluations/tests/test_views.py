"""The Evaluation section of the order's page and the evaluation form (refused: shown again with what was
typed)."""

import pytest
from django.test import RequestFactory

from opsmon.evaluations import views
from opsmon.evaluations.models import SupplierEvaluation
from opsmon.receiving.tests import factories as f

pytestmark = pytest.mark.django_db


def test_section_and_form(browser, org):
    po = f.order(org)
    f.accepted(org, po, ["2", "10"])
    request = RequestFactory().get("/")
    request.user = org["buyer1"]
    html = views.order_section(request=request, order=po)
    assert 'data-testid="no-evaluation"' in html and 'data-testid="evaluation-form"' in html
    request.user = org["keeper1"]
    assert 'data-testid="evaluation-form"' not in views.order_section(request=request, order=po)

    client = browser("buyer1")
    url = f"/procurement/evaluations/orders/{po.pk}/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"price": "120", "service": "80", "comment": "价格偏高"})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-field-error="price"' in html and 'value="120"' in html and "价格偏高" in html
    assert client.post(url, {"price": "80", "service": "90", "comment": ""}).status_code == 302
    assert SupplierEvaluation.objects.get(order=po).grade == "A"
    request.user = org["buyer1"]
    assert 'data-grade="A"' in views.order_section(request=request, order=po)
    assert browser("rep1").get(url).status_code == 404
    assert browser("keeper1").get(url).status_code == 403
