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
class Proposals:
    kind: str
    fields: dict[str, Proposal]
    chars: int = 0
    name: str = ""

    def value(self, name: str):
        proposal = self.fields.get(name)
        return proposal.value if proposal else None

    def as_json(self) -> dict:
        """JSON-safe: Decimal as a string with two places, datetimes ISO 8601 with +08:00."""
        out = {"kind": self.kind, "chars": self.chars, "fields": {}}
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
