"""Forms of the contract pages; they parse input, the services decide (and name the fields they refuse)."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.codes.forms import code_options, label_choices, set_code_choices
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import AmountField, DateInput, field_label
from opsmon.core.web import StyledForm
from opsmon.core.widgets import SearchSelect

from .choices import ContractStatus, MilestoneTrigger
from .models import Contract, Milestone
from .selectors import ORDERINGS, ContractFilters
from .terms import MAX_MILESTONES

EMPTY_ROWS = 2  # blank milestone rows under the filled ones, for adding without JavaScript
MILESTONE_FIELDS = ("name", "due_on", "condition", "amount", "percentage")


def money_text(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _decimal(label, max_length=30):
    return forms.CharField(label=label, max_length=max_length, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))


# --- the list ----------------------------------------------------------------------------------------------------

class ContractFilterForm(lists.ListFilterForm):
    """The contract list's filters (core.lists); those of ContractFilters are contract_list's (the API's too)."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=field_label(Contract, "status"), required=False,
                               choices=[("", _("All statuses")), *ContractStatus.choices])
    contract_type = forms.ChoiceField(label=field_label(Contract, "contract_type"), required=False)
    customer = forms.CharField(label=field_label(Contract, "customer"), max_length=100, required=False)
    department = lists.department_field(field_label(Contract, "department"))
    owner = lists.owner_field(field_label(Contract, "owner"))
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount to"), required=False)
    signed_from = lists.date_field(_("Signed from"))
    signed_to = lists.date_field(_("Signed to"))
    created_from = lists.date_field(_("Created from"))
    created_to = lists.date_field(_("Created to"))
    expiring_within = forms.IntegerField(label=_("Ending within (days)"), required=False, min_value=0,
                                         max_value=3650)

    lookups = {"customer": "customer__name__icontains", "created_from": "created_at__date__gte",
               "created_to": "created_at__date__lte"}
    mine_lookup = "owner_id"
    ranges = (("amount_min", "amount_max"), ("signed_from", "signed_to"), ("created_from", "created_to"))
    sortable = tuple(sorted({o.lstrip("-") for o in ORDERINGS}))

    def __init__(self, *args, labels: dict, **kwargs):
        """`labels` is the page's `label_map`; `departments` and `owners` the choices, read once by the view."""
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title or customer")
        set_code_choices(self, "contract_type", "contract_type", label_choices(labels, "contract_type"),
                         blank=_("All types"))

    def filters(self) -> ContractFilters:
        """The valid filters for `contract_list`; an invalid one is ignored (and shown)."""
        names = ("q", "status", "contract_type", "department", "owner", "amount_min", "amount_max", "signed_from",
                 "signed_to", "expiring_within")
        return ContractFilters(**{n: self.value(n) for n in names if self.value(n) not in (None, "")})


# --- terms and milestones ----------------------------------------------------------------------------------------

class MilestoneForm(StyledForm, forms.Form):
    """One payment milestone row; an empty row is ignored."""

    name = forms.CharField(label=field_label(Milestone, "name"), max_length=100, required=False)
    due_on = forms.DateField(label=field_label(Milestone, "due_on"), required=False, widget=DateInput)
    condition = forms.CharField(label=field_label(Milestone, "condition"), max_length=200, required=False)
    # Empty in a blank row (so it reads as unchanged), "on a date" when a filled row leaves it empty.
    trigger = forms.ChoiceField(label=field_label(Milestone, "trigger"), required=False,
                                choices=[("", "—"), *MilestoneTrigger.choices])
    amount = _decimal(field_label(Milestone, "amount"))
    percentage = _decimal(field_label(Milestone, "percentage"), max_length=10)

    def __init__(self, *args, **kwargs):
        # Every row is read and validated (all its fields are optional), even an extra row equal to its initial
        # values: the formset would otherwise skip it and a kept milestone would read as an empty row.
        kwargs["empty_permitted"] = False
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
            field.widget.attrs["class"] += " form-control-sm"

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) not in (None, "") for f in MILESTONE_FIELDS)

    def row(self) -> dict:
        """The row as `terms.clean` takes it."""
        data = self.cleaned_data
        return {"name": data.get("name", ""), "due_on": data.get("due_on"), "condition": data.get("condition", ""),
                "trigger": data.get("trigger") or MilestoneTrigger.DATE, "amount": data.get("amount") or None,
                "percentage": data.get("percentage") or None}


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=EMPTY_ROWS, max_num=MAX_MILESTONES + 10,
                                     absolute_max=MAX_MILESTONES + 10)


