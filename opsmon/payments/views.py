"""Payment pages: the list of payment requests, the new-request form from an order (with what may still be
requested per kind), the request's page (review rounds, the pay form, the buttons of `rules.allowed_actions`), one
POST per action; the retention list and page (sign-off, release); the Payments section of the order's page
(purchasing.hooks.page_sections). A refusal re-renders the page with its status and the user's input."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.accounts.roles import Role
from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.web import posted_decision
from opsmon.codes.selectors import label_map
from opsmon.core import links, lists, timeline
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.forms import verbose_names
from opsmon.core.paging import CappedPaginator
from opsmon.core.rules import refuse
from opsmon.core.web import form_action, place_error
from opsmon.purchasing.models import PurchaseOrder
from opsmon.supplier_invoices.choices import InvoiceStatus
from opsmon.supplier_invoices.models import SupplierInvoice
from opsmon.suppliers.models import SupplierBankAccount

from . import rules, selectors, services
from .choices import PaymentKind, PaymentStatus
from .forms import CommentForm, PayForm, PaymentFilterForm, PaymentForm, ReasonForm, ReleaseForm, SignOffForm
from .models import PaymentRequest

PAGE_SIZE = 50


def _rounds(record):
    labels = label_map("review_step_kind")
    rounds = list(approval_selectors.rounds_of(record))
    for review in rounds:
        for step in review.steps.all():
            step.kind_label = labels.get(("review_step_kind", step.kind), step.kind)
    return rounds


def _ceilings(order) -> list[dict]:
    left = services.order_ceiling(order)
    return [{"kind": k, "label": label, "left": left[k]} for k, label in PaymentKind.choices]


# --- the order's page -----------------------------------------------------------------------------------------

def order_section(request, order) -> str:
    """The Payments section of the order's page: its requests and retention the viewer may see, what may still be
    requested, the link to file one."""
    user = request.user
    with transaction.atomic():
        services.refresh_due(order)
    payments = list(selectors.visible_payment_requests(user).filter(order=order).select_related("owner")
                    .order_by("-created_at", "-id")[:50])
    retention = selectors.visible_retentions(user).filter(order=order).first()
    can_file = rules.can_create(user, order) is None
    if not payments and retention is None and not can_file:
        return ""
    return render_to_string("payments/_order_section.html", {
        "order": order, "payments": payments, "retention": retention, "can_file": can_file,
        "ceilings": _ceilings(order) if can_file else None,
        "figures": services.figures(order)}, request=request)


# --- payment requests -----------------------------------------------------------------------------------------

def _export_columns() -> list:
    names = verbose_names(PaymentRequest)
    statuses, kinds = dict(PaymentStatus.choices), dict(PaymentKind.choices)

    def head(field):
        return capfirst(names[field])
    return [lists.Column(head("number"), lambda r: r.number), lists.Column(head("order"), lambda r: r.order.number),
            lists.Column(_("Supplier"), lambda r: r.order.supplier.name),
            lists.Column(head("kind"), lambda r: str(kinds.get(r.kind, r.kind))),
            lists.Column(head("amount"), lambda r: r.amount), lists.Column(head("due_on"), lambda r: r.due_on),
            lists.Column(head("status"), lambda r: str(statuses.get(r.status, r.status))),
            lists.Column(head("paid_on"), lambda r: r.paid_on), lists.Column(head("owner"), lambda r: str(r.owner))]


PAYMENT_LIST = lists.ListSpec(
    key="payment_requests", template="payments/payment_list.html", partial="payments/_payment_table.html",
    form=lambda request: PaymentFilterForm(request.GET, owners=lists.people()),
    rows=lambda actor, form: form.apply(selectors.visible_payment_requests(actor).select_related(
        "order__supplier", "owner"), actor),
    export_columns=_export_columns, export_name="payment-requests")


@login_required
def payment_list(request):
    return lists.list_page(request, PAYMENT_LIST, context={"names": verbose_names(PaymentRequest)})


def _filing_order(user, order_id) -> PurchaseOrder:
    """The order a request is filed on from the page: the caller's (any for the procurement head), else 404."""
    qs = PurchaseOrder.objects.select_related("supplier")
    if not user.has_role(Role.PROCUREMENT_HEAD):
        qs = qs.filter(owner=user.pk)
    found = qs.filter(pk=order_id).first() if str(order_id or "").isdigit() else None
    if found is None:
        raise NotFound()
    return found


def _form_page(request, order, form, *, status=200):
    return render(request, "payments/payment_form.html", {
        "order": order, "form": form, "ceilings": _ceilings(order),
        "warnings": services.supplier_warnings(order), "order_url": links.url_for(request.user, order)},
        status=status)


@login_required
def payment_new(request):
    refuse(rules.can_create(request.user))
    order = _filing_order(request.user, request.GET.get("order") or request.POST.get("order_id"))
    refuse(rules.can_create(request.user, order))
    accounts = SupplierBankAccount.objects.filter(supplier=order.supplier_id).order_by("id")
    invoices = (SupplierInvoice.objects.filter(supplier=order.supplier_id, status=InvoiceStatus.VERIFIED,
                                               lines__order_line__order=order).distinct().order_by("id"))
    form = PaymentForm(request.POST or None, accounts=accounts, invoices=invoices)
    if request.method != "POST":
        return _form_page(request, order, form)
    if not form.is_valid():
        return _form_page(request, order, form, status=400)
    try:
        saved = services.payment_create(actor=request.user, order_id=order.pk, **form.service_args())
    except ApplicationError as error:
        place_error(form, error)
        return _form_page(request, order, form, status=error.status)
    messages.success(request, _("Payment request %(n)s saved.") % {"n": saved.number})
    return redirect("payments:detail", pk=saved.pk)


