"""Demo review routes and contracts in every state (one amended, one amendment in review), made through the
services after the bid demo."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.approvals.models import Route
from opsmon.bids.models import Bid
from opsmon.bids.services import bid_create_contract
from opsmon.opportunities.models import Opportunity

from . import selectors, services
from .models import Contract

# A tiny but real PDF, standing in for a scanned signed copy.
SIGNED_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
              b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
              b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _routes(admin, users) -> None:
    if Route.objects.filter(kind="contract").exists():
        return
    finance, legal = users["finance1"].pk, users["legal1"].pk
    services.route_save(actor=admin, name="标准合同评审（50万元及以上）", min_amount="500000", steps=[
        {"kind": "technical", "decider_kind": "role", "role": "tech_lead"},
        {"kind": "finance", "decider_kind": "users", "users": [finance]},
        {"kind": "legal", "decider_kind": "users", "users": [legal]},
        {"kind": "management", "decider_kind": "owner_head"},
    ])
    services.route_save(actor=admin, name="小额合同评审（50万元以下）", min_amount="0", max_amount="500000", steps=[
        {"kind": "finance", "decider_kind": "users", "users": [finance]},
        {"kind": "management", "decider_kind": "owner_head"},
    ])
    services.route_save(actor=admin, name="框架协议评审（财务法务会签）", contract_type="framework", steps=[
        {"kind": "business", "decider_kind": "users", "users": [finance, legal], "mode": "all"},
        {"kind": "management", "decider_kind": "owner_head"},
    ])


def _terms(contract, *, contract_type, months=12, start=None, amount=None):
    start = start or timezone.localdate() - timedelta(days=30)
    amount = amount or contract.amount
    return dict(contract_type=contract_type, amount=str(amount), tax_rate="6", start_on=start,
                end_on=start + timedelta(days=30 * months),
                terms="甲方按付款节点支付合同款；乙方按技术规范书交付并提供一年免费维保。",
                milestones=[{"name": "预付款", "condition": "合同签订后 15 日内", "percentage": "30"},
                            {"name": "到货款", "due_on": start + timedelta(days=60), "percentage": "60"},
                            {"name": "质保金", "due_on": start + timedelta(days=30 * months), "percentage": "10"}])


def _decide_steps(contract, *, count=None, reject_at=None, comment="同意。"):
    """Decide the current step `count` times (all when None), as its first undecided decider."""
    done = 0
    while count is None or done < count:
        step = selectors.current_step(contract)
        if step is None:
            return contract
        decider = step.deciders.filter(decision="").select_related("user").first().user
        decision = "reject" if reject_at == step.position else "approve"
        contract = services.step_decide(actor=decider, contract=contract, step_id=step.pk, decision=decision,
                                        comment="付款条件需调整：预付款比例过高。" if decision == "reject" else comment)
        if decision == "reject":
            return contract
        done += 1
    return contract


def _sign(contract, actor, days_ago=10):
    pdf = SimpleUploadedFile("signed.pdf", SIGNED_PDF, content_type="application/pdf")
    return services.contract_sign(actor=actor, contract=contract,
                                  signed_on=timezone.localdate() - timedelta(days=days_ago), signed_copy=pdf)


def _draft(rep, title, **terms):
    opportunity = Opportunity.objects.get(title=title)
    return services.contract_create(actor=rep, opportunity=opportunity, **terms)


def _update(actor, contract, **data):
    contract = Contract.objects.get(pk=contract.pk)
    return services.contract_update(actor=actor, contract=contract, version=contract.version, **data)


@transaction.atomic
def load(admin=None) -> None:
    """Idempotent: does nothing when the demo contracts exist."""
    users = {u.username: u for u in User.objects.filter(
        username__in=["admin", "rep1", "rep1b", "head1", "rep2", "head2", "finance1", "legal1"])}
    if "rep1" not in users:
        return
    _routes(users["admin"], users)
    won = Bid.objects.filter(title="配电自动化主站运维监控平台（主站升级）", status="won").first()
    if won is None or won.contracts.exists():
        return
    rep1, rep1b, head1, rep2, head2 = (users[n] for n in ("rep1", "rep1b", "head1", "rep2", "head2"))

    # signed, then amended: version 2 (from the won bid; signing starts its bond refund clock)
    amended = bid_create_contract(actor=rep1, bid=won)
    amended = _update(rep1, amended, **_terms(amended, contract_type="system_integration"))
    amended = _decide_steps(services.contract_submit(actor=rep1, contract=amended))
    amended = _sign(amended, rep1)
    services.amendment_propose(
        actor=rep1, contract=amended, reason="客户追加两个变电站的接入，金额与工期相应调整。",
        changes={"amount": f"{amended.amount + 120000:.2f}", "end_on": amended.end_on + timedelta(days=60)})
    _decide_steps(Contract.objects.get(pk=amended.pk))

    # signed and archived (from the closed bid)
    closed = Bid.objects.filter(title="配电自动化主站运维监控平台（一期）").first()
    if closed is not None and closed.status == "won" and not closed.contracts.exists():
        archived = bid_create_contract(actor=rep1, bid=closed)
        archived = _update(rep1, archived, **_terms(archived, contract_type="product_sales",
                                                    start=timezone.localdate() - timedelta(days=200)))
        archived = _sign(_decide_steps(services.contract_submit(actor=rep1, contract=archived)), rep1, days_ago=150)
        services.contract_archive(actor=rep1, contract=archived)

    # drafting
    _draft(rep1, "数据中心动环监控改造", **_terms(Contract(amount=560000), contract_type="technical_service"))
    # in review: technical approved, finance waiting
    in_review = _draft(rep1b, "银行核心系统运维可视化", **_terms(Contract(amount=2450000), contract_type="operations"))
    _decide_steps(services.contract_submit(actor=rep1b, contract=in_review), count=1)
    # rejected by legal: back in drafting with the comment; round 1 stays visible
    rejected = _draft(rep1, "政务云运行监控系统扩容",
                      **_terms(Contract(amount=1280000), contract_type="software_development"))
    _decide_steps(services.contract_submit(actor=rep1, contract=rejected), reject_at=3)

    # 销售二部: approved and ready to sign (the draft made when the project was routed to contract review)
    routed = Contract.objects.filter(owner=rep2, project__isnull=False, status="drafting").first()
    if routed is not None:
        routed = _update(rep2, routed, **_terms(routed, contract_type="system_integration"))
        _decide_steps(services.contract_submit(actor=rep2, contract=routed))
    # signed, ending within 30 days, with an amendment in review (框架协议, 会签)
    ending = _draft(rep2, "智慧水务运营监控平台", **_terms(Contract(amount=1680000), contract_type="framework",
                                                          start=timezone.localdate() - timedelta(days=340)))
    ending = _sign(_decide_steps(services.contract_submit(actor=rep2, contract=ending)), rep2, days_ago=330)
    services.amendment_propose(actor=rep2, contract=ending, reason="续期三个月，条款不变。",
                               changes={"end_on": (ending.end_on + timedelta(days=90)).isoformat()})
    # small amount (小额路线), signed then terminated
    small = _draft(rep2, "地铁票务系统监控接口", **_terms(Contract(amount=320000), contract_type="technical_service"))
    small = _sign(_decide_steps(services.contract_submit(actor=rep2, contract=small)), head2, days_ago=20)
    services.contract_terminate(actor=head2, contract=small, reason="客户项目取消，双方协商一致解除合同。")
    _project_fates(rep1b, users["head1"])


def _project_fates(rep, head) -> None:
    """The projects demo's projects routed to contract review: signed (the project won, its opportunity's outcome
    won; the outside system's demo then reports delivery on two of them), and one signed then terminated (the
    project terminated)."""
    for title, terminate in (("银行自助设备集中监控", False), ("银行机房能耗监测", True),
                             ("银行数据中心容量监测", False), ("银行营业网点视频巡检", False)):
        contract = Contract.objects.filter(project__title=title, status="drafting").first()
        if contract is None:
            continue
        contract = _update(rep, contract, **_terms(contract, contract_type="system_integration"))
        contract = _sign(_decide_steps(services.contract_submit(actor=rep, contract=contract)), rep, days_ago=5)
        if terminate:
            services.contract_terminate(actor=head, contract=contract, reason="客户机构调整，双方协商解除合同。")
