"""Contract terms: cleaning what a user gives, checking milestones add up, and snapshots for versions."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from opsmon.codes.models import CodeItem
from opsmon.core.errors import Invalid
from opsmon.core.money import PLACES, parse_amount
from opsmon.core.workflow import clean_date

from .choices import TERMS, MilestoneTrigger
from .models import Contract

TEXT_LIMITS = {"title": 200, "terms": 20000}
MAX_MILESTONES = 50


def _active_code(table: str, code: str, field: str, errors: dict) -> str:
    code = (code or "").strip()
    if code and not CodeItem.objects.filter(table__name=table, code=code, active=True).exists():
        errors[field] = _("unknown or inactive code “%(code)s”") % {"code": code}
    return code


def _rate(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        errors[field] = _("not a number")
        return None
    if not rate.is_finite() or rate < 0 or rate > 100:
        errors[field] = _("Must be between 0 and 100.")
        return None
    return rate.quantize(PLACES, rounding=ROUND_HALF_UP)


def _milestones(rows, errors: dict) -> list[dict]:
    if not isinstance(rows, list | tuple):
        errors["milestones"] = _("A list of milestones is expected.")
        return []
    if len(rows) > MAX_MILESTONES:
        errors["milestones"] = _("At most %(n)s milestones.") % {"n": MAX_MILESTONES}
        return []
    out = []
    for i, row in enumerate(rows, start=1):
        key = f"milestones.{i}"
        row = row if isinstance(row, dict) else {}
        name = str(row.get("name") or "").strip()
        condition = str(row.get("condition") or "").strip()
        due_on = clean_date(row.get("due_on"), f"{key}.due_on", errors)
        if not name:
            errors[f"{key}.name"] = _("This field is required.")
        elif len(name) > 100:
            errors[f"{key}.name"] = _("At most %(n)s characters.") % {"n": 100}
        if len(condition) > 200:
            errors[f"{key}.condition"] = _("At most %(n)s characters.") % {"n": 200}
        if due_on is None and not condition and f"{key}.due_on" not in errors:
            errors[f"{key}.due_on"] = _("Give a due date or a condition.")
        amount = percentage = None
        if row.get("amount") not in (None, ""):
            try:
                amount = parse_amount(row["amount"])
            except ValueError as exc:
                errors[f"{key}.amount"] = str(exc)
        if row.get("percentage") not in (None, ""):
            percentage = _rate(row["percentage"], f"{key}.percentage", errors)
        if (amount is None) == (percentage is None) and f"{key}.amount" not in errors \
                and f"{key}.percentage" not in errors:
            errors[f"{key}.amount"] = _("Give either an amount or a percentage.")
        elif (amount is not None and amount <= 0) or (percentage is not None and percentage <= 0):
            errors[f"{key}.amount"] = _("Must be more than zero.")
        trigger = str(row.get("trigger") or MilestoneTrigger.DATE).strip()
        if trigger not in MilestoneTrigger.values:
            errors[f"{key}.trigger"] = _("Not one of the choices.")
        out.append({"name": name, "due_on": due_on, "condition": condition, "trigger": trigger, "amount": amount,
                    "percentage": percentage})
    return out


def milestone_total(milestones: list[dict], amount: Decimal) -> Decimal:
    """What the milestones pay in all; a percentage is of the contract amount, rounded to the fen."""
    total = Decimal("0")
    for m in milestones:
        if m["amount"] is not None:
            total += Decimal(m["amount"])
        else:
            total += (amount * Decimal(m["percentage"]) / 100).quantize(PLACES, rounding=ROUND_HALF_UP)
    return total


def clean(data: dict, *, current: dict) -> dict:
    """The given fields of `data`, cleaned; checks them against `current` (the terms they change).

    Raises Invalid naming each bad field; returns only the fields present in `data`.
    """
    errors: dict[str, str] = {}
    out: dict = {}
    for field, limit in TEXT_LIMITS.items():
        if field in data:
            value = str(data[field] or "").strip()
            if len(value) > limit:
                errors[field] = _("At most %(n)s characters.") % {"n": limit}
            if field == "title" and not value:
                errors[field] = _("This field is required.")
            out[field] = value
    if "contract_type" in data:
        out["contract_type"] = _active_code("contract_type", data["contract_type"], "contract_type", errors)
    if "currency" in data:
        out["currency"] = _active_code("currency", data["currency"], "currency", errors) or "CNY"
    if "amount" in data:
        try:
            out["amount"] = parse_amount(data["amount"] if data["amount"] is not None else "")
        except ValueError as exc:
            errors["amount"] = str(exc)
    if "tax_rate" in data:
        out["tax_rate"] = _rate(data["tax_rate"], "tax_rate", errors)
    for field in ("start_on", "end_on"):
        if field in data:
            out[field] = clean_date(data[field], field, errors)
    if "milestones" in data:
        out["milestones"] = _milestones(data["milestones"] or [], errors)
    merged = {**current, **out}
    if merged.get("start_on") and merged.get("end_on") and merged["end_on"] < merged["start_on"] \
            and "end_on" not in errors:
        errors["end_on"] = _("The end date is before the start date.")
    milestones, amount = merged.get("milestones") or [], merged.get("amount")
    if milestones and amount is not None and not any(k.startswith("milestones") for k in errors) \
            and "amount" not in errors:
        total = milestone_total(milestones, Decimal(amount))
        if total != Decimal(amount):
            errors["milestones"] = _("The milestones add up to %(total)s, not the contract amount %(amount)s.") % {
                "total": f"{total:,.2f}", "amount": f"{Decimal(amount):,.2f}"}
    if errors:
        raise Invalid(fields=errors)
    return out


def current_terms(contract: Contract) -> dict:
    """The contract's terms in the form `clean` returns (Decimals and dates)."""
    return {
        "title": contract.title, "contract_type": contract.contract_type, "amount": contract.amount,
        "currency": contract.currency, "tax_rate": contract.tax_rate, "start_on": contract.start_on,
        "end_on": contract.end_on, "terms": contract.terms,
        "milestones": [{"name": m.name, "due_on": m.due_on, "condition": m.condition, "trigger": m.trigger,
                        "amount": m.amount, "percentage": m.percentage} for m in contract.milestones.all()],
    }


def _plain(value):
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list):
        return [{k: _plain(v) for k, v in m.items()} for m in value]
    return value.isoformat()


def snapshot(terms: dict) -> dict:
    """JSON-safe terms (the TERMS fields) for a version or an amendment."""
    return {k: _plain(terms.get(k)) for k in TERMS}


def changed(before: dict, after: dict) -> dict:
    """{term: [old, new]} for the TERMS fields that differ between two snapshots."""
    return {k: [before.get(k), after.get(k)] for k in TERMS if before.get(k) != after.get(k)}
