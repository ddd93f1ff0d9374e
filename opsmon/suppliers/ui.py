"""The desktop client's description of suppliers (core.ui, as web/ui_resources.py describes the sales modules),
registered by the app's ready()."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.forms import field_label
from opsmon.core.models import TimelineEntry
from opsmon.core.ui import Action, Field, Related, Resource, Section

from .choices import SupplierStatus
from .models import Supplier, SupplierBankAccount, SupplierQualification


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    return Field(path or name, field_label(model, name), kind, **kw)


S, Q, B = Supplier, SupplierQualification, SupplierBankAccount
REASON = Field("reason", _("Reason"), "longtext")
BASICS = (f(S, "name"), f(S, "credit_code"), Field("categories", _("Categories"), "code", table="supplier_category"),
          f(S, "is_sme", "bool"), f(S, "contact"), f(S, "phone"), f(S, "address"))

SUPPLIERS = Resource(
    name="suppliers", path="/suppliers", title=_("Suppliers"), item_title=S._meta.verbose_name,
    record_type="supplier", title_field="name",
    columns=(f(S, "number"), f(S, "name"), f(S, "credit_code"), f(S, "status", path="status_label"),
             f(S, "is_sme", "bool"), f(S, "grade")),
    filters=(f(S, "status", "choice", choices=tuple(SupplierStatus.choices)),
             Field("category", _("Category"), "code", table="supplier_category"), f(S, "is_sme", "bool"),
             Field("expiring", _("Qualification expiring within 30 days"), "bool")),
    sections=(Section(S._meta.verbose_name, (
        f(S, "number"), f(S, "name"), f(S, "credit_code"), f(S, "is_sme", "bool"), f(S, "contact"), f(S, "phone"),
        f(S, "address"), f(S, "status", path="status_label"), f(S, "status_reason"),
        f(S, "blacklisted_until", "date"), f(S, "grade"), f(S, "created_by", path="owner.display_name"))),),
    related=(
        Related("qualifications", Q._meta.verbose_name_plural, "/suppliers/{id}/qualifications", (
            f(Q, "kind", path="kind.label"), f(Q, "number"), f(Q, "valid_from", "date"), f(Q, "valid_to", "date")),
            download="/suppliers/qualifications/{row.id}/download"),
        Related("bank_accounts", B._meta.verbose_name_plural, "/suppliers/{id}/bank-accounts", (
            f(B, "bank"), f(B, "account_name"), f(B, "account_no"))),
        Related("timeline", _("Timeline"), "/suppliers/{id}/timeline", (
            f(TimelineEntry, "at", "datetime"), f(TimelineEntry, "actor", path="actor.display_name"),
            f(TimelineEntry, "action"), f(TimelineEntry, "to_status"), f(TimelineEntry, "comment"))),
    ),
    actions=(
        Action("edit", _("Edit"), "/suppliers/{id}", "PATCH", "SupplierPatch", BASICS, prefill="record"),
        Action("add_qualification", _("File a qualification"), "/suppliers/{id}/qualifications", "POST", "", (
            f(Q, "kind", "code", table="qualification_kind"), f(Q, "number"), f(Q, "valid_from", "date"),
            f(Q, "valid_to", "date"), f(Q, "file", "file"))),
        Action("add_bank_account", _("Add a bank account"), "/suppliers/{id}/bank-accounts", "POST",
               "SupplierBankAccountIn", (f(B, "bank"), f(B, "account_name"), f(B, "account_no"))),
        Action("qualify", _("Qualify"), "/suppliers/{id}/qualify", "POST", "SupplierQualifyIn",
               (Field("comment", _("Comment"), "longtext"),)),
        Action("suspend", _("Suspend"), "/suppliers/{id}/suspend", "POST", "SupplierReasonIn", (REASON,)),
        Action("blacklist", _("Blacklist"), "/suppliers/{id}/blacklist", "POST", "SupplierBlacklistIn", (
            REASON, f(S, "blacklisted_until", "date", path="until")), confirm=True),
        Action("restore", _("Restore"), "/suppliers/{id}/restore", "POST", "SupplierReasonIn", (REASON,)),
    ),
    create=Action("create", _("New supplier"), "/suppliers", "POST", "SupplierIn", BASICS),
    create_roles=("purchaser", "procurement_head", "admin"),
    export="/suppliers/export.xlsx",
    order=70,
)
