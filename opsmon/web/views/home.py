"""The workbench (工作台): what waits for the user, his deadlines this week, the records he worked on lately and, for
heads, the open pipeline of the department. Every block reads a registry or a module's selector, so a record shows
here exactly when its own page would open, and every line is one click from its page."""

from collections import OrderedDict
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import head_departments
from opsmon.codes.selectors import items as code_items
from opsmon.core import deadlines, links
from opsmon.core.events import label as action_label
from opsmon.core.inbox import items_for
from opsmon.core.models import TimelineEntry
from opsmon.opportunities.choices import EDITABLE
from opsmon.opportunities.selectors import visible_opportunities

INBOX_SHOWN = 6
DEADLINE_DAYS = 7          # today and the six days after it
DEADLINES_SHOWN = 12
RECENT_SHOWN = 8
RECENT_SCANNED = 200       # the user's latest timeline entries read to find his recent records

# The deadline kinds of the modules' providers (core.deadlines), in the order the block lists them.
DEADLINE_KINDS = OrderedDict([
    ("bid.submission", _("Submission deadlines")),
    ("bid.opening", _("Bid openings")),
    ("opportunity.follow_up", _("Follow-ups due")),
    ("bond.refund", _("Bond refunds due")),
    ("bond.pay", _("Performance bonds to pay")),
    ("contract.receivable", _("Receivables due")),
    ("guarantee.expiry", _("Guarantee letters expiring")),
])


# Inbox kinds whose item labels carry the record's details (a date, an amount, a name): counted under these.
INBOX_KINDS = {
    "receivable.overdue": _("Receivables overdue"),
    "bid.deadline_soon": _("Submission deadlines soon"),
    "bid.opening_soon": _("Bid openings soon"),
    "bond.performance_due": _("Performance bonds to pay"),
    "bond.refund_overdue": _("Bond refunds overdue"),
    "guarantee.expired": _("Guarantee letters expired"),
    "guarantee.expiring": _("Guarantee letters expiring"),
    "directory.reassign": _("Open work of departed members to reassign"),
    "notifications.outbox_failed": _("Messages that could not be delivered"),
}


def _kind_label(item) -> str:
    """The name of a kind of inbox item, without the details of one record."""
    if item.kind in INBOX_KINDS:
        return INBOX_KINDS[item.kind]
    if item.kind.endswith(".decide_step"):  # approvals: "<model name>.decide_step", one per kind of review
        model = _models_by_name().get(item.kind.split(".")[0])
        return (_("Reviews to decide: %(what)s") % {"what": model._meta.verbose_name} if model is not None
                else _("Reviews to decide"))
    return item.label


def _models_by_name() -> dict:
    return {model._meta.model_name: model for model in apps.get_models()}


def inbox_block(user) -> dict:
    """Items waiting for the user, counted by kind (each kind links to the inbox narrowed to it)."""
    items = items_for(user)
    kinds: OrderedDict[str, dict] = OrderedDict()
    for item in items:
        entry = kinds.setdefault(item.kind, {
            "kind": item.kind, "label": _kind_label(item), "count": 0,
            "url": reverse("notifications:inbox") + "?" + urlencode({"kind": item.kind})})
        entry["count"] += 1
    return {"total": len(items), "kinds": list(kinds.values()), "items": items[:INBOX_SHOWN],
            "url": reverse("notifications:inbox")}


def deadlines_block(user, today) -> dict:
    """The user's deadlines from today to the end of the week's window; review steps are inbox items already."""
    end = today + timedelta(days=DEADLINE_DAYS - 1)
    found = [d for d in deadlines.for_user(user, start=today, end=end) if d.kind != "review.step"]
    counts = OrderedDict((kind, {"kind": kind, "label": label, "count": 0}) for kind, label in DEADLINE_KINDS.items())
    for d in found:
        counts.setdefault(d.kind, {"kind": d.kind, "label": _("Other deadlines"), "count": 0})["count"] += 1
    rows = [{"title": d.title, "url": d.url, "day": d.day, "at": d.at if hasattr(d.at, "hour") else None,
             "today": d.day == today, "kind": d.kind} for d in found[:DEADLINES_SHOWN]]
    return {"total": len(found), "kinds": [c for c in counts.values() if c["count"]], "rows": rows,
            "start": today, "end": end}


