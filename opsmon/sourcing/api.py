"""/sourcings: sourcing (询价/比价), invitations, quotations, comparison, award (reviewed on the approvals engine:
steps approve, return or reject). Prices are null for everyone but the sourcing's purchaser until it is evaluated."""

import json
from decimal import Decimal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from opsmon.approvals import selectors as approval_selectors
from opsmon.codes.selectors import label_map
from opsmon.core.errors import Invalid, Malformed, PermissionDenied, TooLarge
from opsmon.core.rules import refuse
from opsmon.core.schemas import ERRORS, ErrorOut, PageParams, inline_schema, money, paginate, user_ref
from opsmon.core.xlsx import CONTENT_TYPE
from opsmon.procurement.api import rounds_out
from opsmon.procurement.schemas import RoundOut

from . import excel, rules, selectors, services
from .choices import SourcingStatus
from .schemas import (
    AwardAnswer,
    AwardIn,
    ComparisonOut,
    QuotationIn,
    QuotationOut,
    SourcingCommentIn,
    SourcingIn,
    SourcingList,
    SourcingOut,
    SourcingReasonIn,
)

router = Router(tags=["sourcing"])
TABLES = ("unit", "supplier_category", "purchase_method", "single_source_reason", "review_step_kind")
UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut}

_QUOTATION_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": inline_schema(QuotationIn)},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "supplier_id": {"type": "integer"}, "valid_until": {"type": "string", "format": "date"},
        "delivery_days": {"type": "integer"},
        "lines": {"type": "string", "description": "JSON list [{request_line_id, unit_price, tax_rate}]"},
        "file": {"type": "string", "format": "binary", "description": "the supplier's quotation (PDF, image …)"}},
        "required": ["supplier_id", "valid_until", "delivery_days", "lines"]}},
}}}


def _code(labels, table, code) -> dict | None:
    if not code:
        return None
    return {"code": code, "label": str(labels.get((table, code), code))}


def _price(visible: bool, value) -> str | None:
    return (str(value) if value is not None else None) if visible else None


def sourcing_out(actor, s, labels=None) -> dict:
    labels = labels if labels is not None else label_map(*TABLES)
    visible = rules.sees_prices(actor, s)
    quoted = {q.supplier_id for q in s.quotations.all()}
    lines = []
    for x in s.lines.all():
        r, ql = x.request_line, x.awarded
        lines.append({
            "id": x.pk, "request_line_id": r.pk, "request": {"id": r.request_id, "number": r.request.number},
            "item": r.item, "spec": r.spec, "unit": _code(labels, "unit", r.unit),
            "category": _code(labels, "supplier_category", r.category), "qty": str(x.qty),
            "est_unit_price": str(r.est_unit_price), "est_amount": money(r.amount), "need_by": r.need_by,
            "awarded_quotation_line_id": ql.pk if ql and visible else None,
            "awarded_supplier": {"id": ql.quotation.supplier_id, "name": ql.quotation.supplier.name} if ql else None,
            "awarded_unit_price": _price(visible, ql.unit_price if ql else None),
            "awarded_amount": money(ql.amount) if ql and visible else None,
            "drop_reason": x.drop_reason, "reason_not_lowest": x.reason_not_lowest})
    amounts = [x.awarded.amount for x in s.lines.all() if x.awarded_id]
    total = sum(amounts, Decimal("0.00")) if visible and amounts else None
    return {
        "id": s.pk, "number": s.number, "title": s.title, "method": _code(labels, "purchase_method", s.method),
        "min_quotations": services.min_quotations(s.method), "status": s.status,
        "status_label": str(s.get_status_display()), "owner": user_ref(s.owner), "department": s.department.name,
        "deadline": s.deadline, "estimate": money(s.estimate), "awarded_total": money(total),
        "category": _code(labels, "supplier_category", s.category),
        "single_source_reason": _code(labels, "single_source_reason", s.single_source_reason),
        "justification": s.justification,
        "original_order": {"id": s.original_order_id, "number": s.original_order.number}
        if s.original_order_id else None,
        "notice_on": s.notice_on, "override_reason": s.override_reason, "award_warnings": list(s.award_warnings),
        "status_reason": s.status_reason, "opened_at": s.opened_at, "evaluated_at": s.evaluated_at,
        "awarded_at": s.awarded_at, "prices_visible": visible, "lines": lines,
        "invitations": [{"id": inv.pk, "supplier": {"id": inv.supplier_id, "name": inv.supplier.name},
                         "grade": inv.supplier.grade, "grade_warning": inv.grade_warning,
                         "quoted": inv.supplier_id in quoted} for inv in s.invitations.all()],
        "current_step": _current(s, labels), "version": s.version, "created_at": s.created_at,
        "updated_at": s.updated_at, "allowed_actions": rules.allowed_actions(actor, s),
    }


