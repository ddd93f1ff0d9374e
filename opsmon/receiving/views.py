"""Receipt pages: the Receipts section of the order's page (purchasing.hooks.page_sections: its receipts and the
"record delivery" form), the delivery form's own page (shown again with the input kept when refused), the receipt's
page (lines, the inspector's acceptance form, the buttons of `rules.allowed_actions`), the receipt list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.core import links, lists, timeline
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import verbose_names
from opsmon.core.rules import refuse
from opsmon.core.web import form_action, place_error
from opsmon.purchasing.choices import OrderStatus

from . import rules, selectors, services
from .choices import ReceiptStatus
from .forms import AcceptForm, ReasonForm, ReceiptFilterForm, ReceiptForm
from .models import Receipt

RECEIVING = (OrderStatus.SIGNED, OrderStatus.COMPLETED, OrderStatus.CLOSED, OrderStatus.TERMINATED)


def _delivery_form(request, order, data=None):
    return ReceiptForm(data, order=order, available=services.open_qty(order),
                       initial={"delivered_on": timezone.localdate()})


# --- the order's page -------------------------------------------------------------------------------------------

def order_section(*, request, order) -> str:
    """The Receipts section of the order's page (connected to purchasing.hooks.page_sections); none before the
    order is signed."""
    if order.status not in RECEIVING:
        return ""
    can_record = rules.can_create(request.user, order) is None
    return render_to_string("receiving/_order_section.html", {
        "order": order, "receipts": selectors.receipts_of(order, actor=request.user)[:50],
        "accepted": selectors.accepted_qty(order), "lines": list(order.lines.all()),
        "received": selectors.received_value(order),
        "form": _delivery_form(request, order) if can_record else None}, request=request)


def _new_page(request, order, form, *, status=200):
    return render(request, "receiving/receipt_form.html", {
        "order": order, "form": form, "order_url": links.url_for(request.user, order)}, status=status)


@login_required
def receipt_new(request, order_pk):
    """GET: the delivery form; POST: record the delivery (a draft) and open it."""
    order = selectors.order_get(actor=request.user, pk=order_pk)
    refuse(rules.can_create(request.user, order))
    form = _delivery_form(request, order, request.POST or None)
    if request.method != "POST":
        return _new_page(request, order, form)
    if not form.is_valid():
        return _new_page(request, order, form, status=400)
    try:
        receipt = services.receipt_create(actor=request.user, order=order, **form.service_args())
    except ApplicationError as error:
        place_error(form, error)
        return _new_page(request, order, form, status=error.status)
    messages.success(request, _("Delivery %(n)s recorded; submit it for inspection.") % {"n": receipt.number})
    return redirect("receiving:detail", pk=receipt.pk)


# --- receipts ---------------------------------------------------------------------------------------------------

def _export_columns() -> list:
    names = verbose_names(Receipt)
    statuses = dict(ReceiptStatus.choices)

    def head(field):
        return capfirst(names[field])
    return [lists.Column(head("number"), lambda r: r.number), lists.Column(head("order"), lambda r: r.order.number),
            lists.Column(_("Supplier"), lambda r: r.order.supplier.name),
            lists.Column(head("delivered_on"), lambda r: r.delivered_on),
            lists.Column(head("inspector"), lambda r: str(r.inspector)),
            lists.Column(head("status"), lambda r: str(statuses.get(r.status, r.status))),
            lists.Column(head("accepted_on"), lambda r: r.accepted_on),
            lists.Column(head("created_by"), lambda r: str(r.created_by)),
            lists.Column(head("created_at"), lambda r: r.created_at)]


RECEIPT_LIST = lists.ListSpec(
    key="receipts", template="receiving/receipt_list.html", partial="receiving/_receipt_table.html",
    form=lambda request: ReceiptFilterForm(request.GET, people=lists.people()),
    rows=lambda actor, form: form.apply(
        selectors.visible_receipts(actor).select_related("order__supplier", "inspector", "created_by"), actor),
    export_columns=_export_columns, export_name="receipts")


@login_required
def receipt_list(request):
    return lists.list_page(request, RECEIPT_LIST, context={
        "names": verbose_names(Receipt), "waiting": selectors.waiting_for(request.user).count()})


def _detail(request, record, *, error=None, status=200, forms=None):
    forms = forms or {}
    actions = rules.allowed_actions(request.user, record)
    return render(request, "receiving/receipt_detail.html", {
        "record": record, "order": record.order, "order_url": links.url_for(request.user, record.order),
        "lines": list(record.lines.all()), "actions": actions, "entries": timeline.entries_for(record),
        "error": error,
        "accept_form": forms.get("accept_form") or (AcceptForm(receipt=record) if "accept" in actions else None),
        "cancel_form": forms.get("cancel_form") or ReasonForm()}, status=status)


@login_required
def receipt_detail(request, pk):
    return _detail(request, selectors.receipt_get(actor=request.user, pk=pk))


def _action(request, pk, *, run, message, bind=None, form_name="form"):
    return form_action(
        request, load=lambda: selectors.receipt_get(actor=request.user, pk=pk), bind=bind, form_name=form_name,
        run=run, page=lambda record, *, error, status, forms: _detail(request, record, error=error, status=status,
                                                                     forms=forms),
        redirect_to=reverse("receiving:detail", args=[pk]), message=message)


@require_POST
@login_required
def receipt_submit(request, pk):
    return _action(request, pk, run=lambda r, f: services.receipt_submit(actor=request.user, receipt=r),
                   message=_("Submitted for inspection."))


@require_POST
@login_required
def receipt_accept(request, pk):
    return _action(request, pk, bind=lambda r: AcceptForm(request.POST, receipt=r), form_name="accept_form",
                   run=lambda r, f: services.receipt_accept(actor=request.user, receipt=r, **f.service_args()),
                   message=lambda r: _("The delivery was accepted.") if r.status == "accepted"
                   else _("The delivery was rejected."))


@require_POST
@login_required
def receipt_cancel(request, pk):
    return _action(request, pk, bind=lambda r: ReasonForm(request.POST), form_name="cancel_form",
                   run=lambda r, f: services.receipt_cancel(actor=request.user, receipt=r,
                                                            reason=f.cleaned_data["reason"]),
                   message=_("The receipt was cancelled."))
