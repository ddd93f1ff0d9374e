"""Sourcing pages: the list, the new sourcing (approved request lines, the supplier picker), the sourcing's page
(lines, invitations, quotations, the comparison with the lowest price marked, the award form, review rounds, the
buttons of `rules.allowed_actions`), one POST per action, and the comparison's .xlsx. Prices stay hidden from all
but the purchaser until evaluation (the same `rules.sees_prices` as the API)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.web import posted_decision
from opsmon.codes.selectors import label_map
from opsmon.core import lists, timeline
from opsmon.core.errors import ApplicationError, PermissionDenied
from opsmon.core.forms import verbose_names
from opsmon.core.rules import refuse
from opsmon.core.web import form_action, place_error
from opsmon.core.xlsx import CONTENT_TYPE
from opsmon.procurement.forms import CommentForm, ReasonForm
from opsmon.suppliers.choices import SupplierStatus
from opsmon.suppliers.models import Supplier

from . import excel, rules, selectors, services
from .choices import SourcingStatus
from .forms import AwardForm, QuotationForm, SourcingFilterForm, SourcingForm
from .models import Sourcing


def _labels():
    return label_map("unit", "supplier_category", "purchase_method", "single_source_reason", "review_step_kind")


def _method_labels(sourcings, form=None) -> None:
    labels = label_map("purchase_method")
    for s in sourcings:
        s.method_label = labels.get(("purchase_method", s.method), s.method)


def _export_columns() -> list:
    names = verbose_names(Sourcing)
    statuses = dict(SourcingStatus.choices)
    methods = label_map("purchase_method")

    def head(field):
        return capfirst(names[field])
    return [lists.Column(head("number"), lambda s: s.number), lists.Column(head("title"), lambda s: s.title),
            lists.Column(head("method"), lambda s: methods.get(("purchase_method", s.method), s.method)),
            lists.Column(head("owner"), lambda s: str(s.owner)),
            lists.Column(head("department"), lambda s: s.department.name),
            lists.Column(head("estimate"), lambda s: s.estimate),
            lists.Column(head("deadline"), lambda s: s.deadline),
            lists.Column(head("status"), lambda s: str(statuses.get(s.status, s.status))),
            lists.Column(head("created_at"), lambda s: s.created_at)]


SOURCING_LIST = lists.ListSpec(
    key="sourcings", template="sourcing/list.html", partial="sourcing/_table.html",
    form=lambda request: SourcingFilterForm(request.GET, owners=lists.people()),
    rows=lambda actor, form: form.apply(
        selectors.visible_sourcings(actor).select_related("owner", "department"), actor),
    export_columns=_export_columns, export_name="sourcings")


@login_required
def sourcing_list(request):
    return lists.list_page(request, SOURCING_LIST, decorate=_method_labels, context={
        "names": verbose_names(Sourcing), "can_create": rules.can_create(request.user) is None})


def _new_form(request, data=None):
    lines = list(selectors.poolable_lines(request.user)[:300])
    suppliers = Supplier.objects.filter(status=SupplierStatus.QUALIFIED).order_by("name", "id")[:500]
    initial = {}
    if str(request.GET.get("request", "")).isdigit():
        initial["request_line_ids"] = [str(x.pk) for x in lines if x.request_id == int(request.GET["request"])]
    return SourcingForm(data, lines=lines, suppliers=suppliers, initial=initial)


@login_required
def sourcing_new(request):
    refuse(rules.can_create(request.user))
    form = _new_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                created = services.sourcing_create(actor=request.user, **form.service_args())
            except ApplicationError as error:
                place_error(form, error)
                status = error.status
            else:
                messages.success(request, _("Sourcing %(n)s created.") % {"n": created.number})
                for inv in created.invitations.all():
                    if inv.grade_warning:
                        messages.warning(request, inv.grade_warning)
                return redirect("sourcing:detail", pk=created.pk)
    return render(request, "sourcing/form.html", {"form": form}, status=status)


def _rounds(record, labels):
    rounds = list(approval_selectors.rounds_of(record))
    for review in rounds:
        for step in review.steps.all():
            step.kind_label = labels.get(("review_step_kind", step.kind), step.kind)
    return rounds


def _detail(request, record, *, error=None, status=200, forms=None):
    labels = _labels()
    forms = forms or {}
    actions = rules.allowed_actions(request.user, record)
    visible = rules.sees_prices(request.user, record)
    table = selectors.comparison(record)
    for x in record.lines.all():
        x.unit_label = labels.get(("unit", x.request_line.unit), x.request_line.unit)
        x.category_label = labels.get(("supplier_category", x.request_line.category), x.request_line.category)
    return render(request, "sourcing/detail.html", {
        "record": record, "actions": actions, "prices_visible": visible, "table": table,
        "method_label": labels.get(("purchase_method", record.method), record.method),
        "reason_label": labels.get(("single_source_reason", record.single_source_reason),
                                   record.single_source_reason),
        "min_quotations": services.min_quotations(record.method),
        "rounds": _rounds(record, labels), "entries": timeline.entries_for(record), "error": error,
        "quote_form": forms.get("quote_form") or (QuotationForm(sourcing=record) if "quote" in actions else None),
        "award_form": forms.get("award_form") or (AwardForm(sourcing=record, table=table)
                                                  if "award" in actions else None),
        "decide_form": forms.get("decide_form") or CommentForm(),
        "fail_form": forms.get("fail_form") or ReasonForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm()}, status=status)


@login_required
def sourcing_detail(request, pk):
    return _detail(request, selectors.sourcing_get(actor=request.user, pk=pk))


def _action(request, pk, *, run, message, bind=None, form_name="form"):
    return form_action(
        request, load=lambda: selectors.sourcing_get(actor=request.user, pk=pk), bind=bind, form_name=form_name,
        run=run, page=lambda record, *, error, status, forms: _detail(request, record, error=error, status=status,
                                                                     forms=forms),
        redirect_to=reverse("sourcing:detail", args=[pk]), message=message)


@require_POST
@login_required
def sourcing_open(request, pk):
    return _action(request, pk, run=lambda r, f: services.sourcing_open(actor=request.user, sourcing=r),
                   message=_("The sourcing is open for quotations."))


@require_POST
@login_required
def sourcing_evaluate(request, pk):
    return _action(request, pk, run=lambda r, f: services.sourcing_evaluate(actor=request.user, sourcing=r),
                   message=_("Evaluation started: the prices are open."))


def _checked(refusal, make):
    """The rule before the form: a refused user hears 403/409, not that his (empty) form is not valid."""
    refuse(refusal)
    return make()


@require_POST
@login_required
def quotation_add(request, pk):
    return _action(request, pk, form_name="quote_form",
                   bind=lambda r: _checked(rules.can_quote(request.user, r),
                                           lambda: QuotationForm(request.POST, request.FILES, sourcing=r)),
                   run=lambda r, f: services.quotation_record(actor=request.user, sourcing=r, **f.service_args()),
                   message=_("Quotation recorded."))


@require_POST
@login_required
def award_save(request, pk):
    return _action(request, pk, form_name="award_form",
                   bind=lambda r: _checked(rules.can_award(request.user, r),
                                           lambda: AwardForm(request.POST, sourcing=r, table=selectors.comparison(r))),
                   run=lambda r, f: services.award_save(actor=request.user, sourcing=r, **f.service_args()),
                   message=_("Award saved."))


@require_POST
@login_required
def award_submit(request, pk):
    return _action(request, pk, run=lambda r, f: services.award_submit(actor=request.user, sourcing=r),
                   message=_("The award was submitted for review."))


@require_POST
@login_required
def award_decide(request, pk):
    decision, decided = posted_decision(request, returned_to=_("Returned to the purchaser."),
                                         rejected=_("Rejected: the sourcing failed."))
    return _action(request, pk, bind=lambda r: CommentForm(request.POST), form_name="decide_form",
                   run=lambda r, f: services.award_decide(actor=request.user, sourcing=r, decision=decision,
                                                          comment=f.cleaned_data["comment"]),
                   message=decided)


@require_POST
@login_required
def sourcing_fail(request, pk):
    return _action(request, pk, bind=lambda r: ReasonForm(request.POST), form_name="fail_form",
                   run=lambda r, f: services.sourcing_fail(actor=request.user, sourcing=r,
                                                           reason=f.cleaned_data["reason"]),
                   message=_("The sourcing failed; its lines are back in the pool."))


@require_POST
@login_required
def sourcing_cancel(request, pk):
    return _action(request, pk, bind=lambda r: ReasonForm(request.POST), form_name="cancel_form",
                   run=lambda r, f: services.sourcing_cancel(actor=request.user, sourcing=r,
                                                             reason=f.cleaned_data["reason"]),
                   message=_("The sourcing was cancelled; its lines are back in the pool."))


@login_required
def comparison_xlsx(request, pk):
    record = selectors.sourcing_get(actor=request.user, pk=pk)
    if not rules.sees_prices(request.user, record):
        refuse(PermissionDenied(_("The prices are sealed until the sourcing is evaluated.")))
    response = HttpResponse(excel.comparison_xlsx(record), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{record.number}-comparison.xlsx"'
    return response
