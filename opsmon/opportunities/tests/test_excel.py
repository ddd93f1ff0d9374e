"""Excel export and import of opportunities: round trip, template, all-or-nothing and every bad input."""

import io
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from opsmon.core.errors import NotFound
from opsmon.core.models import Job as ImportJob
from opsmon.core.models import NumberSequence, TimelineEntry
from opsmon.customers import credit_code as ucc
from opsmon.customers.models import Customer
from opsmon.opportunities import excel
from opsmon.opportunities.excel import reading
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.selectors import OpportunityFilters

from . import factories

ZH_HEADER = ["商机名称", "客户名称", "统一社会信用代码", "客户类型", "预计金额", "币种", "预计成交日期", "商机来源",
             "行业", "地区", "商机阶段", "描述"]
EN_HEADER = ["Title", "Customer", "Credit code", "Customer type", "Estimated amount", "Currency",
             "Expected close date", "Source", "Industry", "Region", "Stage", "Description"]


def future(days=60) -> date:
    return timezone.localdate() + timedelta(days=days)


def credit_code(seed: int) -> str:
    first17 = f"91110108MA{seed:07d}"
    return first17 + ucc.check_character(first17)


def good_row(n=1, **overrides) -> dict:
    row = {"商机名称": f"数据中心运维项目{n}", "客户名称": f"导入客户{n}有限公司", "统一社会信用代码": None,
           "客户类型": "国有企业", "预计金额": 1000 + n, "币种": "CNY", "预计成交日期": future(),
           "商机来源": "招标公告", "行业": "energy", "地区": "北京市", "商机阶段": "Proposal", "描述": "导入的商机"}
    row.update(overrides)
    return row


