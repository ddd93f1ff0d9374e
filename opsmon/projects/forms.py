"""Forms of the project pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.core import lists
from opsmon.core.forms import AmountField, field_label
from opsmon.core.web import StyledForm

from .choices import Conclusion, ProjectStatus, Route
from .models import FeasibilityReview, Project
from .selectors import ProjectFilters


class ProjectFilterForm(lists.ListFilterForm):
    """The project list's filters (core.lists)."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=field_label(Project, "status"), required=False,
                               choices=[("", _("All statuses")), *ProjectStatus.choices])
    customer = forms.CharField(label=field_label(Project, "customer"), max_length=100, required=False)
    owner = lists.owner_field(field_label(Project, "owner"))
    department = lists.department_field(field_label(Project, "department"))
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount to"), required=False)
    created_from = lists.date_field(_("Created from"))
    created_to = lists.date_field(_("Created to"))

    lookups = {"status": "status", "customer": "customer__name__icontains", "owner": "owner_id",
               "amount_min": "estimated_amount__gte", "amount_max": "estimated_amount__lte",
               "created_from": "created_at__date__gte", "created_to": "created_at__date__lte"}
    subtrees = {"department": "department"}
    search = ("number__icontains", "title__icontains", "customer__name__icontains")
    mine_lookup = "owner_id"
    ranges = (("amount_min", "amount_max"), ("created_from", "created_to"))
    sortable = ("number", "title", "estimated_amount", "created_at", "updated_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title or customer")

    def filters(self) -> ProjectFilters:
        """The valid filters of `project_list` (the API's shape); an invalid one is ignored."""
        return ProjectFilters(**{f: self.value(f) or "" for f in ("q", "status")})


class AssignLeadForm(StyledForm, forms.Form):
    tech_lead = forms.ModelChoiceField(label=field_label(Project, "tech_lead"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tech_lead"].queryset = (User.objects.filter(is_active=True, groups__name=Role.TECH_LEAD)
                                             .select_related("department").order_by("username").distinct())


class FeasibilityForm(StyledForm, forms.Form):
    """The review draft; every field may be empty until the lead submits."""

    technical_assessment = forms.CharField(label=field_label(FeasibilityReview, "technical_assessment"),
                                           required=False, max_length=10000,
                                           widget=forms.Textarea(attrs={"rows": 4}))
    implementation_assessment = forms.CharField(label=field_label(FeasibilityReview, "implementation_assessment"),
                                                required=False, max_length=10000,
                                                widget=forms.Textarea(attrs={"rows": 4}))
    risks = forms.CharField(label=field_label(FeasibilityReview, "risks"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    estimated_effort_days = forms.DecimalField(label=field_label(FeasibilityReview, "estimated_effort_days"),
                                               required=False)
    conclusion = forms.ChoiceField(label=field_label(FeasibilityReview, "conclusion"), required=False,
                                   choices=[("", "—"), *Conclusion.choices])

    @classmethod
    def initial_for(cls, review: FeasibilityReview | None) -> dict:
        if review is None:
            return {}
        return {name: getattr(review, name) for name in cls.base_fields}


class CommentForm(StyledForm, forms.Form):
    """The head's comment on approve (optional), send back and reject (required: the service says so)."""

    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(StyledForm, forms.Form):
    reason = forms.CharField(label=field_label(Project, "cancel_reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(StyledForm, forms.Form):
    """Close a project after an abandoned bid: the reason (required: the service says so)."""

    reason = forms.CharField(label=field_label(Project, "close_reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RouteForm(forms.Form):
    to = forms.ChoiceField(choices=Route.choices)
    confirmed = forms.BooleanField(required=False)
