"""The admin's route form: the route (kind, type, department, amount band) and its ordered steps (rows of a
formset; empty rows are ignored)."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import Department, User
from opsmon.accounts.roles import Role
from opsmon.codes.forms import code_options
from opsmon.codes.selectors import label_of
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import field_label
from opsmon.core.web import StyledForm
from opsmon.core.widgets import SearchSelectMultiple

from .choices import DeciderKind, StepMode
from .kinds import Kind
from .models import Route, RouteStep
from .services import MAX_STEPS

EMPTY_STEP_ROWS = 2


def money_text(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _with_current(options: list, current: str, table: str) -> list:
    """The active items, plus an inactive `current` one so an old route still shows what it uses."""
    if current and current not in {code for code, _label in options}:
        return [*options, (current, label_of(table=table, code=current))]
    return list(options)


class RouteStepForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=field_label(RouteStep, "kind"), required=False)
    decider_kind = forms.ChoiceField(label=field_label(RouteStep, "decider_kind"), required=False,
                                     choices=[("", "—"), *DeciderKind.choices])
    role = forms.ChoiceField(label=field_label(RouteStep, "role"), required=False, choices=[("", "—"), *Role.choices])
    users = forms.TypedMultipleChoiceField(label=field_label(RouteStep, "users"), coerce=int, required=False,
                                           widget=SearchSelectMultiple(url=reverse_lazy("pick_users"),
                                                                       placeholder=_("Type a name")))
    mode = forms.ChoiceField(label=field_label(RouteStep, "mode"), choices=StepMode.choices, initial=StepMode.ANY,
                             required=False)

    def __init__(self, *args, kinds: list, users: list, **kwargs):
        """`kinds` and `users` are read once for all rows by `RouteForm`. Every row is validated (all its fields are
        optional), so a row equal to its initial values is never skipped as empty."""
        kwargs["empty_permitted"] = False
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—"), *_with_current(kinds, self.initial.get("kind", ""),
                                                                  "review_step_kind")]
        self.fields["users"].choices = users
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
            field.widget.attrs["class"] += " form-select-sm" if "form-select" in field.widget.attrs["class"] \
                else " form-control-sm"

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) for f in ("kind", "decider_kind", "role", "users"))

    def row(self) -> dict:
        data = self.cleaned_data
        return {"kind": data.get("kind", ""), "decider_kind": data.get("decider_kind", ""),
                "role": data.get("role", ""), "users": list(data.get("users") or []),
                "mode": data.get("mode") or StepMode.ANY}


RouteStepFormSet = forms.formset_factory(RouteStepForm, extra=EMPTY_STEP_ROWS, max_num=MAX_STEPS + 10,
                                       absolute_max=MAX_STEPS + 10)


class RouteForm(StyledForm, forms.Form):
    """A route of one subject kind; errors `route_save` names as `steps.<n>.<field>` go to the n-th filled row."""

    name = forms.CharField(label=field_label(Route, "name"), max_length=100, required=False)
    type_code = forms.ChoiceField(label=field_label(Route, "type_code"), required=False,
                                  help_text=_("A route for one type is chosen before a route for any type."))
    category = forms.ChoiceField(label=field_label(Route, "category"), required=False,
                                 help_text=_("A route for one category is chosen before a route for any category."))
    department = forms.TypedChoiceField(label=field_label(Route, "department"), required=False, coerce=int,
                                        empty_value=None,
                                        help_text=_("A route for a department (and those under it) is chosen "
                                                    "before a route for any department."))
    min_amount = forms.CharField(label=field_label(Route, "min_amount"), max_length=30, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    max_amount = forms.CharField(label=field_label(Route, "max_amount"), max_length=30, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                 help_text=_("Leave empty for no upper limit."))
    active = forms.BooleanField(label=field_label(Route, "active"), required=False, initial=True)

    def __init__(self, data=None, *, kind: Kind, route: Route | None = None, **kwargs):
        if route is not None:
            kwargs["initial"] = {"name": route.name, "type_code": route.type_code, "category": route.category,
                                 "department": route.department_id, "min_amount": money_text(route.min_amount),
                                 "max_amount": money_text(route.max_amount), "active": route.active}
        super().__init__(data, **kwargs)
        self.kind = kind
        tables = [t for t in (kind.type_table, kind.category_table, "review_step_kind") if t]
        options = code_options(*tables)
        if kind.type_table:
            self.fields["type_code"].choices = [("", _("Any type")), *_with_current(
                options[kind.type_table], self.initial.get("type_code", ""), kind.type_table)]
        else:
            self.fields["type_code"].choices = [("", _("Any type"))]
        if kind.category_table:
            self.fields["category"].choices = [("", _("Any category")), *_with_current(
                options[kind.category_table], self.initial.get("category", ""), kind.category_table)]
        else:
            self.fields["category"].choices = [("", _("Any category"))]
        self.fields["department"].choices = [("", _("Any department")), *(
            (d.pk, f"{'　' * (d.path.count('/') - 2)}{d.name}") for d in Department.objects.order_by("path"))]
        users = [(u.pk, f"{u} ({u.username})") for u in User.objects.filter(is_active=True).order_by("username")]
        initial = [{"kind": s.kind, "decider_kind": s.decider_kind, "role": s.role, "mode": s.mode,
                    "users": [u.pk for u in s.users.all()]} for s in route.steps.all()] if route is not None else []
        self.steps = RouteStepFormSet(data, prefix="steps", initial=initial,
                                      form_kwargs={"kinds": options["review_step_kind"], "users": users})
        self.step_errors: list[str] = []
        self._rows: list[int] = []

    def is_valid(self) -> bool:
        valid = super().is_valid()
        rows_valid = self.steps.is_valid()
        return valid and rows_valid

    def service_args(self) -> dict:
        """Keyword arguments of `route_save`; remembers which row each step came from, for the errors."""
        data = self.cleaned_data
        filled = [(i, f) for i, f in enumerate(self.steps.forms) if not f.is_blank()]
        self._rows = [i for i, _f in filled]
        return {"kind": self.kind.name, "name": data["name"], "type_code": data["type_code"],
                "category": data["category"],
                "department_id": data["department"], "min_amount": data["min_amount"],
                "max_amount": data["max_amount"] or None, "active": data["active"],
                "steps": [f.row() for _i, f in filled]}

    def apply_error(self, error: ApplicationError) -> None:
        for key, texts in error.fields.items():
            parts = key.split(".")
            if parts[0] != "steps":
                for text in texts:
                    self.add_error(key if key in self.fields else None, text)
            elif len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(self._rows):
                row = self.steps.forms[self._rows[int(parts[1]) - 1]]
                for text in texts:
                    row.add_error(parts[2] if parts[2] in row.fields else None, text)
            else:
                self.step_errors += texts
        if not error.fields:
            self.add_error(None, str(error.message))
