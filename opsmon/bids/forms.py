"""Forms of the bid pages; they parse input, the services decide."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options, set_code_choices
from opsmon.core import lists
from opsmon.core.forms import AmountField, field_label
from opsmon.core.web import StyledForm
from opsmon.core.widgets import SearchSelect

from .choices import BidStatus, BondKind, BondStatus, Decision, DocumentKind
from .models import Bid, BidOpening, BidSummary, Bond, OpeningEntry
from .selectors import BidFilters, BondFilters

OPENING_EMPTY_ROWS = 8


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; values are in the current time zone (Asia/Shanghai)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def local_minute(value):
    """An aware datetime in the current time zone, to the minute: what a datetime-local input shows."""
    return timezone.localtime(value).replace(second=0, microsecond=0) if value else None


def money_text(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _amount(field_label_):
    return forms.CharField(label=field_label_, max_length=30, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class BidFilterForm(lists.ListFilterForm):
    """The bid list's filters (core.lists)."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=field_label(Bid, "status"), required=False,
                               choices=[("", _("All statuses")), *BidStatus.choices])
    customer = forms.CharField(label=_("Customer"), max_length=100, required=False)
    owner = lists.owner_field(field_label(Bid, "owner"))
    department = lists.department_field(field_label(Bid, "department"))
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount to"), required=False)
    deadline_from = lists.date_field(_("Deadline from"))
    deadline_to = lists.date_field(_("Deadline to"))
    created_from = lists.date_field(_("Created from"))
    created_to = lists.date_field(_("Created to"))

    lookups = {"status": "status", "customer": "opportunity__customer__name__icontains", "owner": "owner_id",
               "amount_min": "estimated_price__gte", "amount_max": "estimated_price__lte",
               "deadline_from": "submission_deadline__date__gte", "deadline_to": "submission_deadline__date__lte",
               "created_from": "created_at__date__gte", "created_to": "created_at__date__lte"}
    subtrees = {"department": "department"}
    search = ("number__icontains", "title__icontains", "tender_no__icontains", "tenderer__icontains")
    mine_lookup = "owner_id"
    ranges = (("amount_min", "amount_max"), ("deadline_from", "deadline_to"), ("created_from", "created_to"))
    sortable = ("number", "title", "submission_deadline", "estimated_price", "created_at", "updated_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title, tender number or tenderer")

    def filters(self) -> BidFilters:
        """The valid filters in the API's shape (BidFilters); an invalid one is ignored."""
        return BidFilters(**{f: self.value(f) or "" for f in ("q", "status")})


class RegisterForm(StyledForm, forms.Form):
    """Register a bid against an opportunity; the selector and the service decide whether the user may."""

    # Any id parses: the selector, not the list of choices, decides what the user may pick (404 otherwise).
    opportunity = forms.IntegerField(label=field_label(Bid, "opportunity"), widget=SearchSelect(
        url=reverse_lazy("pick_opportunities", query={"open": "1"}),
        placeholder=_("Number, title or customer")),
        help_text=_("Type part of the number, title or customer: only open opportunities you can see are found."))
    title = forms.CharField(label=field_label(Bid, "title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the opportunity's title."))

    def __init__(self, *args, opportunities, **kwargs):
        """`opportunities`: the one chosen, for its label; the picker searches the others (/pick/opportunities/),
        so the page never lists every opportunity."""
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].widget.choices = [(o.pk, option_label(o)) for o in opportunities]


def option_label(o) -> str:
    return f"{o.number} {o.title} · {o.customer.name}"


