"""/codes/{table}: everyone reads active items; the admin adds and edits."""

from ninja import Router, Status

from opsmon.accounts.services import require_admin
from opsmon.core.schemas import ERRORS, Page

from . import selectors, services
from .models import VALUE_NAMES
from .schemas import CodeItemIn, CodeItemOut, CodeItemPatch

router = Router(tags=["codes"])


def _out(item, table: str) -> dict:
    out = {"code": item.code, "label": item.label, "label_zh": item.label_zh, "label_en": item.label_en,
           "order": item.order, "active": item.active, "probability": item.probability, "value": item.value}
    if table in VALUE_NAMES:  # the value under its meaning's name too: min_quotations, deductible, rate, mandatory_for
        out[VALUE_NAMES[table]] = selectors.typed_value(table, item.value)
    return out


@router.get("/codes/{table}", response={200: Page[CodeItemOut], **ERRORS})
def item_list(request, table: str, include_inactive: bool = False):
    """Active items in order; `include_inactive=true` also lists deactivated ones (admin only)."""
    selectors.table_get(name=table)
    if include_inactive:
        require_admin(request.auth)
    items = [_out(i, table) for i in selectors.items(table=table, include_inactive=include_inactive)]
    return {"items": items, "count": len(items)}


@router.post("/codes/{table}", response={201: CodeItemOut, **ERRORS})
def item_create(request, table: str, payload: CodeItemIn):
    require_admin(request.auth)
    item = services.item_create(actor=request.auth, table=selectors.table_get(name=table), **payload.model_dump())
    return Status(201, _out(item, table))


@router.patch("/codes/{table}/{code}", response={200: CodeItemOut, **ERRORS})
def item_update(request, table: str, code: str, payload: CodeItemPatch):
    require_admin(request.auth)
    item = services.item_update(actor=request.auth, item=selectors.item_get(table=table, code=code),
                                **payload.model_dump(exclude_unset=True))
    return _out(item, table)
