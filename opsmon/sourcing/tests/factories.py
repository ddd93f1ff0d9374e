"""Sourcings made through the services, as a purchaser would make them: an approved request (procurement's
factories), qualified suppliers (suppliers' factories), a sourcing in each state."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from opsmon.approvals import selectors as approval_selectors
from opsmon.procurement import services as procurement
from opsmon.procurement.tests import factories as pf
from opsmon.sourcing import services
from opsmon.sourcing.models import Sourcing
from opsmon.suppliers.tests import factories as sf


def routes():
    pf.routes()
    import_module("opsmon.sourcing.migrations.0003_seed_review_routes").seed(apps, None)


def approved_request(org, *, owner="rep1", lines=pf.LINES, **kw):
    routes()
    request = pf.submitted(org, owner=owner, lines=lines, **kw)
    while (step := approval_selectors.current_step(request)) is not None:
        decider = step.deciders.select_related("user").first().user
        request = procurement.request_decide(actor=decider, request=request, step_id=step.pk, decision="approve")
    assert request.status == "approved", request.status
    return request


def suppliers(org, n=3, categories=("hardware", "software")):
    return [sf.qualified(org, categories=categories) for _ in range(n)]


def line_ids(request):
    return list(request.lines.order_by("position").values_list("pk", flat=True))


def soon(days=7):
    return timezone.now() + timedelta(days=days)


def draft(org, *, by="buyer1", method="inquiry", request=None, invited=None, deadline=None, **kw) -> Sourcing:
    request = request or approved_request(org)
    invited = invited if invited is not None else suppliers(org)
    return services.sourcing_create(actor=org[by], method=method, request_line_ids=line_ids(request),
                                    supplier_ids=[s.pk for s in invited], deadline=deadline or soon(), **kw)


def opened(org, **kw) -> Sourcing:
    s = draft(org, **kw)
    return services.sourcing_open(actor=s.owner, sourcing=s)


def quote(s, supplier, prices, *, tax="13", valid_days=30, delivery_days=10):
    """prices: one unit price per line of the sourcing (None: that line not quoted)."""
    lines = [{"request_line_id": x.request_line_id, "unit_price": p, "tax_rate": tax}
             for x, p in zip(s.lines.order_by("id"), prices, strict=True) if p is not None]
    return services.quotation_record(actor=s.owner, sourcing=s, supplier_id=supplier.pk,
                                     valid_until=timezone.localdate() + timedelta(days=valid_days),
                                     delivery_days=delivery_days, lines=lines)


# Three suppliers' prices of the factory request's two lines (2 × 服务器, 1.5 × 数据库许可): the first is lowest on
# line 1, the second on line 2.
PRICES = (("14000", "3400"), ("14500", "3100"), ("15000", "3300"))


def evaluating(org, **kw) -> Sourcing:
    s = opened(org, **kw)
    for supplier, prices in zip([i.supplier for i in s.invitations.order_by("id")], PRICES, strict=False):
        quote(s, supplier, prices)
    return services.sourcing_evaluate(actor=s.owner, sourcing=Sourcing.objects.get(pk=s.pk))


def lowest_award(s) -> list[dict]:
    """Each line to its lowest price."""
    out = []
    for x in s.lines.order_by("id"):
        quoted = list(x.quotation_lines.all())
        if not quoted:
            out.append({"request_line_id": x.request_line_id, "drop_reason": "无报价"})
            continue
        best = min(quoted, key=lambda q: q.unit_price)
        out.append({"request_line_id": x.request_line_id, "quotation_line_id": best.pk})
    return out


def awarded_for_review(org, **kw) -> Sourcing:
    s = evaluating(org, **kw)
    services.award_save(actor=s.owner, sourcing=s, lines=lowest_award(s))
    return services.award_submit(actor=s.owner, sourcing=Sourcing.objects.get(pk=s.pk))


def decide_all(org, s, decision="approve", comment="同意"):
    while (step := approval_selectors.current_step(s)) is not None:
        decider = step.deciders.select_related("user").first().user
        s = services.award_decide(actor=decider, sourcing=s, step_id=step.pk, decision=decision, comment=comment)
        if decision != "approve":
            break
    return s


def awarded(org, **kw) -> Sourcing:
    return decide_all(org, awarded_for_review(org, **kw))
