"""Commands on suppliers. Each service checks the rule first, then the input (one 422 naming every bad field; bad
input changes nothing), then writes in one transaction: the change, one timeline row and, for status changes, the
webhook event."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.codes.selectors import require_active
from opsmon.core import numbering, timeline
from opsmon.core.errors import Conflict, Invalid, StaleVersion
from opsmon.core.events import publish
from opsmon.core.files import store_upload
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_date, clean_texts, clean_validity, transition
from opsmon.customers import credit_code as ucc

from . import events, rules
from .models import Supplier, SupplierBankAccount, SupplierCategory, SupplierQualification
from .rules import TRANSITIONS

NUMBER_KIND = "GYS"
TEXT_LIMITS = {"name": 200, "contact": 100, "phone": 40, "address": 300}
QUALIFICATION_LIMITS = {"number": 100}
ACCOUNT_LIMITS = {"bank": 200, "account_name": 200, "account_no": 64}
REQUIRED = gettext_lazy("This field is required.")
# An argument of supplier_update left out: "not given", so the field keeps its value.
UNSET = object()


def _payload(supplier: Supplier) -> dict:
    return {"supplier": {"id": supplier.pk, "number": supplier.number, "name": supplier.name,
                         "credit_code": supplier.credit_code, "status": supplier.status,
                         "status_reason": supplier.status_reason,
                         "blacklisted_until": supplier.blacklisted_until.isoformat()
                         if supplier.blacklisted_until else None}}


def _categories(value, errors: dict) -> list[str]:
    codes = []
    if isinstance(value, str):
        value = [c for c in value.replace("，", ",").split(",")]
    for code in value or []:
        code = str(code).strip()
        if code and code not in codes:
            codes.append(code)
    if not codes:
        errors["categories"] = _("Choose at least one category.")
    for code in codes:
        try:
            require_active(table="supplier_category", code=code, field="categories")
        except Invalid as exc:
            errors.update(exc.fields)
    return codes


def clean_basics(data: dict, *, partial: bool, errors: dict | None = None) -> dict:
    """The cleaned basics; raises one 422 naming every bad field (or adds to `errors` when given)."""
    own = errors is None
    errors = {} if own else errors
    clean = clean_texts(data, TEXT_LIMITS, errors)
    if (not partial or "name" in data) and not clean.get("name") and "name" not in errors:
        errors["name"] = REQUIRED
    if not partial or "credit_code" in data:
        code = ucc.normalise(data.get("credit_code") or "")
        if not code:
            errors["credit_code"] = REQUIRED
        elif not ucc.is_valid(code):
            errors["credit_code"] = _("Not a valid unified social credit code (check the 18 characters).")
        clean["credit_code"] = code
    if not partial or "categories" in data:
        clean["categories"] = _categories(data.get("categories"), errors)
    if "is_sme" in data:
        clean["is_sme"] = bool(data["is_sme"])
    if own and errors:
        raise Invalid(fields=errors)
    return clean


def duplicate_of(credit_code: str, *, exclude_pk=None) -> Supplier | None:
    return Supplier.objects.exclude(pk=exclude_pk).filter(credit_code=credit_code).first() if credit_code else None


def _duplicate_error(existing: Supplier) -> Conflict:
    return Conflict(_("A supplier with this credit code is already registered: %(name)s (%(number)s).")
                    % {"name": existing.name, "number": existing.number}, code="duplicate_supplier",
                    fields={"credit_code": _("already registered"), "existing_id": str(existing.pk)})


def _set_categories(supplier: Supplier, codes: list[str]) -> None:
    supplier.categories.all().delete()
    SupplierCategory.objects.bulk_create([SupplierCategory(supplier=supplier, code=c) for c in codes])


def create_checked(*, actor, clean: dict, action: str = events.CREATED) -> Supplier:
    """Write a supplier from cleaned basics (the credit code known free): number, categories, timeline."""
    categories = clean.pop("categories")
    try:
        with transaction.atomic():
            supplier = Supplier.objects.create(**clean, number=numbering.next_number(NUMBER_KIND), created_by=actor)
    except IntegrityError:  # the same credit code registered at the same moment by someone else
        raise Conflict(_("A supplier with this credit code is already registered."), code="duplicate_supplier",
                       fields={"credit_code": _("already registered")}) from None
    _set_categories(supplier, categories)
    timeline.record(supplier, actor=actor, action=action, to_status=supplier.status,
                    comment=f"{supplier.name} {supplier.credit_code}")
    return supplier


@transaction.atomic
def supplier_create(*, actor, name: str = "", credit_code: str = "", categories=(), is_sme: bool = False,
                    contact: str = "", phone: str = "", address: str = "") -> Supplier:
    """Register a supplier (pending). A bad credit code is a 422, one already registered a 409 naming it."""
    refuse(rules.can_create(actor))
    clean = clean_basics({"name": name, "credit_code": credit_code, "categories": categories, "is_sme": is_sme,
                    "contact": contact, "phone": phone, "address": address}, partial=False)
    existing = duplicate_of(clean["credit_code"])
    if existing:
        raise _duplicate_error(existing)
    return create_checked(actor=actor, clean=clean)


@transaction.atomic
def supplier_update(*, actor, supplier: Supplier, version: int, name=UNSET, credit_code=UNSET, categories=UNSET,
                    is_sme=UNSET, contact=UNSET, phone=UNSET, address=UNSET) -> Supplier:
    """Edit the basics given; a stale `version` is a 409."""
    refuse(rules.can_edit(actor, supplier))
    given = {"name": name, "credit_code": credit_code, "categories": categories, "is_sme": is_sme,
             "contact": contact, "phone": phone, "address": address}
    clean = clean_basics({k: v for k, v in given.items() if v is not UNSET}, partial=True)
    if "credit_code" in clean:
        existing = duplicate_of(clean["credit_code"], exclude_pk=supplier.pk)
        if existing:
            raise _duplicate_error(existing)
    codes = clean.pop("categories", None)
    before = {f: getattr(supplier, f) for f in clean}
    if codes is not None:
        before["categories"] = ",".join(supplier.category_codes)
    try:
        with transaction.atomic():
            updated = Supplier.objects.filter(pk=supplier.pk, version=version).update(**clean, version=version + 1)
    except IntegrityError:
        raise Conflict(_("A supplier with this credit code is already registered."), code="duplicate_supplier",
                       fields={"credit_code": _("already registered")}) from None
    if not updated:
        raise StaleVersion()
    if codes is not None:
        _set_categories(supplier, codes)
    supplier = Supplier.objects.get(pk=supplier.pk)
    after = {f: getattr(supplier, f) for f in before if f != "categories"}
    if codes is not None:
        after["categories"] = ",".join(codes)
    timeline.record(supplier, actor=actor, action=events.UPDATED, changes=timeline.diff(before, after))
    return supplier


@transaction.atomic
def qualification_add(*, actor, supplier: Supplier, kind: str = "", number: str = "", valid_from=None,
                      valid_to=None, upload=None) -> SupplierQualification:
    """File a qualification (qualification_kind `kind`) with its validity and its file (PDF or image, checked by
    content and size: core.files)."""
    refuse(rules.can_add_qualification(actor, supplier))
    errors: dict = {}
    kind = (kind or "").strip()
    if not kind:
        errors["kind"] = REQUIRED
    else:
        try:
            require_active(table="qualification_kind", code=kind, field="kind")
        except Invalid as exc:
            errors.update(exc.fields)
    texts = clean_texts({"number": number}, QUALIFICATION_LIMITS, errors)
    if not texts.get("number") and "number" not in errors:
        errors["number"] = REQUIRED
    start, end = clean_validity(valid_from, valid_to, errors)
    if upload is None:
        errors["file"] = _("Attach the scanned certificate.")
    if errors:
        raise Invalid(fields=errors)
    stored = store_upload(upload, actor=actor, allowed=frozenset({"pdf", "jpg", "png"}))
    qualification = SupplierQualification.objects.create(
        supplier=supplier, kind=kind, number=texts["number"], valid_from=start, valid_to=end, file=stored,
        created_by=actor)
    timeline.record(supplier, actor=actor, action=events.QUALIFICATION_ADDED,
                    comment=f"{qualification.number}: {start.isoformat()} – {end.isoformat()}",
                    changes={"qualification": [None, kind]})
    return qualification


@transaction.atomic
def bank_account_add(*, actor, supplier: Supplier, bank: str = "", account_name: str = "",
                     account_no: str = "") -> SupplierBankAccount:
    """Add a bank account (payment requests pay only registered accounts)."""
    refuse(rules.can_add_bank_account(actor, supplier))
    errors: dict = {}
    texts = clean_texts({"bank": bank, "account_name": account_name, "account_no": account_no}, ACCOUNT_LIMITS,
                        errors)
    for field in ACCOUNT_LIMITS:
        if not texts.get(field) and field not in errors:
            errors[field] = REQUIRED
    account_no = texts.get("account_no", "").replace(" ", "")
    if account_no and "account_no" not in errors and not (account_no.isascii() and account_no.isdigit()):
        errors["account_no"] = _("Digits only.")
    if not errors and supplier.bank_accounts.filter(account_no=account_no).exists():
        errors["account_no"] = _("This account is already registered for the supplier.")
    if errors:
        raise Invalid(fields=errors)
    account = SupplierBankAccount.objects.create(supplier=supplier, bank=texts["bank"],
                                                 account_name=texts["account_name"], account_no=account_no,
                                                 created_by=actor)
    timeline.record(supplier, actor=actor, action=events.BANK_ACCOUNT_ADDED,
                    comment=f"{account.bank} ****{account_no[-4:]}")
    return account


def _move(supplier: Supplier, *, actor, action: str, event: str, comment: str, extra: dict) -> Supplier:
    supplier = transition(supplier, actor=actor, action=action, transitions=TRANSITIONS, comment=comment,
                          extra=extra)
    publish(event, subject=supplier, data=_payload(supplier))
    return supplier


@transaction.atomic
def supplier_qualify(*, actor, supplier: Supplier, comment: str = "") -> Supplier:
    """pending → qualified (rules.can_qualify)."""
    refuse(rules.can_qualify(actor, supplier))
    comment = clean_comment(comment, required=False)
    return _move(supplier, actor=actor, action="qualify", event=events.QUALIFIED_EVENT, comment=comment,
                 extra={"status_reason": ""})


@transaction.atomic
def supplier_suspend(*, actor, supplier: Supplier, reason: str = "") -> Supplier:
    """qualified → suspended, with the reason."""
    refuse(rules.can_suspend(actor, supplier))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    return _move(supplier, actor=actor, action="suspend", event=events.SUSPENDED_EVENT, comment=reason,
                 extra={"status_reason": reason})


@transaction.atomic
def supplier_blacklist(*, actor, supplier: Supplier, reason: str = "", until=None) -> Supplier:
    """→ blacklisted, with the reason and optionally the last day of the ban."""
    refuse(rules.can_blacklist(actor, supplier))
    errors: dict = {}
    try:
        reason = clean_comment(reason, required=True, field="reason", limit=500)
    except Invalid as exc:
        errors.update(exc.fields)
    day = clean_date(until, "until", errors)
    if errors:
        raise Invalid(fields=errors)
    comment = reason + (f" · {_('until')} {day.isoformat()}" if day else "")
    return _move(supplier, actor=actor, action="blacklist", event=events.BLACKLISTED_EVENT, comment=comment,
                 extra={"status_reason": reason, "blacklisted_until": day})


@transaction.atomic
def supplier_restore(*, actor, supplier: Supplier, reason: str = "") -> Supplier:
    """suspended | blacklisted → qualified, with the reason."""
    refuse(rules.can_restore(actor, supplier))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    return _move(supplier, actor=actor, action="restore", event=events.RESTORED_EVENT, comment=reason,
                 extra={"status_reason": reason, "blacklisted_until": None})
