"""Supplier services as the web and API call them: registration checks, status changes with their rules, files,
bank accounts, and the eligibility procurement asks for."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, PermissionDenied, StaleVersion
from opsmon.suppliers import eligibility, reminders, selectors, services
from opsmon.suppliers.models import Supplier, SupplierBankAccount, SupplierQualification

from .factories import credit_code, pdf, qualification, qualified, supplier, today

pytestmark = pytest.mark.django_db


def actions(record):
    return [e.action for e in timeline.entries_for(record)]


def test_a_purchaser_registers_a_pending_supplier_with_a_number(org):
    s = supplier(org, categories=["hardware", "software"], is_sme=True, contact="张三")
    assert (s.status, s.is_sme, s.created_by, s.category_codes) == (
        "pending", True, org["buyer1"], ["hardware", "software"])
    assert s.number.startswith("GYS-")
    assert actions(s) == ["supplier.created"]


def test_an_invalid_credit_code_is_a_422_and_saves_nothing(org):
    before = Supplier.objects.count()
    good = credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(Invalid) as exc:
        services.supplier_create(actor=org["buyer1"], name="坏代码", credit_code="91110000ABC", categories=["hardware"])
    assert "credit_code" in exc.value.fields
    with pytest.raises(Invalid):
        services.supplier_create(actor=org["buyer1"], name="坏代码", credit_code=bad, categories=["hardware"])
    assert Supplier.objects.count() == before


def test_missing_name_and_unknown_category_are_named_together(org):
    with pytest.raises(Invalid) as exc:
        services.supplier_create(actor=org["buyer1"], name=" ", credit_code=credit_code(), categories=["nope"])
    assert {"name", "categories"} <= set(exc.value.fields)


def test_the_same_credit_code_twice_is_a_409_naming_the_first(org):
    code = credit_code()
    first = supplier(org, credit_code=code)
    before = Supplier.objects.count()
    with pytest.raises(Conflict) as exc:
        supplier(org, credit_code=code.lower())
    assert exc.value.status == 409 and exc.value.code == "duplicate_supplier"
    assert first.number in str(exc.value.message)
    assert Supplier.objects.count() == before


def test_who_may_register(org):
    for username in ("rep1", "keeper1", "finance1"):
        with pytest.raises(PermissionDenied):
            supplier(org, by=username)
    assert supplier(org, by="phead1").status == "pending"
    assert supplier(org, by="admin").status == "pending"


def test_edit_needs_the_version_read(org):
    s = supplier(org)
    s = services.supplier_update(actor=org["buyer1"], supplier=s, version=s.version, name="新名字",
                                 categories=["cloud"])
    assert (s.name, s.category_codes, s.version) == ("新名字", ["cloud"], 2)
    with pytest.raises(StaleVersion):
        services.supplier_update(actor=org["buyer1"], supplier=s, version=1, name="旧")
    with pytest.raises(PermissionDenied):
        services.supplier_update(actor=org["rep1"], supplier=s, version=s.version, name="x")
    assert Supplier.objects.get(pk=s.pk).name == "新名字"


def test_qualify_needs_a_licence_and_another_head(org):
    s = supplier(org)
    with pytest.raises(Conflict) as exc:
        services.supplier_qualify(actor=org["phead1"], supplier=s)
    assert exc.value.code == "licence_missing"
    qualification(org, s, kind="iso9001")
    with pytest.raises(Conflict):
        services.supplier_qualify(actor=org["phead1"], supplier=s)
    qualification(org, s, valid_to=today() - timedelta(days=1), valid_from=today() - timedelta(days=300))
    with pytest.raises(Conflict):  # an expired licence does not count
        services.supplier_qualify(actor=org["phead1"], supplier=s)
    qualification(org, s)
    with pytest.raises(PermissionDenied):
        services.supplier_qualify(actor=org["buyer1"], supplier=s)
    s = services.supplier_qualify(actor=org["phead1"], supplier=s)
    assert s.status == "qualified"
    assert actions(s)[-1] == "supplier.qualify"


def test_the_creator_cannot_qualify_his_own_supplier(org):
    s = supplier(org, by="phead1")
    qualification(org, s)
    with pytest.raises(PermissionDenied) as exc:
        services.supplier_qualify(actor=org["phead1"], supplier=s)
    assert exc.value.status == 403
    assert Supplier.objects.get(pk=s.pk).status == "pending"


def test_blacklist_needs_a_reason_and_restore_clears_it(org):
    s = qualified(org)
    with pytest.raises(Invalid) as exc:
        services.supplier_blacklist(actor=org["phead1"], supplier=s, reason="  ")
    assert exc.value.status == 422 and "reason" in exc.value.fields
    assert Supplier.objects.get(pk=s.pk).status == "qualified"
    with pytest.raises(PermissionDenied):
        services.supplier_blacklist(actor=org["buyer1"], supplier=s, reason="围标")
    until = today() + timedelta(days=365)
    s = services.supplier_blacklist(actor=org["phead1"], supplier=s, reason="围标串标", until=until)
    assert (s.status, s.status_reason, s.blacklisted_until) == ("blacklisted", "围标串标", until)
    with pytest.raises(Conflict):
        services.supplier_suspend(actor=org["phead1"], supplier=s, reason="x")
    with pytest.raises(Invalid):
        services.supplier_restore(actor=org["phead1"], supplier=s, reason="")
    s = services.supplier_restore(actor=org["phead1"], supplier=s, reason="申诉成立")
    assert (s.status, s.blacklisted_until) == ("qualified", None)


def test_suspend_from_qualified_only(org):
    s = supplier(org)
    with pytest.raises(Conflict):
        services.supplier_suspend(actor=org["phead1"], supplier=s, reason="交付延误")
    s = qualified(org)
    s = services.supplier_suspend(actor=org["phead1"], supplier=s, reason="交付延误")
    assert s.status == "suspended"


def test_qualification_file_is_checked_and_dates_validated(org):
    s = supplier(org)
    with pytest.raises(Invalid) as exc:
        services.qualification_add(actor=org["buyer1"], supplier=s, kind="business_licence", number="X",
                                   valid_from=today(), valid_to=today() - timedelta(days=1), upload=pdf())
    assert "valid_to" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        services.qualification_add(actor=org["buyer1"], supplier=s, kind="business_licence", number="X",
                                   valid_from=today(), valid_to=today(),
                                   upload=SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10))
    assert "file" in exc.value.fields
    assert not SupplierQualification.objects.filter(supplier=s).exists()
    with pytest.raises(PermissionDenied):
        qualification(org, s, by="keeper1")


def test_bank_accounts(org):
    s = supplier(org)
    account = services.bank_account_add(actor=org["buyer1"], supplier=s, bank="工商银行北京分行",
                                        account_name=s.name, account_no="6222 0200 1234 5678")
    assert account.account_no == "6222020012345678"
    with pytest.raises(Invalid) as exc:
        services.bank_account_add(actor=org["buyer1"], supplier=s, bank="工商银行", account_name=s.name,
                                  account_no="6222020012345678")
    assert "account_no" in exc.value.fields
    with pytest.raises(Invalid) as exc:
        services.bank_account_add(actor=org["buyer1"], supplier=s, bank="", account_name="", account_no="abc")
    assert {"bank", "account_name", "account_no"} <= set(exc.value.fields)
    assert SupplierBankAccount.objects.filter(supplier=s).count() == 1


def test_details_are_for_procurement_and_finance_only(org):
    s = supplier(org)
    for username in ("buyer1", "phead1", "finance1", "admin"):
        assert list(selectors.bank_accounts_of(actor=org[username], supplier=s)) == []
    for username in ("rep1", "keeper1"):
        with pytest.raises(PermissionDenied):
            selectors.qualifications_of(actor=org[username], supplier=s)
        assert selectors.supplier_get(actor=org[username], pk=s.pk) == s


def test_eligibility_on_a_day(org):
    s = qualified(org, categories=["subcontract"])
    day = today()
    refusal = eligibility.refusal(s, day)
    assert refusal is not None and refusal.code == "supplier_qualification_missing"  # ISO9001 etc. for subcontract
    for kind in ("iso9001", "software_copyright"):
        qualification(org, s, kind=kind)
    qualification(org, s, kind="safety_licence", valid_from=day - timedelta(days=100),
                  valid_to=day + timedelta(days=10))
    assert eligibility.refusal(s, day) is None
    later = eligibility.refusal(s, day + timedelta(days=11))  # the safety licence has expired by then
    assert later is not None and later.status == 409 and "安全生产许可证" in str(later.message)
    plain = qualified(org, categories=["hardware"])
    assert eligibility.refusal(plain, day) is None
    assert eligibility.refusal(plain, day + timedelta(days=400)).code == "supplier_qualification_missing"
    services.supplier_blacklist(actor=org["phead1"], supplier=plain, reason="违约")
    assert eligibility.refusal(Supplier.objects.get(pk=plain.pk), day).code == "supplier_blacklisted"
    assert eligibility.refusal(supplier(org), day).code == "supplier_not_qualified"


def test_an_expiring_qualification_reminds_procurement_until_renewed(org):
    s = qualified(org)
    q = qualification(org, s, kind="iso9001", valid_from=today() - timedelta(days=300),
                      valid_to=today() + timedelta(days=12))
    due = [d for d in reminders.qualification_reminders(timezone.now()) if q.number in d.text]
    assert {d.recipient.username for d in due} == {"buyer1", "phead1"}
    assert due[0].url == f"/suppliers/{s.pk}/#qualifications"
    qualification(org, s, kind="iso9001", valid_to=today() + timedelta(days=800))  # renewed
    assert not [d for d in reminders.qualification_reminders(timezone.now()) if q.number in d.text]
