"""Commands on customers: create with duplicate detection, edit with a version check."""

from django.db import transaction
from django.utils.translation import gettext as _

from opsmon.codes.selectors import require_active
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, StaleVersion
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_texts

from . import credit_code as ucc
from . import events, rules
from .models import Contact, Customer
from .names import name_key

CODE_FIELDS = {"customer_type": "customer_type", "industry": "industry", "region": "region"}
TEXT_LIMITS = {"name": 200, "address": 300}
# An argument of customer_update left out: "not given", so the field keeps its value.
UNSET = object()


def find_duplicate(*, name: str, credit_code: str = "", exclude_pk=None) -> Customer | None:
    """An existing customer with the same credit code or the same normalised name."""
    candidates = Customer.objects.exclude(pk=exclude_pk)
    if credit_code:
        match = candidates.filter(credit_code=credit_code).first()
        if match:
            return match
    return candidates.filter(name_key=name_key(name)).first()


def _clean(data: dict, *, partial: bool) -> dict:
    errors = {}
    clean = clean_texts(data, TEXT_LIMITS, errors)
    if (not partial or "name" in data) and not clean.get("name"):
        errors["name"] = _("This field is required.")
    if "credit_code" in data:
        code = ucc.normalise(data["credit_code"])
        if code and not ucc.is_valid(code):
            errors["credit_code"] = _("Not a valid unified social credit code (check the 18 characters).")
        clean["credit_code"] = code
    for field, table in CODE_FIELDS.items():
        if field in data:
            value = (data[field] or "").strip()
            if value:
                try:
                    require_active(table=table, code=value, field=field)
                except Invalid as exc:
                    errors.update(exc.fields)
            elif field == "customer_type":
                errors[field] = _("This field is required.")
            clean[field] = value
    if not partial and "customer_type" not in data:
        errors["customer_type"] = _("This field is required.")
    contacts = data.get("contacts")
    if contacts is not None:
        for i, contact in enumerate(contacts):
            if not (contact.get("name") or "").strip():
                errors[f"contacts.{i}.name"] = _("This field is required.")
        clean["contacts"] = contacts
    if errors:
        raise Invalid(fields=errors)
    return clean


def _duplicate_error(existing: Customer) -> Conflict:
    return Conflict(
        _("This customer already exists: %(name)s (#%(id)s).") % {"name": existing.name, "id": existing.pk},
        code="duplicate_customer", fields={"existing_id": str(existing.pk), "existing_name": existing.name},
    )


def _set_contacts(customer: Customer, contacts) -> None:
    customer.contacts.all().delete()
    Contact.objects.bulk_create([
        Contact(customer=customer, name=c["name"].strip()[:100], title=(c.get("title") or "").strip()[:100],
                phone=(c.get("phone") or "").strip()[:40], email=(c.get("email") or "").strip()[:254])
        for c in contacts
    ])


@transaction.atomic
def customer_create(*, actor, name: str, customer_type: str, credit_code: str = "", industry: str = "",
                    region: str = "", address: str = "", contacts: list[dict] | None = None) -> Customer:
    """Record a customer; the same credit code or normalised name is a 409 naming the existing one. `contacts`:
    [{name, title, phone, email}]."""
    refuse(rules.can_create(actor))
    clean = _clean({"name": name, "customer_type": customer_type, "credit_code": credit_code, "industry": industry,
                    "region": region, "address": address, "contacts": contacts}, partial=False)
    existing = find_duplicate(name=clean["name"], credit_code=clean.get("credit_code", ""))
    if existing:
        raise _duplicate_error(existing)
    contacts = clean.pop("contacts", [])
    customer = Customer.objects.create(**clean, name_key=name_key(clean["name"]), owner=actor,
                                       department=actor.department)
    _set_contacts(customer, contacts)
    timeline.record(customer, actor=actor, action=events.CREATED)
    return customer


@transaction.atomic
def customer_update(*, actor, customer: Customer, version: int, name=UNSET, customer_type=UNSET, credit_code=UNSET,
                    industry=UNSET, region=UNSET, address=UNSET, contacts=UNSET) -> Customer:
    """Edit the fields given; only its owner, his department head, the market head or the admin (rules)."""
    refuse(rules.can_edit(actor, customer))
    given = {"name": name, "customer_type": customer_type, "credit_code": credit_code, "industry": industry,
             "region": region, "address": address, "contacts": contacts}
    clean = _clean({k: v for k, v in given.items() if v is not UNSET}, partial=True)
    if "name" in clean or "credit_code" in clean:
        existing = find_duplicate(name=clean.get("name", customer.name),
                                  credit_code=clean.get("credit_code", customer.credit_code), exclude_pk=customer.pk)
        if existing:
            raise _duplicate_error(existing)
    contacts = clean.pop("contacts", None)
    before = {f: getattr(customer, f) for f in clean}
    if "name" in clean:
        clean["name_key"] = name_key(clean["name"])
    updated = Customer.objects.filter(pk=customer.pk, version=version).update(**clean, version=version + 1)
    if not updated:
        raise StaleVersion()
    customer.refresh_from_db()
    if contacts is not None:
        _set_contacts(customer, contacts)
    timeline.record(customer, actor=actor, action=events.UPDATED,
                    changes=timeline.diff(before, {f: getattr(customer, f) for f in before}))
    return customer
