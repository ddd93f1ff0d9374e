"""Purchase order pages: the list, the order's page (lines, milestones, warnings, figures, review rounds, versions,
amendments, the buttons of `rules.allowed_actions`, the higher modules' sections from `hooks.page_sections`), the
terms form of a draft, one POST per action (sign with its file), the .docx download, and "create orders" from an
awarded sourcing. A refusal re-renders the page with its status and the user's input (core.web.form_action)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.web import posted_decision
from opsmon.codes.selectors import label_map
from opsmon.core import lists, timeline
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.files import file_response
from opsmon.core.forms import verbose_names
from opsmon.core.rules import refuse
from opsmon.core.web import form_action, place_error
from opsmon.sourcing.selectors import sourcing_get
from opsmon.suppliers.models import Supplier

from . import document, hooks, rules, selectors, services
from .choices import OrderStatus
from .forms import AmendmentForm, CommentForm, OrderFilterForm, ReasonForm, SignForm, TermsForm
from .models import PurchaseOrder


def _labels():
    return label_map("unit", "supplier_category", "review_step_kind", "invoice_type")


def _rounds(record, labels):
    rounds = list(approval_selectors.rounds_of(record))
    for review in rounds:
        for step in review.steps.all():
            step.kind_label = labels.get(("review_step_kind", step.kind), step.kind)
    return rounds


def _export_columns() -> list:
    names = verbose_names(PurchaseOrder)
    statuses = dict(OrderStatus.choices)

    def head(field):
        return capfirst(names[field])
    return [lists.Column(head("number"), lambda o: o.number), lists.Column(head("title"), lambda o: o.title),
            lists.Column(head("supplier"), lambda o: o.supplier.name),
            lists.Column(head("project"), lambda o: o.project.number if o.project_id else None),
            lists.Column(head("owner"), lambda o: str(o.owner)),
            lists.Column(head("total"), lambda o: o.total),
            lists.Column(head("status"), lambda o: str(statuses.get(o.status, o.status))),
            lists.Column(head("signed_on"), lambda o: o.signed_on),
            lists.Column(head("created_at"), lambda o: o.created_at)]


ORDER_LIST = lists.ListSpec(
    key="purchase_orders", template="purchasing/order_list.html", partial="purchasing/_order_table.html",
    form=lambda request: OrderFilterForm(request.GET, owners=lists.people(),
                                         suppliers=Supplier.objects.order_by("name").only("pk", "name")),
    rows=lambda actor, form: form.apply(
        selectors.visible_orders(actor).select_related("supplier", "project", "owner"), actor),
    export_columns=_export_columns, export_name="purchase-orders")


@login_required
def order_list(request):
    return lists.list_page(request, ORDER_LIST, context={"names": verbose_names(PurchaseOrder)})


def _sections(request, order) -> str:
    """The higher modules' sections (receipts, invoices, payments, retention, evaluation), already escaped by
    their own templates."""
    parts = []
    for part in hooks.page_sections(request=request, order=order):
        if part:
            parts.append(str(part))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered template of its module


def _detail(request, order, *, error=None, status=200, forms=None):
    labels = _labels()
    forms = forms or {}
    lines = list(order.lines.all())
    for line in lines:
        line.unit_label = labels.get(("unit", line.unit), line.unit)
        line.category_label = labels.get(("supplier_category", line.category), line.category)
    figures = selectors.figures(order)
    return render(request, "purchasing/order_detail.html", {
        "order": order, "lines": lines, "milestones": list(order.milestones.all()),
        "invoice_type_label": labels.get(("invoice_type", order.invoice_type), order.invoice_type),
        "figures": figures,
        "degrees": {k: selectors.degree(figures[k], order.total) for k in ("received", "invoiced", "paid")},
        "rounds": _rounds(order, labels), "actions": rules.allowed_actions(request.user, order),
        "versions": list(order.versions.order_by("revision")),
        "amendments": list(order.amendments.select_related("created_by").order_by("-created_at", "-id")),
        "entries": timeline.entries_for(order), "error": error, "sections": _sections(request, order),
        "decide_form": forms.get("decide_form") or CommentForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm(),
        "terminate_form": forms.get("terminate_form") or ReasonForm(),
        "sign_form": forms.get("sign_form") or SignForm(),
        "amend_form": forms.get("amend_form") or AmendmentForm(order=order)}, status=status)


@login_required
def order_detail(request, pk):
    return _detail(request, selectors.order_get(actor=request.user, pk=pk))


@login_required
def order_edit(request, pk):
    order = selectors.order_get(actor=request.user, pk=pk)
    refuse(rules.can_edit(request.user, order))
    form = TermsForm(request.POST or None, order=order)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            version = request.POST.get("version", "")
            try:
                services.order_update(actor=request.user, order=order,
                                      version=int(version) if version.isdigit() else -1, **form.service_args())
            except ApplicationError as error:
                place_error(form, error)
                status = error.status
            else:
                messages.success(request, _("Purchase order %(n)s saved.") % {"n": order.number})
                return redirect("purchasing:order_detail", pk=order.pk)
    return render(request, "purchasing/order_form.html", {"form": form, "order": order}, status=status)


def _action(request, pk, *, run, message, form_class=None, form_name="form", files=False):
    def bind(order):
        if form_class is None:
            return None
        if form_class is AmendmentForm:
            return AmendmentForm(request.POST, order=order)
        return form_class(request.POST, request.FILES) if files else form_class(request.POST)
    return form_action(
        request, load=lambda: selectors.order_get(actor=request.user, pk=pk),
        bind=bind if form_class else None, form_name=form_name, run=run,
        page=lambda order, *, error, status, forms: _detail(request, order, error=error, status=status,
                                                           forms=forms),
        redirect_to=reverse("purchasing:order_detail", args=[pk]), message=message)


@require_POST
@login_required
def order_submit(request, pk):
    return _action(request, pk, run=lambda o, f: services.order_submit(actor=request.user, order=o),
                   message=_("Submitted for review."))


@require_POST
@login_required
def order_decide(request, pk):
    decision, decided = posted_decision(request, returned_to=_("Returned to the purchaser."))
    return _action(request, pk, form_class=CommentForm, form_name="decide_form",
                   run=lambda o, f: services.order_decide(actor=request.user, order=o, decision=decision,
                                                          comment=f.cleaned_data["comment"]),
                   message=decided)


@require_POST
@login_required
def order_sign(request, pk):
    return _action(request, pk, form_class=SignForm, form_name="sign_form", files=True,
                   run=lambda o, f: services.order_sign(actor=request.user, order=o,
                                                        signed_on=f.cleaned_data["signed_on"],
                                                        signed_copy=f.cleaned_data["file"]),
                   message=_("The order is signed."))


@require_POST
@login_required
def order_cancel(request, pk):
    return _action(request, pk, form_class=ReasonForm, form_name="cancel_form",
                   run=lambda o, f: services.order_cancel(actor=request.user, order=o,
                                                          reason=f.cleaned_data["reason"]),
                   message=_("The order was cancelled."))


@require_POST
@login_required
def order_terminate(request, pk):
    return _action(request, pk, form_class=ReasonForm, form_name="terminate_form",
                   run=lambda o, f: services.order_terminate(actor=request.user, order=o,
                                                             reason=f.cleaned_data["reason"]),
                   message=_("The order was terminated."))


@require_POST
@login_required
def order_close(request, pk):
    return _action(request, pk, run=lambda o, f: services.order_close(actor=request.user, order=o),
                   message=_("The order was closed."))


@require_POST
@login_required
def order_amend(request, pk):
    return _action(request, pk, form_class=AmendmentForm, form_name="amend_form",
                   run=lambda o, f: services.amendment_propose(actor=request.user, order=o, changes=f.changes(),
                                                               reason=f.cleaned_data["reason"]),
                   message=_("The amendment was submitted for review."))


@login_required
def order_document(request, pk):
    order = selectors.order_get(actor=request.user, pk=pk)
    response = HttpResponse(document.order_docx(order), content_type=document.DOCX)
    response["Content-Disposition"] = f'attachment; filename="{order.number}.docx"'
    return response


@login_required
def signed_copy(request, pk):
    """The signed copy of a signed order (404 before signing)."""
    order = selectors.order_get(actor=request.user, pk=pk)
    if order.signed_file_id is None:
        raise NotFound()
    return file_response(order.signed_file)


@require_POST
@login_required
def create_orders(request, sourcing_pk):
    """"Create orders" on an awarded sourcing's page: to the first order, or back to the sourcing with the
    refusal."""
    sourcing = sourcing_get(actor=request.user, pk=sourcing_pk)
    refusal = rules.can_create_orders(request.user, sourcing)
    if refusal is not None and refusal.status == 403:
        raise refusal
    try:
        orders = services.orders_create(actor=request.user, sourcing=sourcing)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(f"/procurement/sourcings/{sourcing.pk}/")
    messages.success(request, _("%(n)s purchase order(s) created.") % {"n": len(orders)})
    return redirect("purchasing:order_detail", pk=orders[0].pk)
