"""Kept versions of the terms: how they are shown on the detail page, and two of them side by side."""

from decimal import Decimal, InvalidOperation
from itertools import zip_longest

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.text import capfirst

from opsmon.core.errors import NotFound

from . import selectors
from .choices import TERMS
from .models import Contract, Milestone

SCALAR_TERMS = tuple(t for t in TERMS if t != "milestones")


def term_labels() -> dict:
    """{term: label} in the models' own (translated) words."""
    labels = {t: capfirst(Contract._meta.get_field(t).verbose_name) for t in SCALAR_TERMS}
    labels["milestones"] = capfirst(Milestone._meta.verbose_name_plural)
    return labels


def _money(value) -> str:
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def show(term: str, value) -> str:
    """One term's value of a snapshot as text."""
    if value in (None, ""):
        return "—"
    if term == "amount":
        return _money(value)
    if term == "tax_rate":
        return f"{value}%"
    if term == "milestones":
        return "; ".join(milestone_text(m)["summary"] for m in value) or "—"
    return str(value)


def milestone_text(m: dict | None) -> dict | None:
    """A snapshot milestone as display parts: its name, when it falls due, what it pays."""
    if m is None:
        return None
    when = m.get("due_on") or m.get("condition") or "—"
    pays = _money(m["amount"]) if m.get("amount") not in (None, "") else (
        f"{m['percentage']}%" if m.get("percentage") not in (None, "") else "—")
    return {"name": m.get("name", ""), "when": when, "pays": pays, "summary": f"{m.get('name', '')} {when} {pays}"}


def terms_rows(terms: dict) -> list[dict]:
    """The scalar terms of a snapshot, labelled, for a version's panel."""
    labels = term_labels()
    return [{"term": t, "label": labels[t], "value": show(t, terms.get(t))} for t in SCALAR_TERMS]


def version_rows(versions: list[dict]) -> list[dict]:
    """`selectors.versions_of` for the detail page: each version's terms and what changed from the one before."""
    labels = term_labels()
    return [{**v, "rows": terms_rows(v["terms"]),
             "milestones": [milestone_text(m) for m in v["terms"].get("milestones") or []],
             "changed_labels": [labels[t] for t in v["changes"]]} for v in versions]


def amendment_rows(amendments, versions: list[dict]) -> list[dict]:
    """Each amendment with its changes as (label, the terms it started from, the proposed value)."""
    labels = term_labels()
    terms_at = {v["number"]: v["terms"] for v in versions}
    out = []
    for a in amendments:
        before = terms_at.get(a.from_version, {})
        changes = [{"label": labels.get(t, t), "old": show(t, before.get(t)) if before else "",
                    "new": show(t, value)} for t, value in a.changes.items()]
        out.append({"amendment": a, "changes": changes})
    return out


def _number(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def compare(versions: list[dict], a: int, b: int, changed: dict) -> dict:
    """Rows for two versions side by side; `changed` ({term: [a, b]}) marks the rows that differ."""
    by_number = {v["number"]: v for v in versions}
    old, new = by_number[a]["terms"], by_number[b]["terms"]
    labels = term_labels()
    rows = [{"term": t, "label": labels[t], "a": show(t, old.get(t)), "b": show(t, new.get(t)),
             "changed": t in changed} for t in SCALAR_TERMS]
    milestones = []
    for n, (ma, mb) in enumerate(zip_longest(old.get("milestones") or [], new.get("milestones") or []), start=1):
        ta, tb = milestone_text(ma), milestone_text(mb)
        parts = {p: (ta or {}).get(p) != (tb or {}).get(p) for p in ("name", "when", "pays")}
        milestones.append({"n": n, "a": ta, "b": tb, "changed": ma != mb, "parts": parts})
    return {"rows": rows, "milestones": milestones, "milestones_changed": "milestones" in changed,
            "milestones_label": labels["milestones"], "a": by_number[a], "b": by_number[b]}


@login_required
def version_compare(request, pk):
    """Two versions of the terms side by side (`?a=1&b=2`; by default the latest and the one before)."""
    contract = selectors.contract_get(actor=request.user, pk=pk)
    versions = selectors.versions_of(contract)
    context = {"contract": contract, "versions": versions, "diff": None}
    if versions:
        numbers = [v["number"] for v in versions]
        b = _number(request.GET.get("b")) or numbers[-1]
        a = _number(request.GET.get("a"))
        if a is None:
            a = max((n for n in numbers if n < b), default=b)
        changed = selectors.version_diff(contract, a, b)  # 404 when either version does not exist
        context.update(a=a, b=b, diff=compare(versions, a, b, changed))
    elif request.GET.get("a") or request.GET.get("b"):
        raise NotFound()
    return render(request, "contracts/versions.html", context)
