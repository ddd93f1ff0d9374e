"""/supplier-invoices: supplier invoices and the three-way match (三单匹配)."""

import json

from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field
from pydantic import ValidationError as PydanticError

from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.api_errors import has_nul
from opsmon.core.errors import Malformed, NotFound
from opsmon.core.files import file_response
from opsmon.core.schemas import (
    ERRORS,
    ErrorOut,
    PageParams,
    TimelineEntryOut,
    inline_schema,
    money,
    paginate,
    timeline_out,
    user_ref,
)

from . import rules, selectors, services
from .choices import InvoiceStatus
from .schemas import ReasonIn, SupplierInvoiceIn, SupplierInvoiceList, SupplierInvoiceOut

router = Router(tags=["supplier_invoices"])
UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut}


def invoice_out(actor, inv, labels=None) -> dict:
    labels = labels if labels is not None else label_map("invoice_type")
    return {
        "id": inv.pk, "number": inv.number, "supplier": {"id": inv.supplier_id, "name": inv.supplier.name},
        "invoice_type": {"code": inv.invoice_type,
                         "label": str(labels.get(("invoice_type", inv.invoice_type), inv.invoice_type))},
        "code": inv.code, "invoice_number": inv.invoice_number, "issued_on": inv.issued_on,
        "seller_tax_id": inv.seller_tax_id, "total": money(inv.total), "status": inv.status,
        "status_label": str(inv.get_status_display()),
        "lines": [{"id": line.pk,
                   "order_line": {"id": line.order_line_id,
                                  "order": {"id": line.order_line.order_id, "number": line.order_line.order.number},
                                  "position": line.order_line.position, "item": line.order_line.item,
                                  "unit_price": str(line.order_line.unit_price),
                                  "tax_rate": str(line.order_line.tax_rate)},
                   "qty": str(line.qty), "amount": money(line.amount), "tax_rate": str(line.tax_rate),
                   "expected": money(line.expected), "matched": line.matched, "mismatch": line.mismatch}
                  for line in inv.lines.all()],
        "variance_reason": inv.variance_reason, "variance_by": user_ref(inv.variance_by),
        "verified_by": user_ref(inv.verified_by), "verified_at": inv.verified_at, "status_reason": inv.status_reason,
        "file": {"id": inv.file_id, "name": inv.file.original_name} if inv.file_id else None,
        "created_by": user_ref(inv.created_by), "version": inv.version, "created_at": inv.created_at,
        "updated_at": inv.updated_at, "allowed_actions": rules.allowed_actions(actor, inv),
    }


def _one(request, pk) -> dict:
    return invoice_out(request.auth, selectors.invoice_get(actor=request.auth, pk=pk))


class ListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16, description=" | ".join(InvoiceStatus.values))
    supplier: int | None = None
    order: int | None = None

    def filters(self) -> selectors.InvoiceFilters:
        return selectors.InvoiceFilters(q=self.q.strip(), status=self.status, supplier=self.supplier,
                                        order=self.order)


@router.get("/supplier-invoices", response={200: SupplierInvoiceList, **ERRORS})
def invoice_list(request, params: Query[ListParams], pager: Query[PageParams]):
    """The invoices the caller may see, newest first."""
    page = paginate(selectors.invoice_list(actor=request.auth, filters=params.filters()), pager)
    labels = label_map("invoice_type")
    return {**page, "items": [invoice_out(request.auth, inv, labels) for inv in page["items"]]}


def _body(request) -> tuple[dict, object]:
    """The fields of a JSON body, or of a multipart form (`lines` as JSON text) with its `file`."""
    if request.content_type == "multipart/form-data":
        data = {k: v for k, v in request.POST.items()}
        if has_nul(data):
            raise Malformed()
        if "lines" in data:
            try:
                data["lines"] = json.loads(data["lines"])
            except ValueError:
                raise ValidationError([{"loc": ("body", "payload", "lines"), "msg": "lines: JSON text expected",
                                        "type": "json_invalid"}]) from None
        for key in ("total", "code"):
            if data.get(key) == "":
                data.pop(key)
        return data, request.FILES.get("file")
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise Malformed() from None
    if not isinstance(data, dict) or has_nul(data):
        raise Malformed()
    return data, None




