"""Demo of the outside systems: the integration account `pms` (项目监控系统) and what it reported.

It runs after the contracts demo: the projects already won or handed to implementation are handed to `pms` (the
hand-off it would have got had it been connected before), then it reports through the services, as it would
through POST /api/v1/integrations/project-status:
- the first won project with a signed contract (银行自助设备集中监控): accepted → progress → milestone 1 done →
  delivered → accepted by the customer (the project's end), with an `accepted` sent again under another key (a
  duplicate);
- the second (银行数据中心容量监测): accepted → progress 80% → delivered, the customer's acceptance to come;
- the third (银行营业网点视频巡检) stays won: handed over, nothing reported yet;
- the project routed to implementation (供水管网漏损监测平台): accepted, progress 60%, a late and older progress of
  20% (superseded), and a customer acceptance before any delivery report (pending): in delivery at 60%.
The admin issues its token on /admin/webhooks/accounts/ (the demo issues none: a token is shown once).
Idempotent: a project that already has events of `pms` is left as it is.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.projects.choices import ProjectStatus
from opsmon.projects.models import Project

from . import services
from .inbound import contract_of, project_status_receive
from .models import Handoff, InboundEvent, IntegrationAccount
from .receivers import hand_off

USERNAME = "pms"


def _at(start, step: int) -> datetime:
    """The step-th event's time: a day per step after `start`, never later than yesterday."""
    day = min(start + timedelta(days=step), timezone.localdate() - timedelta(days=1))
    return timezone.make_aware(datetime.combine(day, time(9 + step)))


def _report(account, project, steps) -> None:
    """`steps`: (n, event, extra), sent in this order; the n-th step happened n days after the start."""
    contract = contract_of(project, None)
    start = contract.signed_on if contract and contract.signed_on else timezone.localdate(project.created_at)
    for i, (n, event, extra) in enumerate(steps, 1):
        project_status_receive(actor=account.user, project_number=project.number, event=event, at=_at(start, n),
                               idempotency_key=f"demo-{project.number}-{i}", **extra)


WON_SCENARIOS = [
    # to the end, with an `accepted` sent again under another key (duplicate)
    [(1, "accepted", {"note": "项目经理已指派，实施启动。"}), (2, "progress", {"percent": 50}),
     (3, "accepted", {"note": "重复上报。"}), (4, "milestone_done", {"milestone": 1, "note": "预付款节点完成。"}),
     (5, "delivered", {"note": "系统上线。"}), (6, "customer_accepted", {"note": "客户终验通过。"})],
    # delivered, the customer's acceptance still to come
    [(1, "accepted", {"note": "实施启动。"}), (2, "progress", {"percent": 80}),
     (4, "delivered", {"note": "系统上线试运行。"})],
    # the next won project is left won: handed over, nothing reported yet
]
IMPLEMENTATION_SCENARIOS = [
    # in delivery at 60%: the 20% report arrives after the 60% one but happened earlier (superseded); the customer's
    # acceptance arrives before the delivery report it needs (pending)
    [(1, "accepted", {"note": "实施团队进场。"}), (3, "progress", {"percent": 60}), (2, "progress", {"percent": 20}),
     (5, "customer_accepted", {"note": "终验报告先到，等待交付上报。"})],
]


@transaction.atomic
def load(admin=None) -> None:
    admin = admin or User.objects.get(username="admin")
    account = IntegrationAccount.objects.filter(user__username=USERNAME).first() or services.account_create(
        actor=admin, username=USERNAME, display_name="项目监控系统")
    waiting = Project.objects.filter(status__in=(ProjectStatus.WON, ProjectStatus.IMPLEMENTATION)).exclude(
        pk__in=Handoff.objects.filter(account=account).values("project_id")).order_by("number")
    for project in waiting:
        hand_off(actor=admin, project=project, contract=contract_of(project, None))
    if InboundEvent.objects.filter(account=account).exists():
        return  # reported already
    handed = Project.objects.filter(pk__in=Handoff.objects.filter(account=account).values("project_id"))
    won = [p for p in handed.filter(status=ProjectStatus.WON).order_by("number") if contract_of(p, None)]
    others = list(handed.filter(status=ProjectStatus.IMPLEMENTATION).order_by("number"))
    for project, steps in [*zip(won, WON_SCENARIOS, strict=False),
                           *zip(others, IMPLEMENTATION_SCENARIOS, strict=False)]:
        _report(account, project, steps)
