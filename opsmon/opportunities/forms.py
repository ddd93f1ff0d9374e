"""Forms of the opportunity pages; they parse input, the services decide."""

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.codes.forms import code_options, label_choices, set_code_choices
from opsmon.core import filter_choices, lists
from opsmon.core.forms import AmountField, DateInput, field_label
from opsmon.core.web import StyledForm
from opsmon.core.widgets import SearchSelect, SearchSelectMultiple
from opsmon.customers.selectors import customer_list

from . import rules
from .choices import OpportunityStatus
from .models import FollowUp, Opportunity
from .selectors import OpportunityFilters

TEAM_ROLES = (Role.SALES_REP, Role.DEPT_HEAD)
# Service argument → code table, for the editable code fields.
CODE_FIELDS = {"source": "opportunity_source", "industry": "industry", "region": "region",
               "stage": "opportunity_stage", "currency": "currency"}
SORTABLE = ("number", "title", "estimated_amount", "expected_close_date", "created_at", "updated_at")


def team_users():
    """Active users who can be on an opportunity's team (sales reps and department heads)."""
    return User.objects.filter(is_active=True, groups__name__in=TEAM_ROLES).distinct().order_by("username")


class OpportunityFilterForm(lists.ListFilterForm):
    """The filters of the list, the board, the follow-ups due and the export (core.lists); every one is
    OpportunityFilters', so the page, the API and the export cannot filter differently."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=field_label(Opportunity, "status"), required=False,
                               choices=[("", _("All statuses")), *OpportunityStatus.choices])
    stage = forms.ChoiceField(label=field_label(Opportunity, "stage"), required=False)
    customer = forms.CharField(label=field_label(Opportunity, "customer"), max_length=100, required=False)
    owner = forms.TypedChoiceField(label=field_label(Opportunity, "owner"), coerce=int, required=False,
                                   empty_value=None)
    department = forms.TypedChoiceField(label=field_label(Opportunity, "department"), coerce=int, required=False,
                                        empty_value=None)
    industry = forms.ChoiceField(label=field_label(Opportunity, "industry"), required=False)
    region = forms.ChoiceField(label=field_label(Opportunity, "region"), required=False)
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount to"), required=False)
    close_from = forms.DateField(label=_("Expected close from"), required=False, widget=DateInput)
    close_to = forms.DateField(label=_("Expected close to"), required=False, widget=DateInput)
    created_from = forms.DateField(label=_("Created from"), required=False, widget=DateInput)
    created_to = forms.DateField(label=_("Created to"), required=False, widget=DateInput)

    mine_lookup = "owner_id"
    ranges = (("amount_min", "amount_max"), ("close_from", "close_to"), ("created_from", "created_to"))
    sortable = SORTABLE
    FILTERS = ("q", "status", "stage", "customer", "owner", "department", "industry", "region", "amount_min",
               "amount_max", "close_from", "close_to", "created_from", "created_to", "mine")

    def __init__(self, *args, labels: dict, **kwargs):
        """`labels` is the page's `label_map`, so the code choices cost no query of their own."""
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title or customer")
        # The possible owners and the departments they work in, from the process's copies (core.filter_choices).
        team = filter_choices.people_with_roles(TEAM_ROLES)
        used = {u.department_id for u in team}
        self.fields["owner"].choices = [("", _("All owners")), *((u.pk, str(u)) for u in team)]
        self.fields["department"].choices = [("", _("All departments")), *(
            (d.pk, d.name) for d in filter_choices.departments() if d.pk in used)]
        for field, table, blank in (("stage", "opportunity_stage", _("All stages")),
                                    ("industry", "industry", _("All industries")),
                                    ("region", "region", _("All regions"))):
            set_code_choices(self, field, table, label_choices(labels, table), blank=blank)
        for field in self.fields.values():
            if field.label:
                field.widget.attrs["aria-label"] = field.label
        for name in ("amount_min", "amount_max"):
            self.fields[name].widget.attrs["placeholder"] = self.fields[name].label

    def apply(self, queryset, actor):
        """Every filter is the selector's (filters()); the pipeline only sorts."""
        return queryset.order_by(self.order, "-id")

    def filters(self, **forced) -> OpportunityFilters:
        """The valid filters; an invalid one is ignored (its error is shown) rather than failing the page."""
        data = {n: self.value(n) for n in self.FILTERS if self.value(n) not in (None, "", False)}
        return OpportunityFilters(**{**data, "ordering": self.order, **forced})


