"""The view descriptions clients draw themselves from (`GET /api/v1/ui/resources`, issue 17).

A module (or the web layer, for the existing ones) registers a `Resource`: where its list and records live in the
API, the list's columns and filters, the detail's sections and related lists, which field is the number and which
the status, and each action a record may offer: its method, path and request body (the body's types come from
the OpenAPI schema; the fields here only add what OpenAPI cannot say: the label in the user's language and the
kind of input, such as a code table or a user). Which actions a record offers right now is the record's own
`allowed_actions`; this registry only says how to fire them.

Labels are lazy translations, rendered in the caller's language when the description is answered.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

# The kinds of value a field shows or takes; clients pick an input for each.
KINDS = frozenset({"text", "longtext", "number", "integer", "money", "date", "datetime", "bool", "code", "choice",
                   "user", "users", "ref", "file", "rows", "json", "hidden"})


@dataclass(frozen=True)
class Field:
    """A column, a filter, a detail field or an action's body field. `name` is a dotted path into the record
    ("customer.name") or, in an action, the body field's name."""

    name: str
    label: Any
    kind: str = "text"
    table: str = ""                     # kind=code: the code table (`/codes/{table}`)
    choices: tuple = ()                 # kind=choice: ((value, label), ...)
    resource: str = ""                  # kind=ref: the resource whose records are picked
    role: str = ""                      # kind=user/users: offer only users with this role
    help: Any = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}")


@dataclass(frozen=True)
class Section:
    title: Any
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Related:
    """A list shown on a record's page: `path` is a template filled from the record ("/opportunities/{id}/...");
    `expand` names a list inside each answered item whose entries are the rows (a review's steps);
    `download` is the template of a row's file ("/bids/documents/{row.id}/download")."""

    name: str
    title: Any
    path: str
    columns: tuple[Field, ...]
    expand: str = ""
    download: str = ""


@dataclass(frozen=True)
class Action:
    """How to fire one action of `allowed_actions`. `path` is a template filled from the record ({id},
    {current_step.id}); `fields` label and type the body fields (order = the dialog's order); `fixed` are body
    values the action sets itself; `prefill` = "record" starts the fields from the record (edits), or a GET path
    template whose answer does; `schema` names the request body's OpenAPI component."""

    name: str
    label: Any
    path: str
    method: str = "POST"
    schema: str = ""
    fields: tuple[Field, ...] = ()
    fixed: dict = field(default_factory=dict)
    prefill: str = ""
    confirm: bool = False


@dataclass(frozen=True)
class Resource:
    name: str                           # "opportunities"
    path: str                           # "/opportunities" (list; records at {path}/{id} unless `detail_path`)
    title: Any                          # plural, for the navigation
    item_title: Any = ""                # singular
    record_type: str = ""               # what the inbox calls its records ("opportunity")
    number_field: str = "number"
    title_field: str = "title"
    status_field: str = "status_label"
    columns: tuple[Field, ...] = ()
    filters: tuple[Field, ...] = ()
    search: bool = True                 # the list takes ?q=
    sections: tuple[Section, ...] = ()
    related: tuple[Related, ...] = ()
    actions: tuple[Action, ...] = ()
    create: Action | None = None
    create_roles: tuple[str, ...] = ()  # who is offered `create` (the service still decides); empty = everyone
    export: str = ""                    # the list's .xlsx export path (same filters as the list)
    detail_path: str | None = None      # None: "{path}/{id}"; "": no detail endpoint, the list row is the record
    order: int = 100


_resources: dict[str, Resource] = {}


def register(resource: Resource) -> Resource:
    """Add (or replace) a resource in the description clients read."""
    _resources[resource.name] = resource
    return resource


def unregister(name: str) -> None:
    _resources.pop(name, None)


def get(name: str) -> Resource | None:
    return _resources.get(name)


def resources() -> list[Resource]:
    return sorted(_resources.values(), key=lambda r: (r.order, r.name))


# --- the answer: plain data with every label rendered in the active language ---------------------------------

def _field(f: Field) -> dict:
    return {"name": f.name, "label": str(f.label), "kind": f.kind, "table": f.table,
            "choices": [{"value": str(v), "label": str(label)} for v, label in f.choices],
            "resource": f.resource, "role": f.role, "help": str(f.help)}


def _action(a: Action) -> dict:
    return {"name": a.name, "label": str(a.label), "method": a.method, "path": a.path, "schema_name": a.schema,
            "fields": [_field(f) for f in a.fields], "fixed": dict(a.fixed), "prefill": a.prefill,
            "confirm": a.confirm}


def describe(resource: Resource, viewer=None) -> dict:
    """One resource as `/ui/resources` answers it; `create` is left out for a viewer without the roles."""
    may_create = resource.create is not None and (
        not resource.create_roles or (viewer is not None and viewer.has_role(*resource.create_roles)))
    detail = resource.detail_path if resource.detail_path is not None else f"{resource.path}/{{id}}"
    return {
        "name": resource.name, "path": resource.path, "detail_path": detail, "title": str(resource.title),
        "item_title": str(resource.item_title or resource.title), "record_type": resource.record_type,
        "number_field": resource.number_field, "title_field": resource.title_field,
        "status_field": resource.status_field, "search": resource.search,
        "columns": [_field(f) for f in resource.columns], "filters": [_field(f) for f in resource.filters],
        "sections": [{"title": str(s.title), "fields": [_field(f) for f in s.fields]} for s in resource.sections],
        "related": [{"name": r.name, "title": str(r.title), "path": r.path, "expand": r.expand,
                     "download": r.download, "columns": [_field(f) for f in r.columns]} for r in resource.related],
        "actions": [_action(a) for a in resource.actions],
        "create": _action(resource.create) if may_create else None,
        "export": resource.export,
    }


def describe_all(viewer=None) -> dict:
    return {"language": get_language() or "", "resources": [describe(r, viewer) for r in resources()]}
