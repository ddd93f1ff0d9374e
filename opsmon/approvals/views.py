"""Admin pages for review routes (评审路线), per subject kind: which steps a subject of a type, department and
amount goes through. The pages link by the URL namespace they are mounted under (see urls.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.codes.selectors import label_map
from opsmon.core.errors import ApplicationError
from opsmon.core.web import role_required

from . import kinds, selectors, services
from .forms import RouteForm


def _url(request, name: str, *args) -> str:
    return reverse(f"approvals:{name}", args=args)


def _kind(name: str) -> kinds.Kind:
    routed = {k.name: k for k in kinds.routed_kinds()}
    if name not in routed:
        raise Http404
    return routed[name]


@role_required(Role.ADMIN)
def route_list(request):
    """Every route, grouped by the subject kind it serves."""
    tables = {k.type_table for k in kinds.routed_kinds() if k.type_table}
    labels = label_map("review_step_kind", *tables)
    roles = dict(Role.choices)
    routes = list(selectors.routes())
    groups = []
    for kind in kinds.routed_kinds():
        mine = [r for r in routes if r.kind == kind.name]
        for route in mine:
            route.edit_url = _url(request, "route_edit", route.pk)
            route.type_label = labels.get((kind.type_table, route.type_code), route.type_code)
            for step in route.steps.all():
                step.kind_label = labels.get(("review_step_kind", step.kind), step.kind)
                step.role_label = roles.get(step.role, step.role)
        groups.append({"kind": kind, "routes": mine, "new_url": f"{_url(request, 'route_create')}?kind={kind.name}"})
    return render(request, "approvals/route_list.html", {"groups": groups})


@role_required(Role.ADMIN)
def route_edit(request, pk=None):
    """Create (`?kind=`) or replace a route; `route_save` refuses overlapping amounts of active routes."""
    route = None
    if pk is not None:
        route = selectors.route_get(pk)
        if route is None:
            raise Http404
        kind = _kind(route.kind)
    else:
        routed = kinds.routed_kinds()
        kind = _kind(request.GET.get("kind") or (routed[0].name if routed else ""))
    form = RouteForm(request.POST or None, kind=kind, route=route)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.route_save(actor=request.user, route=route, **form.service_args())
            except ApplicationError as error:
                form.apply_error(error)
                status = error.status
            else:
                messages.success(request, _("Saved."))
                return redirect(_url(request, "route_list"))
        else:
            status = 400
    return render(request, "approvals/route_form.html", {"form": form, "route": route, "kind": kind,
                                                         "list_url": _url(request, "route_list")}, status=status)
