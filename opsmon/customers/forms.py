"""Forms of the customer pages; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options, label_choices, set_code_choices
from opsmon.core.forms import field_label
from opsmon.core.web import StyledForm

from .models import Contact, Customer
from .selectors import CustomerFilters

CONTACT_SLOTS = 3
CONTACT_PARTS = ("name", "title", "phone", "email")
CUSTOMER_FIELDS = ("name", "customer_type", "credit_code", "industry", "region", "address")


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

    def filters(self) -> CustomerFilters:
        """The valid filters; an invalid one is ignored."""
        self.is_valid()
        return CustomerFilters(**{f: self.cleaned_data.get(f) or "" for f in ("q", "customer_type", "industry",
                                                                              "region")})


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
