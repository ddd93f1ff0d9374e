"""Suppliers through real HTTP: register, file a licence (multipart), add a bank account, qualify, blacklist and
restore; every refusal's status and field; who reads the details; the code tables' values."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from opsmon.suppliers import demo
from opsmon.suppliers.models import Supplier

from .factories import PDF, credit_code

pytestmark = pytest.mark.django_db(transaction=True)


def body(**kw):
    return {"name": "测试供应商有限公司", "credit_code": credit_code(), "categories": ["hardware"], "is_sme": True,
            "contact": "王工", **kw}


def licence(client, supplier_id, *, kind="business_licence", days=365, content=PDF, name="licence.pdf"):
    today = timezone.localdate()
    return client.post(f"/api/v1/suppliers/{supplier_id}/qualifications",
                       data={"kind": kind, "number": "L-1", "valid_from": (today - timedelta(days=10)).isoformat(),
                             "valid_to": (today + timedelta(days=days)).isoformat()},
                       files={"file": (name, content, "application/pdf")})


def test_a_supplier_from_registration_to_qualified(http, org):
    buyer, head, rep = http("buyer1"), http("phead1"), http("rep1")
    created = buyer.post("/api/v1/suppliers", json=body())
    assert created.status_code == 201, created.text
    s = created.json()
    assert (s["status"], s["categories"][0]["code"], s["owner"]["username"]) == ("pending", "hardware", "buyer1")
    assert s["number"].startswith("GYS-") and "edit" in s["allowed_actions"]
    sid = s["id"]
    assert head.get(f"/api/v1/suppliers/{sid}").json()["allowed_actions"].count("qualify") == 0  # no licence yet
    assert head.post(f"/api/v1/suppliers/{sid}/qualify", json={}).json()["error"]["code"] == "licence_missing"
    filed = licence(buyer, sid)
    assert filed.status_code == 201, filed.text
    assert filed.json()["kind"]["code"] == "business_licence" and filed.json()["valid_today"]
    download = buyer.get(filed.json()["download_url"])
    assert download.status_code == 200 and download.content == PDF
    assert rep.get(filed.json()["download_url"]).status_code == 404
    account = buyer.post(f"/api/v1/suppliers/{sid}/bank-accounts",
                         json={"bank": "工商银行", "account_name": "测试供应商有限公司", "account_no": "62220200123"})
    assert account.status_code == 201, account.text
    assert "qualify" in head.get(f"/api/v1/suppliers/{sid}").json()["allowed_actions"]
    assert buyer.post(f"/api/v1/suppliers/{sid}/qualify", json={}).status_code == 403
    qualified = head.post(f"/api/v1/suppliers/{sid}/qualify", json={"comment": "资料齐全"})
    assert qualified.status_code == 200, qualified.text
    assert qualified.json()["status"] == "qualified"
    assert set(qualified.json()["allowed_actions"]) >= {"suspend", "blacklist"}
    # basics public; details for procurement and finance only
    assert rep.get(f"/api/v1/suppliers/{sid}").json()["allowed_actions"] == []
    assert rep.get(f"/api/v1/suppliers/{sid}/bank-accounts").status_code == 403
    assert rep.get(f"/api/v1/suppliers/{sid}/qualifications").status_code == 403
    assert http("finance1").get(f"/api/v1/suppliers/{sid}/bank-accounts").json()["count"] == 1
    timeline = [e["action"] for e in rep.get(f"/api/v1/suppliers/{sid}/timeline").json()]
    assert timeline == ["supplier.created", "supplier.qualification_added", "supplier.bank_account_added",
                        "supplier.qualify"]


def test_refusals_name_their_field_and_change_nothing(http, org):
    buyer, head = http("buyer1"), http("phead1")
    count = Supplier.objects.count()
    bad = buyer.post("/api/v1/suppliers", json=body(credit_code="911100001234567890"))
    assert bad.status_code == 422 and "credit_code" in bad.json()["error"]["fields"]
    assert buyer.post("/api/v1/suppliers", json={**body(), "colour": "red"}).status_code == 422
    assert http("keeper1").post("/api/v1/suppliers", json=body()).status_code == 403
    first = buyer.post("/api/v1/suppliers", json=body(credit_code=credit_code(77)))
    assert first.status_code == 201
    again = buyer.post("/api/v1/suppliers", json=body(credit_code=credit_code(77), name="别名"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_supplier"
    assert Supplier.objects.count() == count + 1
    sid = first.json()["id"]
    wrong_type = licence(buyer, sid, content=b"just text", name="licence.pdf")
    assert wrong_type.status_code == 422 and "file" in wrong_type.json()["error"]["fields"]
    stale = buyer.patch(f"/api/v1/suppliers/{sid}", json={"version": 99, "name": "新"})
    assert stale.status_code == 409
    edited = buyer.patch(f"/api/v1/suppliers/{sid}", json={"version": 1, "name": "新名称", "categories": ["cloud"]})
    assert edited.status_code == 200 and edited.json()["name"] == "新名称" and edited.json()["version"] == 2
    no_reason = head.post(f"/api/v1/suppliers/{sid}/blacklist", json={"reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]["fields"]
    assert head.post(f"/api/v1/suppliers/{sid}/restore", json={"reason": "x"}).status_code == 409
    black = head.post(f"/api/v1/suppliers/{sid}/blacklist", json={"reason": "虚假材料", "until": "2030-01-01"})
    assert black.status_code == 200 and black.json()["blacklisted_until"] == "2030-01-01"
    assert black.json()["allowed_actions"] == ["edit", "add_qualification", "add_bank_account", "restore"]
    assert buyer.get("/api/v1/suppliers/999999").status_code == 404
    assert http().get("/api/v1/suppliers").status_code == 401


def test_list_filters_and_export(http, org):
    demo.load()
    rep = http("rep1")
    listed = rep.get("/api/v1/suppliers?status=blacklisted").json()
    assert [s["name"] for s in listed["items"]] == ["广州恒通电子设备有限公司"]
    expiring = rep.get("/api/v1/suppliers?expiring=true").json()
    assert [s["name"] for s in expiring["items"]] == ["深圳迅达网络技术有限公司"]
    software = rep.get("/api/v1/suppliers?category=software").json()
    assert [s["name"] for s in software["items"]] == ["上海云栖软件科技有限公司"]
    export = rep.get("/api/v1/suppliers/export.xlsx?status=pending")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][1] == "南京博远数据服务有限公司"


def test_code_items_answer_their_values(http, org):
    client = http("rep1")
    methods = {i["code"]: i for i in client.get("/api/v1/codes/purchase_method").json()["items"]}
    assert (methods["direct"]["min_quotations"], methods["open_tender"]["min_quotations"]) == (1, 3)
    assert methods["open_tender"]["label"] == "公开招标"
    invoices = {i["code"]: i["deductible"] for i in client.get("/api/v1/codes/invoice_type").json()["items"]}
    assert invoices == {"vat_special": True, "vat_ordinary": False, "e_special": True, "e_ordinary": False}
    rates = [i["rate"] for i in client.get("/api/v1/codes/tax_rate").json()["items"]]
    assert rates == ["13", "9", "6", "3", "1", "0"]
    kinds = {i["code"]: i["mandatory_for"] for i in client.get("/api/v1/codes/qualification_kind").json()["items"]}
    assert kinds["business_licence"] == ["*"] and kinds["iso9001"] == ["subcontract"]
    admin = http("admin")
    bad = admin.patch("/api/v1/codes/purchase_method/inquiry", json={"value": "three"})
    assert bad.status_code == 422 and "value" in bad.json()["error"]["fields"]
    good = admin.patch("/api/v1/codes/purchase_method/inquiry", json={"value": "2"})
    assert good.status_code == 200 and good.json()["min_quotations"] == 2
    assert admin.patch("/api/v1/codes/industry/energy", json={"value": "2"}).status_code == 422
    assert admin.patch("/api/v1/codes/qualification_kind/other", json={"value": "nope"}).status_code == 422
