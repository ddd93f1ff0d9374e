"""The web forms of resources: a request (people-days per role, budget per kind), the deciders' granted figures,
an effort log. Each only shapes input for one service; the services validate."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import User
from opsmon.core.forms import AmountField, DateInput
from opsmon.core.web import StyledForm, apply_error
from opsmon.core.widgets import SearchSelect

from .choices import EFFORT_KINDS, BudgetKind, PeopleRole


def _users():
    return User.objects.filter(is_active=True).order_by("username")


class RequestForm(StyledForm, forms.Form):
    """One row per people role and one amount per budget kind (the service takes lines)."""

    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in PeopleRole.choices:
            self.fields[f"days_{role}"] = forms.CharField(
                label=_("%(role)s: person-days") % {"role": label}, max_length=12, required=False)
            self.fields[f"user_{role}"] = forms.ModelChoiceField(
                label=_("%(role)s: person wanted") % {"role": label}, queryset=_users(), required=False,
                widget=SearchSelect(url=reverse_lazy("pick_users"), placeholder=_("Type a name")))
        for kind, label in BudgetKind.choices:
            self.fields[f"amount_{kind}"] = AmountField(label=_("%(kind)s: amount") % {"kind": label},
                                                        required=False)
        self.order_fields([*(f"{p}_{r}" for r in PeopleRole.values for p in ("days", "user")),
                           *(f"amount_{k}" for k in BudgetKind.values), "note"])
        self._rows: dict[str, str] = {}

    @staticmethod
    def initial_for(request) -> dict:
        if request is None:
            return {}
        data = {"note": request.note}
        for p in request.people.all():
            data[f"days_{p.role}"], data[f"user_{p.role}"] = str(p.days), p.user_id
        for b in request.budget.all():
            data[f"amount_{b.kind}"] = f"{b.amount:.2f}"
        return data

    def service_args(self) -> dict:
        d = self.cleaned_data
        people, budget = [], []
        for role in PeopleRole.values:
            if d.get(f"days_{role}") or d.get(f"user_{role}"):
                people.append({"role": role, "days": d.get(f"days_{role}"),
                               "user_id": d[f"user_{role}"].pk if d.get(f"user_{role}") else None})
                self._rows[f"people.{len(people)}"] = role
        for kind in BudgetKind.values:
            if d.get(f"amount_{kind}") is not None:
                budget.append({"kind": kind, "amount": d[f"amount_{kind}"]})
                self._rows[f"budget.{len(budget)}"] = kind
        return {"people": people, "budget": budget, "note": d.get("note", "")}

    def apply_error(self, error) -> None:
        """`people.<n>.days` → the row's days field, and so on."""
        fields = {}
        for key, texts in error.fields.items():
            row, _dot, name = key.rpartition(".")
            target = self._rows.get(row)
            field = {"days": "days_", "user_id": "user_", "amount": "amount_"}.get(name)
            fields[f"{field}{target}" if target and field else key] = texts
        error.fields = fields
        apply_error(self, error)


class ApproveForm(StyledForm, forms.Form):
    """The granted figures, one field per line (prefilled with what is granted so far), and a comment."""

    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for p in request.people.all() if request else []:
            name = f"people_{p.pk}"
            self.fields[name] = forms.CharField(label=f"{p.get_role_display()} ({p.days})", max_length=12,
                                                required=False, initial=str(p.granted_days or p.days))
            self.lines.append(("people", p.pk, name))
        for b in request.budget.all() if request else []:
            name = f"budget_{b.pk}"
            self.fields[name] = forms.CharField(label=f"{b.get_kind_display()} ({b.amount:.2f})", max_length=30,
                                                required=False, initial=f"{b.granted_amount or b.amount:.2f}")
            self.lines.append(("budget", b.pk, name))
        self.order_fields([name for *_x, name in self.lines] + ["comment"])

    def service_args(self) -> dict:
        d = self.cleaned_data
        lines = [{"type": kind, "id": pk, "granted": d[name]} for kind, pk, name in self.lines if d.get(name)]
        return {"comment": d.get("comment", ""), "lines": lines}

    def apply_error(self, error) -> None:
        by_row = {f"lines.{i}": name for i, (*_x, name) in
                  enumerate([line for line in self.lines if self.cleaned_data.get(line[2])], start=1)}
        error.fields = {(by_row.get(k.rpartition(".")[0]) or k): v for k, v in error.fields.items()}
        apply_error(self, error)


class CommentForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EffortForm(StyledForm, forms.Form):
    user = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none(), required=False)
    on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=EFFORT_KINDS)
    days = forms.CharField(label=_("Person-days"), max_length=12, required=False)
    amount = AmountField(label=_("Amount"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users()

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"user_id": d["user"].pk if d.get("user") else None, "on": d["on"], "kind": d["kind"],
                "days": d.get("days") or None, "amount": d.get("amount"), "note": d.get("note", "")}

    def apply_error(self, error) -> None:
        error.fields = {("user" if k == "user_id" else k): v for k, v in error.fields.items()}
        apply_error(self, error)
