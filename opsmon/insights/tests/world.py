"""A small, hand-built data set whose every figure is worked out by hand in the tests.

Made through the services as users would make it; only the dates are moved afterwards with direct updates
(services stamp "today", and the figures look at 2025), never a status or an amount; the dashboards' summaries
are rebuilt after. A project is created
3 days and its bid registered 5 days after its opportunity; B7 was registered 2025-09-15, B9 2025-09-20.

销售一部 (head1): rep1 owns O1, O2; rep1b owns O3 (rep1 on its team) and O4.
销售二部 (head2): rep2 owns O5, O6 (created 2024), O7 (closed), O8.

| opp | created    | amount       | stage / status         | close      | what came of it                        |
|-----|------------|--------------|------------------------|------------|----------------------------------------|
| O1  | 2025-02-10 | 1,000,000.00 | converted              |            | P1 → B1 won 950,000 → C1 signed 07-20  |
| O2  | 2025-03-05 |   500,000.50 | qualified 25 % open    | 2025-05-31 | B7 registered: deadline 10-10, opening 10-12 |
| O3  | 2025-04-01 | 2,000,000.00 | negotiation 75 % open  | 2025-05-10 |                                        |
| O4  | 2025-05-20 |   300,000.00 | converted              |            | P4 → B4 lost (our 310,000)             |
| O5  | 2025-06-01 |   800,000.00 | converted              |            | P5 → B5 won 850,000 → C5 signed 08-05; |
|     |            |              |                        |            | B9 submitted, opening 10-20            |
| O6  | 2024-11-15 |   400,000.00 | converted              |            | P6 → B6 abandoned 2025-03-01;          |
|     |            |              |                        |            | C0 signed 2024-07-03                   |
| O7  | 2025-07-07 |   600,000.00 | closed                 |            |                                        |
| O8  | 2025-08-01 |   100,000.00 | commit 90 % open       | 2025-11-30 |                                        |
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from opsmon.bids import services as bids
from opsmon.bids.models import Bid
from opsmon.contracts import services as contracts
from opsmon.contracts.models import Contract
from opsmon.contracts.tests import factories as contract_factories
from opsmon.opportunities import services as opportunities
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests.factories import customer
from opsmon.projects import services as projects
from opsmon.projects.models import Project
from opsmon.projects.tests.factories import REVIEW
from opsmon.summaries.verify import rebuild

US = "我方科技有限公司"
JIA = "甲信息技术有限公司"
YI = "乙软件股份有限公司"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def head_of(org, owner):
    return org["head1" if owner in ("rep1", "rep1b") else "head2"]


def opportunity(org, owner, *, amount, stage, created, industry, close=None, members=()):
    rep = org[owner]
    o = opportunities.opportunity_create(
        actor=rep, title=f"{owner} {amount} {created}", customer_id=customer(rep, industry=industry).pk,
        estimated_amount=amount, stage=stage, industry=industry, member_ids=[org[m].pk for m in members],
        expected_close_date=timezone.localdate() + timedelta(days=30))
    Opportunity.objects.filter(pk=o.pk).update(created_at=at(created), expected_close_date=close or created)
    return Opportunity.objects.get(pk=o.pk)


def registered_on(bid, day: date) -> Bid:
    Bid.objects.filter(pk=bid.pk).update(created_at=at(day))
    return Bid.objects.get(pk=bid.pk)


def routed_bid(org, opp) -> Bid:
    """Convert, review, approve and route to bidding: the bid the project registers."""
    owner = opp.owner.username
    head = head_of(org, owner)
    _, project = opportunities.opportunity_convert(actor=head, opportunity=opp)
    project = projects.project_assign_lead(actor=head, project=project, tech_lead=org["lead1"])
    projects.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    project = projects.project_submit_feasibility(actor=org["lead1"], project=project)
    project = projects.project_approve(actor=head, project=project, comment="同意")
    Project.objects.filter(pk=project.pk).update(created_at=opp.created_at + timedelta(days=3))
    bid = Bid.objects.get(pk=projects.project_route(actor=org[owner], project=project, to="bidding")["bid_id"])
    return registered_on(bid, (opp.created_at + timedelta(days=5)).date())


def submitted(org, bid, *, method, estimated, owner):
    now = timezone.now()
    bid = bids.tender_analysis_save(actor=org[owner], bid=bid, tenderer="某市公共资源交易中心", tender_method=method,
                                    estimated_price=estimated, submission_deadline=now + timedelta(days=10),
                                    opening_at=now + timedelta(days=11))
    bid = bids.bid_start_preparation(actor=org[owner], bid=bid)
    return bids.bid_submit(actor=org[owner], bid=bid)


def opened(org, bid, owner, entries, winner):
    rows = [{"bidder": name, "price": price, "rank": rank, "is_us": name == US} for name, price, rank in entries]
    return bids.opening_record(actor=org[owner], bid=bid, opened_at=timezone.now(), entries=rows, winner=winner)


def result_on(bid, day: date):
    Bid.objects.filter(pk=bid.pk).update(result_known_on=day)


def pay(org, bid, *, amount, kind="bid", currency="CNY", paid_on, due_on=None):
    bond = bids.bond_create(actor=org["assistant1"], bid=bid, kind=kind, amount=amount, method="bank_transfer",
                            currency=currency, due_on=due_on)
    return bids.bond_pay(actor=org["assistant1"], bond=bond, paid_on=paid_on, reference="HX")


def signed_contract(org, owner, contract, *, signed_on, start, end) -> Contract:
    contract = contracts.contract_update(actor=org[owner], contract=contract, version=contract.version,
                                         **contract_factories.terms(amount=f"{contract.amount:.2f}", start_on=start,
                                                                    end_on=end))
    contract = contract_factories.decide_all(contracts.contract_submit(actor=org[owner], contract=contract))
    return contracts.contract_sign(actor=org[owner], contract=contract, signed_on=signed_on,
                                   signed_copy=contract_factories.signed_copy())


def build(org) -> dict:
    contract_factories.routes(org)
    w = {}
    w["O1"] = opportunity(org, "rep1", amount="1000000.00", stage="proposal", created=date(2025, 2, 10),
                          industry="energy")
    w["O2"] = opportunity(org, "rep1", amount="500000.50", stage="qualified", created=date(2025, 3, 5),
                          close=date(2025, 5, 31), industry="energy")
    w["O3"] = opportunity(org, "rep1b", amount="2000000.00", stage="negotiation", created=date(2025, 4, 1),
                          close=date(2025, 5, 10), industry="finance", members=["rep1"])
    w["O4"] = opportunity(org, "rep1b", amount="300000.00", stage="proposal", created=date(2025, 5, 20),
                          industry="finance")
    w["O5"] = opportunity(org, "rep2", amount="800000.00", stage="proposal", created=date(2025, 6, 1),
                          industry="energy")
    w["O6"] = opportunity(org, "rep2", amount="400000.00", stage="proposal", created=date(2024, 11, 15),
                          industry="transport")
    w["O7"] = opportunity(org, "rep2", amount="600000.00", stage="discovery", created=date(2025, 7, 7),
                          industry="healthcare")
    w["O8"] = opportunity(org, "rep2", amount="100000.00", stage="commit", created=date(2025, 8, 1),
                          close=date(2025, 11, 30), industry="energy")
    opportunities.opportunity_close(actor=org["head2"], opportunity=w["O7"], reason="lost")

    # B1: won at 950,000 against 甲 and 乙; bond 24,000 (and 1,000 USD) paid; contract C1 signed 2025-07-20.
    b1 = submitted(org, routed_bid(org, w["O1"]), method="open_tender", estimated="1200000.00", owner="rep1")
    pay(org, b1, amount="24000.00", paid_on=date(2025, 2, 20))
    pay(org, b1, amount="1000.00", currency="USD", paid_on=date(2025, 2, 20))
    b1 = opened(org, b1, "rep1", [(US, "950000.00", 1), (JIA, "1000000.00", 2), (YI, "1100000.00", 3)], US)
    b1 = bids.bid_mark_won(actor=org["head1"], bid=b1)
    result_on(b1, date(2025, 6, 30))
    c1 = bids.bid_create_contract(actor=org["rep1"], bid=Bid.objects.get(pk=b1.pk))
    w["C1"] = signed_contract(org, "rep1", c1, signed_on=date(2025, 7, 20), start=date(2025, 7, 20),
                              end=date(2025, 10, 25))

    # B4: lost to 甲 (290,000 against our 310,000); bond 6,000 paid, result known 2025-08-20.
    b4 = submitted(org, routed_bid(org, w["O4"]), method="invited_tender", estimated="320000.00", owner="rep1b")
    pay(org, b4, amount="6000.00", paid_on=date(2025, 5, 25))
    b4 = opened(org, b4, "rep1b", [(JIA, "290000.00", 1), (US, "310000.00", 2)], JIA)
    b4 = bids.bid_mark_lost(actor=org["rep1b"], bid=b4)
    result_on(b4, date(2025, 8, 20))

    # B5: won at 850,000 against 甲; bond 17,000 refunded; performance bond 85,000 due 2025-03-01, paid;
    # contract C5 signed 2025-08-05.
    b5 = submitted(org, routed_bid(org, w["O5"]), method="open_tender", estimated="900000.00", owner="rep2")
    bond = pay(org, b5, amount="17000.00", paid_on=date(2025, 6, 10))
    b5 = opened(org, b5, "rep2", [(US, "850000.00", 1), (JIA, "870000.00", 2)], US)
    b5 = bids.bid_mark_won(actor=org["head2"], bid=b5)
    result_on(b5, date(2025, 7, 31))
    bids.bond_refund(actor=org["assistant1"], bond=bond, refunded_on=date(2025, 8, 1), amount="17000.00")
    pay(org, Bid.objects.get(pk=b5.pk), amount="85000.00", kind="performance", paid_on=date(2025, 2, 25),
        due_on=date(2025, 3, 1))
    c5 = bids.bid_create_contract(actor=org["rep2"], bid=Bid.objects.get(pk=b5.pk))
    w["C5"] = signed_contract(org, "rep2", c5, signed_on=date(2025, 8, 5), start=date(2025, 8, 5),
                              end=date(2026, 8, 4))

    # B6: abandoned (流标) 2025-03-01 with a planned bond of 8,000; O6 also got contract C0, signed 2024-07-03.
    b6 = routed_bid(org, w["O6"])
    bids.bond_create(actor=org["assistant1"], bid=b6, kind="bid", amount="8000.00", method="bank_transfer")
    b6 = bids.bid_abandon(actor=org["rep2"], bid=b6, reason="招标人取消采购（流标）")
    result_on(b6, date(2025, 3, 1))
    c0 = contracts.contract_create(actor=org["rep2"], opportunity=Opportunity.objects.get(pk=w["O6"].pk),
                                   **contract_factories.terms(amount="400000.00"))
    w["C0"] = signed_contract(org, "rep2", c0, signed_on=date(2024, 7, 3), start=date(2024, 7, 3),
                              end=date(2025, 7, 2))

    # B7 (O2, registered by the bid assistant): deadline 2025-10-10 10:00, opening 2025-10-12 09:30.
    b7 = registered_on(bids.bid_register(actor=org["assistant1"], opportunity=w["O2"]), date(2025, 9, 15))
    b7 = bids.tender_analysis_save(actor=org["rep1"], bid=b7, tender_method="inquiry", estimated_price="450000.00")
    Bid.objects.filter(pk=b7.pk).update(submission_deadline=at(date(2025, 10, 10), 10),
                                        opening_at=at(date(2025, 10, 12), 9, 30))
    # B9 (O5, a second bid, submitted): deadline 2025-10-18, opening 2025-10-20 14:00.
    b9 = bids.bid_register(actor=org["assistant1"], opportunity=Opportunity.objects.get(pk=w["O5"].pk))
    b9 = submitted(org, registered_on(b9, date(2025, 9, 20)), method="open_tender", estimated=None, owner="rep2")
    Bid.objects.filter(pk=b9.pk).update(submission_deadline=at(date(2025, 10, 18), 17),
                                        opening_at=at(date(2025, 10, 20), 14))
    w.update(B1=b1, B4=b4, B5=b5, B6=b6, B7=b7, B9=b9)
    # The dates were moved behind the services' back (direct updates): the summaries are rebuilt as
    # `opsmon summaries --rebuild` would after such a repair.
    rebuild()
    return w
