"""One record of every kind, made through the services, for the sweeps over every route (CSRF, GET, secrets)."""

import re

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from opsmon.approvals.models import Route
from opsmon.bids import services as bids
from opsmon.bids.tests.factories import routed_bid
from opsmon.codes.models import CodeItem
from opsmon.contracts import selectors as contract_selectors
from opsmon.contracts import services as contracts
from opsmon.contracts.tests.factories import PDF, draft, routes, signed, submitted
from opsmon.integrations import services as integrations
from opsmon.notifications.models import Notification

WEBHOOK_SECRET = "whsec-do-not-leak-0123456789"


def build(org) -> dict:
    """Ids by the names the API and the web use for their path parameters."""
    routes(org)
    rep, assistant = org["rep1"], org["assistant1"]
    bid = routed_bid(org)
    document = bids.document_upload(actor=rep, bid=bid, kind="tender",
                                    upload=SimpleUploadedFile("招标文件.pdf", PDF))
    bond = bids.bond_create(actor=assistant, bid=bid, kind="bid", amount="10000", method="bank_transfer")
    drafting = draft(org)
    attachment = contracts.attachment_add(actor=rep, contract=drafting,
                                          upload=SimpleUploadedFile("附件.pdf", PDF))
    in_review = submitted(org)
    step = contract_selectors.current_step(in_review)
    signed_contract = signed(org)
    endpoint = integrations.endpoint_create(actor=org["admin"], name="ERP", url="http://127.0.0.1:9/hook",
                                            secret=WEBHOOK_SECRET, events=["contract.signed"], active=True)
    notification = Notification.objects.order_by("pk").first()
    item = CodeItem.objects.select_related("table").filter(table__name="industry").order_by("pk").first()
    return {
        "opportunity_id": drafting.opportunity_id, "customer_id": drafting.customer_id,
        "project_id": bid.project_id, "bid_id": bid.pk, "doc_id": document.pk, "bond_id": bond.pk,
        "contract_id": in_review.pk, "step_id": step.pk, "attachment_id": attachment.pk,
        "signed_contract_id": signed_contract.pk, "drafting_contract_id": drafting.pk,
        "notification_id": notification.pk if notification else 1, "endpoint_id": endpoint.pk,
        "department_id": rep.department_id, "user_id": rep.pk, "route_id": Route.objects.first().pk,
        "table": item.table.name, "code": item.code, "job_id": 1, "stage": "qualified",
    }


def fill(path: str, ids: dict) -> str:
    """A concrete path for an OpenAPI path (`{bid_id}`) or a URL pattern (`<int:pk>`, `<slug:table>`)."""
    def api_param(match):
        return str(ids.get(match.group(1), 1))

    path = re.sub(r"\{(\w+)\}", api_param, path)
    return path


# Rows that change on every request by design, not because a GET changed business state.
VOLATILE = {"sessions.Session", "accounts.ApiToken", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}


def snapshot() -> dict:
    """Every row of every table (but the volatile ones), to compare before and after a sweep."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in VOLATILE:
            continue
        state[label] = list(model._base_manager.order_by("pk").values())
    return state


def diff(before: dict, after: dict) -> dict:
    """{model: (rows before, rows after)} for the tables that differ."""
    return {label: (len(before[label]), len(after[label])) for label in before if before[label] != after[label]}
