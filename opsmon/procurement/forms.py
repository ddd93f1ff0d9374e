"""Page forms: a purchase request with its line rows (a formset; empty rows are ignored), the reason and comment
of the actions, the project budget's lines, the procurement settings. The services check everything again."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import AmountField, DateInput, field_label
from opsmon.core.web import StyledForm

from . import services
from .choices import RequestStatus
from .models import BudgetLine, ProcurementSettings, PurchaseRequest, RequestLine

EMPTY_ROWS = 2


def _small(form):
    for field in form.fields.values():
        field.widget.attrs["aria-label"] = field.label
        css = field.widget.attrs.get("class", "")
        field.widget.attrs["class"] = css + (" form-select-sm" if "form-select" in css else " form-control-sm")


class LineForm(StyledForm, forms.Form):
    item = forms.CharField(label=field_label(RequestLine, "item"), max_length=200, required=False)
    spec = forms.CharField(label=field_label(RequestLine, "spec"), max_length=500, required=False)
    unit = forms.ChoiceField(label=field_label(RequestLine, "unit"), required=False)
    qty = forms.CharField(label=field_label(RequestLine, "qty"), max_length=30, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    est_unit_price = forms.CharField(label=field_label(RequestLine, "est_unit_price"), max_length=30,
                                     required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    category = forms.ChoiceField(label=field_label(RequestLine, "category"), required=False)
    need_by = forms.DateField(label=field_label(RequestLine, "need_by"), required=False,
                              widget=DateInput)

    def __init__(self, *args, units: list, categories: list, **kwargs):
        kwargs["empty_permitted"] = False
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *units]
        self.fields["category"].choices = [("", "—"), *categories]
        _small(self)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) for f in ("item", "spec", "qty", "est_unit_price"))

    def row(self) -> dict:
        d = self.cleaned_data
        return {"item": d.get("item", ""), "spec": d.get("spec", ""), "unit": d.get("unit", ""),
                "qty": d.get("qty", ""), "est_unit_price": d.get("est_unit_price", ""),
                "category": d.get("category", ""), "need_by": d.get("need_by")}


LineFormSet = forms.formset_factory(LineForm, extra=EMPTY_ROWS, max_num=services.MAX_LINES + 10,
                                    absolute_max=services.MAX_LINES + 10)


class RowsMixin:
    """Errors a service names `lines.<n>.<field>` go to the n-th filled row."""

    def filled(self):
        rows = [(i, f) for i, f in enumerate(self.lines.forms) if not f.is_blank()]
        self._rows = [i for i, _f in rows]
        return [f.row() for _i, f in rows]

    def apply_error(self, error: ApplicationError) -> None:
        for key, texts in error.fields.items():
            parts = key.split(".")
            if parts[0] != "lines":
                for text in texts:
                    self.add_error(key if key in self.fields else None, text)
            elif len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(self._rows):
                row = self.lines.forms[self._rows[int(parts[1]) - 1]]
                for text in texts:
                    row.add_error(parts[2] if parts[2] in row.fields else None, text)
            else:
                self.line_errors += texts
        if not error.fields:
            self.add_error(None, str(error.message))


class RequestForm(RowsMixin, StyledForm, forms.Form):
    title = forms.CharField(label=field_label(PurchaseRequest, "title"), max_length=200, required=False)
    project_id = forms.TypedChoiceField(label=field_label(PurchaseRequest, "project"), required=False, coerce=int,
                                        empty_value=None)
    contract_id = forms.TypedChoiceField(label=field_label(PurchaseRequest, "contract"), required=False,
                                         coerce=int, empty_value=None)
    note = forms.CharField(label=field_label(PurchaseRequest, "note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, projects, contracts, request: PurchaseRequest | None = None, **kwargs):
        initial_lines = []
        if request is not None:
            kwargs["initial"] = {"title": request.title, "project_id": request.project_id,
                                 "contract_id": request.contract_id, "note": request.note}
            initial_lines = [{"item": x.item, "spec": x.spec, "unit": x.unit, "qty": x.qty.normalize(),
                              "est_unit_price": x.est_unit_price.normalize(), "category": x.category,
                              "need_by": x.need_by} for x in request.lines.all()]
        super().__init__(data, **kwargs)
        self.fields["project_id"].choices = [("", _("No project")), *((p.pk, f"{p.number} {p.title}")
                                                                       for p in projects)]
        self.fields["contract_id"].choices = [("", _("No contract")), *((c.pk, f"{c.number} {c.title}")
                                                                         for c in contracts)]
        options = code_options("unit", "supplier_category")
        self.lines = LineFormSet(data, prefix="lines", initial=initial_lines,
                                 form_kwargs={"units": options["unit"], "categories": options["supplier_category"]})
        self.line_errors: list[str] = []
        self._rows: list[int] = []

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.lines.is_valid() and valid

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "project_id": d["project_id"], "contract_id": d["contract_id"],
                "note": d["note"], "lines": self.filled()}


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CommentForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RequestFilterForm(lists.ListFilterForm):
    """The purchase-request list's filters (core.lists)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=field_label(PurchaseRequest, "status"), required=False,
                               choices=[("", _("All statuses")), *RequestStatus.choices])
    project = forms.CharField(label=field_label(PurchaseRequest, "project"), max_length=100, required=False)
    owner = lists.owner_field(field_label(PurchaseRequest, "owner"))
    department = lists.department_field(field_label(PurchaseRequest, "department"))
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount to"), required=False)
    created_from = lists.date_field(_("Created from"))
    created_to = lists.date_field(_("Created to"))

    lookups = {"status": "status", "owner": "owner_id", "amount_min": "total__gte", "amount_max": "total__lte",
               "created_from": "created_at__date__gte", "created_to": "created_at__date__lte"}
    subtrees = {"department": "department"}
    search = ("number__icontains", "title__icontains", "project__number__icontains", "project__title__icontains")
    mine_lookup = "owner_id"
    ranges = (("amount_min", "amount_max"), ("created_from", "created_to"))
    sortable = ("number", "title", "total", "created_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title or project")

    def apply(self, queryset, actor):
        project = (self.value("project") or "").strip()
        if project:
            queryset = queryset.filter(Q(project__number__icontains=project) | Q(project__title__icontains=project))
        return super().apply(queryset, actor)


