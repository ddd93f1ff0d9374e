"""The one way a workflow record changes state: compare-and-set on status and version, plus one timeline entry.

A stale, repeated or concurrent attempt updates no row and is refused with 409, so exactly one of
twenty simultaneous identical transitions wins (on SQLite and PostgreSQL alike).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import F, Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from . import text, timeline
from .changes import changing
from .errors import Invalid, StaleVersion
from .money import MAX_AMOUNT, parse_amount
from .rules import refuse, state_refusal


def transition(obj: Model, *, actor, action: str, transitions: dict, comment: str = "", extra: dict | None = None,
               changes: dict | None = None):
    """Move `obj` along `transitions[action]` = (allowed sources, target); returns the refreshed object.

    `changes` adds to the timeline entry what the transition itself does not show (e.g. the review step)."""
    sources, target = transitions[action]
    require_status(obj, sources)
    with changing(type(obj), [obj.pk]):
        updated = type(obj).objects.filter(pk=obj.pk, status=obj.status, version=obj.version).update(
            status=target, version=F("version") + 1, updated_at=timezone.now(), **(extra or {}))
    if not updated:
        raise StaleVersion()
    before = obj.status
    obj.refresh_from_db()
    changes = {**{k: [None, str(getattr(v, "pk", v))] for k, v in (extra or {}).items() if v}, **(changes or {})}
    timeline.record(obj, actor=actor, action=f"{obj._meta.model_name}.{action}", from_status=before,
                    to_status=obj.status, comment=comment, changes=changes)
    return obj


def require_status(obj: Model, sources) -> None:
    """409 `wrong_state` unless `obj` is in one of `sources` (the refusal of core.rules.state_refusal)."""
    refuse(state_refusal(obj, sources))


# The last year a date may name: later ones are typing mistakes (20260 for 2026) no calendar or report needs.
LAST_YEAR = 2100


def date_problem(value) -> str | None:
    """Why a date or datetime is refused (after LAST_YEAR), or None."""
    if value is not None and value.year > LAST_YEAR:
        return _("The date must not be after %(year)s.") % {"year": LAST_YEAR}
    return None


def clean_comment(comment: str, *, required: bool, field: str = "comment", limit: int = 2000) -> str:
    """A stripped comment (checked like every text, core.text); 422 naming `field` when required and empty, refused
    or too long."""
    try:
        comment = text.clean((comment or "").strip())
    except ValueError as exc:
        raise Invalid(fields={field: str(exc)}) from None
    if required and not comment:
        raise Invalid(fields={field: _("A comment is required.") if field == "comment"
                              else _("This field is required.")})
    if len(comment) > limit:
        raise Invalid(fields={field: _("At most %(n)s characters.") % {"n": limit}})
    return comment


def clean_date(value, field: str, errors: dict) -> date | None:
    """A date from a date or "YYYY-MM-DD"; None when empty; a bad value, or one after LAST_YEAR, adds an error for
    `field`."""
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            errors[field] = _("Not a valid date (YYYY-MM-DD).")
            return None
    reason = date_problem(value)
    if reason:
        errors[field] = reason
        return None
    return value


def clean_validity(valid_from, valid_to, errors: dict) -> tuple[date | None, date | None]:
    """A required validity period (a guarantee letter's, a supplier qualification's): both dates read by clean_date,
    the end not before the start; each problem is added to `errors` under its field."""
    start = clean_date(valid_from, "valid_from", errors)
    end = clean_date(valid_to, "valid_to", errors)
    for field, day in (("valid_from", start), ("valid_to", end)):
        if day is None and field not in errors:
            errors[field] = _("This field is required.")
    if start and end and end < start:
        errors["valid_to"] = _("Cannot be before the start of the validity.")
    return start, end


def future_refusal() -> str:
    """The one wording for a date or time that must have happened (opening held, paid, refunded, signed, delivered,
    released, a follow-up, an invoice, a collection, a reported event) but lies ahead."""
    return _("Cannot be in the future.")


def clean_past_date(value, field: str, errors: dict, *, today: date | None = None,
                    required: bool = True) -> date | None:
    """A date that has happened (read by clean_date, so never after LAST_YEAR), not after `today`; a missing (when
    `required`), bad or future one adds an error for `field`."""
    day = clean_date(value, field, errors)
    if day is None:
        if required:
            errors.setdefault(field, _("This field is required."))
        return None
    if day > (today or timezone.localdate()):
        errors[field] = future_refusal()
        return None
    return day


def clean_past_time(value, field: str, errors: dict, *, now: datetime | None = None,
                    skew: timedelta = timedelta(0)) -> datetime | None:
    """A required date and time that has happened: a datetime or ISO 8601 text (naive: the configured zone), never
    after LAST_YEAR, not later than `now` (+ `skew`, a sender's clock running ahead); otherwise an error for
    `field`."""
    if value in (None, ""):
        errors[field] = _("This field is required.")
        return None
    when = value if isinstance(value, datetime) else parse_datetime(str(value).strip())
    if when is None:
        errors[field] = _("Not a valid date and time.")
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    reason = date_problem(when)
    if reason:
        errors[field] = reason
        return None
    if when > (now or timezone.now()) + skew:
        errors[field] = future_refusal()
        return None
    return when


def clean_number(value, field: str, errors: dict, *, places: int, high: Decimal, low: Decimal = Decimal("0"),
                 positive: bool = False) -> Decimal | None:
    """A quantity, price or rate as typed: plain ASCII digits with at most `places` decimals (no 1e3, 1_000,
    full-width digits or booleans; a float is read by its repr), more than zero when `positive`, else at least
    `low`, at most `high`. A missing or bad one adds an error for `field` and answers None."""
    if value in (None, "") or isinstance(value, bool):
        errors[field] = _("This field is required.") if not isinstance(value, bool) else _("not a number")
        return None
    if isinstance(value, float):
        value = repr(value)
    raw = str(value).strip()
    digits = raw[1:] if raw.startswith("-") else raw
    if not digits or not digits.isascii() or not digits.replace(".", "", 1).isdigit():
        errors[field] = _("not a number")
        return None
    number = Decimal(raw)
    if -number.as_tuple().exponent > places:
        errors[field] = _("At most %(n)s decimal places.") % {"n": places}
    elif positive and number <= 0:
        errors[field] = _("Must be more than zero.")
    elif number < low:
        errors[field] = _("Must not be negative.") if low == 0 else _("At least %(n)s.") % {"n": low}
    elif number > high:
        errors[field] = _("At most %(n)s.") % {"n": high}
    else:
        return number
    return None


def clean_money(value, field: str, errors: dict, *, required: bool = True, zero: bool = False,
                limit: Decimal = MAX_AMOUNT) -> Decimal | None:
    """An amount as `core.money.parse_amount` reads every amount (never rounded; no 1e3, 1_000 or full-width
    digits), more than zero unless `zero`, at most `limit`; a missing (when `required`) or bad one adds an error
    for `field`."""
    if value in (None, ""):
        if required:
            errors[field] = _("This field is required.")
        return None
    try:
        amount = parse_amount(value)
    except ValueError as exc:
        errors[field] = str(exc)
        return None
    if amount == 0 and not zero:
        errors[field] = _("Must be more than zero.")
    elif amount > limit:
        errors[field] = _("At most %(n)s.") % {"n": f"{limit:,.2f}"}
    else:
        return amount
    return None


def clean_texts(data: dict, limits: dict[str, int], errors: dict) -> dict:
    """Stripped text fields present in `data`, normalised to NFC; a value over its limit, or one core.text refuses
    (control, bidi or only invisible characters), adds an error for that field."""
    clean = {}
    for field, limit in limits.items():
        if field in data:
            value = (data[field] or "").strip()
            try:
                value = text.clean(value)
            except ValueError as exc:
                errors[field] = str(exc)
            else:
                if len(value) > limit:
                    errors[field] = _("At most %(n)s characters.") % {"n": limit}
            clean[field] = value
    return clean
