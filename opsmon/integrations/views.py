"""Admin pages of the outbound webhooks: endpoints (create, edit) and their deliveries."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.events import label
from opsmon.core.paging import CappedPaginator
from opsmon.core.web import apply_error, role_required

from . import services
from .forms import DeliveryFilterForm, EndpointForm
from .models import WebhookDelivery, WebhookEndpoint

PAGE_SIZE = 50


@role_required(Role.ADMIN)
def endpoint_list(request):
    endpoints = list(WebhookEndpoint.objects.order_by("name"))
    for endpoint in endpoints:
        endpoint.event_labels = [(name, label(name)) for name in endpoint.events]
    return render(request, "integrations/endpoint_list.html", {"endpoints": endpoints})


@role_required(Role.ADMIN)
def endpoint_edit(request, pk=None):
    endpoint = None
    if pk is not None:
        endpoint = WebhookEndpoint.objects.filter(pk=pk).first()
        if endpoint is None:
            raise NotFound()
    initial = {"name": endpoint.name, "url": endpoint.url, "events": endpoint.events,
               "active": endpoint.active} if endpoint else {}
    form = EndpointForm(request.POST or None, initial=initial, editing=bool(endpoint))
    if request.method == "POST" and form.is_valid():
        try:
            if endpoint:
                services.endpoint_update(actor=request.user, endpoint=endpoint, **form.service_data())
            else:
                services.endpoint_create(actor=request.user, **form.service_data())
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("integrations:endpoint_list")
    return render(request, "integrations/endpoint_form.html", {"form": form, "subject": endpoint})


@role_required(Role.ADMIN)
def delivery_list(request):
    form = DeliveryFilterForm(request.GET)
    deliveries = WebhookDelivery.objects.select_related("endpoint").order_by("-created_at", "-id")
    if form.is_valid() and form.cleaned_data["status"]:
        deliveries = deliveries.filter(status=form.cleaned_data["status"])
    page = CappedPaginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for delivery in page.object_list:
        delivery.event_label = label(delivery.event)
    return render(request, "integrations/delivery_list.html", {"form": form, "page": page})
