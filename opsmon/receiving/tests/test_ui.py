"""The desktop client's description of receipts: its paths, bodies and fields exist in the API, and it describes
every action the rules offer."""

import re

from opsmon.api import api
from opsmon.core import ui
from opsmon.receiving import rules


def shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_receipts_description_matches_the_api():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = {(m.upper(), shape(p)): op for p, ops in schema["paths"].items() for m, op in ops.items()}
    resource = ui.get("receipts")
    assert ("GET", shape("/api/v1/receipts")) in operations and ("GET", "/api/v1/receipts/{}") in operations
    assert {a.name for a in resource.actions} == set(rules.RULES)
    for action in resource.actions:
        content = (operations[(action.method, shape("/api/v1" + action.path))].get("requestBody") or {}).get(
            "content", {})
        refs = re.findall(r"#/components/schemas/(\w+)", str(content))
        assert not action.schema or action.schema in refs, action.name
        properties = set()
        for name in refs:
            properties |= set(schema["components"]["schemas"][name].get("properties", {}))
        assert {f.name for f in action.fields} <= properties, action.name
    for related in resource.related:
        assert not related.path or ("GET", shape("/api/v1" + related.path)) in operations