def _current(s, labels) -> dict | None:
    if s.status != SourcingStatus.AWARD_REVIEW:
        return None
    step = approval_selectors.current_step(s)
    return {"id": step.pk, "position": step.position,
            "kind": _code(labels, "review_step_kind", step.kind)} if step else None


def quotation_out(actor, s, q, invited=None, day=None) -> dict:
    visible = rules.sees_prices(actor, s)
    invited = invited if invited is not None else {inv.supplier_id for inv in s.invitations.all()}
    return {"id": q.pk, "supplier": {"id": q.supplier_id, "name": q.supplier.name}, "valid_until": q.valid_until,
            "delivery_days": q.delivery_days,
            "valid": selectors.is_valid_quotation(q, invited, day or timezone.localdate()),
            "total": money(q.total) if visible else None,
            "file": {"id": str(q.file_id), "name": q.file.original_name} if q.file_id and visible else None,
            "created_by": user_ref(q.created_by), "created_at": q.created_at,
            "lines": [{"id": ql.pk, "request_line_id": _request_line_of(s, ql.sourcing_line_id),
                       "unit_price": _price(visible, ql.unit_price), "tax_rate": _price(visible, ql.tax_rate),
                       "amount": money(ql.amount) if visible else None} for ql in q.lines.all()]}


def _request_line_of(s, sourcing_line_id) -> int:
    return next((x.request_line_id for x in s.lines.all() if x.pk == sourcing_line_id), 0)


def comparison_out(actor, s) -> dict:
    visible = rules.sees_prices(actor, s)
    table = selectors.comparison(s)
    labels = label_map("unit")
    return {
        "prices_visible": visible, "award_date": table["day"],
        "suppliers": [{"id": sup.pk, "name": sup.name, "quoted": sup.pk in table["quotations"],
                       "valid_until": getattr(table["quotations"].get(sup.pk), "valid_until", None),
                       "delivery_days": getattr(table["quotations"].get(sup.pk), "delivery_days", None),
                       "total": money(table["quotations"][sup.pk].total)
                       if visible and sup.pk in table["quotations"] else None} for sup in table["suppliers"]],
        "lines": [{"request_line_id": row["line"].request_line_id, "item": row["line"].request_line.item,
                   "spec": row["line"].request_line.spec,
                   "unit": str(labels.get(("unit", row["line"].request_line.unit), row["line"].request_line.unit)),
                   "qty": str(row["line"].qty), "lowest_unit_price": _price(visible, row["lowest"]),
                   "cells": [{"supplier_id": c["supplier"].pk, "quoted": c["line"] is not None,
                              "quotation_line_id": c["line"].pk if c["line"] is not None and visible else None,
                              "unit_price": _price(visible, getattr(c["line"], "unit_price", None)),
                              "tax_rate": _price(visible, getattr(c["line"], "tax_rate", None)),
                              "amount": money(c["line"].amount) if c["line"] is not None and visible else None,
                              "valid": c["valid"], "lowest": c["lowest"] and visible} for c in row["cells"]]}
                  for row in table["rows"]]}


def _get(request, pk):
    return selectors.sourcing_get(actor=request.auth, pk=pk)


def _one(request, pk) -> dict:
    return sourcing_out(request.auth, _get(request, pk))


class SourcingListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16, description=" | ".join(SourcingStatus.values))
    method: str = Field("", max_length=32)
    mine: bool = False

    def filters(self) -> selectors.SourcingFilters:
        return selectors.SourcingFilters(q=self.q.strip(), status=self.status, method=self.method, mine=self.mine)


