"""Access-matrix rows of the suppliers (issue 16). Supplier basics are public to every signed-in user; bank accounts
and qualifications only to procurement (not among the matrix's actors), finance, executives (ceo1) and the admin:
403 on a supplier's lists for the others, 404 for a qualification's file. Registering, editing and filing are for
purchasers, the procurement head and the admin; status changes for the procurement head alone (403 for every actor
here).

world.py has no supplier, so `build` is wrapped here to add one blacklisted supplier per chain, with its licence
(`qualification_id`) and a bank account (`supplier_id`), as matrix_guarantees.py does for its letters. The bodies an
authorised actor sends are refused for their content (a stale version, a bad date, a bad account number or credit
code: 409/422, OK), so nothing changes."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.customers.credit_code import check_character
from opsmon.suppliers import services as suppliers

from . import world
from .access_matrix import COLUMNS, DENIED, HIDDEN, OK, PDF_FILE, XLSX_FILE, chain, nothing, post

MARKERS = ("__wrapped__", "with_integration_account", "with_letters", "adds_milestone_ids")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_suppliers(build):
    def wrapped(org):
        built = build(org)
        buyer, head, day = org["buyer1"], org["phead1"], timezone.localdate()
        for n, (chain_, ids) in enumerate(sorted(built.ids.items()), start=1):
            first17 = f"9111000077777{n:04d}"
            s = suppliers.supplier_create(actor=buyer, name=f"矩阵供应商{chain_}", credit_code=first17 +
                                          check_character(first17), categories=["hardware"])
            q = suppliers.qualification_add(actor=buyer, supplier=s, kind="business_licence", number=f"MX-{chain_}",
                                            valid_from=day - timedelta(days=30), valid_to=day + timedelta(days=300),
                                            upload=SimpleUploadedFile("licence.pdf", PDF))
            suppliers.bank_account_add(actor=buyer, supplier=s, bank="矩阵银行", account_name=s.name,
                                       account_no=f"62170000{n:04d}")
            s = suppliers.supplier_qualify(actor=head, supplier=s)
            suppliers.supplier_blacklist(actor=head, supplier=s, reason="矩阵")
            ids["supplier_id"], ids["qualification_id"] = s.pk, q.pk
        return built
    wrapped.with_suppliers = True
    for name in MARKERS:  # keep the markers of the earlier wrappers visible to the later ones
        if hasattr(build, name):
            setattr(wrapped, name, getattr(build, name))
    return wrapped


if not getattr(world.build, "with_suppliers", False):
    world.build = _with_suppliers(world.build)


def by_actor(allowed: tuple, otherwise: str = DENIED) -> dict:
    """A chain column that depends on the actor's roles only (suppliers belong to no chain)."""
    return {(actor, relation): OK if actor in allowed else otherwise for (actor, relation) in COLUMNS["cust"]}


READ = by_actor(tuple({a for a, _r in COLUMNS["cust"]}))        # every signed-in user
DETAILS = by_actor(("admin", "finance1", "ceo1"))                  # bank accounts, qualifications (403)
FILES = by_actor(("admin", "finance1", "ceo1"), otherwise=HIDDEN)  # a qualification's file (404)
KEEP = by_actor(("admin",))                                        # edit, file, add an account
DECIDE = by_actor(())                                              # status changes: the procurement head alone
SUPPLIER = {"pk": "supplier_id"}
QUALIFICATION = {"pk": "qualification_id"}
BAD_CODE = {"name": "矩阵新供应商", "credit_code": "91110000BAD", "categories": ["hardware"]}

API = {
    "GET /api/v1/suppliers": nothing("signed_in"),
    "POST /api/v1/suppliers": nothing("admin", body=lambda i: BAD_CODE, note="a bad credit code: 422 once allowed"),
    "GET /api/v1/suppliers/export.xlsx": nothing("signed_in"),
    "POST /api/v1/suppliers/import": nothing("admin", files={"file": XLSX_FILE},
                                             note="the opportunity template: columns missing, 422 once allowed"),
    "GET /api/v1/suppliers/{supplier_id}": chain(READ),
    "PATCH /api/v1/suppliers/{supplier_id}": chain(KEEP, body=lambda i: {"version": 999, "contact": "矩阵"}),
    "GET /api/v1/suppliers/{supplier_id}/timeline": chain(READ),
    "GET /api/v1/suppliers/{supplier_id}/qualifications": chain(DETAILS),
    "POST /api/v1/suppliers/{supplier_id}/qualifications": chain(KEEP, files={"file": PDF_FILE}, body=lambda i: {
        "kind": "business_licence", "number": "MX", "valid_from": "2026-13-01", "valid_to": "2027-01-01"}),
    "GET /api/v1/suppliers/qualifications/{qualification_id}/download": chain(FILES),
    "GET /api/v1/suppliers/{supplier_id}/bank-accounts": chain(DETAILS),
    "POST /api/v1/suppliers/{supplier_id}/bank-accounts": chain(KEEP, body=lambda i: {
        "bank": "矩阵银行", "account_name": "矩阵", "account_no": "not-digits"}),
    "POST /api/v1/suppliers/{supplier_id}/qualify": chain(DECIDE, body=lambda i: {}),
    "POST /api/v1/suppliers/{supplier_id}/suspend": chain(DECIDE, body=lambda i: {"reason": "矩阵"}),
    "POST /api/v1/suppliers/{supplier_id}/blacklist": chain(DECIDE, body=lambda i: {"reason": "矩阵"}),
    "POST /api/v1/suppliers/{supplier_id}/restore": chain(DECIDE, body=lambda i: {"reason": "矩阵"}),
}

WEB = {
    "suppliers:list": nothing("signed_in"),
    "suppliers:export": nothing("signed_in"),
    "suppliers:import": nothing("admin"),
    "suppliers:create": nothing("admin"),
    "suppliers:detail": chain(READ, args=SUPPLIER),
    "suppliers:edit": chain(KEEP, args=SUPPLIER),
    "suppliers:qualification_add": post(chain(KEEP, args=SUPPLIER), body=lambda i: {
        "qualification-kind": "business_licence", "qualification-number": ""}),
    "suppliers:bank_account_add": post(chain(KEEP, args=SUPPLIER), body=lambda i: {"account-bank": ""}),
    "suppliers:qualify": post(chain(DECIDE, args=SUPPLIER), body=lambda i: {}),
    "suppliers:suspend": post(chain(DECIDE, args=SUPPLIER), body=lambda i: {"suspend-reason": "矩阵"}),
    "suppliers:blacklist": post(chain(DECIDE, args=SUPPLIER), body=lambda i: {"blacklist-reason": "矩阵"}),
    "suppliers:restore": post(chain(DECIDE, args=SUPPLIER), body=lambda i: {"restore-reason": "矩阵"}),
    "suppliers:qualification_download": chain(FILES, args=QUALIFICATION),
}
