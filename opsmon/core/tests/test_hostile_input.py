"""Hostile input at the API: malformed bodies, wrong content types, numbers no column can hold, deep nesting, NUL
characters and very long strings are 4xx, never 5xx, and change nothing; uploads through real HTTP on the bid
document, contract attachment and contract signing endpoints refuse forged, bombed, oversize and scriptable
files and neutralise polyglots and hostile names. (bids/tests/test_api.py covers the basic hostile bid uploads.)"""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opsmon.accounts import services as accounts
from opsmon.bids.models import BidDocument
from opsmon.bids.tests.factories import routed_bid
from opsmon.contracts.models import Attachment, Contract
from opsmon.contracts.tests.factories import decide_all, draft, routes, submitted
from opsmon.core.models import StoredFile
from opsmon.core.tests import world
from opsmon.customers.models import Customer
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests.factories import customer, opportunity

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML_IN_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(2)</script></svg>"
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def jpeg_zip() -> bytes:
    """A JPEG whose bytes also open as a zip archive (the archive appended after the image)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("index.html", HTML)
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9" + buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * (30 * 1024 * 1024))
    return buf.getvalue()


class Api:
    """The Django test client speaking to the API with a bearer token."""

    def __init__(self, user):
        self.client = Client()
        self.key, _ = accounts.token_issue(user=user)

    def send(self, method, path, body=None, content_type="application/json"):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.key}"}
        if body is not None:
            extra.update(data=body, content_type=content_type)
        return getattr(self.client, method)(path, **extra)


def code_of(response):
    return response.json()["error"]["code"]


# --- bodies ----------------------------------------------------------------------------------------------------

DEEP_LIST = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 5_000 + "1" + "}" * 5_000
MALFORMED = [  # (body, content type, status)
    ("{not json", "application/json", 400),
    ("title=x&customer_id=1", "application/x-www-form-urlencoded", 400),
    ("<opportunity><title>x</title></opportunity>", "text/xml", 400),
    ("title: x", "text/plain", 400),
    (b"\xff\xfe\x00\x01", "application/json", 400),
    ("", "application/json", 422),  # no body: every field is missing
    ("[1, 2]", "application/json", 400),  # ninja would read a list as an object with no fields
    ("null", "application/json", 400),
    ('"a string"', "application/json", 400),
    ("42", "application/json", 400),
    ('{"title": NaN}', "application/json", 400),
    ('{"title": "x", "estimated_amount": Infinity}', "application/json", 400),
    ('{"title": "nul\\u0000byte"}', "application/json", 400),
    (DEEP_LIST, "application/json", 400),
    (DEEP_OBJECT, "application/json", 400),
]


@pytest.fixture
def records(org):
    routes(org)
    return {"opportunity": opportunity(org["rep1"]), "contract": draft(org), "bid": routed_bid(org),
            "customer": customer(org["rep1"])}


def test_malformed_bodies_and_wrong_content_types_are_400_or_422_and_change_nothing(org, records):
    api = Api(org["rep1"])
    targets = [("post", "/api/v1/opportunities"), ("post", "/api/v1/customers"),
               ("patch", f"/api/v1/contracts/{records['contract'].pk}"),
               ("put", f"/api/v1/bids/{records['bid'].pk}/tender-analysis"),
               ("post", f"/api/v1/opportunities/{records['opportunity'].pk}/follow-ups")]
    before = world.snapshot()
    for method, path in targets:
        for body, content_type, status in MALFORMED:
            response = api.send(method, path, body, content_type)
            assert response.status_code == status, (method, path, str(body)[:40], response.content[:200])
            assert set(response.json()) == {"error"}
    assert world.diff(before, world.snapshot()) == {}


def test_numbers_no_column_can_hold_are_422_or_400(org, records):
    """Amounts and ids beyond any column, NaN, infinities: refused naming the field (400 where SQLite itself
    cannot bind the number)."""
    api = Api(org["rep1"])
    opp, contract, bid = records["opportunity"], records["contract"], records["bid"]
    opportunities = Opportunity.objects.count()
    base = {"title": "超大金额", "customer_id": opp.customer_id,
            "expected_close_date": (timezone.localdate() + timedelta(days=9)).isoformat()}
    for amount in ("1e309", str(10**30), "99999999999999999999", "NaN", "-Infinity", "-1", "0x10", "1,2.3.4"):
        response = api.send("post", "/api/v1/opportunities", json.dumps({**base, "estimated_amount": amount}))
        assert response.status_code == 422 and "estimated_amount" in response.json()["error"]["fields"], amount
    response = api.send("post", "/api/v1/opportunities", '{"title": "x", "estimated_amount": 1e309}')
    assert response.status_code == 422 and "estimated_amount" in response.json()["error"]["fields"]
    for value in (10**30, 2**63, 2**63 - 1, -1):
        response = api.send("post", "/api/v1/opportunities", json.dumps({**base, "estimated_amount": "1",
                                                                           "customer_id": value}))
        assert response.status_code == 422 and "customer_id" in response.json()["error"]["fields"], value
        response = api.send("post", "/api/v1/opportunities", json.dumps({**base, "estimated_amount": "1",
                                                                           "member_ids": [value]}))
        assert response.status_code in (400, 422), value  # 400: SQLite cannot even bind the number
    patches = [{"amount": "1e309"}, {"amount": str(10**20)}, {"tax_rate": "1e309"}, {"tax_rate": "NaN"},
               {"milestones": [{"name": "a", "condition": "b", "percentage": "1e309"}]},
               {"milestones": [{"name": "a", "condition": "b", "amount": "99999999999999999"}]}]
    for patch in patches:
        response = api.send("patch", f"/api/v1/contracts/{contract.pk}",
                            json.dumps({"version": contract.version, **patch}))
        assert response.status_code == 422, (patch, response.content[:200])
    for field in ("estimated_price", "ceiling_price"):
        response = api.send("put", f"/api/v1/bids/{bid.pk}/tender-analysis", json.dumps({field: str(10**25)}))
        assert response.status_code == 422, field
    assert api.send("patch", f"/api/v1/contracts/{contract.pk}",
                    json.dumps({"version": 2**63 - 1, "title": "x"})).status_code == 409
    assert Opportunity.objects.count() == opportunities
    assert Contract.objects.get(pk=contract.pk).version == contract.version


@pytest.mark.parametrize("query", [
    f"page={10**20}", f"page_size={10**20}", "page=-1", "page=0", "page=1e309", "page_size=NaN",
    f"owner={10**20}", f"department={10**20}", f"department={2**63}", "amount_min=1e309", "amount_max=-1",
    f"expiring_within={10**20}", "signed_from=10000-01-01", "signed_from=2026-02-30", "q=%00", "ordering=%00",
    "q=" + "长" * 5000,
])
def test_hostile_queries_on_lists_are_never_5xx(org, query):
    api = Api(org["admin"])
    for path in ("/api/v1/contracts", "/api/v1/opportunities", "/api/v1/users", "/api/v1/bids", "/api/v1/bonds",
                 "/api/v1/customers", "/api/v1/projects"):
        response = api.send("get", f"{path}?{query}")
        assert response.status_code in (200, 400, 422), (path, query, response.content[:200])


@pytest.mark.parametrize("path", [
    f"/api/v1/opportunities/{10**20}", f"/api/v1/contracts/{2**63}", f"/api/v1/bids/documents/{10**30}/download",
    f"/api/v1/users/{10**20}", f"/api/v1/codes/{'x' * 5000}", "/api/v1/codes/%00", f"/opportunities/{10**20}/",
    f"/contracts/{2**64}/", f"/admin/codes/industry/{'x' * 3000}/", f"/opportunities/?q={'x' * 3000}",
    "/opportunities/?q=%00", f"/contracts/?owner={10**20}", f"/bids/?department={10**20}", "/admin/users/?q=%00",
    "/customers/?q=%00", f"/contracts/{1}/versions/?a={10**20}&b=%00",
])
def test_hostile_paths_are_4xx_on_api_and_pages(client, org, path):
    client.force_login(org["admin"])
    response = client.get(path)
    assert 400 <= response.status_code < 500 or (response.status_code == 200 and "%00" not in path), \
        (path, response.status_code)


def test_very_long_strings_are_422_naming_the_field(org, records):
    api = Api(org["rep1"])
    opp = records["opportunity"]
    cases = [
        ("post", "/api/v1/customers", {"name": "长" * 100_000, "customer_type": "soe"}, "name"),
        ("patch", f"/api/v1/opportunities/{opp.pk}", {"version": opp.version, "description": "长" * 100_000},
         "description"),
        ("post", f"/api/v1/opportunities/{opp.pk}/follow-ups",
         {"happened_at": timezone.localdate().isoformat(), "kind": "visit", "note": "长" * 100_000}, "note"),
        ("patch", f"/api/v1/contracts/{records['contract'].pk}",
         {"version": records["contract"].version, "terms": "长" * 100_000}, "terms"),
        ("put", f"/api/v1/bids/{records['bid'].pk}/tender-analysis", {"risks": "长" * 100_000}, "risks"),
    ]
    for method, path, body, field in cases:
        response = api.send(method, path, json.dumps(body))
        assert response.status_code == 422 and field in response.json()["error"]["fields"], (path, field)


def test_text_at_its_limit_is_kept_by_this_database(org, records):
    """Strings exactly as long as the API allows fit the columns (PostgreSQL enforces VARCHAR lengths)."""
    api = Api(org["rep1"])
    name = "客" * 196 + "有限公司"
    response = api.send("post", "/api/v1/customers", json.dumps({
        "name": name, "customer_type": "soe", "address": "址" * 300,
        "contacts": [{"name": "名" * 100, "title": "职" * 100, "phone": "1" * 40,
                      "email": "a" * 242 + "@example.com"}]}))
    assert response.status_code == 201, response.content[:300]
    assert Customer.objects.get(pk=response.json()["id"]).name == name
    opp = records["opportunity"]
    response = api.send("patch", f"/api/v1/opportunities/{opp.pk}", json.dumps({
        "version": opp.version, "title": "题" * 200, "description": "述" * 5000}))
    assert response.status_code == 200, response.content[:300]
    response = api.send("post", f"/api/v1/opportunities/{opp.pk}/follow-ups", json.dumps({
        "happened_at": timezone.localdate().isoformat(), "kind": "visit", "note": "记" * 5000,
        "next_step": "步" * 300}))
    assert response.status_code == 201, response.content[:300]
    response = api.send("put", f"/api/v1/bids/{records['bid'].pk}/tender-analysis", json.dumps({
        "tenderer": "招" * 200, "agency": "代" * 200, "tender_no": "N" * 100,
        "qualification_requirements": "资" * 20000, "risks": "险" * 10000, "decision": "no_bid",
        "decision_reason": "因" * 5000}))
    assert response.status_code == 200, response.content[:300]
    contract = records["contract"]
    response = api.send("patch", f"/api/v1/contracts/{contract.pk}", json.dumps({
        "version": contract.version, "title": "合" * 200, "terms": "款" * 20000,
        "milestones": [{"name": "阶" * 100, "condition": "条" * 200, "percentage": "100"}]}))
    assert response.status_code == 200, response.content[:300]
    admin = Api(org["admin"])
    for method, path, body in [
        ("post", "/api/v1/departments", {"name": "部" * 100}),
        ("post", "/api/v1/users", {"username": "u" * 150, "password": "A-long-passphrase-9",
                                   "display_name": "显" * 100, "email": "e" * 242 + "@example.com", "phone": "9" * 32}),
        ("post", "/api/v1/codes/industry", {"code": "c" * 32, "label_zh": "标" * 64, "label_en": "L" * 64}),
        ("post", "/api/v1/integrations/webhooks", {"name": "钩" * 100, "url": "http://example.com/" + "p" * 481,
                                                   "secret": "s" * 200, "events": ["bid.won"]}),
    ]:
        response = admin.send(method, path, json.dumps(body))
        assert response.status_code == 201, (path, response.content[:300])


# --- uploads through real HTTP ----------------------------------------------------------------------------------

HOSTILE_FILES = [  # (name, content, status): refused, whatever the name claims
    ("发票.pdf", PNG, 422),                          # forged extension
    ("page.pdf", HTML, 422),                         # HTML named as a PDF
    ("logo.svg", SVG, 422),                          # SVG with script: not an accepted type
    ("logo.png", SVG, 422),
    ("bomb.zip", None, 422),                         # zip bomb
    ("empty.pdf", b"", 422),
    ("合同\u202efdp.exe", PDF, 422),                  # RTL override hiding an .exe extension
]


def post_file(client, path, name, content, field="file", data=None):
    content = zip_bomb() if content is None else content
    return client.post(path, data=data or {}, files={field: (name, content, "application/octet-stream")})


def assert_served_inertly(response, content_type):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not response.headers["Content-Type"].startswith(("text/html", "image/svg"))
    disposition = response.headers["Content-Disposition"]
    assert "\u202e" not in disposition and "\x00" not in disposition and "/" not in disposition.split("filename")[-1]


@pytest.mark.django_db(transaction=True)
def test_bid_documents_refuse_hostile_files_and_neutralise_polyglots_and_names(http, org):
    bid = routed_bid(org)
    rep = http("rep1")
    path = f"/api/v1/bids/{bid.pk}/documents"
    covered = {"发票.pdf", "logo.svg", "bomb.zip", "empty.pdf"}  # by bids/tests/test_api.py already
    for name, content, status in [case for case in HOSTILE_FILES if case[0] not in covered]:
        response = post_file(rep, path, name, content, data={"kind": "tender"})
        assert response.status_code == status, (name, response.text[:200])
    assert not BidDocument.objects.exists() and not StoredFile.objects.exists()
    accepted = {}
    for name, content, kept in [("../../etc/passwd.pdf", PDF, "passwd.pdf"), ("a\x00b.pdf", PDF, "ab.pdf"),
                                ("报告\u202egpj.pdf", PDF, "报告gpj.pdf"), ("网页.pdf", HTML_IN_PDF, "网页.pdf"),
                                ("照片.jpg", jpeg_zip(), "照片.jpg")]:
        response = post_file(rep, path, name, content, data={"kind": "tender"})
        assert response.status_code == 201, (name, response.text[:200])
        assert response.json()["name"] == kept
        accepted[kept] = response.json()
    pdf = accepted["网页.pdf"]
    assert pdf["content_type"] == "application/pdf"
    assert_served_inertly(rep.get(pdf["download_url"]), "application/pdf")
    assert rep.get(pdf["download_url"]).headers["Content-Disposition"].startswith("attachment")
    assert_served_inertly(rep.get(pdf["download_url"] + "?inline=true"), "application/pdf")
    jpeg = accepted["照片.jpg"]
    inline = rep.get(jpeg["download_url"] + "?inline=true")
    assert_served_inertly(inline, "image/jpeg")
    assert "sandbox" in inline.headers["Content-Security-Policy"]
    assert_served_inertly(rep.get(accepted["报告gpj.pdf"]["download_url"]), "application/pdf")
    browser = http()
    browser.login_session("rep1")
    for doc in (pdf, jpeg):
        assert_served_inertly(browser.get(f"/bids/documents/{doc['id']}/download/"), doc["content_type"])
        assert_served_inertly(browser.get(f"/bids/documents/{doc['id']}/preview/"), doc["content_type"])


@pytest.mark.django_db(transaction=True)
def test_contract_attachments_refuse_hostile_files_and_oversize_bodies(http, org, settings):
    routes(org)
    contract = draft(org)
    rep = http("rep1")
    path = f"/api/v1/contracts/{contract.pk}/attachments"
    for name, content, status in HOSTILE_FILES:
        response = post_file(rep, path, name, content)
        assert response.status_code == status, (name, response.text[:200])
    assert not Attachment.objects.exists() and not StoredFile.objects.exists()
    settings.UPLOAD_MAX_BYTES = 4096
    response = post_file(rep, path, "big.pdf", PDF + b"0" * 8192)
    assert response.status_code == 413 and code_of(response) == "too_large"
    settings.UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    # a file beyond DATA_UPLOAD_MAX_MEMORY_SIZE is streamed to disk and kept: that limit is for form fields
    large = PDF + b"%" + b"0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = post_file(rep, path, "扫描件.pdf", large)
    assert response.status_code == 201, response.text[:200]
    assert response.json()["size"] == len(large)
    polyglot = post_file(rep, path, "网页.pdf", HTML_IN_PDF)
    assert polyglot.status_code == 201
    assert_served_inertly(rep.get(polyglot.json()["download_url"]), "application/pdf")
    # form fields beyond DATA_UPLOAD_MAX_MEMORY_SIZE, and JSON bodies beyond it, are a 413 (issue 21), not a 500
    huge_field = rep.post(path, data={"note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
                          files={"file": ("a.pdf", PDF, "application/pdf")})
    assert huge_field.status_code == 413 and code_of(huge_field) == "body_too_large", huge_field.text[:200]
    huge_json = rep.patch(f"/api/v1/contracts/{contract.pk}",
                          json={"version": 1, "terms": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert huge_json.status_code == 413 and code_of(huge_json) == "body_too_large"
    many_fields = rep.post(path, data={f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)},
                           files={"file": ("a.pdf", PDF, "application/pdf")})
    assert many_fields.status_code == 400 and code_of(many_fields) == "malformed", many_fields.text[:200]
    many_files = rep.post(path, files=[("file", (f"{i}.pdf", PDF, "application/pdf"))
                                       for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)])
    assert many_files.status_code == 400 and code_of(many_files) == "malformed", many_files.text[:200]
    assert Attachment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_contract_signing_refuses_hostile_copies_and_stays_approved(http, org, settings):
    routes(org)
    contract = decide_all(submitted(org))
    assert contract.status == "approved"
    rep = http("rep1")
    path = f"/api/v1/contracts/{contract.pk}/sign"
    today = {"signed_on": timezone.localdate().isoformat()}
    for name, content, status in HOSTILE_FILES:
        response = post_file(rep, path, name, content, field="signed_copy", data=today)
        assert response.status_code == status, (name, response.text[:200])
    settings.UPLOAD_MAX_BYTES = 4096
    response = post_file(rep, path, "signed.pdf", PDF + b"0" * 8192, field="signed_copy", data=today)
    assert response.status_code == 413
    settings.UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    for signed_on in ("9999-12-31", "10000-01-01", "2026-02-30", "x" * 5000, "2026-01-01\x00"):
        response = post_file(rep, path, "signed.pdf", PDF, field="signed_copy", data={"signed_on": signed_on})
        assert response.status_code in (400, 422), (signed_on, response.text[:200])
    contract.refresh_from_db()
    assert contract.status == "approved" and contract.signed_on is None and not StoredFile.objects.exists()
    response = post_file(rep, path, "../../签字版\u202efdp.pdf", HTML_IN_PDF, field="signed_copy", data=today)
    assert response.status_code == 200, response.text[:200]
    stored = StoredFile.objects.get()
    assert stored.original_name == "签字版fdp.pdf" and stored.content_type == "application/pdf"