class TenderAnalysisForm(StyledForm, forms.Form):
    """The tender analysis (招标文件分析); field names are the service's arguments."""

    tenderer = forms.CharField(label=field_label(Bid, "tenderer"), max_length=200, required=False)
    agency = forms.CharField(label=field_label(Bid, "agency"), max_length=200, required=False)
    tender_no = forms.CharField(label=field_label(Bid, "tender_no"), max_length=100, required=False)
    tender_method = forms.ChoiceField(label=field_label(Bid, "tender_method"), required=False)
    estimated_price = _amount(field_label(Bid, "estimated_price"))
    ceiling_price = _amount(field_label(Bid, "ceiling_price"))
    currency = forms.ChoiceField(label=field_label(Bid, "currency"), required=False)
    submission_deadline = forms.DateTimeField(label=field_label(Bid, "submission_deadline"), required=False,
                                              widget=DateTimeLocalInput)
    opening_at = forms.DateTimeField(label=field_label(Bid, "opening_at"), required=False, widget=DateTimeLocalInput)
    qualification_requirements = forms.CharField(label=field_label(Bid, "qualification_requirements"),
                                                 max_length=20000, required=False,
                                                 widget=forms.Textarea(attrs={"rows": 3}))
    scoring_method = forms.ChoiceField(label=field_label(Bid, "scoring_method"), required=False)
    risks = forms.CharField(label=field_label(Bid, "risks"), max_length=10000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label=field_label(Bid, "decision"), required=False,
                                 choices=[("", "—"), *Decision.choices])
    decision_reason = forms.CharField(label=field_label(Bid, "decision_reason"), max_length=5000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, bid: Bid, **kwargs):
        kwargs.setdefault("initial", self.initial_for(bid))
        super().__init__(*args, **kwargs)
        options = code_options("tender_method", "scoring_method", "currency")
        for field, blank in (("tender_method", "—"), ("scoring_method", "—"), ("currency", None)):
            set_code_choices(self, field, field, options[field], blank=blank, current=getattr(bid, field))

    @classmethod
    def initial_for(cls, bid: Bid) -> dict:
        initial = {name: getattr(bid, name) for name in cls.base_fields}
        for name in ("estimated_price", "ceiling_price"):
            initial[name] = money_text(initial[name])
        for name in ("submission_deadline", "opening_at"):
            initial[name] = local_minute(initial[name])
        return initial

    def changes(self) -> dict:
        """Keyword arguments of `tender_analysis_save`: only what the user changed."""
        return {f: self.cleaned_data[f] for f in self.changed_data if f != "version"}


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=field_label(Bid, "abandon_reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    # An empty file reaches the service, which refuses it with its own message.
    file = forms.FileField(label=_("File"), allow_empty_file=True,
                           help_text=_("PDF, Word, Excel, zip, JPEG or PNG; checked by content."))

    def __init__(self, *args, only_result: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if only_result:  # a voided or closed bid takes only the result notice (from the bid assistant)
            self.fields["kind"].choices = [c for c in DocumentKind.choices if c[0] == DocumentKind.RESULT]


class OpeningForm(StyledForm, forms.Form):
    """The opening's head; the bidders are the rows of `OpeningEntryFormSet`. `us` and `winner` name a row."""

    opened_at = forms.DateTimeField(label=field_label(BidOpening, "opened_at"), required=False,
                                    widget=DateTimeLocalInput)
    us = forms.TypedChoiceField(label=_("Our row"), coerce=int, required=False, empty_value=None,
                                widget=forms.RadioSelect)
    winner = forms.TypedChoiceField(label=field_label(BidOpening, "winner"), coerce=int, required=False,
                                    empty_value=None, widget=forms.RadioSelect)

    def __init__(self, *args, rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("us", "winner"):
            self.fields[name].choices = [(i, str(i + 1)) for i in range(rows)]


class OpeningEntryForm(StyledForm, forms.Form):
    bidder = forms.CharField(label=field_label(OpeningEntry, "bidder"), max_length=200, required=False)
    price = forms.CharField(label=field_label(OpeningEntry, "price"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    score = forms.CharField(label=field_label(OpeningEntry, "score"), max_length=12, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    rank = forms.IntegerField(label=field_label(OpeningEntry, "rank"), required=False, min_value=1, max_value=1000)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) not in (None, "") for f in ("bidder", "price", "score", "rank"))


OpeningEntryFormSet = forms.formset_factory(OpeningEntryForm, extra=0, max_num=200, absolute_max=200)


def opening_forms(bid: Bid, data=None):
    """The opening form and its rows: the recorded bidders plus empty rows; bound when `data` is given."""
    opening = getattr(bid, "opening", None)
    entries = list(opening.entries.all()) if opening else []
    initial_rows = [{"bidder": e.bidder, "price": money_text(e.price),
                     "score": "" if e.score is None else str(e.score), "rank": e.rank} for e in entries]
    initial_rows += [{} for _i in range(OPENING_EMPTY_ROWS)]
    formset = OpeningEntryFormSet(data, prefix="entries", initial=initial_rows)
    rows = formset.total_form_count() if data is not None and formset.management_form.is_valid() else len(initial_rows)
    initial = {"opened_at": local_minute(opening.opened_at if opening else bid.opening_at)}
    if opening:
        initial["us"] = next((i for i, e in enumerate(entries) if e.is_us), None)
        initial["winner"] = next((i for i, e in enumerate(entries) if e.bidder == opening.winner), None)
    form = OpeningForm(data, rows=rows, initial=initial, prefix="opening")
    return form, formset


class OpeningInput:
    """The opening form and its rows as one input of `core.web.form_action`: valid when both are; a refusal's
    row errors ("entries.2.rank") go to the row the user typed, the rest on the opening form."""

    def __init__(self, bid: Bid, data=None):
        self.form, self.formset = opening_forms(bid, data)

    def is_valid(self) -> bool:
        return self.form.is_valid() & self.formset.is_valid()  # both, so both show their errors

    @property
    def errors(self) -> bool:
        return bool(self.form.errors or self.formset.total_error_count())

    def rows(self) -> list[int]:
        """The indexes of the rows the user filled (blank rows are ignored)."""
        return [i for i, row in enumerate(self.formset.forms) if not row.is_blank()]

    def entries(self) -> list[dict]:
        us = self.form.cleaned_data["us"]
        return [{**{f: self.formset.forms[i].cleaned_data.get(f) for f in ("bidder", "price", "score", "rank")},
                 "is_us": i == us} for i in self.rows()]

    def winner(self) -> str:
        row = self.form.cleaned_data["winner"]
        return self.formset.forms[row].cleaned_data.get("bidder", "") if row in self.rows() else ""

    def apply_error(self, error) -> None:
        rows, rest = self.rows(), {}
        for key, texts in error.fields.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "entries" and parts[1].isdigit() and int(parts[1]) < len(rows):
                row = self.formset.forms[rows[int(parts[1])]]
                for text in texts:
                    row.add_error(parts[2] if parts[2] in row.fields else None, text)
            else:
                rest[key] = texts
        for key, texts in rest.items():
            for text in texts:
                self.form.add_error(key if key in self.form.fields else None, text)
        if not error.fields:
            self.form.add_error(None, str(error.message))


class SummaryForm(StyledForm, forms.Form):
    person_days = forms.CharField(label=field_label(BidSummary, "person_days"), max_length=12, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    cost = _amount(field_label(BidSummary, "cost"))
    bond_note = forms.CharField(label=field_label(BidSummary, "bond_note"), max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    outcome_reason = forms.CharField(label=field_label(BidSummary, "outcome_reason"), max_length=10000,
                                     required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(label=field_label(BidSummary, "lessons"), max_length=10000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    @staticmethod
    def initial_for(summary: BidSummary | None, logged: dict | None = None) -> dict:
        """The saved summary; before there is one, the resources invested as logged against the bid's project
        (resources.selectors.used_of: {"days", "amount"})."""
        if summary is None:
            if not logged or not (logged["days"] or logged["amount"]):
                return {}
            return {"person_days": str(logged["days"]), "cost": money_text(logged["amount"])}
        return {"person_days": str(summary.person_days), "cost": money_text(summary.cost),
                "bond_note": summary.bond_note, "outcome_reason": summary.outcome_reason, "lessons": summary.lessons}


# --- bonds --------------------------------------------------------------------------------------------

class BondForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=field_label(Bond, "kind"), choices=BondKind.choices)
    amount = _amount(field_label(Bond, "amount"))
    currency = forms.ChoiceField(label=field_label(Bond, "currency"), initial="CNY")
    method = forms.ChoiceField(label=field_label(Bond, "method"))
    due_on = forms.DateField(label=field_label(Bond, "due_on"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="bond", **kwargs)
        options = code_options("currency", "bond_method")
        set_code_choices(self, "currency", "currency", options["currency"])
        set_code_choices(self, "method", "bond_method", options["bond_method"], blank="—")


class PayForm(StyledForm, forms.Form):
    paid_on = forms.DateField(label=field_label(Bond, "paid_on"), required=False, widget=DateInput)
    reference = forms.CharField(label=field_label(Bond, "reference"), max_length=100, required=False)


class RefundForm(StyledForm, forms.Form):
    refunded_on = forms.DateField(label=field_label(Bond, "refunded_on"), required=False, widget=DateInput)
    amount = _amount(field_label(Bond, "refunded_principal"))
    interest = _amount(field_label(Bond, "refund_interest"))


class ForfeitForm(StyledForm, forms.Form):
    reason = forms.CharField(label=field_label(Bond, "forfeit_reason"), max_length=500, required=False)


class ConvertForm(forms.Form):
    """No input: converting a bond is one button."""


BOND_ACTION_FORMS = {"pay": PayForm, "refund": RefundForm, "forfeit": ForfeitForm,
                     "convert_to_performance": ConvertForm}


def bond_action_form(action: str, bond: Bond, data=None):
    """One bond's form for one action, prefixed so every bond on the page has its own ids."""
    initial = {}
    if action == "pay":
        initial = {"paid_on": timezone.localdate()}
    elif action == "refund":
        initial = {"refunded_on": timezone.localdate(), "amount": money_text(bond.amount), "interest": "0.00"}
    return BOND_ACTION_FORMS[action](data, prefix=f"bond{bond.pk}-{action}", initial=initial)


class BondFilterForm(lists.ListFilterForm):
    """The bond register's filters (core.lists); status, kind and "overdue" are the selector's (BondFilters)."""

    status = forms.ChoiceField(label=field_label(Bond, "status"), required=False,
                               choices=[("", _("All statuses")), *BondStatus.choices])
    kind = forms.ChoiceField(label=field_label(Bond, "kind"), required=False,
                             choices=[("", _("All kinds")), *BondKind.choices])
    customer = forms.CharField(label=_("Customer"), max_length=100, required=False)
    owner = lists.owner_field(field_label(Bid, "owner"))
    department = lists.department_field(field_label(Bid, "department"))
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount to"), required=False)
    paid_from = lists.date_field(_("Paid from"))
    paid_to = lists.date_field(_("Paid to"))
    due_from = lists.date_field(_("Due from"))
    due_to = lists.date_field(_("Due to"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    lookups = {"customer": "bid__opportunity__customer__name__icontains", "owner": "bid__owner_id",
               "amount_min": "amount__gte", "amount_max": "amount__lte", "paid_from": "paid_on__gte",
               "paid_to": "paid_on__lte", "due_from": "due_on__gte", "due_to": "due_on__lte"}
    mine_lookup = "bid__owner_id"  # the department (a subtree) is bond_list's
    ranges = (("amount_min", "amount_max"), ("paid_from", "paid_to"), ("due_from", "due_to"))
    sortable = ("amount", "paid_on", "due_on", "refunded_on", "created_at")

    def filters(self) -> BondFilters:
        """The valid filters of `bond_list` (the API's shape); an invalid one is ignored."""
        return BondFilters(status=self.value("status") or "", kind=self.value("kind") or "",
                           department=self.value("department"), overdue=bool(self.value("overdue")))
