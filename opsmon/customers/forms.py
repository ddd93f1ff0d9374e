"""Forms of the customer pages; they parse input, the services decide."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options, label_choices, set_code_choices
from opsmon.core import lists
from opsmon.core.forms import field_label
from opsmon.core.web import StyledForm

from .models import Contact, Customer
from .selectors import CustomerFilters

MAX_CONTACTS = 50  # rows one form takes; the page adds rows as needed (formset_rows.js)
CONTACT_TOTAL = "contacts-TOTAL_FORMS"  # how many rows the page sent (formset_rows.js counts it up)
CONTACT_PREFIX = "__prefix__"  # the row template's slot, replaced by formset_rows.js
CONTACT_PARTS = ("name", "title", "phone", "email")
CUSTOMER_FIELDS = ("name", "customer_type", "credit_code", "industry", "region", "address")


def contact_field(slot, part: str) -> str:
    return f"contact{slot}_{part}"


_CONTACT_NAME = re.compile(r"contact(\d+)_(?:name|title|phone|email)$")


def _contact_slots(data, contacts: int) -> int:
    """How many contact rows the form has: those the page sent (its count, or the highest row named), else the
    customer's contacts and one blank row; never more than MAX_CONTACTS."""
    if data is None:
        return min(contacts + 1, MAX_CONTACTS)
    sent = [int(m.group(1)) + 1 for key in data if (m := _CONTACT_NAME.match(key))]
    total = str(data.get(CONTACT_TOTAL, "")).strip()
    counted = int(total) if total.isdigit() else 0
    return max(1, min(max([counted, *sent]), MAX_CONTACTS))


class CustomerFilterForm(lists.ListFilterForm):
    """The customer list's filters (core.lists): the search is the selector's (names are matched by their key)."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    customer_type = forms.ChoiceField(label=field_label(Customer, "customer_type"), required=False)
    industry = forms.ChoiceField(label=field_label(Customer, "industry"), required=False)
    region = forms.ChoiceField(label=field_label(Customer, "region"), required=False)
    owner = lists.owner_field(field_label(Customer, "owner"))
    department = lists.department_field(field_label(Customer, "department"))
    created_from = lists.date_field(_("Created from"))
    created_to = lists.date_field(_("Created to"))

    lookups = {"owner": "owner_id", "created_from": "created_at__date__gte", "created_to": "created_at__date__lte"}
    subtrees = {"department": "department"}
    mine_lookup = "owner_id"
    ranges = (("created_from", "created_to"),)
    sortable = ("name", "credit_code", "created_at", "updated_at")
    default_ordering = "name"

    def __init__(self, *args, labels: dict, **kwargs):
        """`labels` is the page's `label_map`, so the choices cost no query of their own."""
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name or credit code")
        for field, blank in (("customer_type", _("All types")), ("industry", _("All industries")),
                             ("region", _("All regions"))):
            set_code_choices(self, field, field, label_choices(labels, field), blank=blank)

    def filters(self) -> CustomerFilters:
        """The valid filters of the selector (the others are applied by core.lists); an invalid one is ignored."""
        return CustomerFilters(**{f: self.value(f) or "" for f in ("q", "customer_type", "industry", "region")})


class CustomerForm(StyledForm, forms.Form):
    """A customer with as many contacts as needed (rows added on the page); on edit it carries the version it was
    read at."""

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
        existing = len(customer.contacts.all()) if customer is not None else 0
        self.contact_slots = _contact_slots(self.data if self.is_bound else None, existing)
        for slot in range(self.contact_slots):
            for part in CONTACT_PARTS:
                self.fields[contact_field(slot, part)] = self._contact_field(part)
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
    def _contact_field(part: str) -> forms.Field:
        limits = {"name": 100, "title": 100, "phone": 40, "email": 254}
        field_class = forms.EmailField if part == "email" else forms.CharField
        field = field_class(label=field_label(Contact, part), max_length=limits[part], required=False)
        field.widget.attrs["class"] = "form-control"
        return field

    @staticmethod
    def initial_for(customer: Customer) -> dict:
        initial = {f: getattr(customer, f) for f in CUSTOMER_FIELDS}
        initial["version"] = customer.version
        for slot, contact in enumerate(list(customer.contacts.all())[:MAX_CONTACTS]):
            for part in CONTACT_PARTS:
                initial[contact_field(slot, part)] = getattr(contact, part)
        return initial

    def clean(self):
        data = super().clean()
        for slot in range(self.contact_slots):
            filled = any(data.get(contact_field(slot, part)) for part in CONTACT_PARTS[1:])
            if filled and not data.get(contact_field(slot, "name")):
                self.add_error(contact_field(slot, "name"), _("A contact needs a name."))
        return data

    def contact_rows(self):
        """The bound fields of each contact row, for the template."""
        return [[self[contact_field(slot, part)] for part in CONTACT_PARTS] for slot in range(self.contact_slots)]

    def contact_template(self):
        """The fields of the blank row the page copies when the user adds a contact (names carry __prefix__)."""
        form = forms.Form(auto_id=self.auto_id)
        for part in CONTACT_PARTS:
            form.fields[contact_field(CONTACT_PREFIX, part)] = self._contact_field(part)
        return [form[contact_field(CONTACT_PREFIX, part)] for part in CONTACT_PARTS]

    def contacts(self) -> list[dict]:
        rows = []
        for slot in range(self.contact_slots):
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
