"""The access matrix's data set: three record chains in known relations to every demo user, made through the
services as users would make them.

Each chain is opportunity → project → bid (with a document, a bond, the opening and the summary) → contract
(reviewed, signed, archived), plus the chain's customer. Every record ends in a final state (converted, routed or
cancelled, closed, refunded, archived), so a request that gets past authorisation is refused for the state (409)
and the matrix can send every request of every actor without one changing what the next one sees.

    A: owner rep1 (销售一部), rep1b in the team; lead1 the project's technical lead; the contract (≥ 500,000, the
       standard route) decided by lead1 (technical), finance1, legal1 and head1, then amended: two versions.
    B: owner rep2 (销售二部), no team; lead9 (not a demo user) the technical lead; the contract (< 500,000, the
       small route) decided by finance1 and head2.
    C: owner rep1b (销售一部), no team; lead9 the technical lead of a project cancelled in approval; the bid
       registered directly and lost; the contract of a type whose route is only the owner's head (head1).

Besides, records the matrix never targets, for the zero-leak checks: an open bid of B with its submission
deadline in ten days (deadlines, reminders) and a second contract of A in review (the deciders' inboxes).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.accounts import services as accounts
from opsmon.accounts.models import Department
from opsmon.approvals.models import Route
from opsmon.bids import services as bids
from opsmon.bids.models import Bid, BidDocument
from opsmon.codes.models import CodeItem
from opsmon.contracts import selectors as contract_selectors
from opsmon.contracts import services as contracts
from opsmon.contracts.demo import SIGNED_PDF
from opsmon.contracts.models import Attachment
from opsmon.customers.services import customer_create
from opsmon.integrations import services as integrations
from opsmon.notifications.models import Notification
from opsmon.notifications.services import notify
from opsmon.opportunities import services as opportunities
from opsmon.projects import services as projects

PDF = SIGNED_PDF
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVIEW = {"technical_assessment": "平台可扩展。", "implementation_assessment": "两名工程师驻场一个月。",
          "risks": "机房改造进度。", "estimated_effort_days": "60", "conclusion": "feasible"}
WON = [{"bidder": "我方科技有限公司", "price": "{ours}", "score": 92.5, "rank": 1, "is_us": True},
       {"bidder": "甲信息技术有限公司", "price": "1090000.00", "score": 88.0, "rank": 2, "is_us": False}]
LOST = [{"bidder": "甲信息技术有限公司", "price": "1090000.00", "score": 93.0, "rank": 1, "is_us": False},
        {"bidder": "我方科技有限公司", "price": "1180000.00", "score": 90.0, "rank": 2, "is_us": True}]
SPARE_ROUTE = {"name": "矩阵备用路线（停用）", "contract_type": "technical_service", "min_amount": "0",
               "active": False, "steps": [{"kind": "management", "decider_kind": "owner_head"}]}


@dataclass
class Record:
    """A record of the data set: its kind, the chain whose visibility it shares, id, number and what the figures
    count it as."""

    kind: str            # opportunity | project | bid | bond | contract
    chain: str           # A | B | C
    pk: int
    number: str = ""
    status: str = ""
    signed: bool = False
    target: bool = True  # a record the matrix sends requests to (False: only the leak checks read it)
    # Actors the chain's read column lets see its records but who do not see this one: a reviewer reads the bid
    # behind the contract he decides, not another bid of the same opportunity.
    unseen_by: frozenset = frozenset()


@dataclass
class World:
    ids: dict[str, dict[str, int]]              # chain → {path parameter name: id}
    records: list[Record]
    notifications: dict[str, int]               # username → one notification of his
    jobs: dict[str, int]                        # username → one import job of his
    users: dict[str, int]                       # username → id
    common: dict[str, object] = field(default_factory=dict)   # ids of the routes without a record
    departments: dict[str, int] = field(default_factory=dict)  # department name → id


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _terms(amount: str, contract_type: str, with_milestones: bool = True) -> dict:
    start = timezone.localdate() - timedelta(days=30)
    data = {"contract_type": contract_type, "amount": amount, "tax_rate": "6", "start_on": start,
            "end_on": start + timedelta(days=365), "terms": "按合同约定交付。"}
    if with_milestones:
        data["milestones"] = [{"name": "预付款", "condition": "签订后 15 日内", "percentage": "30"},
                              {"name": "验收款", "due_on": start + timedelta(days=180), "percentage": "70"}]
    return data


def _decide_all(contract):
    """Approve every step as its first undecided decider (或签: one is enough; 会签: all)."""
    while (step := contract_selectors.current_step(contract)) is not None:
        for decider in step.deciders.filter(decision="").select_related("user").order_by("id"):
            contract = contracts.step_decide(actor=decider.user, contract=contract, step_id=step.pk,
                                             decision="approve", comment="同意。")
            if step.mode == "any":
                break
    return contract


def _routes(admin, org) -> dict:
    """The demo routes plus one for operations contracts decided by the owner's head alone, and an inactive spare
    one the matrix may overwrite."""
    from opsmon.contracts.demo import _routes as demo_routes
    demo_routes(admin, org)
    contracts.route_save(actor=admin, name="运维合同评审（仅部门负责人）", contract_type="operations", min_amount="0",
                         steps=[{"kind": "management", "decider_kind": "owner_head"}])
    spare = contracts.route_save(actor=admin, **SPARE_ROUTE)
    return {"route_id": spare.pk}


def _customer(actor, name):
    return customer_create(actor=actor, name=name, customer_type="soe", industry="energy", region="110000")


def _opportunity(actor, customer, title, amount, members=()):
    return opportunities.opportunity_create(
        actor=actor, title=title, customer_id=customer.pk, estimated_amount=amount, stage="qualified",
        expected_close_date=timezone.localdate() + timedelta(days=90), member_ids=[m.pk for m in members])


def _feasible(head, lead, project):
    project = projects.project_assign_lead(actor=head, project=project, tech_lead=lead)
    projects.feasibility_save(actor=lead, project=project, **REVIEW)
    return projects.project_submit_feasibility(actor=lead, project=project)


def _bid_to_result(*, owner, assistant, bid, won: bool, ours: str):
    """Analysis, preparation, a tender document, a paid bid bond, submission, the opening, the result."""
    now = timezone.now()
    bid = bids.tender_analysis_save(actor=owner, bid=bid, tenderer="某市公共资源交易中心", tender_method="open_tender",
                                    estimated_price="1200000", submission_deadline=now + timedelta(days=10),
                                    opening_at=now + timedelta(days=10))
    bid = bids.bid_start_preparation(actor=owner, bid=bid)
    document = bids.document_upload(actor=owner, bid=bid, kind="tender", upload=_pdf("招标文件.pdf"))
    bond = bids.bond_create(actor=assistant, bid=bid, kind="bid", amount="20000", method="bank_transfer")
    bond = bids.bond_pay(actor=assistant, bond=bond, paid_on=timezone.localdate(), reference="BANK-001")
    bid = bids.bid_submit(actor=owner, bid=bid)
    entries = [dict(e, price=e["price"].format(ours=ours)) for e in (WON if won else LOST)]
    bid = bids.opening_record(actor=owner, bid=bid, opened_at=now, entries=entries, winner=entries[0]["bidder"])
    bid = (bids.bid_mark_won if won else bids.bid_mark_lost)(actor=owner, bid=bid)
    return bid, document, bond


def _close_bid(*, owner, assistant, bid, bond):
    bids.bond_refund(actor=assistant, bond=bond, refunded_on=timezone.localdate(), amount=str(bond.amount),
                     interest="12.50")
    bids.summary_save(actor=owner, bid=bid, person_days="12", cost="8000", outcome_reason="价格与方案。",
                      lessons="提前准备资质文件。")
    return bids.bid_close(actor=owner, bid=Bid.objects.get(pk=bid.pk))


def _sign(owner, contract):
    return contracts.contract_sign(actor=owner, contract=contract, signed_on=timezone.localdate(),
                                   signed_copy=_pdf("signed.pdf"))


def empty_workbook() -> bytes:
    """The import template with its header row only: an import of it creates nothing."""
    from openpyxl import load_workbook

    from opsmon.opportunities import excel
    book = load_workbook(BytesIO(excel.template_xlsx()))
    sheet = book.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _import_job(user, workbook: bytes) -> int:
    """A background import of the user's that created nothing."""
    from opsmon.core.models import Job
    from opsmon.opportunities import excel
    from opsmon.opportunities.excel.importing import store_xlsx
    upload = SimpleUploadedFile("空.xlsx", workbook, content_type=XLSX)
    if user.reads_only:  # the executive may not import; his job is one from before his role became read-only
        return Job.objects.create(kind="opportunities.import", created_by=user,
                                  file=store_xlsx(actor=user, upload=upload)).pk
    return excel.import_job_create(actor=user, upload=upload).pk


