"""Supplier pages: the list (filters, Excel export and import), registering and editing, the detail page with its
qualifications, bank accounts and actions. Buttons are the rules' allowed actions; a refusal re-renders the page
with the user's input kept (core.web.form_action)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.errors import ApplicationError
from opsmon.core.files import file_response
from opsmon.core.forms import verbose_names
from opsmon.core.paging import CappedPaginator
from opsmon.core.rules import refuse
from opsmon.core.web import apply_error, form_action
from opsmon.core.xlsx import CONTENT_TYPE

from . import excel, rules, selectors, services
from .choices import SupplierStatus
from .forms import (
    BankAccountForm,
    BlacklistForm,
    CommentForm,
    ImportForm,
    QualificationForm,
    ReasonForm,
    SupplierFilterForm,
    SupplierForm,
)
from .models import Supplier, SupplierBankAccount, SupplierQualification

PAGE_SIZE = 50
TABLES = ("supplier_category", "qualification_kind")


def _label(suppliers, labels):
    for s in suppliers:
        s.category_labels = [labels.get(("supplier_category", c), c) for c in s.category_codes]
    return suppliers


@login_required
def supplier_list(request):
    labels = label_map(*TABLES)
    form = SupplierFilterForm(request.GET, labels=labels)
    page = CappedPaginator(selectors.supplier_list(actor=request.user, filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    page.object_list = _label(list(page.object_list), labels)
    return render(request, "suppliers/list.html", {
        "form": form, "page": page, "names": verbose_names(Supplier), "query": request.GET.urlencode(),
        "may_create": rules.can_create(request.user) is None})


@login_required
def supplier_export(request):
    labels = label_map(*TABLES)
    form = SupplierFilterForm(request.GET, labels=labels)
    response = HttpResponse(excel.export_xlsx(actor=request.user, filters=form.filters()), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="suppliers.xlsx"'
    return response


@login_required
def supplier_import(request):
    refuse(rules.can_create(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = excel.import_upload(actor=request.user, upload=form.cleaned_data["file"])
            except ApplicationError as error:
                apply_error(form, error)
                problems, status = getattr(error, "rows", []), error.status
            else:
                messages.success(request, ngettext("%(n)d supplier imported.", "%(n)d suppliers imported.",
                                                   len(created)) % {"n": len(created)})
                return redirect("suppliers:list")
        else:
            status = 400
    return render(request, "suppliers/import.html", {"form": form, "problems": problems,
                                                     "max_rows": excel.MAX_ROWS}, status=status)


def _form_page(request, form, supplier=None, status=200):
    return render(request, "suppliers/form.html", {"form": form, "supplier": supplier}, status=status)


@login_required
def supplier_create(request):
    refuse(rules.can_create(request.user))
    form = SupplierForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                supplier = services.supplier_create(actor=request.user, **form.create_data())
            except ApplicationError as error:
                apply_error(form, error)
                status = error.status
            else:
                messages.success(request, _("Supplier %(name)s registered.") % {"name": supplier.name})
                return redirect("suppliers:detail", pk=supplier.pk)
        else:
            status = 400
    return _form_page(request, form, status=status)


@login_required
def supplier_edit(request, pk):
    supplier = selectors.supplier_get(actor=request.user, pk=pk)
    refuse(rules.can_edit(request.user, supplier))
    form = SupplierForm(request.POST or None, supplier=supplier)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = form.update_data()
            if not changes:
                messages.info(request, _("Nothing was changed."))
                return redirect("suppliers:detail", pk=supplier.pk)
            try:
                services.supplier_update(actor=request.user, supplier=supplier,
                                         version=form.cleaned_data["version"] or 0, **changes)
            except ApplicationError as error:
                apply_error(form, error)
                status = error.status
            else:
                messages.success(request, _("Supplier %(name)s saved.") % {"name": supplier.name})
                return redirect("suppliers:detail", pk=supplier.pk)
        else:
            status = 400
    return _form_page(request, form, supplier, status=status)


def _timeline(supplier) -> list[dict]:
    statuses = dict(SupplierStatus.choices)
    entries = sorted(timeline.entries_for(supplier), key=lambda e: (e.at, e.id), reverse=True)
    return [{"at": e.at, "actor": e.actor, "action": e.action,
             "from_status": statuses.get(e.from_status, e.from_status),
             "to_status": statuses.get(e.to_status, e.to_status), "comment": e.comment} for e in entries]


def _detail(request, supplier, *, error: ApplicationError | None = None, status: int = 200,
            forms: dict | None = None):
    forms = forms or {}
    user = request.user
    allowed = rules.allowed_actions(user, supplier)
    labels = label_map(*TABLES)
    _label([supplier], labels)
    today = timezone.localdate()
    details = rules.sees_details(user)
    qualifications = list(selectors.qualifications_of(actor=user, supplier=supplier)) if details else []
    for q in qualifications:
        q.kind_label = labels.get(("qualification_kind", q.kind), q.kind)
        q.valid_today = q.valid_from <= today <= q.valid_to
        q.expiring = q.valid_today and (q.valid_to - today).days <= 30
    context = {
        "supplier": supplier, "error": error, "actions": dict.fromkeys(allowed, True), "allowed_actions": allowed,
        "names": verbose_names(Supplier), "q_names": verbose_names(SupplierQualification),
        "a_names": verbose_names(SupplierBankAccount), "details": details, "qualifications": qualifications,
        "accounts": list(selectors.bank_accounts_of(actor=user, supplier=supplier)) if details else [],
        "timeline": _timeline(supplier),
        "licence_missing": supplier.status == SupplierStatus.PENDING and not rules.has_licence(supplier),
        "qualification_form": forms.get("qualification") or QualificationForm(),
        "account_form": forms.get("account") or BankAccountForm(),
        "qualify_form": forms.get("qualify") or CommentForm(),
        "suspend_form": forms.get("suspend") or ReasonForm(action="suspend"),
        "blacklist_form": forms.get("blacklist") or BlacklistForm(),
        "restore_form": forms.get("restore") or ReasonForm(action="restore"),
    }
    return render(request, "suppliers/detail.html", context, status=status)


@login_required
def supplier_detail(request, pk):
    return _detail(request, selectors.supplier_get(actor=request.user, pk=pk))


def _action(request, pk, *, bind, run, message, form_name, anchor=""):
    return form_action(
        request, load=lambda: selectors.supplier_get(actor=request.user, pk=pk), bind=bind, run=run,
        page=lambda supplier, *, error, status, forms: _detail(request, supplier, error=error, status=status,
                                                              forms=forms),
        redirect_to=reverse("suppliers:detail", args=[pk]) + anchor, message=message, form_name=form_name)


@require_POST
@login_required
def qualification_add(request, pk):
    def run(supplier, form):
        data = form.cleaned_data
        return services.qualification_add(actor=request.user, supplier=supplier, kind=data["kind"],
                                          number=data["number"], valid_from=data["valid_from"],
                                          valid_to=data["valid_to"], upload=data["file"])
    return _action(request, pk, bind=lambda s: QualificationForm(request.POST, request.FILES), run=run,
                   form_name="qualification", anchor="#qualifications",
                   message=lambda q: _("Qualification %(number)s filed.") % {"number": q.number})


@require_POST
@login_required
def bank_account_add(request, pk):
    return _action(request, pk, bind=lambda s: BankAccountForm(request.POST), form_name="account",
                   anchor="#bank-accounts",
                   run=lambda s, form: services.bank_account_add(actor=request.user, supplier=s, **form.cleaned_data),
                   message=_("Bank account added."))


@require_POST
@login_required
def supplier_qualify(request, pk):
    return _action(request, pk, bind=lambda s: CommentForm(request.POST), form_name="qualify",
                   run=lambda s, form: services.supplier_qualify(actor=request.user, supplier=s,
                                                                 comment=form.cleaned_data["comment"]),
                   message=lambda s: _("%(name)s is qualified.") % {"name": s.name})


@require_POST
@login_required
def supplier_suspend(request, pk):
    return _action(request, pk, bind=lambda s: ReasonForm(request.POST, action="suspend"), form_name="suspend",
                   run=lambda s, form: services.supplier_suspend(actor=request.user, supplier=s,
                                                                 reason=form.cleaned_data["reason"]),
                   message=lambda s: _("%(name)s is suspended.") % {"name": s.name})


@require_POST
@login_required
def supplier_blacklist(request, pk):
    return _action(request, pk, bind=lambda s: BlacklistForm(request.POST), form_name="blacklist",
                   run=lambda s, form: services.supplier_blacklist(actor=request.user, supplier=s,
                                                                   reason=form.cleaned_data["reason"],
                                                                   until=form.cleaned_data["until"]),
                   message=lambda s: _("%(name)s is blacklisted.") % {"name": s.name})


@require_POST
@login_required
def supplier_restore(request, pk):
    return _action(request, pk, bind=lambda s: ReasonForm(request.POST, action="restore"), form_name="restore",
                   run=lambda s, form: services.supplier_restore(actor=request.user, supplier=s,
                                                                 reason=form.cleaned_data["reason"]),
                   message=lambda s: _("%(name)s is qualified again.") % {"name": s.name})


@login_required
def qualification_download(request, pk):
    q = selectors.qualification_get(actor=request.user, pk=pk)  # the permission check: 404 when not allowed
    return file_response(q.file, inline=request.GET.get("inline") == "1")
