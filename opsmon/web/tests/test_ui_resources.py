"""/api/v1/ui/resources: the description the desktop client draws itself from, in the caller's language, in step
with the API it describes (every action's path, method and body exist; every action a module's rules can offer
is described)."""

import re

import pytest

from opsmon.api import api
from opsmon.bids import rules as bid_rules
from opsmon.codes.models import CodeTable
from opsmon.contracts import rules as contract_rules
from opsmon.core import ui
from opsmon.customers import rules as customer_rules
from opsmon.opportunities import rules as opportunity_rules
from opsmon.projects import rules as project_rules

pytestmark = pytest.mark.django_db

RULES = {
    "customers": customer_rules.RULES, "opportunities": opportunity_rules.RULES, "projects": project_rules.RULES,
    "bids": bid_rules.RULES, "bonds": bid_rules.BOND_RULES, "contracts": contract_rules.RULES,
}
# Rules whose action is a multi-step page of the web client only, for now: reading a tender notice into the
# analysis is a preview (POST .../tender-analysis/extract) the user checks before applying it.
WEB_ONLY = {("bids", "intake")}


def shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema(path_prefix="/api/v1")


@pytest.fixture(scope="module")
def operations(schema):
    return {(method.upper(), shape(path)): op for path, ops in schema["paths"].items() for method, op in ops.items()}


def body_fields(schema, content: dict) -> set[str]:
    """The property names of a request body (JSON or multipart), through $ref and anyOf."""
    names = set()
    for media in content.values():
        todo = [media.get("schema") or {}]
        while todo:
            node = todo.pop()
            if "$ref" in node:
                todo.append(schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]])
            todo += node.get("anyOf", [])
            names |= set(node.get("properties", {}))
    return names


def test_the_description_speaks_the_callers_language(browser):
    client = browser("rep1")
    zh = client.get("/api/v1/ui/resources").json()
    en = client.get("/api/v1/ui/resources", headers={"Accept-Language": "en"}).json()
    assert zh["language"] == "zh-hans" and en["language"] == "en"
    titles = {r["name"]: r["title"] for r in zh["resources"]}
    assert titles["opportunities"] == "商机" and titles["contracts"] == "合同"
    english = {r["name"]: r for r in en["resources"]}
    assert english["opportunities"]["title"] == "Opportunities"
    convert = next(a for a in english["opportunities"]["actions"] if a["name"] == "convert")
    assert convert["label"] == "Convert to project" and convert["path"] == "/opportunities/{id}/convert"
    opportunity = {r["name"]: r for r in zh["resources"]}["opportunities"]
    assert opportunity["columns"][0] == {"name": "number", "label": "编号", "kind": "text", "table": "", "choices": [],
                                         "resource": "", "role": "", "help": ""}
    assert opportunity["create"]["label"] == "新建商机"


def test_create_is_offered_only_to_the_roles_that_create(browser):
    reviewer = {r["name"]: r for r in browser("finance1").get("/api/v1/ui/resources").json()["resources"]}
    rep = {r["name"]: r for r in browser("rep1").get("/api/v1/ui/resources").json()["resources"]}
    assert reviewer["opportunities"]["create"] is None and rep["opportunities"]["create"]["method"] == "POST"


def test_it_needs_a_login(client):
    assert client.get("/api/v1/ui/resources").status_code == 401


def test_every_described_path_and_body_exists_in_the_api(schema, operations, org):
    tables = set(CodeTable.objects.values_list("name", flat=True))
    for resource in ui.resources():
        assert ("GET", shape("/api/v1" + resource.path)) in operations, resource.name
        if resource.detail_path is None:
            assert ("GET", shape(f"/api/v1{resource.path}/{{id}}")) in operations, resource.name
        if resource.export:
            assert ("GET", shape("/api/v1" + resource.export)) in operations, resource.name
        for related in resource.related:
            if related.path:
                assert ("GET", shape("/api/v1" + related.path)) in operations, (resource.name, related.name)
            if related.download:
                assert ("GET", shape("/api/v1" + related.download)) in operations, (resource.name, related.name)
        for action in [*resource.actions, *([resource.create] if resource.create else [])]:
            operation = operations.get((action.method, shape("/api/v1" + action.path)))
            assert operation is not None, (resource.name, action.name, action.method, action.path)
            content = (operation.get("requestBody") or {}).get("content", {})
            if action.schema:
                refs = re.findall(r"#/components/schemas/(\w+)", str(content))
                assert action.schema in refs, (resource.name, action.name, refs)
            fields = body_fields(schema, content)
            for field in action.fields:
                assert field.name in fields, (resource.name, action.name, field.name)
                if field.kind == "code":
                    assert field.table in tables, (resource.name, action.name, field.table)
        for spec in [*resource.filters, *(f for a in resource.actions for f in a.fields)]:
            if spec.kind == "ref":
                assert ui.get(spec.resource) is not None, spec


def test_every_action_the_rules_offer_is_described():
    for name, rules in RULES.items():
        described = {a.name for a in ui.get(name).actions}
        assert set(rules) - described - {a for r, a in WEB_ONLY if r == name} == set(), name
        assert described - set(rules) == set(), name


def test_every_described_record_answers_its_allowed_actions(schema, operations):
    """The client draws a record's buttons from `allowed_actions` and nothing else (API.md)."""
    def properties(node) -> set:
        todo, names = [node], set()
        while todo:
            node = todo.pop()
            if "$ref" in node:
                todo.append(schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]])
            todo += node.get("anyOf", [])
            if "items" in node.get("properties", {}):      # a page: its rows
                todo.append(node["properties"]["items"].get("items", {}))
            names |= set(node.get("properties", {}))
        return names

    for resource in ui.resources():
        if not resource.actions:
            continue
        path = resource.path if resource.detail_path == "" else (resource.detail_path or f"{resource.path}/{{id}}")
        answer = operations[("GET", shape("/api/v1" + path))]["responses"]
        ok = answer.get(200) or answer.get("200")
        assert "allowed_actions" in properties(ok["content"]["application/json"]["schema"]), resource.name
