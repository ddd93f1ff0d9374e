"""Kept versions of the terms: how they are shown on the detail page, and two of them side by side."""

from difflib import SequenceMatcher
from itertools import zip_longest

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from opsmon.core.errors import NotFound
from opsmon.core.money import format_money, share
from opsmon.core.words import join_list

from . import selectors
from .choices import TERMS
from .models import Contract, Milestone

SCALAR_TERMS = tuple(t for t in TERMS if t != "milestones")


def term_labels() -> dict:
    """{term: label} in the models' own (translated) words."""
    labels = {t: capfirst(Contract._meta.get_field(t).verbose_name) for t in SCALAR_TERMS}
    labels["milestones"] = capfirst(Milestone._meta.verbose_name_plural)
    return labels


def show(term: str, value, currency: str = "CNY") -> str:
    """One term's value of a snapshot as text (`currency`: the snapshot's, for amounts)."""
    if value in (None, ""):
        return "—"
    if term == "amount":
        return format_money(value, currency)
    if term == "tax_rate":
        return f"{value}%"
    if term == "milestones":
        return "; ".join(milestone_text(m, currency)["summary"] for m in value) or "—"
    return str(value)


def milestone_text(m: dict | None, currency: str = "CNY", amount=None) -> dict | None:
    """A snapshot milestone as display parts: its name, when it falls due, what it pays (a percentage with the
    money it comes to when the contract `amount` is known)."""
    if m is None:
        return None
    when = m.get("due_on") or m.get("condition") or "—"
    if m.get("amount") not in (None, ""):
        pays = format_money(m["amount"], currency)
    elif m.get("percentage") not in (None, ""):
        share_ = share(amount, m["percentage"])
        pays = f"{m['percentage']}%" + (f" · {format_money(share_, currency)}" if share_ is not None else "")
    else:
        pays = "—"
    return {"name": m.get("name", ""), "when": when, "pays": pays, "summary": f"{m.get('name', '')} {when} {pays}"}


def _texts(terms: dict) -> list[dict]:
    currency = terms.get("currency") or "CNY"
    return [milestone_text(m, currency, terms.get("amount")) for m in terms.get("milestones") or []]


def terms_rows(terms: dict) -> list[dict]:
    """The scalar terms of a snapshot, labelled, for a version's panel."""
    labels = term_labels()
    currency = terms.get("currency") or "CNY"
    return [{"term": t, "label": labels[t], "value": show(t, terms.get(t), currency)} for t in SCALAR_TERMS]


def version_rows(versions: list[dict]) -> list[dict]:
    """`selectors.versions_of` for the detail page: each version's terms and what changed from the one before."""
    labels = term_labels()
    return [{**v, "rows": terms_rows(v["terms"]),
             "milestones": _texts(v["terms"]),
             "changed_labels": [labels[t] for t in v["changes"]]} for v in versions]


def amendment_rows(amendments, versions: list[dict]) -> list[dict]:
    """Each amendment with its changes as (label, the terms it started from, the proposed value); a change of the
    milestones lists only the milestones it adds, removes or changes."""
    labels = term_labels()
    terms_at = {v["number"]: v["terms"] for v in versions}
    out = []
    for a in amendments:
        before = terms_at.get(a.from_version, {})
        currency = a.changes.get("currency") or before.get("currency") or "CNY"
        changes = []
        for t, value in a.changes.items():
            if t == "milestones" and before:
                after = {**before, **a.changes}
                for row in milestone_changes(before, after):
                    changes.append({"label": f"{labels[t]} {row['n']}", "old": (row["a"] or {}).get("summary", ""),
                                    "new": (row["b"] or {}).get("summary") or _("removed")})
                continue
            changes.append({"label": labels.get(t, t), "old": show(t, before.get(t), currency) if before else "",
                            "new": show(t, value, currency)})
        out.append({"amendment": a, "changes": changes})
    return out


def _key(m: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in m.items()))


def milestone_changes(old: dict, new: dict) -> list[dict]:
    """The milestones that differ between two snapshots, lined up so that an inserted or removed milestone does not
    mark every one after it: [{n (its place in the new terms, or the old for a removed one), a, b, parts}]."""
    ma, mb = old.get("milestones") or [], new.get("milestones") or []
    ta, tb = _texts(old), _texts(new)
    rows = []
    matcher = SequenceMatcher(a=[_key(m) for m in ma], b=[_key(m) for m in mb], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for x, y in zip_longest(range(i1, i2), range(j1, j2)):
            a_text = ta[x] if x is not None else None
            b_text = tb[y] if y is not None else None
            parts = {p: (a_text or {}).get(p) != (b_text or {}).get(p) for p in ("name", "when", "pays")}
            rows.append({"n": (y if y is not None else x) + 1, "a": a_text, "b": b_text, "parts": parts,
                         "changed": True})
    return rows


def _number(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def compare(versions: list[dict], a: int, b: int, changed: dict) -> dict:
    """What differs between two versions: the changed terms side by side, the changed milestones, and the labels of
    the terms left as they were (named, not repeated)."""
    by_number = {v["number"]: v for v in versions}
    old, new = by_number[a]["terms"], by_number[b]["terms"]
    labels = term_labels()
    cur_a, cur_b = old.get("currency") or "CNY", new.get("currency") or "CNY"
    if a == b:  # one version (nothing to compare yet): its terms in full, none marked changed
        rows = [{"term": t, "label": labels[t], "a": show(t, old.get(t), cur_a), "b": show(t, new.get(t), cur_b),
                 "changed": False} for t in SCALAR_TERMS]
        return {"rows": rows, "milestones": [], "milestones_changed": False, "milestones_label": labels["milestones"],
                "unchanged": "", "unchanged_milestones": len(new.get("milestones") or []),
                "a": by_number[a], "b": by_number[b]}
    rows = [{"term": t, "label": labels[t], "a": show(t, old.get(t), cur_a), "b": show(t, new.get(t), cur_b),
             "changed": True} for t in SCALAR_TERMS if t in changed]
    milestones = milestone_changes(old, new) if "milestones" in changed else []
    unchanged = join_list(labels[t] for t in SCALAR_TERMS if t not in changed)
    kept = len(new.get("milestones") or []) - sum(1 for m in milestones if m["b"] is not None)
    return {"rows": rows, "milestones": milestones, "milestones_changed": "milestones" in changed,
            "milestones_label": labels["milestones"], "unchanged": unchanged, "unchanged_milestones": kept,
            "a": by_number[a], "b": by_number[b]}


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
