"""/integrations: webhook endpoints and their deliveries (admin only); the inbound project status an outside system
reports (its integration account's bearer token)."""

import uuid
from datetime import datetime

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from opsmon.accounts.services import require_admin
from opsmon.core.errors import NotFound
from opsmon.core.schemas import ERRORS, In, Page, PageParams, paginate

from . import inbound, services
from .models import WebhookDelivery, WebhookEndpoint

router = Router(tags=["integrations"])


class EndpointIn(In):
    name: str = Field(max_length=100)
    url: str = Field(max_length=500)
    secret: str = Field(max_length=200, description="Shared secret for the HMAC-SHA256 signature (≥ 16 characters)")
    events: list[str] = Field(max_length=20)
    active: bool = True


class EndpointPatch(In):
    name: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=500)
    secret: str | None = Field(None, max_length=200)
    events: list[str] | None = Field(None, max_length=20)
    active: bool | None = None


class EndpointOut(Schema):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    event_id: str
    event: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None
    created_at: datetime
    payload: dict


def _endpoint_out(e) -> dict:
    return {"id": e.pk, "name": e.name, "url": e.url, "events": e.events, "active": e.active,
            "created_at": e.created_at}


@router.get("/integrations/webhooks", response={200: Page[EndpointOut], **ERRORS})
def endpoint_list(request):
    require_admin(request.auth)
    items = [_endpoint_out(e) for e in WebhookEndpoint.objects.order_by("name")]
    return {"items": items, "count": len(items)}


@router.post("/integrations/webhooks", response={201: EndpointOut, **ERRORS})
def endpoint_create(request, payload: EndpointIn):
    require_admin(request.auth)
    return Status(201, _endpoint_out(services.endpoint_create(actor=request.auth, **payload.model_dump())))


@router.patch("/integrations/webhooks/{endpoint_id}", response={200: EndpointOut, **ERRORS})
def endpoint_update(request, endpoint_id: int, payload: EndpointPatch):
    require_admin(request.auth)
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound()
    return _endpoint_out(services.endpoint_update(actor=request.auth, endpoint=endpoint,
                                                  **payload.model_dump(exclude_unset=True)))


@router.get("/integrations/deliveries", response={200: Page[DeliveryOut], **ERRORS})
def delivery_list(request, status: str = "", endpoint: int | None = None, pager: Query[PageParams] = None):
    """Deliveries newest first, with status, attempts and the last error."""
    require_admin(request.auth)
    qs = WebhookDelivery.objects.order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if endpoint:
        qs = qs.filter(endpoint_id=endpoint)
    page = paginate(qs, pager or PageParams())
    page["items"] = [{"id": d.pk, "endpoint_id": d.endpoint_id, "event_id": str(d.event_id), "event": d.event,
                      "status": d.status, "attempts": d.attempts, "next_attempt_at": d.next_attempt_at,
                      "last_status_code": d.last_status_code, "last_error": d.last_error,
                      "delivered_at": d.delivered_at, "created_at": d.created_at, "payload": d.payload}
                     for d in page["items"]]
    return page


class ProjectStatusIn(In):
    """One delivery event (integrations.inbound): exactly one of handoff_id and project_number."""

    handoff_id: uuid.UUID | None = Field(None, description="The hand-off id of the project.handed_off webhook")
    project_number: str | None = Field(None, max_length=20, description="The project's number (LX-...)")
    event: str = Field(max_length=24, description="accepted | progress | milestone_done | delivered | "
                                                  "customer_accepted | halted")
    at: datetime = Field(description="When it happened (ISO 8601; without a zone: Asia/Shanghai); events are "
                                     "applied in order of this time")
    percent: int | None = Field(None, description="0..100, only with progress (and required there)")
    milestone: int | None = Field(None, description="The contract milestone's position (1 = first), only with "
                                                    "milestone_done (and required there)")
    note: str = Field("", max_length=500)
    idempotency_key: str = Field(max_length=100, description="Unique per account: a repeat answers the first "
                                                             "answer again; reused with another body: 409")


class ProjectStatusOut(Schema):
    project_number: str
    status: str
    delivery_percent: int | None
    outcome: str = Field(description="applied | pending (waits for an earlier event) | duplicate (already on the "
                                     "project) | superseded (a later event already decided it)")
    event: str
    at: datetime
    handoff_id: str
    event_id: int


@router.post("/integrations/project-status", response={200: ProjectStatusOut, 202: ProjectStatusOut, **ERRORS})
def project_status(request, payload: ProjectStatusIn, response: HttpResponse):
    """An integration account reports a delivery event of a project handed to it (see integrations.inbound)."""
    answer = inbound.project_status_receive(actor=request.auth, **payload.model_dump())
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(answer.status, answer.body)
