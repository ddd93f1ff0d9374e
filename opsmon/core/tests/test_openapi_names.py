"""Issue 21, item 8: /api/v1/openapi.json names every schema once. ninja names a component after its class, so two
classes of the same name in two modules (RouteIn in projects and contracts, once) silently share one component and
the document shows one body for both endpoints. Every $ref must resolve, and two classes that give the same name
must describe the same body."""

import json
import typing

import pydantic
import pytest

from opsmon.api import api


def _models(annotation):
    out = []
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        out.append(annotation)
    for arg in typing.get_args(annotation):
        out.extend(_models(arg))
    return out


def _walk(model, seen: dict):
    """Every model class reachable from `model` through its fields, by class."""
    if model in seen:
        return
    seen[model] = None
    for field in model.model_fields.values():
        for nested in _models(field.annotation):
            _walk(nested, seen)


def _operation_models() -> dict:
    seen: dict = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:  # the request's parameter and body models
                    for field in model.model_fields.values():
                        for nested in _models(field.annotation):
                            _walk(nested, seen)
                for response in (operation.response_models or {}).values():
                    for nested in _models(getattr(response, "__annotations__", {}).get("response")
                                           if not isinstance(response, type) else response):
                        _walk(nested, seen)
                    if isinstance(response, type) and issubclass(response, pydantic.BaseModel):
                        for field in response.model_fields.values():
                            for nested in _models(field.annotation):
                                _walk(nested, seen)
    return seen


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def test_every_ref_resolves(document):
    components = document["components"]["schemas"]
    refs = set()

    def collect(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.add(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(document)
    assert refs, "the document uses components"
    prefix = "#/components/schemas/"
    unresolved = sorted(r for r in refs if not r.startswith(prefix) or r[len(prefix):] not in components)
    assert unresolved == []


def test_no_two_different_schemas_share_a_component_name():
    by_name: dict[str, dict[str, str]] = {}
    for model in _operation_models():
        if not issubclass(model, pydantic.BaseModel) or model.__name__.endswith("Params"):
            continue  # query parameter models are spread into parameters, never components
        shape = json.dumps(model.model_json_schema(), sort_keys=True, default=str)
        by_name.setdefault(model.__name__, {})[f"{model.__module__}.{model.__qualname__}"] = shape
    clashes = {name: sorted(classes) for name, classes in by_name.items() if len(set(classes.values())) > 1}
    assert clashes == {}, "rename one of each pair (e.g. ProjectRouteIn) so each body has its own component"


def test_the_served_document_is_the_one_checked(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert set(response.json()["components"]["schemas"]) == set(api.get_openapi_schema()["components"]["schemas"])
