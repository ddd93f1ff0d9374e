"""Code items' optional `value` (issue 16): checked per table, kept by the admin page, absent elsewhere."""

import pytest
from django.urls import reverse

from opsmon.codes import selectors, services
from opsmon.codes.models import CodeItem
from opsmon.core.errors import Invalid

pytestmark = pytest.mark.django_db


def test_values_are_checked_by_table(org):
    admin = org["admin"]
    table = selectors.table_get(name="tax_rate")
    item = services.item_create(actor=admin, table=table, code="5", label_zh="5%", label_en="5%", value="5.5")
    assert selectors.typed_value("tax_rate", item.value) == "5.5"
    for bad in ("101", "abc", "1.234", "-1"):
        with pytest.raises(Invalid) as exc:
            services.item_update(actor=admin, item=item, value=bad)
        assert "value" in exc.value.fields
    assert CodeItem.objects.get(pk=item.pk).value == "5.5"
    with pytest.raises(Invalid):
        services.item_create(actor=admin, table=selectors.table_get(name="industry"), code="x", label_zh="x",
                             label_en="x", value="1")
    kind = selectors.item_get(table="qualification_kind", code="other")
    services.item_update(actor=admin, item=kind, value="software, cloud")
    assert selectors.typed_value("qualification_kind", CodeItem.objects.get(pk=kind.pk).value) == [
        "software", "cloud"]


def test_the_admin_page_edits_the_value_where_the_table_has_one(org, browser):
    client = browser("admin")
    page = client.get(reverse("codes:item_edit", args=["purchase_method", "inquiry"])).content.decode()
    assert 'name="value"' in page and 'value="3"' in page
    assert 'name="value"' not in client.get(reverse("codes:item_edit", args=["industry", "energy"])).content.decode()
    response = client.post(reverse("codes:item_edit", args=["purchase_method", "inquiry"]), {
        "code": "inquiry", "label_zh": "询价", "label_en": "Request for quotation", "order": 30, "active": "on",
        "value": "0"})
    assert response.status_code == 200 and 'data-field-error="value"' in response.content.decode()
    response = client.post(reverse("codes:item_edit", args=["purchase_method", "inquiry"]), {
        "code": "inquiry", "label_zh": "询价", "label_en": "Request for quotation", "order": 30, "active": "on",
        "value": "2"})
    assert response.status_code == 302
    assert selectors.item_get(table="purchase_method", code="inquiry").value == "2"
