"""Demo projects in every status, made through the services (after the opportunity demo)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.customers.models import Customer
from opsmon.opportunities.services import opportunity_convert, opportunity_create

from . import services
from .models import Project

REVIEW = {
    "technical_assessment": "现有监控平台采用微服务架构，可通过标准接口接入客户的 SCADA 与工单系统，技术上可行。",
    "implementation_assessment": "需 1 名项目经理、3 名实施工程师，驻场约 3 个月；客户需提供测试环境。",
    "risks": "客户机房改造进度不确定；第三方系统接口文档不完整。",
    "estimated_effort_days": "180", "conclusion": "feasible",
}

# (owner, title, customer name, amount, final status)
PROJECTS = [
    ("rep1", "输电线路在线监测平台", "国网福建省电力有限公司", "2680000.00", "feasibility"),
    ("rep1", "政务外网安全运维监控", "北京市某区政务服务管理局", "960000.00", "pending_approval"),
    ("rep1b", "银行灾备中心监控集成", "某某商业银行股份有限公司", "3150000.00", "approved"),
    ("rep1", "变电站智能巡检系统", "国网福建省电力有限公司", "1880000.00", "bidding"),
    ("rep2", "地铁线网指挥中心大屏监控", "广州地铁集团有限公司", "4300000.00", "contract_review"),
    ("rep2", "供水管网漏损监测平台", "浙江某水务集团有限公司", "1250000.00", "implementation"),
    ("rep2", "医院机房动环改造", "四川某三甲医院", "420000.00", "rejected"),
    ("rep1b", "银行网点设备监控试点", "某某商业银行股份有限公司", "280000.00", "cancelled"),
]
STEPS = ["awaiting_lead", "feasibility", "pending_approval", "approved"]
# How projects end (DOMAIN.md "Lifecycle"): routed here, finished by the bid demo (bid lost → lost; bid abandoned →
# stays bidding; abandoned then closed → lost) and the contract demo (signed → won; signed then terminated →
# terminated). in_delivery / delivered / accepted come from the outside system (integrations' demo).
LIFECYCLE = [
    ("rep1", "电力调度数据网安全监测", "国网福建省电力有限公司", "1720000.00", "bidding"),
    ("rep1", "政务大厅排队叫号监控", "北京市某区政务服务管理局", "380000.00", "bidding"),
    ("rep1", "政务热线系统运行监控", "北京市某区政务服务管理局", "560000.00", "bidding"),
    ("rep1b", "银行自助设备集中监控", "某某商业银行股份有限公司", "1350000.00", "contract_review"),
    ("rep1b", "银行机房能耗监测", "某某商业银行股份有限公司", "460000.00", "contract_review"),
    ("rep1b", "银行数据中心容量监测", "某某商业银行股份有限公司", "780000.00", "contract_review"),
    ("rep1b", "银行营业网点视频巡检", "某某商业银行股份有限公司", "640000.00", "contract_review"),
]


@transaction.atomic
def load(admin=None) -> None:
    """Idempotent: does nothing when these demo projects exist."""
    if Project.objects.filter(title=PROJECTS[0][1]).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["rep1", "rep1b", "rep2", "head1", "head2",
                                                                       "lead1"])}
    today = timezone.localdate()
    for owner, title, customer_name, amount, status in PROJECTS + LIFECYCLE:
        rep = users[owner]
        head = users["head1" if rep.department.name == "销售一部" else "head2"]
        customer = Customer.objects.get(name=customer_name)
        opp = opportunity_create(actor=rep, title=title, customer_id=customer.pk, estimated_amount=amount,
                                 stage="negotiation", expected_close_date=today + timedelta(days=60),
                                 industry=customer.industry, region=customer.region)
        _, project = opportunity_convert(actor=head, opportunity=opp, comment="同意立项。")
        target = STEPS.index(status) if status in STEPS else len(STEPS)
        if status == "cancelled":
            services.project_cancel(actor=rep, project=project, reason="客户暂停该项目预算。")
            continue
        if target >= 1 or status == "rejected":
            project = services.project_assign_lead(actor=head, project=project, tech_lead=users["lead1"])
            services.feasibility_save(actor=users["lead1"], project=project, **REVIEW)
        if target >= 2 or status == "rejected":
            project = services.project_submit_feasibility(actor=users["lead1"], project=project)
        if status == "rejected":
            services.project_reject(actor=head, project=project, comment="投入产出比不足，暂不立项。")
            continue
        if target >= 3:
            project = services.project_approve(actor=head, project=project, comment="同意，按计划推进。")
        if status in ("bidding", "contract_review", "implementation"):
            services.project_route(actor=rep, project=project, to=status)