def _issue23(admin, department) -> dict:
    """Issue 23's admin records: a group robot (switched off), a message the outbox gave up on, and two mappings
    of each kind (one the rows edit, one they delete); a calendar key nobody has."""
    from opsmon.directory import services as directory
    from opsmon.notifications import services as notifications
    from opsmon.notifications.models import Outgoing

    robot = notifications.robot_save(actor=admin, name="矩阵群机器人", kind="wecom", active=False,
                                     url="http://127.0.0.1:9/cgi-bin/webhook/send?key=matrix", department=department)
    failed = Outgoing.objects.create(channel="wecom", robot=robot, kind="notice", summary="矩阵", payload={},
                                     status="failed", attempts=6, next_attempt_at=timezone.now())
    ids = {"robot_id": robot.pk, "outgoing_id": failed.pk, "calendar_key": "matrix-no-such-calendar-key"}
    for name in ("dept_mapping_id", "dept_mapping_spare_id"):
        ids[name] = directory.department_mapping_save(actor=admin, value=f"矩阵 {name}", department=department).pk
    for name in ("role_mapping_id", "role_mapping_spare_id"):
        ids[name] = directory.role_mapping_save(actor=admin, group=f"matrix-{name}", role="sales_rep").pk
    return ids


def build(org) -> World:
    admin, assistant = org["admin"], org["assistant1"]
    head1, head2, rep1, rep1b, rep2 = org["head1"], org["head2"], org["rep1"], org["rep1b"], org["rep2"]
    lead1 = org["lead1"]
    lead9 = accounts.user_create(actor=admin, username="lead9", password="opsmon-demo-lead9", display_name="钱九",
                                 department=lead1.department, roles=["tech_lead"])
    common = _routes(admin, org)
    records: list[Record] = []
    ids: dict[str, dict[str, int]] = {}

    # --- A: rep1's, rep1b in the team, lead1 the technical lead ------------------------------------------------
    customer = _customer(rep1, "矩阵甲方电力有限公司")
    opp = _opportunity(rep1, customer, "矩阵 A 调度平台", "1250000.00", members=[rep1b])
    opportunities.follow_up_add(actor=rep1, opportunity=opp, happened_on=timezone.localdate(), kind="visit",
                                note="拜访客户信息中心。")
    opportunities.opportunity_request_conversion(actor=rep1, opportunity=opp, comment="客户预算已落实。")
    _, project = opportunities.opportunity_convert(actor=head1, opportunity=opp)
    project = projects.project_approve(actor=head1, project=_feasible(head1, lead1, project), comment="同意")
    bid = Bid.objects.get(pk=projects.project_route(actor=rep1, project=project, to="bidding")["bid_id"])
    bid, document, bond = _bid_to_result(owner=rep1, assistant=assistant, bid=bid, won=True, ours="1180000.00")
    contract = bids.bid_create_contract(actor=rep1, bid=bid)
    attachment = contracts.attachment_add(actor=rep1, contract=contract, upload=_pdf("技术规范书.pdf"))
    contract = contracts.contract_update(actor=rep1, contract=contract, version=contract.version,
                                         **_terms("1180000.00", "system_integration"))
    contract = contracts.contract_submit(actor=rep1, contract=contract)
    step = contract_selectors.current_step(contract)  # technical: lead1 (and lead9)
    contract = _decide_all(contract)
    finance_step = contract.reviews.get(round=1).steps.get(kind="finance")
    contract = _sign(rep1, contract)
    contracts.amendment_propose(actor=rep1, contract=contract, changes={"terms": "按合同约定交付，延长维保一年。"},
                                reason="客户要求延长维保。")
    contract = _decide_all(type(contract).objects.get(pk=contract.pk))
    contract = contracts.contract_archive(actor=rep1, contract=type(contract).objects.get(pk=contract.pk))
    bid = _close_bid(owner=rep1, assistant=assistant, bid=bid, bond=bond)
    ids["A"] = {"customer_id": customer.pk, "opportunity_id": opp.pk, "project_id": project.pk, "bid_id": bid.pk,
                "doc_id": document.pk, "bond_id": bond.pk, "contract_id": contract.pk, "step_id": finance_step.pk,
                "attachment_id": attachment.pk}
    assert step.kind == "technical"
    records += [Record("opportunity", "A", opp.pk, opp.number), Record("project", "A", project.pk, project.number),
                Record("bid", "A", bid.pk, bid.number, "won"), Record("bond", "A", bond.pk, bid.number),
                Record("contract", "A", contract.pk, contract.number, "archived", signed=True)]

    # A second contract of A, in review: the deciders' inboxes (never a target of the matrix).
    in_review = contracts.contract_create(actor=rep1, opportunity=opp, title="矩阵 A 二期",
                                          **_terms("600000.00", "system_integration"))
    in_review = contracts.contract_submit(actor=rep1, contract=in_review)
    records.append(Record("contract", "A", in_review.pk, in_review.number, "in_review", target=False))

    # --- B: rep2's, in the other department; lead9 the technical lead ------------------------------------------
    customer = _customer(rep2, "矩阵乙方水务有限公司")
    opp = _opportunity(rep2, customer, "矩阵 B 管网监测", "450000.00")
    opportunities.follow_up_add(actor=rep2, opportunity=opp, happened_on=timezone.localdate(), kind="call",
                                note="电话沟通需求。")
    _, project = opportunities.opportunity_convert(actor=head2, opportunity=opp)
    project = projects.project_approve(actor=head2, project=_feasible(head2, lead9, project), comment="同意")
    bid = Bid.objects.get(pk=projects.project_route(actor=rep2, project=project, to="bidding")["bid_id"])
    bid, document, bond = _bid_to_result(owner=rep2, assistant=assistant, bid=bid, won=True, ours="400000.00")
    contract = bids.bid_create_contract(actor=rep2, bid=bid)
    attachment = contracts.attachment_add(actor=rep2, contract=contract, upload=_pdf("报价单.pdf"))
    contract = contracts.contract_update(actor=rep2, contract=contract, version=contract.version,
                                         **_terms("400000.00", "system_integration"))
    contract = contracts.contract_submit(actor=rep2, contract=contract)
    contract = _decide_all(contract)
    finance_step = contract.reviews.get(round=1).steps.get(kind="finance")
    contract = _sign(rep2, contract)
    contract = contracts.contract_archive(actor=rep2, contract=contract)
    bid = _close_bid(owner=rep2, assistant=assistant, bid=bid, bond=bond)
    ids["B"] = {"customer_id": customer.pk, "opportunity_id": opp.pk, "project_id": project.pk, "bid_id": bid.pk,
                "doc_id": document.pk, "bond_id": bond.pk, "contract_id": contract.pk, "step_id": finance_step.pk,
                "attachment_id": attachment.pk}
    records += [Record("opportunity", "B", opp.pk, opp.number), Record("project", "B", project.pk, project.number),
                Record("bid", "B", bid.pk, bid.number, "won"), Record("bond", "B", bond.pk, bid.number),
                Record("contract", "B", contract.pk, contract.number, "archived", signed=True)]

    # An open bid of B registered directly, its deadline in ten days (deadlines, reminders; never a target).
    live = bids.bid_register(actor=rep2, opportunity=opp, title="矩阵 B 二标段")
    now = timezone.now()
    live = bids.tender_analysis_save(actor=rep2, bid=live, tender_method="open_tender", estimated_price="300000",
                                     submission_deadline=now + timedelta(days=10), opening_at=now + timedelta(days=10))
    live = bids.bid_start_preparation(actor=rep2, bid=live)
    records.append(Record("bid", "B", live.pk, live.number, "preparing", target=False,
                          unseen_by=frozenset({"finance1"})))

    # --- C: rep1b's, no team; the project cancelled in approval; the bid registered directly and lost ----------
    customer = _customer(rep1b, "矩阵丙方燃气有限公司")
    opp = _opportunity(rep1b, customer, "矩阵 C 巡检系统", "300000.00")
    opportunities.follow_up_add(actor=rep1b, opportunity=opp, happened_on=timezone.localdate(), kind="email",
                                note="邮件发送方案。")
    _, project = opportunities.opportunity_convert(actor=head1, opportunity=opp)
    project = projects.project_cancel(actor=rep1b, project=_feasible(head1, lead9, project), reason="客户暂缓。")
    bid = bids.bid_register(actor=rep1b, opportunity=opp)
    bid, document, bond = _bid_to_result(owner=rep1b, assistant=assistant, bid=bid, won=False, ours="")
    bid = _close_bid(owner=rep1b, assistant=assistant, bid=bid, bond=bond)
    contract = contracts.contract_create(actor=rep1b, opportunity=opp, title="矩阵 C 运维服务",
                                         **_terms("280000.00", "operations"))
    attachment = contracts.attachment_add(actor=rep1b, contract=contract, upload=_pdf("运维方案.pdf"))
    contract = contracts.contract_submit(actor=rep1b, contract=contract)
    step = contract_selectors.current_step(contract)  # management: head1 alone
    contract = _sign(rep1b, _decide_all(contract))
    contract = contracts.contract_archive(actor=rep1b, contract=contract)
    ids["C"] = {"customer_id": customer.pk, "opportunity_id": opp.pk, "project_id": project.pk, "bid_id": bid.pk,
                "doc_id": document.pk, "bond_id": bond.pk, "contract_id": contract.pk, "step_id": step.pk,
                "attachment_id": attachment.pk}
    records += [Record("opportunity", "C", opp.pk, opp.number), Record("project", "C", project.pk, project.number),
                Record("bid", "C", bid.pk, bid.number, "lost"), Record("bond", "C", bond.pk, bid.number),
                Record("contract", "C", contract.pk, contract.number, "archived", signed=True)]

    # --- what the routes without a record need ------------------------------------------------------------------
    for user in org.values():
        notify([user], text=f"矩阵通知 {user.username}", url="/inbox/")
    notifications = {u.username: Notification.objects.filter(recipient=u).order_by("-pk").first().pk
                     for u in org.values()}
    endpoint = integrations.endpoint_create(actor=admin, name="矩阵 ERP", url="http://127.0.0.1:9/hook",
                                            secret="whsec-matrix-0123456789abcdef", events=["contract.signed"],
                                            active=False)
    department = accounts.department_create(actor=admin, name="矩阵临时部门")
    common.update(_issue23(admin, department))
    workbook = empty_workbook()
    jobs = {u.username: _import_job(u, workbook) for u in org.values()}
    energy = CodeItem.objects.get(table__name="industry", code="energy")
    common.update({"spare_route": SPARE_ROUTE, "lead1": lead1.pk, "code_label_en": energy.label_en,
                   "endpoint_id": endpoint.pk, "department_id": department.pk,
                   "user_id": rep1.pk, "table": "industry", "code": "energy", "stage": "opportunities",
                   "figure": "funnel"})
    assert not BidDocument.objects.exclude(bid__in=[r.pk for r in records if r.kind == "bid"]).exists()
    assert Attachment.objects.count() >= 3 and Route.objects.count() >= 5
    return World(ids=ids, records=records, notifications=notifications, jobs=jobs, common=common,
                 users={u.username: u.pk for u in org.values()},
                 departments={d.name: d.pk for d in Department.objects.all()})