def _detail(request, record, *, error=None, status=200, forms=None):
    forms = forms or {}
    labels = label_map("payment_method")
    return render(request, "payments/payment_detail.html", {
        "record": record, "rounds": _rounds(record), "actions": rules.allowed_actions(request.user, record),
        "entries": timeline.entries_for(record), "error": error,
        "order_url": links.url_for(request.user, record.order),
        "method_label": labels.get(("payment_method", record.method), record.method),
        "decide_form": forms.get("decide_form") or CommentForm(),
        "pay_form": forms.get("pay_form") or PayForm(initial={"paid_on": timezone.localdate(),
                                                              "amount": f"{record.amount:.2f}"}),
        "cancel_form": forms.get("cancel_form") or ReasonForm()}, status=status)


@login_required
def payment_detail(request, pk):
    return _detail(request, selectors.payment_get(actor=request.user, pk=pk))


def _action(request, pk, *, run, message, form_class=None, form_name="form"):
    return form_action(
        request, load=lambda: selectors.payment_get(actor=request.user, pk=pk),
        bind=(lambda record: form_class(request.POST)) if form_class else None, form_name=form_name, run=run,
        page=lambda record, *, error, status, forms: _detail(request, record, error=error, status=status,
                                                            forms=forms),
        redirect_to=reverse("payments:detail", args=[pk]), message=message)


@require_POST
@login_required
def payment_submit(request, pk):
    return _action(request, pk, run=lambda r, f: services.payment_submit(actor=request.user, record=r),
                   message=_("Submitted for review."))


@require_POST
@login_required
def payment_decide(request, pk):
    decision, decided = posted_decision(request, returned_to=_("Returned to the requester."))
    return _action(request, pk, form_class=CommentForm, form_name="decide_form",
                   run=lambda r, f: services.payment_decide(actor=request.user, record=r, decision=decision,
                                                            comment=f.cleaned_data["comment"]),
                   message=decided)


@require_POST
@login_required
def payment_pay(request, pk):
    return _action(request, pk, form_class=PayForm, form_name="pay_form",
                   run=lambda r, f: services.payment_pay(actor=request.user, record=r, **f.service_args()),
                   message=_("The payment was recorded."))


@require_POST
@login_required
def payment_cancel(request, pk):
    return _action(request, pk, form_class=ReasonForm, form_name="cancel_form",
                   run=lambda r, f: services.payment_cancel(actor=request.user, record=r,
                                                            reason=f.cleaned_data["reason"]),
                   message=_("The payment request was cancelled."))


# --- retentions -------------------------------------------------------------------------------------------------

@login_required
def retention_list(request):
    services.refresh_all(retentions=selectors.visible_retentions(request.user))
    due = request.GET.get("due") == "true"
    rows = selectors.retention_list(actor=request.user, due=True if due else None)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "payments/retention_list.html", {"page": page, "due": due})


def _retention_page(request, retention, *, error=None, status=200, forms=None):
    forms = forms or {}
    return render(request, "payments/retention_detail.html", {
        "retention": retention, "actions": rules.retention_actions(request.user, retention),
        "entries": timeline.entries_for(retention), "error": error,
        "order_url": links.url_for(request.user, retention.order),
        "payments": selectors.visible_payment_requests(request.user).filter(order=retention.order,
                                                                           kind=PaymentKind.RETENTION),
        "sign_off_form": forms.get("sign_off_form") or SignOffForm(),
        "release_form": forms.get("release_form") or ReleaseForm()}, status=status)


@login_required
def retention_detail(request, pk):
    return _retention_page(request, services.retention_get_fresh(actor=request.user, pk=pk))


def _retention_action(request, pk, *, run, message, form_class, form_name):
    return form_action(
        request, load=lambda: selectors.retention_get(actor=request.user, pk=pk),
        bind=lambda retention: form_class(request.POST), form_name=form_name, run=run,
        page=lambda retention, *, error, status, forms: _retention_page(request, retention, error=error,
                                                                       status=status, forms=forms),
        redirect_to=reverse("payments:retention_detail", args=[pk]), message=message)


@require_POST
@login_required
def retention_sign_off(request, pk):
    return _retention_action(request, pk, form_class=SignOffForm, form_name="sign_off_form",
                             run=lambda r, f: services.retention_sign_off(actor=request.user, retention=r,
                                                                          comment=f.cleaned_data["comment"]),
                             message=_("Signed off: no open defects."))


@require_POST
@login_required
def retention_release(request, pk):
    return _retention_action(request, pk, form_class=ReleaseForm, form_name="release_form",
                             run=lambda r, f: services.retention_release(
                                 actor=request.user, retention=r, deduction=f.cleaned_data["deduction"],
                                 reason=f.cleaned_data["reason"]),
                             message=_("The retention was released."))
