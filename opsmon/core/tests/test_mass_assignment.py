"""Mass assignment: a write that also names fields the actor may not set (status, owner, number, department,
signed date, terms version, approval fields, a skipped version, ...) is refused with a 422 naming each of them and
changes nothing (issue 15: an unknown field is never silently dropped); the same write without them succeeds.
No answer carries what the actor may not see (password hashes, token hashes, secrets)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opsmon.accounts import services as accounts
from opsmon.accounts.models import ApiToken, Department, User
from opsmon.bids.models import Bid
from opsmon.bids.tests.factories import routed_bid
from opsmon.codes.models import CodeItem
from opsmon.contracts.models import Contract
from opsmon.contracts.tests.factories import draft, routes
from opsmon.core.tests import world
from opsmon.customers.models import Customer
from opsmon.integrations.models import WebhookEndpoint
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests.factories import customer, opportunity
from opsmon.projects.models import FeasibilityReview, Project
from opsmon.projects.tests.factories import converted_project

LONG_AGO = "2000-01-01T00:00:00+08:00"


class Api:
    """The Django test client speaking JSON with a bearer token (in-process: the sweeps stay fast)."""

    def __init__(self, user):
        self.client = Client()
        self.key, _ = accounts.token_issue(user=user)

    def call(self, method, path, body=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {self.key}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path):
        return self.call("get", path)

    def post(self, path, body):
        return self.call("post", path, body)

    def patch(self, path, body):
        return self.call("patch", path, body)

    def put(self, path, body):
        return self.call("put", path, body)


@pytest.fixture
def api(org):
    return lambda username: Api(org[username])


def frozen(instance, fields):
    instance.refresh_from_db()
    return {f: getattr(instance, f) for f in fields}


def refused_naming(response, keys):
    """A 422 whose fields name every one of `keys`."""
    assert response.status_code == 422, response.content[:300]
    named = set(response.json()["error"]["fields"])
    assert set(keys) <= named, (set(keys) - named, named)
    return True


def polluted(clean: dict, extra: dict) -> dict:
    return {**clean, **extra}


def test_opportunity_patch_and_create_ignore_owner_status_number_department(api, org):
    rep, other = org["rep1"], org["rep2"]
    opp = opportunity(rep)
    fields = ["status", "owner_id", "number", "department_id", "close_reason", "created_at"]
    before = frozen(opp, fields)
    extra = {"status": "converted", "owner": other.pk, "owner_id": other.pk, "number": "SJ-2000-000001",
             "department": other.department_id, "department_id": other.department_id, "project_id": 1,
             "close_reason": "lost", "created_at": LONG_AGO, "id": opp.pk + 100}
    clean = {"version": opp.version, "title": "改名"}
    assert refused_naming(api("rep1").patch(f"/api/v1/opportunities/{opp.pk}", polluted(clean, extra)), extra)
    assert frozen(opp, fields) == before and opp.title != "改名" and opp.version == 1
    response = api("rep1").patch(f"/api/v1/opportunities/{opp.pk}", clean)
    assert response.status_code == 200, response.content
    assert frozen(opp, fields) == before and opp.title == "改名" and opp.version == 2
    skipped = api("rep1").patch(f"/api/v1/opportunities/{opp.pk}", {"version": opp.version + 5, "title": "跳版本"})
    assert skipped.status_code == 409 and frozen(opp, ["title", "version"]) == {"title": "改名", "version": 2}
    clean = {"title": "新商机", "customer_id": opp.customer_id, "estimated_amount": "100.00",
             "expected_close_date": (timezone.localdate() + timedelta(days=30)).isoformat()}
    extra = {"owner_id": other.pk, "status": "converted", "number": "SJ-2000-000002", "department_id": 1,
             "version": 99, "probability": 100}
    count = Opportunity.objects.count()
    assert refused_naming(api("rep1").post("/api/v1/opportunities", polluted(clean, extra)), extra)
    assert Opportunity.objects.count() == count
    created = api("rep1").post("/api/v1/opportunities", clean)
    assert created.status_code == 201, created.content
    new = Opportunity.objects.get(pk=created.json()["id"])
    assert (new.owner, new.status, new.department_id, new.version) == (rep, "tracking", rep.department_id, 1)
    assert new.number != "SJ-2000-000002" and new.probability != 100


def test_customer_patch_ignores_owner_and_name_key(api, org):
    cust = customer(org["rep1"])
    fields = ["owner_id", "department_id", "name_key", "created_at"]
    before = frozen(cust, fields)
    extra = {"owner_id": org["rep2"].pk, "owner": org["rep2"].pk, "department_id": org["rep2"].department_id,
             "name_key": "x", "created_at": LONG_AGO}
    clean = {"version": cust.version, "address": "北京市"}
    assert refused_naming(api("rep1").patch(f"/api/v1/customers/{cust.pk}", polluted(clean, extra)), extra)
    assert frozen(cust, fields) == before and cust.address != "北京市"
    response = api("rep1").patch(f"/api/v1/customers/{cust.pk}", clean)
    assert response.status_code == 200, response.content
    assert frozen(cust, fields) == before and cust.address == "北京市"
    clean = {"name": "新客户有限公司", "customer_type": "soe"}
    extra = {"owner_id": org["rep2"].pk, "version": 7}
    assert refused_naming(api("rep1").post("/api/v1/customers", polluted(clean, extra)), extra)
    assert not Customer.objects.filter(name="新客户有限公司").exists()
    created = api("rep1").post("/api/v1/customers", clean)
    assert created.status_code == 201, created.content
    new = Customer.objects.get(pk=created.json()["id"])
    assert new.owner == org["rep1"] and new.version == 1


def test_project_patch_and_feasibility_ignore_workflow_fields(api, org):
    project = converted_project(org)
    fields = ["status", "owner_id", "number", "tech_lead_id", "routed_to", "cancel_reason", "opportunity_id"]
    before = frozen(project, fields)
    extra = {"status": "approved", "owner_id": org["rep2"].pk, "number": "LX-2000-000001",
             "tech_lead_id": org["lead1"].pk, "tech_lead": org["lead1"].pk, "routed_to": "bidding",
             "cancel_reason": "x", "opportunity_id": 1, "approved_by": org["head1"].pk}
    clean = {"version": project.version, "title": "新项目名"}
    assert refused_naming(api("rep1").patch(f"/api/v1/projects/{project.pk}", polluted(clean, extra)), extra)
    assert frozen(project, fields) == before and project.title != "新项目名"
    response = api("rep1").patch(f"/api/v1/projects/{project.pk}", clean)
    assert response.status_code == 200, response.content
    assert frozen(project, fields) == before and project.title == "新项目名"
    assert api("rep1").patch(f"/api/v1/projects/{project.pk}",
                             {"version": project.version + 1, "title": "x"}).status_code == 409
    api("head1").post(f"/api/v1/projects/{project.pk}/assign-lead", {"tech_lead_id": org["lead1"].pk})
    extra = {"status": "submitted", "submitted_at": LONG_AGO, "author_id": org["rep1"].pk}
    assert refused_naming(api("lead1").put(f"/api/v1/projects/{project.pk}/feasibility",
                                           polluted({"risks": "工期紧"}, extra)), extra)
    assert not FeasibilityReview.objects.filter(project=project, risks="工期紧").exists()
    saved = api("lead1").put(f"/api/v1/projects/{project.pk}/feasibility", {"risks": "工期紧"})
    assert saved.status_code == 200, saved.content
    review = FeasibilityReview.objects.get(project=project)
    assert review.status != "submitted" and review.submitted_at is None and review.author == org["lead1"]
    assert Project.objects.get(pk=project.pk).status == "feasibility"


def test_bid_patch_and_tender_analysis_ignore_status_and_results(api, org):
    bid = routed_bid(org)
    fields = ["status", "owner_id", "number", "opportunity_id", "project_id", "closed_at", "result_known_on",
              "contract_signed_on", "abandon_reason"]
    before = frozen(bid, fields)
    extra = {"status": "won", "owner_id": org["rep2"].pk, "number": "TB-2000-000001", "opportunity_id": 1,
             "project_id": None, "closed_at": LONG_AGO, "result_known_on": "2000-01-01",
             "contract_signed_on": "2000-01-01", "voided": True, "closed": True}
    clean = {"version": bid.version, "title": "投标改名"}
    assert refused_naming(api("rep1").patch(f"/api/v1/bids/{bid.pk}", polluted(clean, extra)), extra)
    assert frozen(bid, fields) == before and bid.title != "投标改名"
    response = api("rep1").patch(f"/api/v1/bids/{bid.pk}", clean)
    assert response.status_code == 200, response.content
    assert frozen(bid, fields) == before and bid.title == "投标改名"
    extra = {"status": "submitted", "abandon_reason": "x", "owner_id": org["rep2"].pk, "closed_at": LONG_AGO}
    assert refused_naming(api("rep1").put(f"/api/v1/bids/{bid.pk}/tender-analysis",
                                          polluted({"tenderer": "某招标人"}, extra)), extra)
    assert frozen(bid, fields) == before and bid.tenderer != "某招标人"
    analysis = api("rep1").put(f"/api/v1/bids/{bid.pk}/tender-analysis", {"tenderer": "某招标人"})
    assert analysis.status_code == 200, analysis.content
    assert frozen(bid, fields) == before and bid.tenderer == "某招标人"
    count = Bid.objects.count()
    created = api("rep1").post("/api/v1/bids", {"opportunity_id": bid.opportunity_id, "status": "won",
                                                "owner_id": org["rep2"].pk, "number": "TB-2000-000002"})
    assert refused_naming(created, ["status", "owner_id", "number"]) and Bid.objects.count() == count


def test_contract_patch_and_create_ignore_signing_and_versions(api, org):
    routes(org)
    contract = draft(org)
    fields = ["status", "owner_id", "number", "department_id", "signed_on", "terms_version", "archived_at",
              "terminated_at", "bid_id", "project_id", "opportunity_id", "customer_id"]
    before = frozen(contract, fields)
    extra = {"status": "signed", "signed_on": "2000-01-01", "terms_version": 7, "number": "HT-2000-000001",
             "owner_id": org["rep2"].pk, "department_id": 1, "archived_at": LONG_AGO, "terminated_at": LONG_AGO,
             "bid_id": 1, "project_id": 1, "opportunity_id": 1, "customer_id": 1, "current_step": {"id": 1}}
    clean = {"version": contract.version, "title": "合同改名"}
    assert refused_naming(api("rep1").patch(f"/api/v1/contracts/{contract.pk}", polluted(clean, extra)), extra)
    assert frozen(contract, fields) == before and contract.title != "合同改名"
    response = api("rep1").patch(f"/api/v1/contracts/{contract.pk}", clean)
    assert response.status_code == 200, response.content
    assert frozen(contract, fields) == before and contract.title == "合同改名"
    assert api("rep1").patch(f"/api/v1/contracts/{contract.pk}",
                             {"version": contract.version + 1, "title": "x"}).status_code == 409
    clean = {"opportunity_id": contract.opportunity_id, "title": "直接起草"}
    extra = {"status": "signed", "signed_on": "2000-01-01", "terms_version": 9, "owner_id": org["rep2"].pk,
             "number": "HT-2000-000002"}
    count = Contract.objects.count()
    assert refused_naming(api("rep1").post("/api/v1/contracts", polluted(clean, extra)), extra)
    assert Contract.objects.count() == count
    created = api("rep1").post("/api/v1/contracts", clean)
    assert created.status_code == 201, created.content
    new = Contract.objects.get(pk=created.json()["id"])
    assert (new.status, new.signed_on, new.terms_version, new.owner) == ("drafting", None, 1, org["rep1"])


def test_amendment_changes_name_only_terms(api, org):
    from opsmon.contracts.tests.factories import signed

    routes(org)
    contract = signed(org)
    response = api("rep1").post(f"/api/v1/contracts/{contract.pk}/amendments", {
        "reason": "调整", "changes": {"status": "archived", "signed_on": "2000-01-01", "owner_id": org["rep2"].pk,
                                    "terms_version": 9}})
    assert response.status_code == 422 and "changes" in response.json()["error"]["fields"]
    contract.refresh_from_db()
    assert (contract.status, contract.terms_version, contract.owner) == ("signed", 1, org["rep1"])


def test_user_patch_and_create_cannot_reach_privileges_or_stored_hashes(api, org):
    rep = org["rep1"]
    fields = ["username", "is_superuser", "is_staff", "last_login", "date_joined", "password"]
    before = frozen(rep, fields)
    extra = {"username": "renamed", "is_superuser": True, "is_staff": True, "last_login": LONG_AGO,
             "date_joined": LONG_AGO, "groups": [1], "user_permissions": [1], "id": 999}
    assert refused_naming(api("admin").patch(f"/api/v1/users/{rep.pk}", polluted({"display_name": "新名字"}, extra)),
                          extra)
    assert frozen(rep, fields) == before and rep.display_name != "新名字"
    response = api("admin").patch(f"/api/v1/users/{rep.pk}", {"display_name": "新名字"})
    assert response.status_code == 200, response.content
    assert frozen(rep, fields) == before and rep.display_name == "新名字"
    assert "password" not in response.json()
    clean = {"username": "newbie", "password": "A-long-passphrase-9"}
    assert refused_naming(api("admin").post("/api/v1/users", polluted(clean, {"is_superuser": True, "is_staff": True})),
                          ["is_superuser", "is_staff"])
    assert not User.objects.filter(username="newbie").exists()
    created = api("admin").post("/api/v1/users", clean)
    assert created.status_code == 201, created.content
    newbie = User.objects.get(username="newbie")
    assert not newbie.is_superuser and not newbie.is_staff and newbie.password.startswith("argon2")
    # a user cannot patch himself (admin only), not even his own roles
    assert api("rep1").patch(f"/api/v1/users/{rep.pk}", {"roles": ["admin"]}).status_code == 403
    assert not User.objects.get(pk=rep.pk).is_admin


def test_a_refused_user_patch_changes_nothing_not_even_the_password(api, org):
    rep = org["rep1b"]
    key, _ = accounts.token_issue(user=rep)
    old_hash = rep.password
    response = api("admin").patch(f"/api/v1/users/{rep.pk}", {"password": "Brand-new-passphrase-42",
                                                               "roles": ["emperor"]})
    assert response.status_code == 422
    rep.refresh_from_db()
    assert rep.password == old_hash
    assert accounts.token_user(key) == rep  # his tokens were not revoked by the refused request


def test_department_code_and_webhook_patches_ignore_derived_fields(api, org):
    admin = api("admin")
    dept = Department.objects.get(name="销售一部")
    path = dept.path
    assert refused_naming(admin.patch(f"/api/v1/departments/{dept.pk}", {"order": 3, "path": "/1/", "depth": 9,
                                                                         "id": 999}), ["path", "depth", "id"])
    dept.refresh_from_db()
    assert dept.order != 3
    assert admin.patch(f"/api/v1/departments/{dept.pk}", {"order": 3}).status_code == 200
    dept.refresh_from_db()
    assert dept.path == path and dept.order == 3
    item = CodeItem.objects.select_related("table").get(table__name="industry", code="energy")
    extra = {"code": "oil", "table": "region", "table_id": 1, "id": 999}
    assert refused_naming(admin.patch("/api/v1/codes/industry/energy", polluted({"label_en": "Energy"}, extra)), extra)
    response = admin.patch("/api/v1/codes/industry/energy", {"label_en": "Energy"})
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert (item.code, item.table.name, item.label_en) == ("energy", "industry", "Energy")
    clean = {"name": "ERP", "url": "http://127.0.0.1:9/hook", "secret": world.WEBHOOK_SECRET, "events": ["bid.won"]}
    refused = admin.post("/api/v1/integrations/webhooks", polluted(clean, {"created_at": LONG_AGO, "id": 999}))
    assert refused_naming(refused, ["created_at", "id"]) and not WebhookEndpoint.objects.exists()
    created = admin.post("/api/v1/integrations/webhooks", clean)
    assert created.status_code == 201, created.content
    assert world.WEBHOOK_SECRET not in created.content.decode()
    endpoint = WebhookEndpoint.objects.get(pk=created.json()["id"])
    assert endpoint.pk != 999 and endpoint.created_at.year > 2000
    assert refused_naming(admin.patch(f"/api/v1/integrations/webhooks/{endpoint.pk}", {
        "secret": "another-secret-0123456789", "created_at": LONG_AGO}), ["created_at"])
    patched = admin.patch(f"/api/v1/integrations/webhooks/{endpoint.pk}", {"secret": "another-secret-0123456789"})
    assert patched.status_code == 200 and "another-secret" not in patched.content.decode()
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).created_at.year > 2000


def test_no_answer_carries_hashes_secrets_or_other_peoples_details(api, org):
    """Every GET of the API, as a sales rep and as the admin: no password hash, token hash or webhook secret."""
    ids = world.build(org)
    clients = {"rep1": api("rep1"), "admin": api("admin")}
    schema = clients["admin"].get("/api/v1/openapi.json").json()
    paths = [world.fill(p, ids) for p, ops in schema["paths"].items() if "get" in ops]
    secrets = [world.WEBHOOK_SECRET, "argon2", "pbkdf2_sha256"] + list(
        ApiToken.objects.values_list("key_hash", flat=True))
    for username, client in clients.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code < 500, (path, response.content[:200])
            body = response.content.decode(errors="ignore") if response.get("Content-Type", "").startswith(
                "application/json") else ""
            leaked = [s for s in secrets if s in body]
            assert not leaked, (username, path, leaked)
    rep = clients["rep1"]
    other = org["rep2"]
    assert set(rep.get(f"/api/v1/users/{other.pk}").json()) == {"id", "username", "display_name"}
    assert rep.get("/api/v1/integrations/webhooks").status_code == 403
    assert rep.get("/api/v1/integrations/deliveries").status_code == 403
    token = Client().post("/api/v1/auth/token", {"username": "rep1", "password": "opsmon-demo"},
                          content_type="application/json").json()
    assert set(token) == {"token", "expires_at"}


def test_a_refused_user_form_changes_nothing_not_even_the_password(client, org):
    client.force_login(org["admin"])
    admin = org["admin"]
    old_hash = User.objects.get(pk=admin.pk).password
    response = client.post(f"/admin/users/{admin.pk}/", {  # removing his own admin role is refused
        "username": "admin", "display_name": "系统管理员", "password": "Brand-new-passphrase-42",
        "department": admin.department_id, "roles": ["sales_rep"], "is_active": "on"})
    assert response.status_code == 200 and 'data-field-error="roles"' in response.content.decode()
    assert User.objects.get(pk=admin.pk).password == old_hash
