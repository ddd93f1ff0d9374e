"""Accuracy of the tender intake, measured separately on two labelled sets (values read off by a careful person,
conventions in ../shared/data/tenders/README.md):

- PUBLIC: 18 real announcements (../shared/data/tenders);
- EXTRA: 28 announcements written for this project in the formats of real ones (tenders_extra/, see its README),
  with the lots each states.

Prints, per field, how many proposals were exactly right, left empty or wrong, and holds the extractor to the
targets on each set: ≥ 95 % of the stated fields exactly right over all twelve fields, ≥ 90 % on each of the
eight main fields, and ≤ 2 % of the stated fields wrong (a proposal where the notice states nothing counts as
wrong too); the lots (number, name, budget, ceiling) of ≥ 95 % of the extra set's notices must be read
exactly. Names compare as written (only white space aside):
a full-width bracket turned into an ASCII one is wrong.

Run alone to see the tables: .venv/bin/pytest opsmon/bids/tests/test_intake_accuracy.py -s
"""

import json
import re
import unicodedata
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from opsmon.bids.intake import FIELDS, extract, method_code, scoring_code

from .test_intake_samples import DATA_DIR

EXTRA_DIR = Path(__file__).resolve().parent / "tenders_extra"
MAIN = ("project_no", "project_name", "tenderer", "agency", "method", "budget", "submission_deadline", "opening_at")
FIELD_TARGET = 0.90          # each main field
RIGHT_TARGET = 0.95          # all stated fields together
WRONG_LIMIT = 0.02           # wrong proposals (including where nothing is stated) per stated field
QUALIFICATION_OVERLAP = 0.4  # qualification is a summary in the index: compared loosely
NAMES = ("project_no", "project_name", "tenderer", "agency")

public_only = pytest.mark.skipif(not (DATA_DIR / "index.json").is_file(),
                                 reason=f"the real announcements are not there: {DATA_DIR} (shared/data/tenders)")


def _plain(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def _as_written(text: str) -> str:
    return re.sub(r"\s", "", text)


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
    return _as_written(expected) == _as_written(got)


def _lots_as_labelled(result) -> list[dict]:
    return [{"number": lot.number, "name": lot.name, "budget": lot.budget, "ceiling": lot.ceiling}
            for lot in result.lots]


def _expected_lots(entry) -> list[dict]:
    return [{"number": lot["number"], "name": lot["name"],
             "budget": Decimal(lot["budget"]).quantize(Decimal("0.01")) if lot["budget"] else None,
             "ceiling": Decimal(lot["ceiling"]).quantize(Decimal("0.01")) if lot["ceiling"] else None}
            for lot in entry.get("lots", [])]


def score(data_dir: Path = DATA_DIR) -> tuple[dict, list[str]]:
    """{field: {stated, right, empty, wrong, extra}} over a data set (and "lots": notices whose lots were read
    exactly, where the set labels them), and a line per miss."""
    index = json.loads((data_dir / "index.json").read_text(encoding="utf-8"))
    table = {f: {"stated": 0, "right": 0, "empty": 0, "wrong": 0, "extra": 0, "proposed": 0} for f in FIELDS}
    table["lots"] = {"notices": 0, "right": 0}
    misses = []
    for entry in index:
        result = extract((data_dir / f"{entry['id']}.txt").read_text(encoding="utf-8"))
        if "lots" in entry:
            table["lots"]["notices"] += 1
            if _lots_as_labelled(result) == _expected_lots(entry):
                table["lots"]["right"] += 1
            else:
                misses.append(f"{entry['id']} lots: read {_lots_as_labelled(result)}")
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


def totals(table: dict) -> dict:
    rows = [table[f] for f in FIELDS]
    return {key: sum(r[key] for r in rows) for key in ("stated", "right", "empty", "wrong", "extra", "proposed")}


def render(table: dict) -> str:
    lines = ["| field | stated | exactly right | left empty | wrong | proposed where nothing is stated |",
             "|---|---|---|---|---|---|"]
    for field in FIELDS:
        row = table[field]
        share = f"{row['right'] / row['stated']:.0%}" if row["stated"] else "—"
        lines.append(f"| {field} | {row['stated']} | {row['right']} ({share}) | {row['empty']} | {row['wrong']} | "
                     f"{row['extra']} |")
    total = totals(table)
    lines.append(f"\nStated fields: {total['stated']}; exactly right {total['right']} "
                 f"({total['right'] / max(1, total['stated']):.1%}), left empty {total['empty']}, wrong "
                 f"{total['wrong']} ({total['wrong'] / max(1, total['stated']):.1%}); proposed where nothing is "
                 f"stated: {total['extra']}; proposals: {total['proposed']}.")
    if table["lots"]["notices"]:
        lines.append(f"Lots read exactly (number, name, budget, ceiling): {table['lots']['right']} of "
                     f"{table['lots']['notices']} notices.")
    return "\n".join(lines)


def _check(data_dir: Path, capsys) -> dict:
    table, misses = score(data_dir)
    with capsys.disabled():
        print("\n\nTender intake accuracy on", data_dir, "\n")
        print(render(table))
        for miss in misses:
            print("  miss:", miss)
    for field in MAIN:
        row = table[field]
        assert row["right"] >= FIELD_TARGET * row["stated"], (field, row)
    total = totals(table)
    assert total["right"] >= RIGHT_TARGET * total["stated"], total
    assert total["wrong"] + total["extra"] <= WRONG_LIMIT * total["stated"], total
    return table


@public_only
def test_accuracy_on_the_public_announcements_meets_the_targets(capsys):
    _check(DATA_DIR, capsys)


def test_accuracy_on_the_extra_announcements_meets_the_targets(capsys):
    table = _check(EXTRA_DIR, capsys)
    assert table["lots"]["right"] >= RIGHT_TARGET * table["lots"]["notices"], table["lots"]


def test_the_extra_set_is_what_its_readme_says():
    """At least 20 notices, from different provinces, government and enterprise buyers, each labelled."""
    index = json.loads((EXTRA_DIR / "index.json").read_text(encoding="utf-8"))
    assert len(index) >= 20
    assert len({e["meta"]["province"] for e in index}) >= 15
    assert {e["meta"]["buyer"] for e in index} == {"government", "enterprise"}
    for entry in index:
        assert (EXTRA_DIR / f"{entry['id']}.txt").is_file()
        assert set(entry["fields"]) == set(FIELDS)


@public_only
def test_award_notices_in_the_data_set_get_no_deadline_budget_or_bond():
    index = json.loads((DATA_DIR / "index.json").read_text(encoding="utf-8"))
    awards = [e for e in index if "中标" in e["meta"]["notice_type"]]
    assert awards
    for entry in awards:
        result = extract((DATA_DIR / f"{entry['id']}.txt").read_text(encoding="utf-8"))
        assert result.kind == "award"
        assert not {"submission_deadline", "opening_at", "budget", "bid_bond"} & set(result.fields)
