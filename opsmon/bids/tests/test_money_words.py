"""The bid summary report (.docx) in the reader's terms (issue 20, items 9 and 12): times in the configured zone,
money as ¥1,180,000.00."""

import io
from datetime import UTC, datetime

import docx
from django.test import override_settings
from django.utils import timezone

from opsmon.bids import report, services

from .factories import ENTRIES_WON, submitted_bid


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_the_summary_report_writes_the_opening_time_in_the_configured_zone(org):
    bid = submitted_bid(org)
    opened = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Beijing
    with timezone.override("Asia/Shanghai"):
        bid = services.opening_record(actor=org["rep1"], bid=bid, opened_at=opened, entries=ENTRIES_WON,
                                      winner=ENTRIES_WON[0]["bidder"])
        bid = services.bid_mark_won(actor=org["rep1"], bid=bid)
        services.summary_save(actor=org["rep1"], bid=bid, person_days=10, cost="42000", outcome_reason="技术得分第一",
                              lessons="提前准备")
        bid.refresh_from_db()
        doc = docx.Document(io.BytesIO(report.summary_docx(bid)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "开标时间：2026-03-02 09:30" in text and "01:30" not in text
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "¥1,180,000.00" in cells and "¥42,000.00" in cells