def xlsx(rows, header=None, write_only=False) -> io.BytesIO:
    """A workbook with `header` then `rows` (dicts by header, or plain lists)."""
    header = header or ZH_HEADER
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("商机") if write_only else wb.active
    ws.append(header)
    for row in rows:
        ws.append([row.get(h) for h in header] if isinstance(row, dict) else list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def run_import(actor, rows=None, *, fileobj=None, **kwargs):
    return excel.import_opportunities(actor=actor, fileobj=fileobj or xlsx(rows, **kwargs))


def refusal(actor, rows=None, **kwargs) -> excel.ImportRefused:
    with pytest.raises(excel.ImportRefused) as err:
        run_import(actor, rows, **kwargs)
    return err.value


def sheet_rows(content: bytes, index=0):
    wb = load_workbook(io.BytesIO(content))
    return list(wb.worksheets[index].iter_rows()), wb


# --- export -------------------------------------------------------------------------------------------------------

def test_export_then_import_as_another_rep_gives_the_same_opportunities(org):
    rep1 = org["rep1"]
    customer = factories.customer(rep1, credit_code=credit_code(7))
    made = [
        factories.opportunity(rep1, customer_id=customer.pk, estimated_amount="1250000.50", stage="proposal",
                              source="referral", industry="finance", region="310000", currency="USD",
                              description="第一期", expected_close_date=future(30)),
        factories.opportunity(rep1, estimated_amount="0.00", stage="", expected_close_date=future(400)),
    ]
    with translation.override("zh-hans"):
        content = excel.export_xlsx(actor=org["admin"])
    rows, _wb = sheet_rows(content)
    header = [c.value for c in rows[0]]
    assert header[:3] == ["商机编号", "商机名称", "客户名称"] and "预计金额" in header and "预计成交日期" in header
    amount_col, date_col, stage_col = header.index("预计金额"), header.index("预计成交日期"), header.index("商机阶段")
    first = next(r for r in rows[1:] if r[1].value == made[0].title)
    assert isinstance(first[amount_col].value, int | float) and first[amount_col].value == 1250000.5
    assert first[amount_col].number_format == "#,##0.00"
    assert isinstance(first[date_col].value, datetime) and first[date_col].value.date() == future(30)
    assert first[stage_col].value == "方案交流"  # a label, not the code

    result = run_import(org["rep2"], fileobj=io.BytesIO(content))
    assert result.created == 2
    imported = {o.title: o for o in Opportunity.objects.filter(pk__in=result.ids).select_related("customer")}
    for original in made:
        copy = imported[original.title]
        fields = ("estimated_amount", "currency", "expected_close_date", "stage", "probability", "source",
                  "industry", "region", "description", "customer_id")
        assert {f: getattr(copy, f) for f in fields} == {f: getattr(original, f) for f in fields}
        assert copy.owner == org["rep2"] and copy.department == org["rep2"].department
        assert copy.status == "tracking" and copy.number != original.number
    assert Customer.objects.count() == 2  # both customers matched, none duplicated


def test_export_headers_and_labels_follow_the_language(org):
    factories.opportunity(org["rep1"], stage="negotiation")
    with translation.override("en"):
        content = excel.export_xlsx(actor=org["rep1"])
    rows, wb = sheet_rows(content)
    header = [c.value for c in rows[0]]
    assert wb.sheetnames == ["Opportunities"]
    assert header[:3] == ["Number", "Title", "Customer"]
    assert rows[1][header.index("Stage")].value == "Negotiation"
    assert run_import(org["rep1"], fileobj=io.BytesIO(content)).created == 1


def test_text_that_looks_like_a_formula_is_exported_as_text_and_imports_back(org):
    factories.opportunity(org["rep1"], title="=HYPERLINK(\"http://evil.example\",\"点我\")", description="=1+1")
    content = excel.export_xlsx(actor=org["rep1"])
    rows, _ = sheet_rows(content)
    assert rows[1][1].data_type == "s" and rows[1][1].value.startswith("=HYPERLINK")
    assert rows[1][-1].data_type == "s" and rows[1][-1].value == "=1+1"
    result = run_import(org["rep2"], fileobj=io.BytesIO(content))
    assert Opportunity.objects.get(pk=result.ids[0]).description == "=1+1"


def test_a_reps_export_holds_only_what_he_may_see(org):
    mine = factories.opportunity(org["rep2"])
    factories.opportunity(org["rep1"])
    factories.opportunity(org["rep1b"])
    rows, _ = sheet_rows(excel.export_xlsx(actor=org["rep2"]))
    assert [r[0].value for r in rows[1:]] == [mine.number]
    rows, _ = sheet_rows(excel.export_xlsx(actor=org["head1"]))
    assert len(rows) == 3  # the header and his department's two


def test_export_applies_the_list_filters(org):
    factories.opportunity(org["rep1"], stage="proposal", estimated_amount="10")
    wanted = factories.opportunity(org["rep1"], stage="commit", estimated_amount="500")
    content = excel.export_xlsx(actor=org["rep1"], filters=OpportunityFilters(stage="commit", amount_min=100))
    rows, _ = sheet_rows(content)
    assert [r[0].value for r in rows[1:]] == [wanted.number]


def test_export_reads_in_a_fixed_number_of_queries(org):
    for _ in range(3):
        factories.opportunity(org["rep1"])
    excel.export_xlsx(actor=org["admin"])  # warm the caches (content types, translations)
    with CaptureQueriesContext(connection) as few:
        excel.export_xlsx(actor=org["admin"])
    for _ in range(12):
        factories.opportunity(org["rep1"])
    with CaptureQueriesContext(connection) as many:
        excel.export_xlsx(actor=org["admin"])
    assert len(many) == len(few)


# --- template -----------------------------------------------------------------------------------------------------

def test_template_has_the_header_an_example_and_the_explanations(org):
    with translation.override("zh-hans"):
        content = excel.template_xlsx()
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["商机", "说明"]
    data = list(wb["商机"].iter_rows(values_only=True))
    assert list(data[0]) == ZH_HEADER
    assert len(data) == 2 and data[1][0]
    help_values = [v for row in wb["说明"].iter_rows(values_only=True) for v in row if v]
    assert {"方案交流", "proposal", "Proposal", "CNY", "人民币", "110000", "北京市"} <= set(help_values)
    assert {"商机名称", "Title"} <= set(help_values)


def test_an_unmodified_template_imports_its_example_row(org):
    result = run_import(org["rep1"], fileobj=io.BytesIO(excel.template_xlsx()))
    assert result.created == 1 and result.customers_created == 1
    o = Opportunity.objects.select_related("customer").get(pk=result.ids[0])
    assert o.customer.customer_type == "private" and o.expected_close_date == future(90)
    assert o.estimated_amount == Decimal("1250000.00")


def test_the_english_template_imports_too(org):
    with translation.override("en"):
        content = excel.template_xlsx()
    assert list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))[0] == tuple(EN_HEADER)
    assert run_import(org["rep2"], fileobj=io.BytesIO(content)).created == 1


