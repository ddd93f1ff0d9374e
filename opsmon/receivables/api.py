"""/contracts/{id}/milestones/{mid}/invoices and /collections (finance records, whoever sees the contract reads),
and /receivables: one row per milestone of the signed contracts the caller sees."""

from ninja import Query, Router, Status

from opsmon.core.schemas import ERRORS, Page, PageParams, money, paginate, user_ref

from . import rules, selectors, services
from .schemas import (
    CollectionCreated,
    CollectionIn,
    CollectionList,
    InvoiceCreated,
    InvoiceIn,
    InvoiceList,
    ReceivableListParams,
    ReceivableOut,
)

router = Router(tags=["receivables"])


def _money(r: dict) -> dict:
    m = r["milestone"]
    return {"id": m.pk, "position": m.position, "name": m.name, "planned": money(r["planned"]),
            "invoiced": money(r["invoiced"]), "collected": money(r["collected"]),
            "outstanding": money(r["outstanding"]), "due": r["due"], "days_overdue": r["days_overdue"],
            "bucket": r["bucket"]}


def _milestone(milestone) -> dict:
    found = selectors.annotated(type(milestone).objects.filter(pk=milestone.pk).select_related("contract")).get()
    return _money(selectors.row(found))


def invoice_out(i, currency: str) -> dict:
    return {"id": i.pk, "number": i.number, "invoice_type": i.invoice_type,
            "invoice_type_label": str(i.get_invoice_type_display()), "tax_rate": money(i.tax_rate),
            "amount": money(i.amount), "currency": currency, "issued_on": i.issued_on,
            "recorded_by": user_ref(i.recorded_by), "created_at": i.created_at}


def collection_out(c, currency: str) -> dict:
    return {"id": c.pk, "amount": money(c.amount), "currency": currency, "received_on": c.received_on,
            "method": c.method, "method_label": str(c.get_method_display()), "reference": c.reference,
            "prepayment": c.prepayment, "recorded_by": user_ref(c.recorded_by), "created_at": c.created_at}


def _get(request, contract_id, milestone_id):
    return selectors.milestone_get(actor=request.auth, contract_id=contract_id, milestone_id=milestone_id)


@router.get("/contracts/{contract_id}/milestones/{milestone_id}/invoices", response={200: InvoiceList, **ERRORS})
def invoice_list(request, contract_id: int, milestone_id: int):
    """The invoices of a milestone, with its planned / invoiced / collected money."""
    milestone = _get(request, contract_id, milestone_id)
    items = [invoice_out(i, milestone.contract.currency) for i in selectors.invoices_of(milestone)]
    return {"items": items, "count": len(items), "milestone": _milestone(milestone),
            "allowed_actions": rules.allowed_actions(request.auth, milestone.contract)}


@router.post("/contracts/{contract_id}/milestones/{milestone_id}/invoices",
             response={201: InvoiceCreated, **ERRORS})
def invoice_create(request, contract_id: int, milestone_id: int, payload: InvoiceIn):
    """Record an invoice (finance; a signed contract): invoiced ≤ the milestone's amount, issued on a day that has
    come. 403 not finance, 409 the contract is not signed, 422 naming each bad field."""
    milestone = _get(request, contract_id, milestone_id)
    invoice = services.invoice_record(actor=request.auth, milestone=milestone, **payload.model_dump())
    return Status(201, {"invoice": invoice_out(invoice, milestone.contract.currency),
                        "milestone": _milestone(milestone),
                        "allowed_actions": rules.allowed_actions(request.auth, milestone.contract)})


@router.get("/contracts/{contract_id}/milestones/{milestone_id}/collections",
            response={200: CollectionList, **ERRORS})
def collection_list(request, contract_id: int, milestone_id: int):
    """The collections of a milestone, with its planned / invoiced / collected money."""
    milestone = _get(request, contract_id, milestone_id)
    items = [collection_out(c, milestone.contract.currency) for c in selectors.collections_of(milestone)]
    return {"items": items, "count": len(items), "milestone": _milestone(milestone),
            "allowed_actions": rules.allowed_actions(request.auth, milestone.contract)}


@router.post("/contracts/{contract_id}/milestones/{milestone_id}/collections",
             response={201: CollectionCreated, **ERRORS})
def collection_create(request, contract_id: int, milestone_id: int, payload: CollectionIn):
    """Record money received (finance; a signed contract): collected ≤ invoiced unless `prepayment`, never more
    than the milestone's amount. 403 not finance, 409 the contract is not signed, 422 naming each bad field."""
    milestone = _get(request, contract_id, milestone_id)
    collection = services.collection_record(actor=request.auth, milestone=milestone, **payload.model_dump())
    return Status(201, {"collection": collection_out(collection, milestone.contract.currency),
                        "milestone": _milestone(milestone),
                        "allowed_actions": rules.allowed_actions(request.auth, milestone.contract)})


def receivable_out(r: dict) -> dict:
    c = r["contract"]
    return {"id": r["milestone"].pk, "contract": {"id": c.pk, "number": c.number}, "contract_title": c.title,
            "customer": {"id": c.customer_id, "name": c.customer.name}, "owner": user_ref(c.owner),
            "department": {"id": c.department_id, "name": c.department.name}, "milestone": _money(r),
            "currency": c.currency, "amount": money(r["planned"]), "invoiced": money(r["invoiced"]),
            "collected": money(r["collected"]), "outstanding": money(r["outstanding"]), "due": r["due"],
            "days_overdue": r["days_overdue"], "bucket": r["bucket"]}


@router.get("/receivables", response={200: Page[ReceivableOut], **ERRORS})
def receivable_list(request, params: Query[ReceivableListParams], pager: Query[PageParams]):
    """One row per payment milestone of the signed contracts you see: planned, invoiced, collected, outstanding,
    due, days overdue and ageing bucket. `overdue=true` keeps the overdue ones; `bucket` one ageing bucket."""
    page = paginate(selectors.receivables(actor=request.auth, filters=params.filters()), pager)
    page["items"] = [receivable_out(selectors.row(m)) for m in page["items"]]
    return page