def milestone_initial(contract: Contract | None) -> list[dict]:
    if contract is None:
        return []
    return [{"name": m.name, "due_on": m.due_on, "condition": m.condition, "trigger": m.trigger,
             "amount": money_text(m.amount),
             "percentage": money_text(m.percentage)} for m in contract.milestones.all()]


class TermsForm(StyledForm, forms.Form):
    """Contract terms with the payment milestones as rows (a formset carried, validated and shown with the form).

    Field names are the services' arguments. Errors the services name as `milestones.<n>.<field>` go to the n-th
    filled row, `milestones` above the rows, the others next to their fields."""

    title = forms.CharField(label=field_label(Contract, "title"), max_length=200, required=False)
    contract_type = forms.ChoiceField(label=field_label(Contract, "contract_type"), required=False)
    amount = _decimal(field_label(Contract, "amount"))
    currency = forms.ChoiceField(label=field_label(Contract, "currency"), required=False)
    tax_rate = _decimal(field_label(Contract, "tax_rate"), max_length=10)
    start_on = forms.DateField(label=field_label(Contract, "start_on"), required=False, widget=DateInput)
    end_on = forms.DateField(label=field_label(Contract, "end_on"), required=False, widget=DateInput)
    terms = forms.CharField(label=field_label(Contract, "terms"), max_length=20000, required=False,
                            widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, data=None, *args, contract: Contract | None = None, prefix=None, **kwargs):
        if contract is not None:
            kwargs.setdefault("initial", self.initial_for(contract))
        super().__init__(data, *args, prefix=prefix, **kwargs)
        self.milestones = MilestoneFormSet(data, prefix=f"{prefix}-milestones" if prefix else "milestones",
                                           initial=milestone_initial(contract))
        self.milestone_errors: list[str] = []
        self._rows: list[int] = []
        tables = [t for t in ("contract_type", "currency") if t in self.fields]
        options = code_options(*tables) if tables else {}
        if "contract_type" in self.fields:
            set_code_choices(self, "contract_type", "contract_type", options["contract_type"], blank="—",
                             current=self.initial.get("contract_type", ""))
        if "currency" in self.fields:
            # A new draft may leave the currency to the opportunity's; a contract always has one.
            set_code_choices(self, "currency", "currency", options["currency"], blank="—" if contract is None else None,
                             current=self.initial.get("currency", ""))

    @staticmethod
    def initial_for(contract: Contract) -> dict:
        return {"title": contract.title, "contract_type": contract.contract_type,
                "amount": money_text(contract.amount), "currency": contract.currency,
                "tax_rate": money_text(contract.tax_rate), "start_on": contract.start_on, "end_on": contract.end_on,
                "terms": contract.terms, "version": contract.version}

    def is_valid(self) -> bool:
        valid = super().is_valid()
        rows_valid = self.milestones.is_valid()
        return valid and rows_valid

    def milestone_rows(self) -> list[dict]:
        """The filled rows in order (after `is_valid`); remembers which form each came from, for the errors."""
        forms_ = [(i, f) for i, f in enumerate(self.milestones.forms) if not f.is_blank()]
        self._rows = [i for i, _f in forms_]
        return [f.row() for _i, f in forms_]

    def term_changes(self, fields) -> dict:
        """The `fields` the user changed, plus `milestones` when a row changed."""
        changes = {f: self.cleaned_data[f] for f in self.changed_data if f in fields}
        if self.milestones.has_changed():
            changes["milestones"] = self.milestone_rows()
        return changes

    def apply_error(self, error: ApplicationError) -> None:
        rest = {}
        for key, texts in error.fields.items():
            parts = key.split(".")
            if parts[0] != "milestones":
                rest[key] = texts
            elif len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(self._rows):
                row = self.milestones.forms[self._rows[int(parts[1]) - 1]]
                for text in texts:
                    row.add_error(parts[2] if parts[2] in row.fields else None, text)
            else:
                self.milestone_errors += texts
        for key, texts in rest.items():
            for text in texts:
                self.add_error(key if key in self.fields else None, text)
        if not error.fields:
            self.add_error(None, str(error.message))


