"""Admin pages of the outbound webhooks (endpoints, deliveries) and of the integration accounts (outside systems
that report back, their tokens, hand-offs and the events they sent)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.accounts.roles import Role
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.events import label
from opsmon.core.paging import CappedPaginator
from opsmon.core.web import apply_error, role_required

from . import services
from .forms import AccountCreateForm, AccountEditForm, DeliveryFilterForm, EndpointForm
from .models import Handoff, InboundEvent, IntegrationAccount, WebhookDelivery, WebhookEndpoint

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


# --- integration accounts --------------------------------------------------------------------------------------------

def _account(pk) -> IntegrationAccount:
    account = IntegrationAccount.objects.select_related("user").filter(pk=pk).first()
    if account is None:
        raise NotFound()
    return account


@role_required(Role.ADMIN)
def account_list(request):
    accounts = IntegrationAccount.objects.select_related("user").order_by("user__username")
    return render(request, "integrations/account_list.html", {"accounts": accounts})


@role_required(Role.ADMIN)
def account_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved. Issue a token for the outside system."))
            return redirect("integrations:account_detail", pk=account.pk)
    return render(request, "integrations/account_form.html", {"form": form})


def _account_page(request, account, *, form=None, new_key: str = "", status: int = 200):
    form = form or AccountEditForm(initial={"display_name": account.user.display_name, "active": account.active,
                                            "receives_handoffs": account.receives_handoffs})
    context = {
        "account": account, "form": form, "new_key": new_key,
        "tokens": account.user.api_tokens.order_by("-created_at"),
        "handoffs": Handoff.objects.filter(account=account).select_related("project", "contract")[:20],
        "events": InboundEvent.objects.filter(account=account).select_related("project")
        .order_by("-received_at", "-pk")[:50],
    }
    return render(request, "integrations/account_detail.html", context, status=status)


@role_required(Role.ADMIN)
def account_detail(request, pk):
    account = _account(pk)
    if request.method != "POST":
        return _account_page(request, account)
    form = AccountEditForm(request.POST)
    if form.is_valid():
        try:
            services.account_update(actor=request.user, account=account, **form.cleaned_data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("integrations:account_detail", pk=account.pk)
    return _account_page(request, account, form=form, status=422)


@require_POST
@role_required(Role.ADMIN)
def account_token_issue(request, pk):
    """The new key is shown on this answer only (never stored in clear, never put in the session)."""
    account = _account(pk)
    try:
        key, _token = services.account_token_issue(actor=request.user, account=account)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("integrations:account_detail", pk=account.pk)
    response = _account_page(request, account, new_key=key)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@role_required(Role.ADMIN)
def account_token_revoke(request, pk, token_id):
    account = _account(pk)
    services.account_token_revoke(actor=request.user, account=account, token_id=token_id)
    messages.success(request, _("Token revoked."))
    return redirect("integrations:account_detail", pk=account.pk)