@router.get("/sourcings", response={200: SourcingList, **ERRORS})
def sourcing_list(request, params: Query[SourcingListParams], pager: Query[PageParams]):
    """The sourcings the caller may see, newest first."""
    page = paginate(selectors.sourcing_list(actor=request.auth, filters=params.filters()), pager)
    ids = [s.pk for s in page["items"]]
    full = {s.pk: s for s in selectors.with_details(selectors.visible_sourcings(request.auth).filter(pk__in=ids))}
    labels = label_map(*TABLES)
    return {"items": [sourcing_out(request.auth, full[pk], labels) for pk in ids if pk in full],
            "count": page["count"]}


@router.post("/sourcings", response={201: SourcingOut, **ERRORS})
def sourcing_create(request, payload: SourcingIn):
    """A draft sourcing of the caller (purchaser or procurement head) from lines of approved requests, inviting
    suppliers (each eligible today, else 409 naming it); the requests move to `sourcing`."""
    created = services.sourcing_create(actor=request.auth, **payload.model_dump())
    return Status(201, _one(request, created.pk))


@router.get("/sourcings/{sourcing_id}", response={200: SourcingOut, **ERRORS})
def sourcing_detail(request, sourcing_id: int):
    return _one(request, sourcing_id)


@router.post("/sourcings/{sourcing_id}/open", response={200: SourcingOut, **ERRORS})
def sourcing_open(request, sourcing_id: int, payload: SourcingCommentIn = None):
    """Send the invitations: at least the method's min_quotations suppliers, each eligible (409 naming it)."""
    services.sourcing_open(actor=request.auth, sourcing=_get(request, sourcing_id))
    return _one(request, sourcing_id)


@router.post("/sourcings/{sourcing_id}/evaluate", response={200: SourcingOut, **ERRORS})
def sourcing_evaluate(request, sourcing_id: int, payload: SourcingCommentIn = None):
    """After the deadline, or once every invited supplier quoted; prices become visible to who sees the sourcing."""
    services.sourcing_evaluate(actor=request.auth, sourcing=_get(request, sourcing_id))
    return _one(request, sourcing_id)


@router.post("/sourcings/{sourcing_id}/fail", response={200: SourcingOut, **ERRORS})
def sourcing_fail(request, sourcing_id: int, payload: SourcingReasonIn):
    """流标: the request lines go back to the pool."""
    services.sourcing_fail(actor=request.auth, sourcing=_get(request, sourcing_id), reason=payload.reason)
    return _one(request, sourcing_id)


@router.post("/sourcings/{sourcing_id}/cancel", response={200: SourcingOut, **ERRORS})
def sourcing_cancel(request, sourcing_id: int, payload: SourcingReasonIn):
    services.sourcing_cancel(actor=request.auth, sourcing=_get(request, sourcing_id), reason=payload.reason)
    return _one(request, sourcing_id)


@router.get("/sourcings/{sourcing_id}/quotations", response={200: list[QuotationOut], **ERRORS})
def quotation_list(request, sourcing_id: int):
    """Who quoted; prices null until the sourcing is evaluated, except for its purchaser."""
    s = _get(request, sourcing_id)
    return [quotation_out(request.auth, s, q) for q in s.quotations.all()]


def _quotation_body(request) -> tuple[dict, object]:
    if (request.content_type or "").startswith("multipart/"):
        data = request.POST
        return ({"supplier_id": data.get("supplier_id"), "valid_until": data.get("valid_until"),
                 "delivery_days": data.get("delivery_days"),
                 "lines": services.parse_lines_text(data.get("lines"))}, request.FILES.get("file"))
    try:
        body = json.loads(request.body or b"{}")
    except RequestDataTooBig:
        raise TooLarge() from None
    except ValueError:
        raise Malformed() from None
    if not isinstance(body, dict):
        raise Malformed()
    try:
        parsed = QuotationIn.model_validate(body)
    except ValueError as exc:
        errors = getattr(exc, "errors", lambda: [])()
        raise Invalid(fields={".".join(str(p) for p in e.get("loc", ())) or "__all__": e.get("msg", "")
                              for e in errors}) from None
    data = parsed.model_dump()
    data["lines"] = [dict(x) for x in data["lines"]]
    return data, None


@router.post("/sourcings/{sourcing_id}/quotations", response={201: QuotationOut, **UPLOAD_ERRORS},
             openapi_extra=_QUOTATION_BODY)