MULTIPART = {"type": "object", "properties": {
    "supplier_id": {"type": "integer"}, "invoice_type": {"type": "string"}, "code": {"type": "string"},
    "number": {"type": "string"}, "issued_on": {"type": "string", "format": "date"},
    "seller_tax_id": {"type": "string"}, "lines": {"type": "string", "description": "the lines as JSON text"},
    "total": {"type": "string"}, "file": {"type": "string", "format": "binary"}},
    "required": ["supplier_id", "invoice_type", "number", "issued_on", "seller_tax_id", "lines"]}


@router.post("/supplier-invoices", response={201: SupplierInvoiceOut, **UPLOAD_ERRORS},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": inline_schema(SupplierInvoiceIn)},
                 "multipart/form-data": {"schema": MULTIPART}}}})
def invoice_create(request):
    """Record an invoice (JSON, or multipart with the scan as `file`: PDF, JPG or PNG) and match it at once:
    `matched`, or `mismatch` with each failing line's reason in `lines[].mismatch`. Lines on order lines of that
    supplier's signed orders; the seller's tax id is the supplier's credit code; a live invoice with the same
    (type, code, number) is 409."""
    data, upload = _body(request)
    try:
        payload = SupplierInvoiceIn.model_validate(data)
    except PydanticError as exc:
        raise ValidationError([{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors(
            include_url=False, include_context=False)]) from None
    args = payload.model_dump()
    args["lines"] = [dict(line) for line in args["lines"]]
    created = services.invoice_create(actor=request.auth, upload=upload, **args)
    return Status(201, _one(request, created.pk))


@router.get("/supplier-invoices/{supplier_invoice_id}", response={200: SupplierInvoiceOut, **ERRORS})
def invoice_detail(request, supplier_invoice_id: int):
    return _one(request, supplier_invoice_id)


@router.get("/supplier-invoices/{supplier_invoice_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def invoice_timeline(request, supplier_invoice_id: int):
    return timeline_out(timeline.entries_for(selectors.invoice_get(actor=request.auth, pk=supplier_invoice_id)))


@router.get("/supplier-invoices/{supplier_invoice_id}/file", response={200: None, **ERRORS})
def invoice_file(request, supplier_invoice_id: int, inline: bool = False):
    """The scanned invoice (404 when there is none)."""
    invoice = selectors.invoice_get(actor=request.auth, pk=supplier_invoice_id)
    if invoice.file is None:
        raise NotFound()
    return file_response(invoice.file, inline=inline)


@router.post("/supplier-invoices/{supplier_invoice_id}/accept-variance", response={200: SupplierInvoiceOut,
                                                                                   **ERRORS})
def invoice_accept_variance(request, supplier_invoice_id: int, payload: ReasonIn):
    """mismatch → matched (the procurement head, with a reason)."""
    invoice = selectors.invoice_get(actor=request.auth, pk=supplier_invoice_id)
    services.invoice_accept_variance(actor=request.auth, invoice=invoice, reason=payload.reason)
    return _one(request, supplier_invoice_id)


@router.post("/supplier-invoices/{supplier_invoice_id}/verify", response={200: SupplierInvoiceOut, **ERRORS})
def invoice_verify(request, supplier_invoice_id: int):
    """matched → verified (finance)."""
    invoice = selectors.invoice_get(actor=request.auth, pk=supplier_invoice_id)
    services.invoice_verify(actor=request.auth, invoice=invoice)
    return _one(request, supplier_invoice_id)


@router.post("/supplier-invoices/{supplier_invoice_id}/cancel", response={200: SupplierInvoiceOut, **ERRORS})
def invoice_cancel(request, supplier_invoice_id: int, payload: ReasonIn):
    """→ cancelled (红冲) while unpaid: the order's purchaser, the procurement head or finance, with a reason."""
    invoice = selectors.invoice_get(actor=request.auth, pk=supplier_invoice_id)
    services.invoice_cancel(actor=request.auth, invoice=invoice, reason=payload.reason)
    return _one(request, supplier_invoice_id)
