"""What the extractor answers: for each field a proposal with its value, the sentence it came from and the span
to highlight in it, a confidence, and the other values the text also offers."""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .dates import iso

FIELDS = ("project_no", "project_name", "tenderer", "agency", "method", "budget", "ceiling_price",
          "submission_deadline", "opening_at", "bid_bond", "qualification", "scoring_method")
MONEY_FIELDS = frozenset({"budget", "ceiling_price", "bid_bond"})
TIME_FIELDS = frozenset({"submission_deadline", "opening_at"})


@dataclass
class Alternative:
    value: Any
    text: str
    snippet: str
    start: int
    end: int
    confidence: float


@dataclass
class Proposal:
    """One field's proposal. `start`/`end` index the highlighted part inside `snippet`; `offset` is where the
    snippet starts in the document's text. `code` is the code-table value of method and scoring_method."""

    value: Any
    text: str
    snippet: str
    start: int
    end: int
    offset: int
    confidence: float
    code: str = ""
    alternatives: list[Alternative] = field(default_factory=list)


@dataclass
class Lot:
    """One lot (包 / 标段 / 标项) as the notice states it: its number as written ("1", "二"), its name, budget and
    ceiling in yuan (None where the notice says nothing for that lot)."""

    number: str
    name: str | None = None
    budget: Decimal | None = None
    ceiling: Decimal | None = None

    def as_json(self) -> dict:
        return {"number": self.number, "name": self.name, "budget": plain(self.budget),
                "ceiling": plain(self.ceiling)}


@dataclass
class Proposals:
    kind: str
    fields: dict[str, Proposal]
    chars: int = 0
    name: str = ""
    lots: list[Lot] = field(default_factory=list)

    def value(self, name: str):
        proposal = self.fields.get(name)
        return proposal.value if proposal else None

    def as_json(self) -> dict:
        """JSON-safe: Decimal as a string with two places, datetimes ISO 8601 with +08:00."""
        out = {"kind": self.kind, "chars": self.chars, "fields": {}, "lots": [lot.as_json() for lot in self.lots]}
        for name, proposal in self.fields.items():
            data = asdict(proposal)
            data["value"] = plain(proposal.value)
            data["alternatives"] = [{**asdict(a), "value": plain(a.value)} for a in proposal.alternatives]
            if not proposal.code:
                data.pop("code")
            out["fields"][name] = data
        return out


def plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return iso(value)
    return value
