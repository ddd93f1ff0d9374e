"""The desktop client stays a pure HTTP client, says all its own words in zh-Hans, keeps its token private and
starts from the command line."""

import ast
import os
import stat
import subprocess
import sys
from pathlib import Path

import opsmon_desk
from opsmon_desk import i18n
from opsmon_desk.schema import OpenApi
from opsmon_desk.tokens import TokenStore
from opsmon_desk.values import fill, initial, show

PACKAGE = Path(opsmon_desk.__file__).parent


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_the_client_imports_nothing_from_the_server():
    offending = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offending += [f"{path.name}: {n}" for n in names if n == "opsmon" or n.startswith("opsmon.")]
    assert offending == []
    assert PACKAGE.parent.name == "desktop" and PACKAGE.parent.parent.name == "clients"


def test_every_word_of_the_client_has_its_chinese():
    used = set()
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "tr" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                used.add(node.args[0].value)
    assert used, "no tr() calls found"
    assert sorted(used - set(i18n.ZH)) == []


def test_the_token_file_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv("OPSMON_DESK_KEYRING", "0")
    store = TokenStore(tmp_path)
    assert store.where == "file"
    store.save("http://example.test", "rep1", "secret-token")
    assert stat.S_IMODE(os.stat(store.file).st_mode) == 0o600
    assert TokenStore(tmp_path).load("http://example.test", "rep1") == "secret-token"
    store.clear("http://example.test", "rep1")
    assert TokenStore(tmp_path).load("http://example.test", "rep1") is None


def test_the_command_starts_and_explains_itself():
    result = subprocess.run([sys.executable, "-m", "opsmon_desk", "--help"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "--server" in result.stdout and "opsmon-desk" in result.stdout


def test_values_read_fill_and_show_records():
    record = {"id": 7, "customer": {"id": 3, "name": "国网"}, "members": [{"id": 1}, {"id": 2}],
              "stage": {"code": "proposal", "label": "方案"}, "current_step": {"id": 9}}
    assert fill("/contracts/{id}/reviews/{current_step.id}/approve", record) == "/contracts/7/reviews/9/approve"
    assert fill("/contracts/{id}/reviews/{current_step.id}/approve", {"id": 7, "current_step": None}) is None
    assert initial(record, "customer_id") == 3 and initial(record, "member_ids") == [1, 2]
    assert initial(record, "stage") == "proposal"
    assert show("1250000.5", "money") == "1,250,000.50" and show(record["stage"]) == "方案" and show(None) == "—"


def test_an_action_body_comes_from_the_openapi_schema():
    document = {"paths": {"/api/v1/things/{thing_id}/close": {"post": {"requestBody": {"content": {
        "application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/CloseIn"}, {"type": "null"}]}}}}}}},
        "components": {"schemas": {"CloseIn": {"properties": {
            "reason": {"type": "string", "maxLength": 32, "title": "Reason"},
            "on": {"type": "string", "format": "date"}, "version": {"type": "integer"}}, "required": ["reason"]}}}}
    content_type, specs = OpenApi(document).fields({
        "method": "POST", "path": "/things/{id}/close",
        "fields": [{"name": "reason", "label": "原因", "kind": "code", "table": "close_reason"}]})
    assert content_type == "application/json"
    assert [(s.name, s.label, s.kind, s.required) for s in specs] == [
        ("reason", "原因", "code", True), ("on", "on", "date", False)]