class BudgetLineForm(StyledForm, forms.Form):
    category = forms.ChoiceField(label=field_label(BudgetLine, "category"), required=False)
    amount = forms.CharField(label=field_label(BudgetLine, "amount"), max_length=30, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, categories: list, **kwargs):
        kwargs["empty_permitted"] = False
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *categories]
        _small(self)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("category") and not data.get("amount")

    def row(self) -> dict:
        return {"category": self.cleaned_data.get("category", ""), "amount": self.cleaned_data.get("amount", "")}


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=EMPTY_ROWS, max_num=services.MAX_LINES + 10,
                                          absolute_max=services.MAX_LINES + 10)


class BudgetForm(RowsMixin, StyledForm, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, data=None, *, budget=None, **kwargs):
        initial_lines = [{"category": x.category, "amount": f"{x.amount:.2f}"}
                         for x in budget.lines.all()] if budget is not None else []
        if budget is not None:
            kwargs["initial"] = {"note": budget.note}
        super().__init__(data, **kwargs)
        self.lines = BudgetLineFormSet(data, prefix="lines", initial=initial_lines, form_kwargs={
            "categories": code_options("supplier_category")["supplier_category"]})
        self.line_errors: list[str] = []
        self._rows: list[int] = []

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.lines.is_valid() and valid

    def service_args(self) -> dict:
        return {"note": self.cleaned_data["note"], "lines": self.filled()}


class SettingsForm(StyledForm, forms.Form):
    def __init__(self, data=None, *, current: ProcurementSettings, **kwargs):
        super().__init__(data, **kwargs)
        for name in services.SETTINGS_FIELDS:
            model_field = ProcurementSettings._meta.get_field(name)
            value = getattr(current, name)
            self.fields[name] = forms.CharField(label=model_field.verbose_name, max_length=30, required=False,
                                                initial=str(value),
                                                widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                                              "class": "form-control"}))

    def service_args(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
