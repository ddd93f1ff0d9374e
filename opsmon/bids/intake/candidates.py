"""What a rule proposes: a value for a field with where it came from and how sure the rule is."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
    field: str
    value: Any            # str, Decimal or datetime
    start: int            # the value's span in the text (what gets highlighted)
    end: int
    ctx: int              # where the evidence starts (usually the label), for the snippet
    confidence: float
    rule: str
    scope: str = "project"   # "package" for a 标段/包 value
    note: str = ""
    extra: dict = field(default_factory=dict)


class Bag(list):
    """The candidates of one notice."""

    def add(self, field_name: str, value, start: int, end: int, ctx: int, confidence: float, rule: str,
            **kwargs) -> None:
        if value in (None, "") or confidence <= 0:
            return
        self.append(Candidate(field_name, value, start, end, min(ctx, start), round(confidence, 3), rule, **kwargs))

    def of(self, field_name: str) -> list[Candidate]:
        return [c for c in self if c.field == field_name]
