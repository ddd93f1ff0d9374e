"""Customer pages: list with search and filters, detail with the visible opportunities, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from opsmon.codes.selectors import label_map
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import verbose_names
from opsmon.core.rules import refuse
from opsmon.core.web import apply_error

from . import hooks, rules, selectors, services
from .forms import CustomerFilterForm, CustomerForm
from .models import Contact, Customer

CODE_TABLES = ("customer_type", "industry", "region")
PAGE_SIZE = 50


def _label(customers, labels):
    """Attach {field: label} to each customer so templates show code labels without a query per row."""
    for customer in customers:
        customer.labels = {f: labels.get((f, getattr(customer, f)), getattr(customer, f)) for f in CODE_TABLES}
    return customers


def _duplicate(error: ApplicationError) -> dict | None:
    """The existing customer a `duplicate_customer` refusal names, for a link next to the message."""
    if error.code != "duplicate_customer" or not error.fields.get("existing_id"):
        return None
    return {"id": error.fields["existing_id"][0], "name": (error.fields.get("existing_name") or [""])[0]}


def _list_form(request):
    labels = label_map(*CODE_TABLES)
    form = CustomerFilterForm(request.GET, labels=labels, owners=lists.people(), departments=lists.departments())
    form.labels = labels  # the rows' labels too: one query for both
    return form


def _export_columns() -> list:
    labels = label_map(*CODE_TABLES)
    names = verbose_names(Customer)

    def label(field):
        return lambda c: labels.get((field, getattr(c, field)), getattr(c, field)) or None

    return [lists.Column(capfirst(names["name"]), lambda c: c.name),
            lists.Column(capfirst(names["credit_code"]), lambda c: c.credit_code),
            *(lists.Column(capfirst(names[f]), label(f)) for f in CODE_TABLES),
            lists.Column(capfirst(names["owner"]), lambda c: str(c.owner)),
            lists.Column(capfirst(names["department"]), lambda c: c.department.name if c.department else None),
            lists.Column(capfirst(names["created_at"]), lambda c: c.created_at)]


CUSTOMER_LIST = lists.ListSpec(
    key="customers", form=_list_form, template="customers/list.html", partial="customers/_table.html",
    rows=lambda actor, form: form.apply(selectors.customer_list(actor=actor, filters=form.filters())
                                        .select_related("department"), actor),
    export_columns=_export_columns, export_name="customers")


@login_required
def customer_list(request):
    return lists.list_page(request, CUSTOMER_LIST, decorate=lambda rows, form: _label(rows, form.labels),
                           context={"names": verbose_names(Customer)})


@login_required
def customer_detail(request, pk):
    customer = selectors.customer_get(actor=request.user, pk=pk)
    _label([customer], label_map(*CODE_TABLES))
    context = {"customer": customer, "allowed": rules.allowed_actions(request.user, customer),
               "names": verbose_names(Customer), "contact_names": verbose_names(Contact)}
    for related in hooks.related(viewer=request.user, customer=customer):  # what links here, from higher modules
        context.update(related)
    return render(request, "customers/detail.html", context)


@login_required
def customer_create(request):
    refuse(rules.can_create(request.user))  # a read-only role gets no form to fill in vain
    form = CustomerForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(actor=request.user, **form.create_data())
        except ApplicationError as error:
            apply_error(form, error)
            duplicate = _duplicate(error)
        else:
            messages.success(request, _("Customer %(name)s saved.") % {"name": customer.name})
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/form.html", {"form": form, "duplicate": duplicate})


@login_required
def customer_edit(request, pk):
    customer = selectors.customer_get(actor=request.user, pk=pk)
    refuse(rules.can_edit(request.user, customer))
    form = CustomerForm(request.POST or None, customer=customer)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        changes = form.update_data()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("customers:detail", pk=customer.pk)
        try:
            services.customer_update(actor=request.user, customer=customer, version=form.cleaned_data["version"],
                                     **changes)
        except ApplicationError as error:
            apply_error(form, error)
            duplicate = _duplicate(error)
        else:
            messages.success(request, _("Customer %(name)s saved.") % {"name": customer.name})
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/form.html", {"form": form, "customer": customer, "duplicate": duplicate})