# --- import: good files -------------------------------------------------------------------------------------------

def test_import_numbers_owns_stages_and_records_the_timeline(org):
    rep = org["rep1"]
    result = run_import(rep, [good_row(1), good_row(2, 商机阶段=None), good_row(3, 商机阶段="承诺采购")])
    opportunities = Opportunity.objects.filter(pk__in=result.ids).order_by("number")
    assert [(o.stage, o.probability) for o in opportunities] == [("proposal", 50), ("discovery", 10),
                                                                ("commit", 90)]
    year = timezone.localdate().year
    assert [o.number for o in opportunities] == [f"SJ-{year}-{n:06d}" for n in (1, 2, 3)]
    assert {(o.owner_id, o.department_id, o.status) for o in opportunities} == {
        (rep.pk, rep.department_id, "tracking")}
    entries = TimelineEntry.objects.filter(action="opportunity.imported")
    assert sorted(e.object_id for e in entries) == sorted(result.ids)
    assert {(e.actor_id, e.to_status) for e in entries} == {(rep.pk, "tracking")}
    # the next one made by hand continues the sequence
    assert factories.opportunity(rep).number == f"SJ-{year}-000004"


def test_code_columns_take_the_code_or_either_label(org):
    rows = [good_row(1, 商机来源="tender_notice", 地区="110000", 币种="美元"),
            good_row(2, 商机来源="招标公告", 地区="Beijing", 币种="usd"),
            good_row(3, 商机来源="Tender notice", 地区=110000, 币种="US dollar")]
    result = run_import(org["rep1"], rows)
    assert set(Opportunity.objects.filter(pk__in=result.ids).values_list("source", "region", "currency")) == {
        ("tender_notice", "110000", "USD")}


def test_customers_match_by_credit_code_then_by_name_and_new_ones_are_created_once(org):
    by_code = factories.customer(org["rep1"], name="甲公司", credit_code=credit_code(1))
    by_name = factories.customer(org["rep1"], name="北京某某科技（集团）有限公司")
    before = Customer.objects.count()
    rows = [
        good_row(1, 客户名称="另一个名字", 统一社会信用代码=credit_code(1)),
        good_row(2, 客户名称="北京 某某科技(集团)有限公司"),
        good_row(3, 客户名称="全新客户有限公司", 客户类型=None),
        good_row(4, 客户名称="全新客户 有限公司", 统一社会信用代码=credit_code(2)),
        good_row(5, 客户名称="另一家", 统一社会信用代码=credit_code(2).lower()),
    ]
    result = run_import(org["rep1"], rows)
    customers = [Opportunity.objects.get(pk=pk).customer for pk in result.ids]
    assert customers[0] == by_code and customers[1] == by_name
    assert customers[2] == customers[3] == customers[4]
    new = customers[2]
    assert (new.name, new.customer_type, new.credit_code, new.owner) == (
        "全新客户有限公司", "other", credit_code(2), org["rep1"])
    assert Customer.objects.count() == before + 1 and result.customers_created == 1


def test_dates_may_be_text_and_amounts_may_be_text_with_separators(org):
    close = future(10)
    rows = [good_row(1, 预计成交日期=close.isoformat(), 预计金额="1,234.5"),
            good_row(2, 预计成交日期=f"{close.year}年{close.month}月{close.day}日", 预计金额="88"),
            good_row(3, 预计成交日期=f"{close.year}/{close.month}/{close.day}", 预计金额=12.34)]
    result = run_import(org["rep1"], rows)
    values = list(Opportunity.objects.filter(pk__in=result.ids).order_by("number")
                  .values_list("expected_close_date", "estimated_amount"))
    assert values == [(close, Decimal("1234.50")), (close, Decimal("88.00")), (close, Decimal("12.34"))]
    # more than two decimals is refused, not rounded (issue 21)
    assert refusal(org["rep1"], [good_row(4, 预计金额=12.345)]).rows[0]["column"] == "预计金额"


