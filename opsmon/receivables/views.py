"""Receivables pages: the list (one row per milestone of the signed contracts the viewer sees), and the two POST
actions of the contract page's money trail (the forms are drawn by receivers.money_trail). Which forms show is
rules.py's answer alone."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.contracts import selectors as contract_selectors
from opsmon.contracts.views import detail_page
from opsmon.core.money import format_money
from opsmon.core.paging import CappedPaginator
from opsmon.core.web import form_action, page_or_partial

from . import selectors, services
from .forms import CollectionForm, InvoiceForm, ReceivableFilterForm

PAGE_SIZE = 50


@login_required
def receivable_list(request):
    form = ReceivableFilterForm(request.GET)
    filters = form.filters()
    page = CappedPaginator(selectors.receivables(actor=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page"))
    page.object_list = [selectors.row(m) for m in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return page_or_partial(request, "receivables/list.html", "receivables/_table.html", {
        "form": form, "page": page, "ordering": filters.ordering, "query": query.urlencode()})


def _action(request, pk, *, form_class, form_name, run, message):
    return form_action(
        request, load=lambda: contract_selectors.contract_get(actor=request.user, pk=pk),
        bind=lambda contract: form_class(request.POST, contract=contract), form_name=form_name, run=run,
        message=message,
        page=lambda contract, *, error, status, forms: detail_page(request, contract, error=error, status=status,
                                                                   forms=forms),
        redirect_to=reverse("contracts:detail", args=[pk]) + "#receivables")


@require_POST
@login_required
def invoice_record(request, pk):
    return _action(request, pk, form_class=InvoiceForm, form_name="invoice",
                   run=lambda contract, form: services.invoice_record(actor=request.user, **form.service_args()),
                   message=lambda i: _("Invoice %(number)s was recorded.") % {"number": i.number})


@require_POST
@login_required
def collection_record(request, pk):
    return _action(request, pk, form_class=CollectionForm, form_name="collection",
                   run=lambda contract, form: services.collection_record(actor=request.user, **form.service_args()),
                   message=lambda c: _("%(amount)s was recorded as collected.")
                   % {"amount": format_money(c.amount, c.milestone.contract.currency)})
