"""Reading the server's OpenAPI document: an action's request body (JSON or multipart) as the fields of a dialog,
typed by the schema and labelled by the server's UI description."""

import re
from dataclasses import dataclass, field

PREFIX = "/api/v1"
_PARAM = re.compile(r"\{[^}]+\}")


def _shape(path: str) -> str:
    return _PARAM.sub("{}", path)


@dataclass
class FieldSpec:
    name: str
    label: str
    kind: str = "text"
    required: bool = False
    nullable: bool = False
    max_length: int | None = None
    table: str = ""
    choices: list = field(default_factory=list)     # [(value, label)]
    resource: str = ""
    role: str = ""
    help: str = ""
    default: object = None
    columns: list = field(default_factory=list)     # kind=rows: [FieldSpec]


class OpenApi:
    def __init__(self, document: dict):
        self.document = document or {}
        self.components = self.document.get("components", {}).get("schemas", {})
        self._operations = {}
        for path, operations in self.document.get("paths", {}).items():
            for method, operation in operations.items():
                self._operations[(method.upper(), _shape(path))] = operation

    def resolve(self, schema: dict | None) -> tuple[dict, bool]:
        """The schema behind $ref and `anyOf: [X, null]`, and whether null is allowed."""
        schema = dict(schema or {})
        nullable = False
        for _ in range(10):
            if "$ref" in schema:
                schema = {**self.components.get(schema["$ref"].rsplit("/", 1)[-1], {}),
                          **{k: v for k, v in schema.items() if k != "$ref"}}
                continue
            options = schema.get("anyOf") or schema.get("oneOf")
            if options:
                concrete = [o for o in options if o.get("type") != "null"]
                nullable = nullable or len(concrete) < len(options)
                rest = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
                schema = {**concrete[0], **rest} if concrete else rest
                continue
            break
        return schema, nullable

    def operation(self, method: str, path: str) -> dict | None:
        return self._operations.get((method.upper(), _shape(PREFIX + path)))

    def body(self, method: str, path: str) -> tuple[str, dict, set] | None:
        """(content type, {name: property schema}, required names) of an operation's request body; None when the
        operation is unknown, ("", {}, set()) when it takes no body."""
        operation = self.operation(method, path)
        if operation is None:
            return None
        content = (operation.get("requestBody") or {}).get("content") or {}
        for content_type in ("application/json", "multipart/form-data"):
            if content_type in content:
                schema, _ = self.resolve(content[content_type].get("schema"))
                return content_type, dict(schema.get("properties") or {}), set(schema.get("required") or ())
        return "", {}, set()

    def field(self, name: str, prop: dict | None, required: bool, hint: dict | None) -> FieldSpec:
        hint = hint or {}
        schema, nullable = self.resolve(prop) if prop is not None else ({}, False)
        kind = hint.get("kind") or infer_kind(schema)
        spec = FieldSpec(
            name=name, label=hint.get("label") or schema.get("title") or name, kind=kind,
            required=required and "default" not in schema, nullable=nullable,
            max_length=schema.get("maxLength"), table=hint.get("table", ""),
            choices=[(c["value"], c["label"]) for c in hint.get("choices") or []]
            or [(v, str(v)) for v in schema.get("enum") or []],
            resource=hint.get("resource", ""), role=hint.get("role", ""), help=hint.get("help") or
            schema.get("description", ""), default=schema.get("default"))
        if kind == "rows":
            items, _ = self.resolve(schema.get("items"))
            wanted = set(items.get("required") or ())
            spec.columns = [self.field(n, p, n in wanted, None) for n, p in (items.get("properties") or {}).items()]
        return spec

    def fields(self, action: dict) -> tuple[str, list[FieldSpec]]:
        """The content type and the fields of an action's dialog: the body's properties in the order the UI
        description gives them (then any it does not name), less `version` and the values the action fixes."""
        hints = {f["name"]: f for f in action.get("fields") or []}
        skip = {"version", *(action.get("fixed") or {})}
        body = self.body(action["method"], action["path"])
        if body is None:  # the server does not document it: the description alone
            content_type = "multipart/form-data" if any(h["kind"] == "file" for h in hints.values()) \
                else "application/json"
            return content_type, [self.field(n, None, False, h) for n, h in hints.items() if n not in skip]
        content_type, properties, required = body
        names = [n for n in hints if n in properties] + [n for n in properties if n not in hints]
        return content_type, [self.field(n, properties[n], n in required, hints.get(n)) for n in names
                              if n not in skip]


def infer_kind(schema: dict) -> str:
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "binary":
        return "file"
    if fmt == "date":
        return "date"
    if fmt == "date-time":
        return "datetime"
    if schema.get("enum"):
        return "choice"
    if kind == "integer":
        return "integer"
    if kind == "number":
        return "number"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        return "rows"
    if kind == "object":
        return "json"
    if (schema.get("maxLength") or 0) > 500:
        return "longtext"
    return "text"
