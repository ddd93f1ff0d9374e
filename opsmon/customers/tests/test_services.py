import pytest

from opsmon.core.errors import Conflict, Invalid, PermissionDenied, StaleVersion
from opsmon.customers import services
from opsmon.customers.models import Customer

VALID_CODE = "91350100M000100Y43"


def test_rep_records_a_customer_with_contacts(org):
    customer = services.customer_create(
        actor=org["rep1"], name="国网某省电力有限公司", customer_type="soe", credit_code=VALID_CODE.lower(),
        industry="energy", region="350000",
        contacts=[{"name": "王工", "title": "信息中心主任", "phone": "13800000000"}])
    assert customer.credit_code == VALID_CODE
    assert customer.owner == org["rep1"] and customer.department.name == "销售一部"
    assert [c.name for c in customer.contacts.all()] == ["王工"]


@pytest.mark.parametrize("name", ["国网某省电力有限公司", " 国网某省电力 有限公司 ", "国网某省电力有限公司。"])
def test_same_normalised_name_is_a_duplicate_naming_the_existing_one(org, name):
    existing = services.customer_create(actor=org["rep1"], name="国网某省电力有限公司", customer_type="soe")
    with pytest.raises(Conflict) as err:
        services.customer_create(actor=org["rep2"], name=name, customer_type="soe")
    assert err.value.code == "duplicate_customer"
    assert err.value.fields["existing_id"] == [str(existing.pk)]
    assert Customer.objects.count() == 1


def test_full_width_brackets_do_not_hide_a_duplicate(org):
    services.customer_create(actor=org["rep1"], name="某某科技(集团)有限公司", customer_type="private")
    with pytest.raises(Conflict):
        services.customer_create(actor=org["rep1"], name="某某科技（集团）有限公司", customer_type="private")


def test_same_credit_code_is_a_duplicate_even_under_another_name(org):
    services.customer_create(actor=org["rep1"], name="甲公司", customer_type="soe", credit_code=VALID_CODE)
    with pytest.raises(Conflict):
        services.customer_create(actor=org["rep2"], name="乙公司", customer_type="soe", credit_code=VALID_CODE)


def test_bad_customer_input_names_each_field_and_saves_nothing(org):
    with pytest.raises(Invalid) as err:
        services.customer_create(actor=org["rep1"], name="", customer_type="martian", credit_code="91350100M000100Y44",
                                 industry="alchemy", contacts=[{"name": ""}])
    assert {"name", "customer_type", "credit_code", "industry", "contacts.0.name"} <= set(err.value.fields)
    assert Customer.objects.count() == 0


def test_edit_needs_the_current_version_and_the_right_person(org):
    customer = services.customer_create(actor=org["rep1"], name="甲公司", customer_type="soe")
    with pytest.raises(PermissionDenied):
        services.customer_update(actor=org["rep2"], customer=customer, version=1, address="北京")
    services.customer_update(actor=org["head1"], customer=customer, version=1, address="北京市海淀区")
    with pytest.raises(StaleVersion):
        services.customer_update(actor=org["rep1"], customer=customer, version=1, address="上海")
    assert Customer.objects.get(pk=customer.pk).address == "北京市海淀区"
