"""Demo customers and opportunities for both sales departments, in every status, made through the services."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.customers.models import Customer
from opsmon.customers.services import customer_create

from . import services
from .models import Opportunity

CUSTOMERS = [
    # name, type, credit code, industry, region, contact
    ("国网福建省电力有限公司", "soe", "91350100M000100Y43", "energy", "350000", ("林工", "信息通信分公司主任")),
    ("北京市某区政务服务管理局", "government", "", "government", "110000", ("张处长", "信息化处")),
    ("广州地铁集团有限公司", "soe", "", "transport", "440000", ("陈经理", "运营信息部")),
    ("某某商业银行股份有限公司", "private", "", "finance", "310000", ("刘主任", "科技部")),
    ("浙江某水务集团有限公司", "soe", "", "water_environment", "330000", ("周工", "调度中心")),
    ("四川某三甲医院", "institution", "", "healthcare", "510000", ("赵主任", "信息科")),
]

# owner, title, customer index, amount, stage, days to close, members, final status
OPPORTUNITIES = [
    ("rep1", "配电自动化主站运维监控平台", 0, "3860000.00", "negotiation", 45, ["rep1b"], "converted"),
    ("rep1", "政务云运行监控系统扩容", 1, "1280000.00", "proposal", 60, [], "conversion_requested"),
    ("rep1", "数据中心动环监控改造", 0, "560000.00", "qualified", 90, [], "tracking"),
    ("rep1b", "银行核心系统运维可视化", 3, "2450000.00", "commit", 30, ["rep1"], "tracking"),
    ("rep1b", "医院信息系统统一监控", 5, "780000.00", "discovery", 120, [], "closed"),
    ("rep2", "地铁综合监控系统升级", 2, "5200000.00", "negotiation", 40, [], "converted"),
    ("rep2", "智慧水务运营监控平台", 4, "1680000.00", "proposal", 75, [], "conversion_requested"),
    ("rep2", "地铁票务系统监控接口", 2, "320000.00", "discovery", 150, [], "tracking"),
    ("rep2", "水厂自控系统巡检服务", 4, "150000.00", "qualified", 20, [], "closed"),
]


def _customers(admin_rep) -> list[Customer]:
    out = []
    for name, kind, code, industry, region, (contact, title) in CUSTOMERS:
        existing = Customer.objects.filter(name=name).first()
        out.append(existing or customer_create(
            actor=admin_rep, name=name, customer_type=kind, credit_code=code, industry=industry, region=region,
            contacts=[{"name": contact, "title": title, "phone": "0591-88000000"}]))
    return out


@transaction.atomic
def load(admin=None) -> None:
    """Idempotent: does nothing when demo opportunities exist."""
    if Opportunity.objects.exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["rep1", "rep1b", "rep2", "head1", "head2"])}
    customers = _customers(users["rep1"])
    today = timezone.localdate()
    for owner, title, customer, amount, stage, days, members, status in OPPORTUNITIES:
        rep = users[owner]
        head = users["head1" if rep.department.name == "销售一部" else "head2"]
        opp = services.opportunity_create(
            actor=rep, title=title, customer_id=customers[customer].pk, estimated_amount=amount, stage=stage,
            expected_close_date=today + timedelta(days=days), industry=customers[customer].industry,
            region=customers[customer].region, source="tender_notice" if days < 60 else "visit",
            description=f"{customers[customer].name}：{title}。", member_ids=[users[m].pk for m in members])
        next_date = today - timedelta(days=1) if status == "tracking" else today + timedelta(days=7)  # some due
        services.follow_up_add(actor=rep, opportunity=opp, happened_on=today - timedelta(days=7), kind="visit",
                               note="拜访客户，了解现有系统和痛点。", next_step="提交初步方案", next_date=next_date)
        if status in ("conversion_requested", "converted"):
            services.opportunity_request_conversion(actor=rep, opportunity=opp, comment="客户预算已落实，申请转立项。")
        if status == "converted":
            services.opportunity_convert(actor=head, opportunity=Opportunity.objects.get(pk=opp.pk),
                                         comment="同意立项，请尽快指定技术负责人。")
        if status == "closed":
            services.opportunity_close(actor=head, opportunity=Opportunity.objects.get(pk=opp.pk), reason="lost",
                                       comment="客户选择了其他供应商。")
