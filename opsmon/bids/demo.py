"""Demo bids and bonds in every state, made through the services (after the project demo)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.opportunities.models import Opportunity
from opsmon.projects import services as project_services
from opsmon.projects.models import Project

from . import services
from .models import Bid

ENTRIES = {
    True: [{"bidder": "本公司", "price": "1180000.00", "score": 92.5, "rank": 1, "is_us": True},
           {"bidder": "华信智能科技有限公司", "price": "1090000.00", "score": 88.0, "rank": 2},
           {"bidder": "远景信息股份有限公司", "price": "1260000.00", "score": 85.5, "rank": 3}],
    False: [{"bidder": "华信智能科技有限公司", "price": "980000.00", "score": 93.0, "rank": 1},
            {"bidder": "本公司", "price": "1150000.00", "score": 90.5, "rank": 2, "is_us": True}],
}
# title suffix, final state, bond plan
BIDS = [
    ("（二期）", "preparing", None),
    ("（运维服务包）", "submitted", "paid"),
    ("（备件采购）", "opened", "paid"),
    ("（主站升级）", "won", "converted"),
    ("（三期）", "lost", "refunded"),
    ("（试点）", "abandoned", "forfeited"),
    ("（一期）", "closed", "planned"),
]


# The projects demo's routed projects whose bid ends here (DOMAIN.md "Lifecycle"): project title → fate.
PROJECT_FATES = {"电力调度数据网安全监测": "lost", "政务大厅排队叫号监控": "abandoned",
                 "政务热线系统运行监控": "closed"}


def _project_fates(users) -> None:
    """A lost bid leaves its project lost and its opportunity closed; an abandoned one leaves the project bidding
    (its owner may bid again or close it); one is closed after the abandoned bid."""
    rep, head = users["rep1"], users["head1"]
    now = timezone.now()
    for title, fate in PROJECT_FATES.items():
        project = Project.objects.filter(title=title, status="bidding").first()
        bid = project and project.bids.order_by("-id").first()
        if bid is None or bid.status != "registered":
            continue
        if fate == "lost":
            bid = services.tender_analysis_save(actor=rep, bid=bid, tender_no=f"FJ-2026-{bid.pk:04d}",
                                                submission_deadline=now + timedelta(days=1),
                                                opening_at=now + timedelta(days=1))
            bid = services.bid_submit(actor=rep, bid=services.bid_start_preparation(actor=rep, bid=bid))
            bid = services.opening_record(actor=rep, bid=bid, opened_at=now, entries=ENTRIES[False],
                                          winner=ENTRIES[False][0]["bidder"])
            services.bid_mark_lost(actor=head, bid=bid)
            continue
        services.bid_abandon(actor=rep, bid=bid, reason="招标人终止招标（流标）。")
        if fate == "closed":
            project_services.project_close(actor=rep, project=Project.objects.get(pk=project.pk),
                                           reason="客户改为单一来源采购，我方不再参与。")


@transaction.atomic
def load(admin=None) -> None:
    """Idempotent: does nothing when demo bids with these titles exist."""
    _project_fates({u.username: u for u in User.objects.filter(username__in=["rep1", "head1"])})
    opportunity = Opportunity.objects.filter(title="配电自动化主站运维监控平台").first()
    if opportunity is None or Bid.objects.filter(title__startswith=opportunity.title + "（").exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=["rep1", "head1", "assistant1"])}
    rep, head, assistant = users["rep1"], users["head1"], users["assistant1"]
    now, today = timezone.now(), timezone.localdate()
    for suffix, state, bond_state in BIDS:
        bid = services.bid_register(actor=assistant, opportunity=opportunity, title=opportunity.title + suffix)
        bid = services.tender_analysis_save(
            actor=rep, bid=bid, tenderer="国网福建省电力有限公司", agency="福建省招标股份有限公司",
            tender_no=f"FJ-2026-{bid.pk:04d}", tender_method="open_tender", estimated_price="1200000.00",
            ceiling_price="1300000.00", submission_deadline=now + timedelta(days=2 if state == "preparing" else 10),
            opening_at=now + timedelta(days=2 if state == "preparing" else 10), scoring_method="comprehensive",
            qualification_requirements="具有独立法人资格；近三年有同类项目业绩；信息系统集成资质。", decision="bid")
        if bond_state:
            bond = services.bond_create(actor=assistant, bid=bid, kind="bid", amount="24000.00",
                                        method="bank_transfer", due_on=today + timedelta(days=5))
            if bond_state != "planned":
                bond = services.bond_pay(actor=assistant, bond=bond, paid_on=today - timedelta(days=3),
                                         reference=f"HX{bid.pk:06d}")
        if state == "abandoned":
            services.bid_abandon(actor=rep, bid=bid, reason="招标人取消采购（流标）。")
        else:
            bid = services.bid_start_preparation(actor=rep, bid=bid)
        if state in ("submitted", "opened", "won", "lost", "closed"):
            bid = services.bid_submit(actor=rep, bid=bid)
        if state in ("opened", "won", "lost", "closed"):
            won = state != "lost"
            bid = services.opening_record(actor=rep, bid=bid, opened_at=now, entries=ENTRIES[won],
                                          winner=ENTRIES[won][0]["bidder"])
        if state in ("won", "closed"):
            bid = services.bid_mark_won(actor=head, bid=bid)
        if state == "lost":
            bid = services.bid_mark_lost(actor=rep, bid=bid)
        bid = Bid.objects.get(pk=bid.pk)
        if bond_state == "converted":
            services.bond_convert_to_performance(actor=assistant, bond=bond)
        elif bond_state == "refunded":
            services.bond_refund(actor=assistant, bond=bond, refunded_on=today, amount="24000.00", interest="8.60")
        elif bond_state == "forfeited":
            services.bond_forfeit(actor=assistant, bond=bond, reason="中标后放弃签约，保证金被没收。")
        if state in ("lost", "abandoned", "closed"):
            services.summary_save(actor=rep, bid=bid, person_days="12", cost="8600.00",
                                  outcome_reason="报价高于第一名约 15%。" if state == "lost" else "按计划完成。",
                                  lessons="加强成本测算，提前了解竞争对手报价策略。")
        if state == "closed":
            services.bid_close(actor=rep, bid=Bid.objects.get(pk=bid.pk))
