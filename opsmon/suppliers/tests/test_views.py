"""The supplier pages: the list with its filters and export, registering with the input kept on refusal, the
detail page's sections by role, the actions' forms, the import page's per-row report."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from opsmon.core import xlsx
from opsmon.suppliers import demo
from opsmon.suppliers.models import Supplier

from .factories import credit_code, pdf, qualification, supplier, today

pytestmark = pytest.mark.django_db


def test_list_filters_and_export(org, browser):
    demo.load()
    client = browser("rep1")
    page = client.get(reverse("suppliers:list"), {"status": "pending"}).content.decode()
    assert "南京博远数据服务有限公司" in page and "上海云栖软件科技有限公司" not in page
    assert 'data-testid="supplier-new"' not in page  # a sales rep does not register suppliers
    page = client.get(reverse("suppliers:list"), {"expiring": "on"}).content.decode()
    assert "深圳迅达网络技术有限公司" in page and "南京博远数据服务有限公司" not in page
    export = client.get(reverse("suppliers:export"), {"category": "software"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["上海云栖软件科技有限公司"]
    assert 'data-testid="supplier-new"' in browser("buyer1").get(reverse("suppliers:list")).content.decode()


def test_register_keeps_the_input_on_refusal(org, browser):
    client = browser("buyer1")
    response = client.post(reverse("suppliers:create"), {"name": "保留输入有限公司", "credit_code": "91110000XXXX",
                                                         "categories": ["hardware", "cloud"], "contact": "李工"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="保留输入有限公司"' in html and 'value="李工"' in html and 'data-field-error="credit_code"' in html
    assert html.count("checked") >= 2
    assert not Supplier.objects.filter(name="保留输入有限公司").exists()
    code = credit_code()
    response = client.post(reverse("suppliers:create"), {"name": "保留输入有限公司", "credit_code": code,
                                                         "categories": ["hardware"]})
    s = Supplier.objects.get(credit_code=code)
    assert response.status_code == 302 and response["Location"] == reverse("suppliers:detail", args=[s.pk])
    assert browser("rep1").get(reverse("suppliers:create")).status_code == 403


def test_detail_sections_by_role_and_download(org, browser):
    s = supplier(org)
    q = qualification(org, s)
    buyer = browser("buyer1").get(reverse("suppliers:detail", args=[s.pk])).content.decode()
    assert 'data-testid="supplier-qualifications"' in buyer and q.number in buyer
    rep = browser("rep1").get(reverse("suppliers:detail", args=[s.pk])).content.decode()
    assert s.name in rep and 'data-testid="supplier-qualifications"' not in rep
    assert 'data-testid="supplier-accounts"' not in rep
    url = reverse("suppliers:qualification_download", args=[q.pk])
    assert browser("rep1").get(url).status_code == 404
    assert browser("finance1").get(url).status_code == 200


def test_actions_keep_the_input_on_refusal(org, browser):
    s = supplier(org)
    head = browser("phead1")
    response = head.post(reverse("suppliers:blacklist", args=[s.pk]), {"blacklist-reason": "",
                                                                       "blacklist-until": "2031-01-01"})
    assert response.status_code == 422
    assert 'value="2031-01-01"' in response.content.decode()
    assert Supplier.objects.get(pk=s.pk).status == "pending"
    buyer = browser("buyer1")
    response = buyer.post(reverse("suppliers:qualification_add", args=[s.pk]), {
        "qualification-kind": "business_licence", "qualification-number": "YYZZ-1",
        "qualification-valid_from": today().isoformat(),
        "qualification-valid_to": (today() + timedelta(days=300)).isoformat(), "qualification-file": pdf()})
    assert response.status_code == 302
    head = browser("phead1")  # one test client: log the head in again
    response = head.post(reverse("suppliers:qualify", args=[s.pk]), {"qualify-comment": "齐全"})
    assert response.status_code == 302 and Supplier.objects.get(pk=s.pk).status == "qualified"


def _workbook(rows) -> io.BytesIO:
    wb = xlsx.workbook()
    ws = wb.active
    xlsx.append(ws, ["名称", "统一社会信用代码", "类别", "中小企业", "联系人", "电话", "地址"])
    for row in rows:
        xlsx.append(ws, row)
    f = io.BytesIO(xlsx.save(wb))
    f.name = "suppliers.xlsx"
    return f


def test_import_page_reports_the_bad_row_and_saves_nothing(org, browser):
    client = browser("buyer1")
    before = Supplier.objects.count()
    good, bad = credit_code(), "91110000BADCODE00"
    response = client.post(reverse("suppliers:import"), {"file": _workbook([
        ["导入一号有限公司", good, "硬件、软件", "是", "张", "", ""],
        ["导入二号有限公司", bad, "硬件", "否", "", "", ""],
    ])})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="import-problem"' in html and "<td>3</td>" in html and "统一社会信用代码" in html
    assert Supplier.objects.count() == before
    response = client.post(reverse("suppliers:import"), {"file": _workbook([
        ["导入一号有限公司", good, "硬件、software", "是", "张", "", ""]])})
    assert response.status_code == 302
    assert Supplier.objects.get(credit_code=good).category_codes == ["hardware", "software"]
    assert browser("rep1").get(reverse("suppliers:import")).status_code == 403
