"""/ui/resources: the view descriptions clients draw themselves from (core.ui), in the caller's language."""

from ninja import Router, Schema

from opsmon.core import ui
from opsmon.core.schemas import ERRORS

router = Router(tags=["ui"])


class ChoiceOut(Schema):
    value: str
    label: str


class UiFieldOut(Schema):
    name: str
    label: str
    kind: str
    table: str
    choices: list[ChoiceOut]
    resource: str
    role: str
    help: str


class UiSectionOut(Schema):
    title: str
    fields: list[UiFieldOut]


class UiRelatedOut(Schema):
    name: str
    title: str
    path: str
    expand: str
    download: str
    columns: list[UiFieldOut]


class UiActionOut(Schema):
    name: str
    label: str
    method: str
    path: str
    schema_name: str
    fields: list[UiFieldOut]
    fixed: dict
    prefill: str
    confirm: bool


class UiResourceOut(Schema):
    name: str
    path: str
    detail_path: str
    title: str
    item_title: str
    record_type: str
    number_field: str
    title_field: str
    status_field: str
    search: bool
    columns: list[UiFieldOut]
    filters: list[UiFieldOut]
    sections: list[UiSectionOut]
    related: list[UiRelatedOut]
    actions: list[UiActionOut]
    create: UiActionOut | None
    export: str


class UiResourcesOut(Schema):
    language: str
    resources: list[UiResourceOut]


@router.get("/ui/resources", response={200: UiResourcesOut, **ERRORS})
def ui_resources(request):
    """Per resource: its list columns, filters, detail sections, related lists and actions (method, path, body
    fields with their kind), labelled in the caller's language (`Accept-Language`; zh-Hans by default). Which
    actions a record offers now is the record's own `allowed_actions`."""
    return ui.describe_all(request.auth)
