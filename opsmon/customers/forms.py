"""Forms of the customer pages; they parse input, the services decide."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from opsmon.codes.models import CodeItem
from opsmon.codes.selectors import label_of
from opsmon.core.web import StyledForm

from .models import Contact, Customer

CONTACT_SLOTS = 3
CONTACT_PARTS = ("name", "title", "phone", "email")
CUSTOMER_FIELDS = ("name", "customer_type", "credit_code", "industry", "region", "address")


def field_label(model, field: str):
    """The model field's verbose name as a form label (lazy, capitalised)."""
    return capfirst(model._meta.get_field(field).verbose_name)


def verbose_names(model) -> dict:
    """{field name: verbose name} of a model, so templates label columns with the model's own words."""
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def code_options(*tables: str) -> dict[str, list[tuple[str, str]]]:
    """{table: [(code, label), ...]} of the active items of several code tables, in one query."""
    out = {table: [] for table in tables}
    for item in CodeItem.objects.filter(table__name__in=tables, active=True).select_related("table"):
        out[item.table.name].append((item.code, item.label))
    return out


def label_choices(labels: dict, table: str) -> list[tuple[str, str]]:
    """(code, label) of every item of `table` in a `label_map`, inactive ones too: filters reach old records."""
    return [(code, label) for (name, code), label in labels.items() if name == table]


def set_code_choices(form, field: str, table: str, options: list, *, blank=None, current: str = "") -> None:
    """Give `field` the table's active items; an inactive `current` value stays selectable (old records)."""
    choices = list(options)
    if current and current not in {code for code, _label in choices}:
        choices.append((current, label_of(table=table, code=current)))
    if blank is not None:
        choices.insert(0, ("", blank))
    form.fields[field].choices = choices


def contact_field(slot: int, part: str) -> str:
    return f"contact{slot}_{part}"


class CustomerFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    customer_type = forms.ChoiceField(label=field_label(Customer, "customer_type"), required=False)
    industry = forms.ChoiceField(label=field_label(Customer, "industry"), required=False)
    region = forms.ChoiceField(label=field_label(Customer, "region"), required=False)

    def __init__(self, *args, labels: dict, **kwargs):
        """`labels` is the page's `label_map`, so the choices cost no query of their own."""
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name or credit code")
        for field, blank in (("customer_type", _("All types")), ("industry", _("All industries")),
                             ("region", _("All regions"))):
            set_code_choices(self, field, field, label_choices(labels, field), blank=blank)

    def selector_args(self) -> dict:
        """The valid filters as keyword arguments of `customer_list`; an invalid one is ignored."""
        self.is_valid()
        return {f: self.cleaned_data.get(f) or "" for f in ("q", "customer_type", "industry", "region")}


class CustomerForm(StyledForm, forms.Form):
    """A customer with up to three contacts; on edit it carries the version it was read at."""

    name = forms.CharField(label=field_label(Customer, "name"), max_length=200)
    customer_type = forms.ChoiceField(label=field_label(Customer, "customer_type"))
    credit_code = forms.CharField(label=field_label(Customer, "credit_code"), max_length=40,
                                  required=False, help_text=_("18 characters; checked digit included."))
    industry = forms.ChoiceField(label=field_label(Customer, "industry"), required=False)
    region = forms.ChoiceField(label=field_label(Customer, "region"), required=False)
    address = forms.CharField(label=field_label(Customer, "address"), max_length=300,
                              required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, customer: Customer | None = None, **kwargs):
        if customer is not None:
            kwargs["initial"] = self.initial_for(customer)
        super().__init__(*args, **kwargs)
        labels = {part: field_label(Contact, part) for part in CONTACT_PARTS}
        limits = {"name": 100, "title": 100, "phone": 40, "email": 254}
        for slot in range(CONTACT_SLOTS):
            for part in CONTACT_PARTS:
                field_class = forms.EmailField if part == "email" else forms.CharField
                field = field_class(label=labels[part], max_length=limits[part], required=False)
                field.widget.attrs["class"] = "form-control"
                self.fields[contact_field(slot, part)] = field
        if customer is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
        options = code_options("customer_type", "industry", "region")
        initial = self.initial
        set_code_choices(self, "customer_type", "customer_type", options["customer_type"], blank="—",
                         current=initial.get("customer_type", ""))
        set_code_choices(self, "industry", "industry", options["industry"], blank="—",
                         current=initial.get("industry", ""))
        set_code_choices(self, "region", "region", options["region"], blank="—", current=initial.get("region", ""))

    @staticmethod
    def initial_for(customer: Customer) -> dict:
        initial = {f: getattr(customer, f) for f in CUSTOMER_FIELDS}
        initial["version"] = customer.version
        for slot, contact in enumerate(list(customer.contacts.all())[:CONTACT_SLOTS]):
            for part in CONTACT_PARTS:
                initial[contact_field(slot, part)] = getattr(contact, part)
        return initial

    def clean(self):
        data = super().clean()
        for slot in range(CONTACT_SLOTS):
            filled = any(data.get(contact_field(slot, part)) for part in CONTACT_PARTS[1:])
            if filled and not data.get(contact_field(slot, "name")):
                self.add_error(contact_field(slot, "name"), _("A contact needs a name."))
        return data

    def contact_rows(self):
        """The bound fields of each contact slot, for the template."""
        return [[self[contact_field(slot, part)] for part in CONTACT_PARTS] for slot in range(CONTACT_SLOTS)]

    def contacts(self) -> list[dict]:
        rows = []
        for slot in range(CONTACT_SLOTS):
            row = {part: (self.cleaned_data.get(contact_field(slot, part)) or "").strip() for part in CONTACT_PARTS}
            if row["name"]:
                rows.append(row)
        return rows

    def create_data(self) -> dict:
        """Keyword arguments of `customer_create`."""
        return {**{f: self.cleaned_data[f] for f in CUSTOMER_FIELDS}, "contacts": self.contacts()}

    def update_data(self) -> dict:
        """Keyword arguments of `customer_update`: only what the user changed (an untouched inactive code stays)."""
        data = {f: self.cleaned_data[f] for f in CUSTOMER_FIELDS if f in self.changed_data}
        if any(name.startswith("contact") for name in self.changed_data):
            data["contacts"] = self.contacts()
        return data
