"""/review-routes: the admin's review routes of every subject kind."""

from ninja import Router, Status

from opsmon.core.errors import NotFound
from opsmon.core.rules import refuse
from opsmon.core.schemas import ERRORS, money

from . import rules, selectors, services
from .schemas import RouteIn, RouteOut

router = Router(tags=["approvals"])


def route_out(route) -> dict:
    return {"id": route.pk, "kind": route.kind, "name": route.name, "type_code": route.type_code,
            "contract_type": route.type_code, "subject": route.kind, "category": route.category,
            "department_id": route.department_id,
            "min_amount": money(route.min_amount), "max_amount": money(route.max_amount), "active": route.active,
            "steps": [{"kind": s.kind, "decider_kind": s.decider_kind, "role": s.role,
                       "users": [u.pk for u in s.users.all()], "mode": s.mode} for s in route.steps.all()]}


def _route_args(payload: RouteIn) -> dict:
    data = payload.model_dump()
    data["type_code"] = data.pop("type_code") or data.pop("contract_type")
    data.pop("contract_type", None)
    subject = data.pop("subject", "")
    if subject:
        data["kind"] = subject
    data["steps"] = [dict(s) for s in data["steps"]]
    return data


@router.get("/review-routes", response={200: list[RouteOut], **ERRORS})
def route_list(request, kind: str = ""):
    refuse(rules.can_configure_routes(request.auth))
    return [route_out(r) for r in selectors.routes(kind or None)]


@router.post("/review-routes", response={201: RouteOut, **ERRORS})
def route_create(request, payload: RouteIn):
    refuse(rules.can_configure_routes(request.auth))
    return Status(201, route_out(services.route_save(actor=request.auth, **_route_args(payload))))


@router.put("/review-routes/{route_id}", response={200: RouteOut, **ERRORS})
def route_update(request, route_id: int, payload: RouteIn):
    refuse(rules.can_configure_routes(request.auth))
    route = selectors.route_get(route_id)
    if route is None:
        raise NotFound()
    return route_out(services.route_save(actor=request.auth, route=route, **_route_args(payload)))
