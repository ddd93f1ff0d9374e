"""Supplier invoice pages: the list, the new invoice (choose the supplier, then fill the rows of its order lines),
the invoice's page (each line's match result, the buttons of `rules.allowed_actions`), one POST per action, the
scanned file, and the Invoices section of the purchase order's page (purchasing.hooks.page_sections). A refusal
re-renders the page with its status and the user's input (core.web.form_action)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.codes.selectors import label_map
from opsmon.core import lists, timeline
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.files import file_response
from opsmon.core.forms import verbose_names
from opsmon.core.rules import refuse
from opsmon.core.web import form_action, place_error
from opsmon.purchasing.choices import OrderStatus
from opsmon.suppliers.models import Supplier

from . import rules, selectors, services
from .choices import InvoiceStatus
from .forms import InvoiceFilterForm, InvoiceForm, ReasonForm, SupplierChoiceForm
from .models import SupplierInvoice

BEFORE_SIGNING = frozenset({OrderStatus.DRAFT, OrderStatus.IN_REVIEW, OrderStatus.APPROVED, OrderStatus.CANCELLED})


def _label(invoices):
    labels = label_map("invoice_type")
    for inv in invoices:
        inv.type_label = labels.get(("invoice_type", inv.invoice_type), inv.invoice_type)
    return invoices


def _export_columns() -> list:
    names = verbose_names(SupplierInvoice)
    statuses = dict(InvoiceStatus.choices)
    types = label_map("invoice_type")

    def head(field):
        return capfirst(names[field])
    return [lists.Column(head("number"), lambda i: i.number), lists.Column(head("supplier"), lambda i: i.supplier.name),
            lists.Column(head("invoice_type"), lambda i: types.get(("invoice_type", i.invoice_type), i.invoice_type)),
            lists.Column(head("code"), lambda i: i.code),
            lists.Column(head("invoice_number"), lambda i: i.invoice_number),
            lists.Column(head("issued_on"), lambda i: i.issued_on), lists.Column(head("total"), lambda i: i.total),
            lists.Column(head("status"), lambda i: str(statuses.get(i.status, i.status))),
            lists.Column(head("created_by"), lambda i: str(i.created_by)),
            lists.Column(head("created_at"), lambda i: i.created_at)]


INVOICE_LIST = lists.ListSpec(
    key="supplier_invoices", template="supplier_invoices/invoice_list.html",
    partial="supplier_invoices/_invoice_table.html",
    form=lambda request: InvoiceFilterForm(request.GET, suppliers=Supplier.objects.order_by("name").only("pk", "name")),
    rows=lambda actor, form: form.apply(
        selectors.visible_invoices(actor).select_related("supplier", "created_by"), actor),
    export_columns=_export_columns, export_name="supplier-invoices")


@login_required
def invoice_list(request):
    return lists.list_page(request, INVOICE_LIST, decorate=lambda rows, form: _label(rows), context={
        "names": verbose_names(SupplierInvoice), "can_create": rules.can_create(request.user) is None})


def _supplier_of(request) -> Supplier | None:
    raw = request.POST.get("supplier") or request.GET.get("supplier") or ""
    if not raw.isdigit():
        return None
    return Supplier.objects.filter(pk__in=selectors.invoiceable_suppliers(request.user), pk=int(raw)).first()


@login_required
def invoice_new(request):
    refuse(rules.can_create(request.user))
    suppliers = Supplier.objects.filter(pk__in=selectors.invoiceable_suppliers(request.user)).order_by("name")
    supplier = _supplier_of(request)
    chooser = SupplierChoiceForm(initial={"supplier": supplier.pk if supplier else None}, suppliers=suppliers)
    if supplier is None:
        return render(request, "supplier_invoices/invoice_form.html", {"chooser": chooser, "supplier": None})
    order_lines = selectors.invoiceable_lines(request.user, supplier)
    form = InvoiceForm(request.POST or None, request.FILES or None, order_lines=order_lines)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.invoice_create(actor=request.user, supplier_id=supplier.pk, **form.service_args())
            except ApplicationError as error:
                place_error(form, error)
                status = error.status
            else:
                if saved.status == "matched":
                    messages.success(request, _("Invoice %(n)s recorded and matched.") % {"n": saved.number})
                else:
                    messages.warning(request, _("Invoice %(n)s recorded; it does not match: see the lines.")
                                     % {"n": saved.number})
                return redirect("supplier_invoices:detail", pk=saved.pk)
        else:
            status = 400
    return render(request, "supplier_invoices/invoice_form.html", {
        "chooser": chooser, "supplier": supplier, "form": form, "rows": form.bound_rows()}, status=status)


def _detail(request, record, *, error=None, status=200, forms=None):
    forms = forms or {}
    _label([record])
    return render(request, "supplier_invoices/invoice_detail.html", {
        "record": record, "lines": list(record.lines.all()), "actions": rules.allowed_actions(request.user, record),
        "entries": timeline.entries_for(record), "error": error,
        "variance_form": forms.get("variance_form") or ReasonForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm()}, status=status)


@login_required
def invoice_detail(request, pk):
    return _detail(request, selectors.invoice_get(actor=request.user, pk=pk))


@login_required
def invoice_file(request, pk):
    record = selectors.invoice_get(actor=request.user, pk=pk)
    if record.file is None:
        raise NotFound()
    return file_response(record.file, inline=request.GET.get("inline") == "1")


def _action(request, pk, *, run, message, form_class=None, form_name="form"):
    return form_action(
        request, load=lambda: selectors.invoice_get(actor=request.user, pk=pk),
        bind=(lambda record: form_class(request.POST)) if form_class else None, form_name=form_name, run=run,
        page=lambda record, *, error, status, forms: _detail(request, record, error=error, status=status,
                                                            forms=forms),
        redirect_to=reverse("supplier_invoices:detail", args=[pk]), message=message)


@require_POST
@login_required
def invoice_accept_variance(request, pk):
    return _action(request, pk, form_class=ReasonForm, form_name="variance_form",
                   run=lambda r, f: services.invoice_accept_variance(actor=request.user, invoice=r,
                                                                     reason=f.cleaned_data["reason"]),
                   message=_("The variance was accepted."))


@require_POST
@login_required
def invoice_verify(request, pk):
    return _action(request, pk, run=lambda r, f: services.invoice_verify(actor=request.user, invoice=r),
                   message=_("The invoice was verified."))


@require_POST
@login_required
def invoice_cancel(request, pk):
    return _action(request, pk, form_class=ReasonForm, form_name="cancel_form",
                   run=lambda r, f: services.invoice_cancel(actor=request.user, invoice=r,
                                                            reason=f.cleaned_data["reason"]),
                   message=_("The invoice was cancelled (红冲)."))


# --- the purchase order's page --------------------------------------------------------------------------------

def order_section(*, request, order, **_kw) -> str:
    """The Invoices section of the purchase order's page (purchasing.hooks.page_sections)."""
    invoices = _label(list(selectors.invoices_of_order(request.user, order)[:50]))
    if not invoices and order.status in BEFORE_SIGNING:
        return ""
    figures = selectors.order_figures(order)
    return render_to_string("supplier_invoices/_order_section.html", {
        "order": order, "invoices": invoices, "figures": figures,
        "can_create": rules.can_create(request.user) is None and rules.may_invoice_order(request.user, order)
        and order.status in selectors.INVOICEABLE}, request=request)
