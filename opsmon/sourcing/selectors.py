"""Which sourcings the actor may see (PROCUREMENT.md "Visibility"; else 404): the purchaser his own, the deciders
of its award rounds that sourcing, procurement_head, executive and admin all. Requesters and department heads do
not see sourcings (nor quotations). The comparison (lines × suppliers, the lowest valid tax-inclusive price) and
the awarded lines (for purchasing's create-orders) are read here too."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import is_active_user
from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import NotFound
from opsmon.procurement.choices import RequestStatus
from opsmon.procurement.models import RequestLine
from opsmon.procurement.selectors import visible_requests

from .models import Invitation, Quotation, QuotationLine, Sourcing, SourcingLine
from .rules import LIVE

SEE_ALL = (Role.PROCUREMENT_HEAD, Role.EXECUTIVE, Role.ADMIN)


def visible_sourcings(actor):
    if not is_active_user(actor):
        return Sourcing.objects.none()
    if actor.has_role(*SEE_ALL):
        return Sourcing.objects.all()
    return Sourcing.objects.filter(Q(owner=actor.pk)
                                   | Q(pk__in=approval_selectors.decided_records(actor, Sourcing)))


@dataclass(frozen=True)
class SourcingFilters:
    q: str = ""
    status: str = ""
    method: str = ""
    mine: bool = False


def with_details(qs):
    lines = (SourcingLine.objects.select_related("request_line__request", "awarded__quotation__supplier")
             .order_by("request_line__request_id", "request_line__position", "id"))
    quotations = (Quotation.objects.select_related("supplier", "file", "created_by")
                  .prefetch_related(Prefetch("lines", queryset=QuotationLine.objects.order_by("sourcing_line_id")))
                  .order_by("id"))
    return (qs.select_related("owner", "department", "original_order")
            .prefetch_related(Prefetch("lines", queryset=lines),
                              Prefetch("invitations", queryset=Invitation.objects.select_related("supplier")
                                       .order_by("id")),
                              Prefetch("quotations", queryset=quotations)))


def sourcing_list(*, actor, filters: SourcingFilters = SourcingFilters()):
    qs = visible_sourcings(actor)
    f = filters
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(title__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.method:
        qs = qs.filter(method=f.method)
    if f.mine:
        qs = qs.filter(owner=actor.pk)
    return qs.select_related("owner", "department").order_by("-created_at", "-id")


def sourcing_get(*, actor, pk) -> Sourcing:
    try:
        return with_details(visible_sourcings(actor)).get(pk=pk)
    except (Sourcing.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def live_line_ids(request_line_ids) -> set[int]:
    """The request lines among `request_line_ids` already held by a live sourcing."""
    return set(SourcingLine.objects.filter(request_line_id__in=list(request_line_ids), sourcing__status__in=LIVE)
               .values_list("request_line_id", flat=True))


def poolable_lines(actor):
    """Request lines a new sourcing may take: of approved (or partly sourced) requests the actor sees, not held by a
    live sourcing."""
    held = SourcingLine.objects.filter(sourcing__status__in=LIVE).values("request_line_id")
    return (RequestLine.objects.filter(request__in=visible_requests(actor).values("pk"),
                                       request__status__in=(RequestStatus.APPROVED, RequestStatus.SOURCING))
            .exclude(pk__in=held).select_related("request").order_by("request_id", "position", "id"))


# --- quotations and the comparison --------------------------------------------------------------------------

def is_valid_quotation(quotation: Quotation, invited: set[int], day: date) -> bool:
    """Valid = from an invited supplier and valid until (at least) `day` (the award date)."""
    return quotation.supplier_id in invited and quotation.valid_until >= day


def comparison(sourcing: Sourcing, *, day: date | None = None) -> dict:
    """Lines × suppliers: each cell the supplier's quotation line (or None), `valid` and `lowest` (the lowest valid
    tax-inclusive unit price of the line; ties all marked). Uses the prefetched lines, invitations, quotations."""
    day = day or timezone.localdate()
    invited = {inv.supplier_id for inv in sourcing.invitations.all()}
    suppliers = [inv.supplier for inv in sourcing.invitations.all()]
    quotations = {q.supplier_id: q for q in sourcing.quotations.all()}
    rows = []
    for line in sourcing.lines.all():
        cells = []
        for supplier in suppliers:
            q = quotations.get(supplier.pk)
            ql = next((x for x in q.lines.all() if x.sourcing_line_id == line.pk), None) if q else None
            cells.append({"supplier": supplier, "quotation": q, "line": ql,
                          "valid": bool(ql is not None and is_valid_quotation(q, invited, day))})
        prices = [c["line"].unit_price for c in cells if c["valid"]]
        lowest = min(prices) if prices else None
        for c in cells:
            c["lowest"] = c["valid"] and lowest is not None and c["line"].unit_price == lowest
        rows.append({"line": line, "cells": cells, "lowest": lowest})
    return {"suppliers": suppliers, "quotations": quotations, "rows": rows, "day": day}


def lowest_valid_price(line: SourcingLine, *, invited: set[int], day: date) -> Decimal | None:
    prices = [ql.unit_price for ql in QuotationLine.objects.filter(sourcing_line=line).select_related("quotation")
              if is_valid_quotation(ql.quotation, invited, day)]
    return min(prices) if prices else None


def awarded_lines(sourcing: Sourcing):
    """The lines of an awarded sourcing with their chosen quotation line (dropped lines left out), for purchasing's
    create-orders: each SourcingLine's `awarded` (QuotationLine: unit_price, tax_rate, amount, quotation.supplier,
    quotation.delivery_days) and `request_line` (item, spec, unit, need_by, request.project/contract)."""
    return (SourcingLine.objects.filter(sourcing=sourcing, awarded__isnull=False)
            .select_related("awarded__quotation__supplier", "request_line__request")
            .order_by("awarded__quotation__supplier_id", "request_line__request_id", "request_line__position", "id"))
