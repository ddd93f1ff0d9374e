"""Review routes, configured by the admin: which steps a contract of a type and amount goes through."""

from django.db import transaction
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.codes.models import CodeItem
from opsmon.core.errors import Invalid, PermissionDenied
from opsmon.core.money import parse_amount

from .. import permissions
from ..choices import DeciderKind, StepMode
from ..models import ReviewRoute, RouteStep

MAX_STEPS = 12


def _amount(value, field, errors, *, required):
    if value in (None, ""):
        if required:
            errors[field] = _("This field is required.")
        return None
    try:
        return parse_amount(value)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def _clean_steps(steps, errors) -> list[dict]:
    if not isinstance(steps, list | tuple) or not steps:
        errors["steps"] = _("Add at least one step.")
        return []
    if len(steps) > MAX_STEPS:
        errors["steps"] = _("At most %(n)s steps.") % {"n": MAX_STEPS}
        return []
    kinds = set(CodeItem.objects.filter(table__name="review_step_kind", active=True).values_list("code", flat=True))
    out = []
    for i, raw in enumerate(steps, start=1):
        key, raw = f"steps.{i}", raw if isinstance(raw, dict) else {}
        kind, decider_kind = str(raw.get("kind") or ""), str(raw.get("decider_kind") or "")
        role, mode = str(raw.get("role") or ""), str(raw.get("mode") or StepMode.ANY)
        if kind not in kinds:
            errors[f"{key}.kind"] = _("unknown or inactive code “%(code)s”") % {"code": kind}
        if decider_kind not in DeciderKind.values:
            errors[f"{key}.decider_kind"] = _("Choose role, owner_head or users.")
        if mode not in StepMode.values:
            errors[f"{key}.mode"] = _("Choose any or all.")
        users = []
        if decider_kind == DeciderKind.ROLE and role not in Role.values:
            errors[f"{key}.role"] = _("Choose a role.")
        if decider_kind == DeciderKind.USERS:
            ids = raw.get("users") or []
            users = list(User.objects.filter(pk__in=[i for i in ids if isinstance(i, int)], is_active=True))
            if not ids or len(users) != len(set(ids)):
                errors[f"{key}.users"] = _("Name one or more active users.")
        out.append({"kind": kind, "decider_kind": decider_kind, "mode": mode,
                    "role": role if decider_kind == DeciderKind.ROLE else "", "users": users})
    return out


@transaction.atomic
def route_save(*, actor, route: ReviewRoute | None = None, name: str, contract_type: str = "", min_amount=0,
               max_amount=None, active: bool = True, steps) -> ReviewRoute:
    """Create or replace a route. Active routes of one type must not overlap, so the choice is never ambiguous."""
    if not permissions.can_configure_routes(actor):
        raise PermissionDenied()
    errors: dict = {}
    name = (name or "").strip()
    if not name or len(name) > 100:
        errors["name"] = _("This field is required.") if not name else _("At most %(n)s characters.") % {"n": 100}
    contract_type = (contract_type or "").strip()
    if contract_type and not CodeItem.objects.filter(table__name="contract_type", code=contract_type).exists():
        errors["contract_type"] = _("unknown or inactive code “%(code)s”") % {"code": contract_type}
    low = _amount(min_amount, "min_amount", errors, required=False) or 0
    high = _amount(max_amount, "max_amount", errors, required=False)
    if high is not None and "min_amount" not in errors and high <= low:
        errors["max_amount"] = _("Must be more than the from amount.")
    clean_steps = _clean_steps(steps, errors)
    if not errors and active:
        others = ReviewRoute.objects.filter(active=True, contract_type=contract_type).exclude(
            pk=route.pk if route else None)
        overlap = others.exclude(max_amount__lte=low)
        if high is not None:
            overlap = overlap.filter(min_amount__lt=high)
        clash = overlap.first()
        if clash is not None:
            errors["min_amount"] = _("Overlaps the amounts of route “%(name)s”.") % {"name": clash.name}
    if errors:
        raise Invalid(fields=errors)
    route = route or ReviewRoute()
    route.name, route.contract_type, route.min_amount, route.max_amount, route.active = \
        name, contract_type, low, high, bool(active)
    route.save()
    route.steps.all().delete()  # rounds keep their own copy of steps and deciders
    for position, step in enumerate(clean_steps, start=1):
        rs = RouteStep.objects.create(route=route, position=position, kind=step["kind"],
                                      decider_kind=step["decider_kind"], role=step["role"], mode=step["mode"])
        rs.users.set(step["users"])
    return route