def recent_block(user) -> list[dict]:
    """The records the user acted on lately, newest first, only those whose page he may open (core.links)."""
    latest: OrderedDict[tuple[int, int], TimelineEntry] = OrderedDict()
    entries = (TimelineEntry.objects.filter(actor=user.pk).order_by("-at", "-id")
               .only("content_type_id", "object_id", "action", "at")[:RECENT_SCANNED])
    for entry in entries:
        latest.setdefault((entry.content_type_id, entry.object_id), entry)
    by_type: dict[int, list[int]] = {}
    for content_type_id, object_id in latest:
        by_type.setdefault(content_type_id, []).append(object_id)
    records = {}
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        found = list(model._default_manager.filter(pk__in=ids))
        urls = links.urls_for(user, found)
        for record in found:
            if record.pk in urls:
                records[(content_type_id, record.pk)] = (record, urls[record.pk], model._meta.verbose_name)
    rows = []
    for key, entry in latest.items():
        if key in records:
            record, url, kind = records[key]
            rows.append({"record": str(record), "url": url, "kind": kind, "action": action_label(entry.action),
                         "at": entry.at})
            if len(rows) == RECENT_SHOWN:
                break
    return rows


def pipeline_block(user) -> dict | None:
    """Open opportunities by stage (count and amount by currency): a head's department and those under it, the
    whole company for who sees everything; None for anyone else. Through the module's visibility selector."""
    departments = head_departments(user)
    if departments is None and not user.sees_all:
        return None
    open_ones = visible_opportunities(user).filter(status__in=list(EDITABLE))
    department = None
    if departments is not None and not user.sees_all:
        open_ones = open_ones.filter(department__in=departments)
        department = user.department
    rows = (open_ones.order_by().values("stage", "currency")
            .annotate(count=Count("*"), amount=Sum("estimated_amount")))
    labels = {s.code: s.label for s in code_items(table="opportunity_stage", include_inactive=True)}
    order = {code: i for i, code in enumerate(labels)}
    stages: dict[str, dict] = {}
    totals: dict[str, dict] = {}
    for row in rows:
        stage = stages.setdefault(row["stage"], {
            "code": row["stage"], "label": labels.get(row["stage"], _("Other stage")),
            "count": 0, "amounts": [], "url": _opportunities_url(stage=row["stage"], department=department)})
        stage["count"] += row["count"]
        stage["amounts"].append({"currency": row["currency"], "amount": row["amount"]})
        total = totals.setdefault(row["currency"], {"currency": row["currency"], "amount": Decimal("0.00")})
        total["amount"] += row["amount"] or 0
    ordered = sorted(stages.values(), key=lambda s: (order.get(s["code"], len(order)), s["code"]))
    return {"department": department, "stages": ordered, "count": sum(s["count"] for s in ordered),
            "totals": sorted(totals.values(), key=lambda t: t["currency"]),
            "url": _opportunities_url(department=department)}


def _opportunities_url(*, stage: str = "", department=None) -> str:
    query = {k: v for k, v in (("stage", stage), ("department", getattr(department, "pk", ""))) if v}
    return reverse("opportunities:list") + ("?" + urlencode(query) if query else "")


@login_required
def home(request):
    """The workbench of the signed-in user, whatever his roles."""
    user = request.user
    labels = [Role(r).label for r in sorted(user.roles) if r in Role.values]
    return render(request, "web/home.html", {
        "role_labels": labels,
        "inbox": inbox_block(user),
        "deadlines": deadlines_block(user, timezone.localdate()),
        "recent": recent_block(user),
        "pipeline": pipeline_block(user),
    })
