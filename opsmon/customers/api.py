"""/customers"""

from ninja import Query, Router, Status

from opsmon.codes.selectors import label_map
from opsmon.core.schemas import ERRORS, Page, PageParams, paginate, user_ref

from . import rules, selectors, services
from .schemas import CustomerDetailOut, CustomerIn, CustomerListParams, CustomerOut, CustomerPatch

router = Router(tags=["customers"])
TABLES = {"customer_type": "customer_type", "industry": "industry", "region": "region"}


def customer_out(customer, labels=None) -> dict:
    labels = labels if labels is not None else label_map(*TABLES.values())
    out = {"id": customer.pk, "name": customer.name, "credit_code": customer.credit_code, "address": customer.address,
           "owner": user_ref(customer.owner), "version": customer.version, "created_at": customer.created_at,
           "updated_at": customer.updated_at,
           "contacts": [{"id": c.pk, "name": c.name, "title": c.title, "phone": c.phone, "email": c.email}
                        for c in customer.contacts.all()]}
    for field, table in TABLES.items():
        code = getattr(customer, field)
        out[field] = {"code": code, "label": labels.get((table, code), code)} if code else None
    return out


def customer_detail_out(request, customer_id: int) -> dict:
    """The detail (and the create/edit answer): with the actions the caller may fire on it now."""
    customer = selectors.customer_get(actor=request.auth, pk=customer_id)
    return {**customer_out(customer), "allowed_actions": rules.allowed_actions(request.auth, customer)}


@router.get("/customers", response={200: Page[CustomerOut], **ERRORS})
def customer_list(request, params: Query[CustomerListParams], pager: Query[PageParams]):
    filters = selectors.CustomerFilters(**params.filters())
    customers = selectors.customer_list(actor=request.auth, filters=filters).prefetch_related("contacts")
    page = paginate(customers, pager)
    labels = label_map(*TABLES.values())
    page["items"] = [customer_out(c, labels) for c in page["items"]]
    return page


@router.post("/customers", response={201: CustomerDetailOut, **ERRORS})
def customer_create(request, payload: CustomerIn):
    """Record a customer; 409 `duplicate_customer` names the existing one (same credit code or name)."""
    customer = services.customer_create(actor=request.auth, **payload.model_dump())
    return Status(201, customer_detail_out(request, customer.pk))


@router.get("/customers/{customer_id}", response={200: CustomerDetailOut, **ERRORS})
def customer_detail(request, customer_id: int):
    return customer_detail_out(request, customer_id)


@router.patch("/customers/{customer_id}", response={200: CustomerDetailOut, **ERRORS})
def customer_update(request, customer_id: int, payload: CustomerPatch):
    customer = selectors.customer_get(actor=request.auth, pk=customer_id)
    data = payload.model_dump(exclude_unset=True)
    services.customer_update(actor=request.auth, customer=customer, **data)
    return customer_detail_out(request, customer_id)