def test_english_headers_with_required_marks_and_empty_rows_in_between(org):
    header = [f"{h}*" if h in ("Title", "Customer") else h.upper() for h in EN_HEADER]
    rows = [[f"Project {n}", "Acme Ltd", None, None, 100, None, future(), None, None, None, None, None]
            for n in range(3)]
    rows.insert(1, [None] * 12)
    rows.insert(2, ["  ", None])
    assert run_import(org["rep1"], rows, header=header).created == 3


def test_cells_under_an_empty_header_and_missing_optional_columns_are_ignored(org):
    header = ["商机名称", "客户名称", "预计金额", "预计成交日期", None, "商机阶段"]
    rows = [["甲项目", "甲客户", 10, future(), "stray", None, "stray too"], ["乙项目", "乙客户", 20, future()]]
    result = run_import(org["rep1"], rows, header=header)
    assert set(Opportunity.objects.filter(pk__in=result.ids).values_list("stage", "source", "currency")) == {
        ("discovery", "", "CNY")}


def test_progress_is_reported_while_validating_then_saving(org, monkeypatch):
    monkeypatch.setattr(reading, "PROGRESS_EVERY", 2)
    calls = []
    excel.import_opportunities(actor=org["rep1"], fileobj=xlsx([good_row(n) for n in range(5)]),
                               progress=lambda *args: calls.append(args))
    assert calls == [("validating", 2, 5), ("validating", 4, 5), ("validating", 5, 5), ("saving", 5, 5)]


def test_import_queries_do_not_grow_with_the_rows(org):
    def queries(n):
        content = xlsx([good_row(i, 客户名称=f"客户{n}-{i}") for i in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            run_import(org["rep1"], fileobj=content)
        return len(ctx)
    queries(1)  # the first import creates the number sequence and caches the content types
    # bulk inserts are split in batches (SQLite takes at most 999 parameters), never one query per row
    assert queries(200) - queries(5) <= 12


def test_ten_thousand_rows_import_in_one_go(org):
    close = future(30)
    rows = ([f"批量商机{i}", f"批量客户{i % 500}", None, "民营企业", i * 10 + 0.5, "CNY", close, None, "energy",
             "110000", "qualified", None] for i in range(10_000))
    result = run_import(org["rep1"], rows, write_only=True)
    assert result.created == 10_000 and result.customers_created == 500
    assert Opportunity.objects.count() == 10_000
    assert Opportunity.objects.filter(estimated_amount=Decimal("99990.50"), stage="qualified",
                                      probability=25).count() == 1
    assert len(set(Opportunity.objects.values_list("number", flat=True))) == 10_000
    assert TimelineEntry.objects.filter(action="opportunity.imported").count() == 10_000


# --- import: refusals ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("column", "value", "message"), [
    ("预计金额", -5, "must not be negative"),
    ("预计金额", "一百万", "not a number"),
    ("预计金额", None, "This field is required."),
    ("商机阶段", "winning", "unknown or inactive code “winning”"),
    ("行业", "alchemy", "unknown or inactive code “alchemy”"),
    ("币种", "XXX", "unknown or inactive code “XXX”"),
    ("预计成交日期", date(2001, 1, 1), "cannot be before"),
    ("预计成交日期", "next spring", "Not a valid date"),
    ("商机名称", "", "This field is required."),
    ("商机名称", "长" * 201, "At most 200 characters."),
    ("客户名称", "  ", "This field is required."),
    ("统一社会信用代码", "91110108MA00000001", "Not a valid unified social credit code"),
    ("描述", "字" * 5001, "At most 5000 characters."),
])
def test_every_bad_value_is_reported_with_row_column_and_message(org, column, value, message):
    with translation.override("en"):
        refused = refusal(org["rep1"], [good_row(1), good_row(2, **{column: value}), good_row(3)])
    assert refused.code == "import_refused"
    assert len(refused.rows) == 1
    error = refused.rows[0]
    assert (error["row"], error["column"]) == (3, column)
    assert message in error["message"]
    assert Opportunity.objects.count() == 0