class ContractCreateForm(TermsForm):
    """A contract drafted against an opportunity; empty title and amount take the opportunity's."""

    # Only the opportunities the page offers (visible to the user, not closed) are valid choices.
    # The picker searches /pick/opportunities/ and shows only the one chosen; the queryset decides what is valid.
    opportunity = forms.ModelChoiceField(
        label=field_label(Contract, "opportunity"), queryset=None, empty_label="—",
        error_messages={"invalid_choice": _("Pick an opportunity you can see.")},
        widget=SearchSelect(url=reverse_lazy("pick_opportunities", query={"open": "1"}),
                            placeholder=_("Number, title or customer")))

    field_order = ["opportunity", "title", "contract_type", "amount", "currency", "tax_rate", "start_on", "end_on",
                   "terms"]

    def __init__(self, *args, opportunities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = opportunities
        self.fields["opportunity"].label_from_instance = lambda o: f"{o.number} {o.title} · {o.customer.name}"
        self.fields["title"].help_text = _("Leave empty to use the opportunity's title.")
        self.fields["amount"].help_text = _("Leave empty to use the opportunity's estimated amount.")

    def service_args(self) -> dict:
        """Keyword arguments of `contract_create`: what the user filled in."""
        data = {k: v for k, v in self.cleaned_data.items()
                if k != "opportunity" and v not in (None, "")}
        rows = self.milestone_rows()
        if rows:
            data["milestones"] = rows
        return data


class ContractEditForm(TermsForm):
    """A draft's terms; carries the version it was read at, so a stale form is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    FIELDS = ("title", "contract_type", "amount", "currency", "tax_rate", "start_on", "end_on", "terms")

    def changes(self) -> dict:
        return self.term_changes(self.FIELDS)


class AmendmentForm(TermsForm):
    """New terms for a signed contract; only what differs from the current terms is proposed."""

    title = None
    contract_type = None
    currency = None
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS = ("amount", "tax_rate", "start_on", "end_on", "terms")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="amend", **kwargs)

    def changes(self) -> dict:
        return self.term_changes(self.FIELDS)


# --- files and the workflow --------------------------------------------------------------------------------------

class AttachmentForm(StyledForm, forms.Form):
    # An empty file reaches the service, which refuses it with its own message.
    file = forms.FileField(label=_("File"), allow_empty_file=True,
                           help_text=_("PDF, Word, Excel, zip, JPEG or PNG; checked by content."))


class DecisionForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decide", **kwargs)


class SignForm(StyledForm, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput)
    # Missing or empty, the file reaches the service, which says what is wrong with it.
    signed_copy = forms.FileField(label=_("Signed copy"), required=False, allow_empty_file=True,
                                  help_text=_("The signed contract: a PDF or a scan."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, prefix="sign", **kwargs)


class TerminateForm(StyledForm, forms.Form):
    reason = forms.CharField(label=field_label(Contract, "terminate_reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="terminate", **kwargs)


def draft_owners():
    """Who may own a contract: active sales reps and department heads."""
    return (User.objects.filter(is_active=True, groups__name__in=(Role.SALES_REP, Role.DEPT_HEAD))
            .distinct().order_by("username"))