class OpportunityForm(StyledForm, forms.Form):
    """Create or edit; on edit it carries the version it was read at. Field names are the services' arguments."""

    title = forms.CharField(label=field_label(Opportunity, "title"), max_length=200)
    customer_id = forms.ModelChoiceField(label=field_label(Opportunity, "customer"), queryset=None, empty_label="—",
                                         widget=SearchSelect(url=reverse_lazy("pick_customers"),
                                                             placeholder=_("Name or credit code")))
    source = forms.ChoiceField(label=field_label(Opportunity, "source"), required=False)
    industry = forms.ChoiceField(label=field_label(Opportunity, "industry"), required=False)
    region = forms.ChoiceField(label=field_label(Opportunity, "region"), required=False)
    stage = forms.ChoiceField(label=field_label(Opportunity, "stage"), initial="discovery")
    estimated_amount = forms.CharField(label=field_label(Opportunity, "estimated_amount"), max_length=30)
    currency = forms.ChoiceField(label=field_label(Opportunity, "currency"), initial="CNY")
    expected_close_date = forms.DateField(label=field_label(Opportunity, "expected_close_date"), widget=DateInput)
    description = forms.CharField(label=field_label(Opportunity, "description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    member_ids = forms.ModelMultipleChoiceField(label=field_label(Opportunity, "members"), queryset=None,
                                                required=False, widget=SearchSelectMultiple(
                                                    url=reverse_lazy("pick_users", query=[("role", r) for r in
                                                                                          TEAM_ROLES]),
                                                    placeholder=_("Type a name to add someone")),
                                                help_text=_("Sales reps and department heads."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor, opportunity: Opportunity | None = None, **kwargs):
        if opportunity is not None:
            kwargs["initial"] = self.initial_for(opportunity)
        super().__init__(*args, **kwargs)
        self.fields["customer_id"].queryset = customer_list(actor=actor)
        self.fields["estimated_amount"].widget.attrs["inputmode"] = "decimal"
        team = team_users()
        if opportunity is not None:
            team = team.exclude(pk=opportunity.owner_id)
            self.fields["version"].required = True
        else:
            team = team.exclude(pk=actor.pk)
            del self.fields["version"]
        self.fields["member_ids"].queryset = team
        if opportunity is not None and rules.can_change_team(actor, opportunity):
            self.fields["member_ids"].disabled = True  # shown, not changeable: the rule answers who may
        options = code_options(*CODE_FIELDS.values())
        for field, table in CODE_FIELDS.items():
            blank = None if field in ("stage", "currency") else "—"
            set_code_choices(self, field, table, options[table], blank=blank, current=self.initial.get(field, ""))

    @staticmethod
    def initial_for(o: Opportunity) -> dict:
        return {"title": o.title, "customer_id": o.customer_id, "source": o.source, "industry": o.industry,
                "region": o.region, "stage": o.stage, "estimated_amount": f"{o.estimated_amount:.2f}",
                "currency": o.currency, "expected_close_date": o.expected_close_date, "description": o.description,
                "member_ids": [m.pk for m in o.members.all()], "version": o.version}

    def _value(self, field):
        value = self.cleaned_data[field]
        if field == "customer_id":
            return value.pk
        if field == "member_ids":
            return [m.pk for m in value]
        return value

    def create_data(self) -> dict:
        """Keyword arguments of `opportunity_create`."""
        return {f: self._value(f) for f in self.fields if f != "version"}

    def update_data(self) -> dict:
        """Keyword arguments of `opportunity_update` besides the version: only what the user changed."""
        return {f: self._value(f) for f in self.changed_data if f != "version"}


class FollowUpForm(StyledForm, forms.Form):
    happened_on = forms.DateField(label=field_label(FollowUp, "happened_on"), widget=DateInput)
    kind = forms.ChoiceField(label=field_label(FollowUp, "kind"))
    note = forms.CharField(label=field_label(FollowUp, "note"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=field_label(FollowUp, "next_step"), max_length=300, required=False)
    next_date = forms.DateField(label=field_label(FollowUp, "next_date"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"happened_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        set_code_choices(self, "kind", "followup_kind", code_options("followup_kind")["followup_kind"], blank="—")


class CommentForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required


class CloseForm(CommentForm):
    reason = forms.ChoiceField(label=field_label(Opportunity, "close_reason"))
    field_order = ["reason", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_code_choices(self, "reason", "close_reason", code_options("close_reason")["close_reason"], blank="—")


class MoveForm(forms.Form):
    """A card moved on the board: the target stage and the version the card was drawn at."""

    stage = forms.CharField(max_length=32)
    version = forms.IntegerField(min_value=1)