def test_one_bad_row_among_good_ones_saves_nothing_at_all(org):
    customers = Customer.objects.count()
    rows = [good_row(n, 客户名称=f"新客户{n}") for n in range(1, 30)]
    rows[20]["预计金额"] = -1
    refused = refusal(org["rep1"], rows)
    assert refused.rows == [{"row": 22, "column": "预计金额", "message": str(refused.rows[0]["message"])}]
    assert "1" in str(refused.message)
    assert Opportunity.objects.count() == 0 and Customer.objects.count() == customers
    assert not NumberSequence.objects.filter(kind="SJ").exists()
    assert not TimelineEntry.objects.filter(action__endswith=".imported").exists()


def test_every_error_of_every_row_is_listed_in_order(org):
    rows = [good_row(1, 商机名称="", 预计金额="x"), good_row(2), good_row(3, 地区="火星")]
    refused = refusal(org["rep1"], rows)
    assert [(e["row"], e["column"]) for e in refused.rows] == [(2, "商机名称"), (2, "预计金额"), (4, "地区")]
    assert refused.as_dict()["rows"] == refused.rows
    assert refused.as_dict()["error"]["code"] == "import_refused"


def test_a_credit_code_that_belongs_to_another_name_is_refused(org):
    factories.customer(org["rep1"], name="乙公司", credit_code=credit_code(3))
    refused = refusal(org["rep1"], [good_row(1, 客户名称="乙公司", 统一社会信用代码=credit_code(4))])
    assert refused.rows[0]["column"] == "统一社会信用代码" and credit_code(3) in refused.rows[0]["message"]
    refused = refusal(org["rep1"], [good_row(1, 客户名称="丙公司", 统一社会信用代码=credit_code(5)),
                                    good_row(2, 客户名称="丙公司", 统一社会信用代码=credit_code(6))])
    assert [(e["row"], e["column"]) for e in refused.rows] == [(3, "统一社会信用代码")]


def test_an_unknown_column_is_refused_before_any_row_is_read(org):
    refused = refusal(org["rep1"], [["x"] * 13], header=[*ZH_HEADER, "备注"])
    assert refused.rows == [{"row": 1, "column": "备注", "message": refused.rows[0]["message"]}]
    assert "备注" in refused.rows[0]["message"] and "备注" in str(refused.message)
    assert refused.fields["columns"]


def test_a_missing_required_column_is_refused(org):
    header = [h for h in ZH_HEADER if h != "预计金额"]
    with translation.override("en"):
        refused = refusal(org["rep1"], [], header=header)
    assert [e["row"] for e in refused.rows] == [1]
    assert "Estimated amount" in refused.rows[0]["message"] and "missing" in refused.rows[0]["message"]


def test_a_repeated_column_is_refused(org):
    refused = refusal(org["rep1"], [], header=[*ZH_HEADER, "Title"])
    assert "Title" in refused.rows[0]["message"]


@pytest.mark.parametrize("content", [
    b"this is not a spreadsheet at all",
    b"%PDF-1.4 fake",
])
def test_a_file_that_is_not_xlsx_is_refused_clearly(org, content):
    with pytest.raises(excel.ImportRefused) as err:
        excel.import_upload(actor=org["rep1"], upload=SimpleUploadedFile("商机.xlsx", content))
    assert err.value.status == 422 and err.value.code == "import_refused"
    with pytest.raises(excel.ImportRefused) as err:
        run_import(org["rep1"], fileobj=io.BytesIO(content))
    assert "xlsx" in str(err.value.message)


def test_a_zip_or_damaged_workbook_is_refused(org):
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(excel.ImportRefused):
        run_import(org["rep1"], fileobj=plain_zip)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    with pytest.raises(excel.ImportRefused) as err:
        run_import(org["rep1"], fileobj=broken)
    assert "xlsx" in str(err.value.message)