def quotation_create(request, sourcing_id: int):
    """Record an invited supplier's quotation while open (again: replaces it). JSON `QuotationIn`, or multipart
    with the same fields (`lines` as JSON text) and the supplier's `file`."""
    s = _get(request, sourcing_id)
    refuse(rules.can_quote(request.auth, s))
    data, upload = _quotation_body(request)
    quotation = services.quotation_record(actor=request.auth, sourcing=s, upload=upload, **data)
    s = _get(request, sourcing_id)
    return Status(201, quotation_out(request.auth, s, next(q for q in s.quotations.all() if q.pk == quotation.pk)))


@router.get("/sourcings/{sourcing_id}/comparison", response={200: ComparisonOut, **ERRORS})
def comparison(request, sourcing_id: int, format: str = ""):  # noqa: A002 - the API's query parameter
    """Lines × suppliers, the lowest valid tax-inclusive unit price of each line marked; `?format=xlsx` answers the
    workbook (as /comparison.xlsx)."""
    s = _get(request, sourcing_id)
    if format == "xlsx":
        return _xlsx(request, s)
    return comparison_out(request.auth, s)


def _xlsx(request, s) -> HttpResponse:
    if not rules.sees_prices(request.auth, s):
        refuse(PermissionDenied(_("The prices are sealed until the sourcing is evaluated.")))
    response = HttpResponse(excel.comparison_xlsx(s), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{s.number}-comparison.xlsx"'
    return response


@router.get("/sourcings/{sourcing_id}/comparison.xlsx", response={200: None, **ERRORS})
def comparison_xlsx(request, sourcing_id: int):
    """The comparison as .xlsx (no formulas); 403 while the prices are sealed for the caller."""
    return _xlsx(request, _get(request, sourcing_id))


@router.put("/sourcings/{sourcing_id}/award", response={200: AwardAnswer, **ERRORS})
def award_put(request, sourcing_id: int, payload: AwardIn):
    """Award every line (a valid quotation line of its own) or drop it (a reason); a price not the lowest valid one
    needs `reason_not_lowest`; an override (too few quotations, threshold, 化整为零, notice period, add-on share)
    needs `override_reason` (422 naming why). An ineligible supplier is 409."""
    s = _get(request, sourcing_id)
    data = payload.model_dump()
    _saved, warnings = services.award_save(actor=request.auth, sourcing=s, lines=[dict(x) for x in data["lines"]],
                                           override_reason=data["override_reason"])
    return {"sourcing": _one(request, sourcing_id), "warnings": warnings}


@router.post("/sourcings/{sourcing_id}/submit-award", response={200: SourcingOut, **ERRORS})
def award_submit(request, sourcing_id: int, payload: SourcingCommentIn = None):
    """A review round of kind "award" (one more procurement_head step when an override applies)."""
    services.award_submit(actor=request.auth, sourcing=_get(request, sourcing_id))
    return _one(request, sourcing_id)


@router.get("/sourcings/{sourcing_id}/reviews", response={200: list[RoundOut], **ERRORS})
def award_reviews(request, sourcing_id: int):
    return rounds_out(_get(request, sourcing_id))


def _decide(request, sourcing_id, step_id, decision, comment):
    s = _get(request, sourcing_id)
    services.award_decide(actor=request.auth, sourcing=s, step_id=step_id, decision=decision, comment=comment)
    return _one(request, sourcing_id)


@router.post("/sourcings/{sourcing_id}/reviews/{step_id}/approve", response={200: SourcingOut, **ERRORS})
def award_approve(request, sourcing_id: int, step_id: int, payload: SourcingCommentIn = None):
    return _decide(request, sourcing_id, step_id, "approve", payload.comment if payload else "")


@router.post("/sourcings/{sourcing_id}/reviews/{step_id}/return", response={200: SourcingOut, **ERRORS})
def award_return(request, sourcing_id: int, step_id: int, payload: SourcingCommentIn):
    """Back to evaluating for a new award (a comment is required)."""
    return _decide(request, sourcing_id, step_id, "return", payload.comment)


@router.post("/sourcings/{sourcing_id}/reviews/{step_id}/reject", response={200: SourcingOut, **ERRORS})
def award_reject(request, sourcing_id: int, step_id: int, payload: SourcingCommentIn):
    """Final: the sourcing fails (流标) and its lines go back to the pool (a comment is required)."""
    return _decide(request, sourcing_id, step_id, "reject", payload.comment)
