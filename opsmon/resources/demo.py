"""Demo resource requests in every state and effort logs, made through the services (after the project demo):
a granted request (trimmed by the head, the technical step approved) with logs on 变电站智能巡检系统 (its bid's
summary is prefilled from them), one in review, a draft and a refused one."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.approvals import selectors as approval_selectors
from opsmon.projects.models import Project

from . import services
from .models import ResourceRequest

GRANTED_ON = "变电站智能巡检系统"
IN_REVIEW_ON = "银行灾备中心监控集成"
DRAFT_ON = "地铁线网指挥中心大屏监控"
REFUSED_ON = "供水管网漏损监测平台"


def _approve_all(request, trims: dict | None = None):
    trims = trims or {}
    while (step := approval_selectors.current_step(request)) is not None:
        decider = step.deciders.filter(decision="").select_related("user").first().user
        lines = [{"type": "people", "id": line.pk, "granted": trims[line.role]}
                 for line in request.people.all() if line.role in trims]
        request = services.request_approve(actor=decider, request=request, comment="同意。", lines=lines)
        trims = {}
    return request


@transaction.atomic
def load() -> None:
    projects = {p.title: p for p in Project.objects.filter(title__in=[GRANTED_ON, IN_REVIEW_ON, DRAFT_ON,
                                                                      REFUSED_ON]).select_related("owner")}
    if len(projects) < 4 or ResourceRequest.objects.filter(project__in=projects.values()).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["rep1", "lead1", "rep2"])}
    today = timezone.localdate()

    project = projects[GRANTED_ON]
    request = services.request_create(
        actor=project.owner, project=project, note="投标阶段需技术负责人编写方案、工程师做现场勘查。",
        people=[{"role": "tech_lead", "days": "10"}, {"role": "engineer", "days": "8", "user_id": users["lead1"].pk},
                {"role": "business", "days": "5"}],
        budget=[{"kind": "travel", "amount": "12000"}, {"kind": "tender_fees", "amount": "800"},
                {"kind": "documents", "amount": "1500"}])
    _approve_all(services.request_submit(actor=project.owner, request=request), {"tech_lead": "8"})
    for days_ago, user, kind, days, amount, note in [
            (12, "rep1", "business", "1", None, "拜访客户信息中心"),
            (10, "lead1", "tech_lead", "2.5", None, "技术方案编写"),
            (9, "lead1", "engineer", "1.5", None, "变电站现场勘查"),
            (9, "rep1", "travel", None, "2380.00", "勘查差旅"),
            (6, "rep1", "tender_fees", None, "500.00", "标书购买"),
            (4, "lead1", "tech_lead", "2", None, "投标文件技术部分")]:
        services.effort_log(actor=users[user], project=project, user_id=users[user].pk,
                            on=today - timedelta(days=days_ago), kind=kind, days=days, amount=amount, note=note)

    project = projects[IN_REVIEW_ON]
    request = services.request_create(actor=project.owner, project=project, note="方案交流与 POC 准备。",
                                      people=[{"role": "tech_lead", "days": "6"}, {"role": "business", "days": "4"}],
                                      budget=[{"kind": "travel", "amount": "5000"}])
    services.request_submit(actor=project.owner, request=request)

    project = projects[DRAFT_ON]
    services.request_create(actor=project.owner, project=project, note="合同评审期间的商务支持。",
                            people=[{"role": "business", "days": "3"}], budget=[{"kind": "other", "amount": "2000"}])

    project = projects[REFUSED_ON]
    request = services.request_create(actor=project.owner, project=project, note="实施前调研。",
                                      people=[{"role": "business", "days": "20"}],
                                      budget=[{"kind": "travel", "amount": "30000"}])
    request = services.request_submit(actor=project.owner, request=request)
    step = approval_selectors.current_step(request)
    head = step.deciders.select_related("user").first().user
    services.request_reject(actor=head, request=request, comment="差旅预算过高，请压缩后重新提交。")