def test_more_rows_than_allowed_are_refused(org, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    with translation.override("en"):
        refused = refusal(org["rep1"], [good_row(n) for n in range(6)])
    assert "more than 5 rows" in str(refused.message)
    assert Opportunity.objects.count() == 0
    assert run_import(org["rep1"], [good_row(n) for n in range(5)]).created == 5


def test_an_empty_file_is_refused(org):
    with translation.override("en"):
        assert "no rows" in str(refusal(org["rep1"], []).message)


def test_someone_without_a_department_cannot_import(org):
    admin = org["admin"]
    admin.department = None
    with translation.override("en"):
        refused = refusal(admin, [good_row(1)])
    assert "department" in str(refused.message)


# --- background jobs and the web pages ----------------------------------------------------------------------------

def upload(content, name="商机.xlsx"):
    data = content.getvalue() if hasattr(content, "getvalue") else content
    return SimpleUploadedFile(name, data, content_type=excel.XLSX_CONTENT_TYPE)


def test_a_job_runs_after_the_commit_and_records_the_result(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = excel.import_job_create(actor=org["rep1"], upload=upload(xlsx([good_row(1), good_row(2)])))
    job.refresh_from_db()
    assert (job.status, job.created_count, job.total, job.done, job.percent) == ("done", 2, 2, 2, 100)
    assert job.finished_at and job.errors == []
    assert job.file.original_name == "商机.xlsx" and job.file.kind == "xlsx"


def test_a_refused_job_keeps_the_report(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = excel.import_job_create(actor=org["rep1"], upload=upload(xlsx([good_row(1, 预计金额=-1)])))
    job.refresh_from_db()
    assert job.status == "failed" and job.errors == [
        {"row": 2, "column": "预计金额", "message": job.errors[0]["message"]}]
    assert job.message and Opportunity.objects.count() == 0


def test_a_job_belongs_to_its_creator_only(org):
    with pytest.raises(excel.ImportRefused):
        excel.import_job_create(actor=org["rep1"], upload=upload(b"not excel"))
    assert ImportJob.objects.count() == 0
    job = excel.import_job_create(actor=org["rep1"], upload=upload(xlsx([good_row(1)])))
    assert excel.import_job_get(actor=org["rep1"], pk=job.pk) == job
    for other in ("rep2", "head1", "admin"):
        with pytest.raises(NotFound):
            excel.import_job_get(actor=org[other], pk=job.pk)


def test_import_page_uploads_and_the_job_page_shows_the_result(browser, django_capture_on_commit_callbacks):
    client = browser("rep1")
    page = client.get(reverse("opportunities:import"))
    assert page.status_code == 200 and reverse("opportunities:import_template") in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("opportunities:import"), {"file": upload(xlsx([good_row(1), good_row(2)]))})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("opportunities:import_job", args=[job.pk])
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in html and "hx-trigger" not in html
    assert "2" in html.split('data-testid="import-done"')[1].split("</div>")[0]
    assert "<script>" not in html and "<script " not in html.replace('<script src=', "")


def test_job_page_polls_while_running_and_lists_errors_at_the_end(browser, org, django_capture_on_commit_callbacks):
    client = browser("rep1")
    job = excel.import_job_create(actor=org["rep1"], upload=upload(xlsx([good_row(1, 行业="alchemy")])))
    partial = client.get(reverse("opportunities:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'hx-trigger="every 1s"' in html and "<html" not in html and 'data-status="queued"' in html
    from opsmon.opportunities.tasks import run_import_job
    run_import_job.call(job.pk)
    html = client.get(reverse("opportunities:import_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and 'data-testid="import-errors"' in html
    assert "行业" in html and "alchemy" in html
    assert browser("rep2").get(reverse("opportunities:import_job", args=[job.pk])).status_code == 404


def test_import_page_shows_a_refused_upload_on_the_form(browser):
    client = browser("rep1")
    response = client.post(reverse("opportunities:import"), {"file": upload(b"plain text", name="x.xlsx")})
    assert response.status_code == 200 and 'data-field-error="file"' in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_web_export_uses_the_list_query_and_the_session(browser, org):
    factories.opportunity(org["rep1"], stage="proposal")
    wanted = factories.opportunity(org["rep1"], stage="commit")
    client = browser("rep1")
    response = client.get(reverse("opportunities:export") + "?stage=commit&owner=&page=2&amount_min=abc")
    assert response.status_code == 200 and response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    rows, _ = sheet_rows(response.content)
    assert [r[0].value for r in rows[1:]] == [wanted.number]
    template = client.get(reverse("opportunities:import_template"))
    assert template.status_code == 200 and load_workbook(io.BytesIO(template.content)).sheetnames == ["商机", "说明"]


def test_web_pages_need_login(client, db):
    for name in ("opportunities:import", "opportunities:export", "opportunities:import_template"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/login/")
