import pytest

from opsmon.codes import selectors, services
from opsmon.codes.models import CodeItem, CodeTable
from opsmon.core.errors import Conflict, Invalid, PermissionDenied

# The fixed table names of API.md.
TABLES = {"industry", "region", "customer_type", "opportunity_source", "opportunity_stage", "close_reason",
          "followup_kind", "tender_method", "scoring_method", "bond_method", "contract_type",
          "review_step_kind", "currency"}
# The procurement tables (API.md "Procurement"), seeded by suppliers/migrations/0002_seed_procurement_codes.
PROCUREMENT_TABLES = {"supplier_category", "purchase_method", "unit", "invoice_type", "payment_method", "tax_rate",
                      "qualification_kind", "single_source_reason"}


@pytest.mark.django_db
def test_every_table_is_seeded_with_labelled_items():
    assert set(CodeTable.objects.values_list("name", flat=True)) == TABLES | PROCUREMENT_TABLES
    for table in TABLES:
        items = list(selectors.items(table=table))
        assert len(items) >= 4, table
        assert all(i.label_zh and i.label_en for i in items), table


@pytest.mark.django_db
def test_seed_has_the_domain_values():
    methods = {i.label_zh for i in selectors.items(table="tender_method")}
    assert {"公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "单一来源", "询价"} <= methods
    assert {i.code for i in selectors.items(table="close_reason")} == {"lost", "abandoned", "duplicate", "invalid",
                                                                      "lost_bid"}
    assert {i.code for i in selectors.items(table="followup_kind")} == {"visit", "call", "meeting", "email", "other"}
    assert "CNY" in {i.code for i in selectors.items(table="currency")}
    stages = list(selectors.items(table="opportunity_stage"))
    assert all(i.probability is not None for i in stages)
    assert [i.probability for i in stages] == sorted(i.probability for i in stages)


def test_label_follows_the_active_language(db):
    from django.utils import translation
    item = selectors.item_get(table="tender_method", code="open_tender")
    with translation.override("zh-hans"):
        assert item.label == "公开招标"
    with translation.override("en"):
        assert item.label == "Open tender"


def test_admin_adds_and_deactivates_an_item_which_then_fails_validation(org):
    table = selectors.table_get(name="industry")
    services.item_create(actor=org["admin"], table=table, code="aerospace", label_zh="航空航天", label_en="Aerospace")
    assert selectors.require_active(table="industry", code="aerospace", field="industry").label_zh == "航空航天"
    item = selectors.item_get(table="industry", code="aerospace")
    services.item_update(actor=org["admin"], item=item, active=False)
    with pytest.raises(Invalid) as err:
        selectors.require_active(table="industry", code="aerospace", field="industry")
    assert err.value.status == 422 and "industry" in err.value.fields
    assert selectors.label_of(table="industry", code="aerospace") == "航空航天"  # old records keep the label


def test_items_are_never_deleted(db):
    item = CodeItem.objects.first()
    with pytest.raises(TypeError):
        item.delete()
    assert CodeItem.objects.filter(pk=item.pk).exists()


def test_only_admin_edits_codes(org):
    table = selectors.table_get(name="industry")
    with pytest.raises(PermissionDenied):
        services.item_create(actor=org["market1"], table=table, code="x", label_zh="x", label_en="x")


def test_bad_code_items_are_refused_with_the_field_named(org):
    admin, table = org["admin"], selectors.table_get(name="industry")
    with pytest.raises(Invalid) as err:
        services.item_create(actor=admin, table=table, code="has space", label_zh="甲", label_en="A")
    assert "code" in err.value.fields
    with pytest.raises(Invalid) as err:
        services.item_create(actor=admin, table=table, code="ok", label_zh="", label_en="A")
    assert "label_zh" in err.value.fields
    with pytest.raises(Conflict):
        services.item_create(actor=admin, table=table, code="energy", label_zh="甲", label_en="A")
    with pytest.raises(Invalid) as err:
        services.item_create(actor=admin, table=table, code="p", label_zh="甲", label_en="A", probability=50)
    assert "probability" in err.value.fields
    stage = selectors.item_get(table="opportunity_stage", code="proposal")
    with pytest.raises(Invalid):
        services.item_update(actor=admin, item=stage, probability=150)
    assert selectors.item_get(table="opportunity_stage", code="proposal").probability == 50
