"""Demo purchase budgets and requests, made through the services (after the project demo): 变电站智能巡检系统 (rep1)
has an approved budget and requests in draft, submitted, returned and approved; 供水管网漏损监测平台 (rep2) has a
budget smaller than its approved request (over budget: its next request gets the budget step)."""

from django.db import transaction

from opsmon.accounts.models import User
from opsmon.approvals import selectors as approval_selectors
from opsmon.codes.models import CodeItem
from opsmon.projects.models import Project

from . import services
from .models import PurchaseRequest

BUDGETED = "变电站智能巡检系统"
OVER_BUDGET = "供水管网漏损监测平台"


def _decide_all(request, decision="approve", comment="同意。"):
    while (step := approval_selectors.current_step(request)) is not None:
        decider = step.deciders.filter(decision="").select_related("user").first().user
        request = services.request_decide(actor=decider, request=request, step_id=step.pk, decision=decision,
                                          comment=comment)
        if decision != "approve":
            break
    return request


def _approve_budget(project, owner, lines):
    services.budget_save(actor=owner, project=project, lines=lines, note="按投标方案测算。")
    budget = services.budget_submit(actor=owner, project=project)
    step = approval_selectors.current_step(budget)
    decider = step.deciders.select_related("user").first().user
    return services.budget_decide(actor=decider, project=project, step_id=step.pk, decision="approve",
                                  comment="同意。")


@transaction.atomic
def load() -> None:
    projects = {p.title: p for p in Project.objects.filter(title__in=[BUDGETED, OVER_BUDGET])
                .select_related("owner", "department")}
    needed = {"unit": {"set", "suite", "person_day"}, "supplier_category": {"hardware", "software", "service"}}
    have = {(t, c) for t, c in CodeItem.objects.filter(table__name__in=needed).values_list("table__name", "code")}
    if len(projects) < 2 or PurchaseRequest.objects.exists() or any(
            (t, c) not in have for t, codes in needed.items() for c in codes):
        return
    users = {u.username: u for u in User.objects.filter(username__in=["rep1", "rep2"])}

    project = projects[BUDGETED]
    _approve_budget(project, project.owner, [{"category": "hardware", "amount": "600000"},
                                             {"category": "software", "amount": "150000"},
                                             {"category": "service", "amount": "80000"}])
    approved = services.request_create(actor=users["rep1"], title="巡检机器人及边缘服务器", project_id=project.pk,
                                       lines=[
        {"item": "轨道式巡检机器人", "spec": "含充电桩", "unit": "set", "qty": "4", "est_unit_price": "68000",
         "category": "hardware"},
        {"item": "边缘计算服务器", "spec": "2U 双路 256G", "unit": "set", "qty": "2", "est_unit_price": "45000",
         "category": "hardware"}])
    _decide_all(services.request_submit(actor=users["rep1"], request=approved))
    submitted = services.request_create(actor=users["rep1"], title="巡检分析软件许可", project_id=project.pk, lines=[
        {"item": "图像识别分析软件", "spec": "站点授权", "unit": "suite", "qty": "1", "est_unit_price": "120000",
         "category": "software"}])
    services.request_submit(actor=users["rep1"], request=submitted)
    returned = services.request_create(actor=users["rep1"], title="现场安装调试服务", project_id=project.pk, lines=[
        {"item": "安装调试", "spec": "", "unit": "person_day", "qty": "40", "est_unit_price": "1500",
         "category": "service"}])
    _decide_all(services.request_submit(actor=users["rep1"], request=returned), "return",
                "请写明安装范围和验收标准。")
    services.request_create(actor=users["rep1"], title="备品备件", project_id=project.pk, lines=[
        {"item": "可见光摄像机模组", "spec": "备件", "unit": "set", "qty": "6", "est_unit_price": "3200.5",
         "category": "hardware"}], note="草稿：待确认数量。")

    project = projects[OVER_BUDGET]
    _approve_budget(project, project.owner, [{"category": "hardware", "amount": "200000"}])
    over = services.request_create(actor=users["rep2"], title="漏损监测传感器", project_id=project.pk, lines=[
        {"item": "压力及流量传感器", "spec": "NB-IoT", "unit": "set", "qty": "300", "est_unit_price": "780",
         "category": "hardware"}])
    _decide_all(services.request_submit(actor=users["rep2"], request=over), comment="同意，超预算部分从风险金列支。")
