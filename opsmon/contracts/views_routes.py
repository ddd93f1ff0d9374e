"""Admin pages for review routes (合同评审路线): which steps a contract of a type and amount goes through."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.codes.selectors import label_map
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.web import role_required

from . import services
from .forms_routes import RouteForm
from .models import ReviewRoute


def _routes():
    return ReviewRoute.objects.prefetch_related("steps__users")


@role_required(Role.ADMIN)
def route_list(request):
    labels = label_map("contract_type", "review_step_kind")
    roles = dict(Role.choices)
    routes = list(_routes())
    for route in routes:
        route.type_label = labels.get(("contract_type", route.contract_type), route.contract_type)
        for step in route.steps.all():
            step.kind_label = labels.get(("review_step_kind", step.kind), step.kind)
            step.role_label = roles.get(step.role, step.role)
    return render(request, "contracts/route_list.html", {"routes": routes})


@role_required(Role.ADMIN)
def route_edit(request, pk=None):
    """Create or replace a route; `route_save` refuses overlapping amounts of active routes of one type."""
    route = None
    if pk is not None:
        route = _routes().filter(pk=pk).first()
        if route is None:
            raise NotFound()
    form = RouteForm(request.POST or None, route=route)
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
                return redirect("contracts:route_list")
        else:
            status = 400
    return render(request, "contracts/route_form.html", {"form": form, "route": route}, status=status)
