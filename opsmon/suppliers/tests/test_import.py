"""The Excel import of suppliers: all or nothing, each problem reported with its row and column."""

import io

import pytest

from opsmon.core import timeline, xlsx
from opsmon.core.errors import Invalid, PermissionDenied
from opsmon.suppliers import excel
from opsmon.suppliers.models import Supplier

from .factories import credit_code, supplier

pytestmark = pytest.mark.django_db
HEADER = ["Name", "Unified social credit code", "Categories", "SME", "Contact person", "Phone", "Address"]


def book(rows, header=HEADER):
    wb = xlsx.workbook()
    xlsx.append(wb.active, header)
    for row in rows:
        xlsx.append(wb.active, row)
    return io.BytesIO(xlsx.save(wb))


def test_every_row_is_imported_as_pending(org):
    codes = [credit_code(), credit_code()]
    created = excel.import_suppliers(actor=org["buyer1"], fileobj=book([
        ["甲公司", codes[0], "hardware", "yes", "", "", ""],
        ["乙公司", codes[1].lower(), "云服务, 分包", "", "", "", ""]]))
    assert [(s.name, s.status, s.is_sme, s.category_codes) for s in created] == [
        ("甲公司", "pending", True, ["hardware"]), ("乙公司", "pending", False, ["cloud", "subcontract"])]
    assert [e.action for e in timeline.entries_for(created[0])] == ["supplier.imported"]


def test_one_bad_row_refuses_the_file_and_names_each_problem(org):
    existing = supplier(org)
    before = Supplier.objects.count()
    twice = credit_code()
    with pytest.raises(Invalid) as exc:
        excel.import_suppliers(actor=org["buyer1"], fileobj=book([
            ["好公司", credit_code(), "hardware", "no", "", "", ""],
            ["", existing.credit_code, "nothing", "maybe", "", "", ""],
            ["重复一", twice, "hardware", "", "", "", ""],
            ["重复二", twice, "hardware", "", "", "", ""],
        ]))
    rows = {(r["row"], r["column"]) for r in exc.value.rows}
    assert {(3, "Name"), (3, "Unified social credit code"), (3, "Categories"), (3, "SME"),
            (5, "Unified social credit code")} <= rows
    assert not any(r["row"] in (2, 4) for r in exc.value.rows)
    assert Supplier.objects.count() == before


def test_not_a_workbook_or_missing_columns_or_not_allowed(org):
    with pytest.raises(Invalid):
        excel.import_suppliers(actor=org["buyer1"], fileobj=io.BytesIO(b"name,code\n"))
    with pytest.raises(Invalid) as exc:
        excel.import_suppliers(actor=org["buyer1"], fileobj=book([["x"]], header=["Name"]))
    assert exc.value.rows[0]["row"] == 1
    with pytest.raises(PermissionDenied):
        excel.import_suppliers(actor=org["rep1"], fileobj=book([]))
