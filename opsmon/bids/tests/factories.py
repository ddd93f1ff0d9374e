from datetime import timedelta

from django.utils import timezone

from opsmon.bids import services
from opsmon.projects import services as projects
from opsmon.projects.tests.factories import approved_project

ENTRIES_WON = [
    {"bidder": "我方科技有限公司", "price": "1180000.00", "score": 92.5, "rank": 1, "is_us": True},
    {"bidder": "甲信息技术有限公司", "price": "1090000.00", "score": 88.0, "rank": 2, "is_us": False},
    {"bidder": "乙软件股份有限公司", "price": "1250000.00", "score": 85.5, "rank": 3, "is_us": False},
]
ENTRIES_LOST = [
    {"bidder": "甲信息技术有限公司", "price": "1090000.00", "score": 93.0, "rank": 1, "is_us": False},
    {"bidder": "我方科技有限公司", "price": "1180000.00", "score": 90.0, "rank": 2, "is_us": True},
]


def routed_bid(org, owner="rep1"):
    project = approved_project(org, owner)
    result = projects.project_route(actor=org[owner], project=project, to="bidding")
    from opsmon.bids.models import Bid
    return Bid.objects.get(pk=result["bid_id"])


def submitted_bid(org, owner="rep1"):
    bid = routed_bid(org, owner)
    now = timezone.now()
    bid = services.tender_analysis_save(actor=org[owner], bid=bid, tenderer="某市公共资源交易中心",
                                        tender_method="open_tender", estimated_price="1200000",
                                        submission_deadline=now + timedelta(days=10),
                                        opening_at=now + timedelta(days=10))
    bid = services.bid_start_preparation(actor=org[owner], bid=bid)
    return services.bid_submit(actor=org[owner], bid=bid)


def opened_bid(org, *, won=True, owner="rep1"):
    bid = submitted_bid(org, owner)
    entries = ENTRIES_WON if won else ENTRIES_LOST
    return services.opening_record(actor=org[owner], bid=bid, opened_at=timezone.now(), entries=entries,
                                   winner=entries[0]["bidder"])
