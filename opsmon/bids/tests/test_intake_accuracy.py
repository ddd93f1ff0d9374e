"""Accuracy of the tender intake on 18 real announcements (../shared/data/tenders, values read off by a careful
person, conventions in its README). Prints, per field, how many proposals were exactly right, left empty or
wrong, and holds the extractor to the targets: ≥ 90 % exactly right on the fields a notice states for the
eight main fields, and ≤ 3 % of all proposals wrong (a proposal where the notice states nothing is wrong).

Run alone to see the table: .venv/bin/pytest opsmon/bids/tests/test_intake_accuracy.py -s
"""

import json
import re
import unicodedata
from datetime import datetime
from decimal import Decimal

import pytest

from opsmon.bids.intake import FIELDS, extract, method_code, scoring_code

from .test_intake_samples import DATA_DIR

MAIN = ("project_no", "project_name", "tenderer", "agency", "method", "budget", "submission_deadline", "opening_at")
RIGHT_TARGET = 0.90
WRONG_LIMIT = 0.03
QUALIFICATION_OVERLAP = 0.4  # qualification is a summary in the index: compared loosely

pytestmark = pytest.mark.skipif(not (DATA_DIR / "index.json").is_file(),
                                reason=f"the real announcements are not there: {DATA_DIR} (shared/data/tenders)")


def _plain(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def same(field: str, expected: str, proposal) -> bool:
    """Whether a proposal is exactly what the careful reader wrote (the same thing, written the same way up to
    full-/half-width forms and spaces; money and times as values; method and scoring by their code)."""
    got = proposal.value
    if field in ("budget", "ceiling_price", "bid_bond"):
        return Decimal(expected) == got
    if field in ("submission_deadline", "opening_at"):
        return datetime.fromisoformat(expected) == got
    if field == "method":
        return (method_code(expected) or _plain(expected)) == (proposal.code or _plain(got))
    if field == "scoring_method":
        return (scoring_code(expected) or _plain(expected)) == (proposal.code or _plain(got))
    if field == "qualification":
        pairs = set(re.findall(r"[\u4e00-\u9fff]{2}", _plain(expected)))
        found = _plain(got)
        return sum(1 for pair in pairs if pair in found) / max(1, len(pairs)) >= QUALIFICATION_OVERLAP
    return _plain(expected) == _plain(got)


def score() -> tuple[dict, list[str]]:
    """{field: {stated, right, empty, wrong, extra}} over the data set, and a line per miss."""
    index = json.loads((DATA_DIR / "index.json").read_text(encoding="utf-8"))
    table = {f: {"stated": 0, "right": 0, "empty": 0, "wrong": 0, "extra": 0, "proposed": 0} for f in FIELDS}
    misses = []
    for entry in index:
        result = extract((DATA_DIR / f"{entry['id']}.txt").read_text(encoding="utf-8"))
        for field in FIELDS:
            expected = entry["fields"].get(field)
            proposal = result.fields.get(field)
            if proposal is not None and proposal.value is None:
                proposal = None  # only alternatives offered: nothing proposed
            row = table[field]
            row["proposed"] += proposal is not None
            if expected is None:
                if proposal is not None:
                    row["extra"] += 1
                    misses.append(f"{entry['id']} {field}: nothing stated, proposed {proposal.value!s:.40}")
                continue
            row["stated"] += 1
            if proposal is None:
                row["empty"] += 1
                misses.append(f"{entry['id']} {field}: left empty, expected {expected:.40}")
            elif same(field, expected, proposal):
                row["right"] += 1
            else:
                row["wrong"] += 1
                misses.append(f"{entry['id']} {field}: proposed {proposal.value!s:.40}, expected {expected:.40}")
    return table, misses


def render(table: dict) -> str:
    lines = ["| field | stated | exactly right | left empty | wrong | proposed where nothing is stated |",
             "|---|---|---|---|---|---|"]
    for field, row in table.items():
        share = f"{row['right'] / row['stated']:.0%}" if row["stated"] else "—"
        lines.append(f"| {field} | {row['stated']} | {row['right']} ({share}) | {row['empty']} | {row['wrong']} | "
                     f"{row['extra']} |")
    proposals = sum(r["proposed"] for r in table.values())
    wrong = sum(r["wrong"] + r["extra"] for r in table.values())
    lines.append(f"\nProposals: {proposals}; wrong (including proposed where nothing is stated): {wrong} "
                 f"({wrong / max(1, proposals):.1%}).")
    return "\n".join(lines)


def test_accuracy_on_real_announcements_meets_the_targets(capsys):
    table, misses = score()
    with capsys.disabled():
        print("\n\nTender intake accuracy on", DATA_DIR, "\n")
        print(render(table))
        for miss in misses:
            print("  miss:", miss)
    for field in MAIN:
        row = table[field]
        assert row["right"] >= RIGHT_TARGET * row["stated"], (field, row)
    proposals = sum(r["proposed"] for r in table.values())
    wrong = sum(r["wrong"] + r["extra"] for r in table.values())
    assert proposals and wrong <= WRONG_LIMIT * proposals, (wrong, proposals)


def test_award_notices_in_the_data_set_get_no_deadline_budget_or_bond():
    index = json.loads((DATA_DIR / "index.json").read_text(encoding="utf-8"))
    awards = [e for e in index if "中标" in e["meta"]["notice_type"]]
    assert awards
    for entry in awards:
        result = extract((DATA_DIR / f"{entry['id']}.txt").read_text(encoding="utf-8"))
        assert result.kind == "award"
        assert not {"submission_deadline", "opening_at", "budget", "bid_bond"} & set(result.fields)
