"""Budgets and purchase requests made through the services, as users would make them."""

from importlib import import_module

from django.apps import apps

from opsmon.approvals import selectors as approval_selectors
from opsmon.codes.models import CodeItem, CodeTable
from opsmon.procurement import services
from opsmon.procurement.models import PurchaseRequest
from opsmon.projects.tests.factories import approved_project

LINES = [
    {"item": "服务器", "spec": "2U 双路", "unit": "set", "qty": "2", "est_unit_price": "15000.0050",
     "category": "hardware", "need_by": None},
    {"item": "数据库许可", "spec": "", "unit": "suite", "qty": "1.5", "est_unit_price": "3333.3333",
     "category": "software", "need_by": None},
]  # 30000.01 + 5000.00 = 35000.01

CODES = {"unit": ("单位", "Unit", [("set", "台", "unit"), ("suite", "套", "set"), ("item", "项", "item")]),
         "supplier_category": ("供应商类别", "Supplier category", [
             ("hardware", "硬件", "Hardware"), ("software", "软件", "Software"), ("service", "技术服务", "Services")])}


def codes():
    """The code items the tests use (suppliers seeds them; made here when it has not)."""
    for name, (zh, en, items) in CODES.items():
        table, _ = CodeTable.objects.get_or_create(name=name, defaults={"label_zh": zh, "label_en": en})
        for code, izh, ien in items:
            CodeItem.objects.get_or_create(table=table, code=code, defaults={"label_zh": izh, "label_en": ien})


def routes():
    """The seeded default routes and step kinds (a live-server test flushes the database)."""
    import_module("opsmon.procurement.migrations.0002_seed_review_routes").seed(apps, None)
    codes()


def project(org, owner="rep1"):
    routes()
    return approved_project(org, owner)


def line(**over):
    return {**LINES[0], **over}


def draft(org, *, owner="rep1", lines=LINES, project_=None, title="服务器采购", **kw) -> PurchaseRequest:
    routes()
    return services.request_create(actor=org[owner], title=title, lines=lines,
                                   project_id=project_.pk if project_ is not None else None, **kw)


def submitted(org, **kw) -> PurchaseRequest:
    request = draft(org, **kw)
    return services.request_submit(actor=org[kw.get("owner", "rep1")], request=request)


def budget(org, project_, amounts: dict, *, by="rep1", decider="head1"):
    """An approved budget version of `project_` ({category: amount})."""
    services.budget_save(actor=org[by], project=project_,
                         lines=[{"category": c, "amount": a} for c, a in amounts.items()])
    b = services.budget_submit(actor=org[by], project=project_)
    step = approval_selectors.current_step(b)
    return services.budget_decide(actor=org[decider], project=project_, step_id=step.pk, decision="approve")
