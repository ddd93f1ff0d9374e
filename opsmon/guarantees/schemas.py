from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import In, UserRef

from .selectors import LetterFilters


class LetterIn(In):
    """Exactly one of `bond_id` and `contract_id`."""

    bond_id: int | None = None
    contract_id: int | None = None
    bank: str = Field("", max_length=200)
    number: str = Field("", max_length=100)
    amount: str = Field("", max_length=30, description="string with 2 decimals; at most the bond's amount")
    beneficiary: str = Field("", max_length=200)
    valid_from: date | None = None
    valid_to: date | None = None


class ExtendIn(In):
    valid_to: date
    note: str = Field("", max_length=500)


class ReleaseIn(In):
    released_on: date


class LetterListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16)
    expiring_within: int | None = Field(None, ge=0, le=3650, description="active letters ending within N days "
                                                                          "(those already ended included)")
    bond: int | None = None
    contract: int | None = None

    def filters(self) -> LetterFilters:
        return LetterFilters(**self.model_dump())


class PeriodOut(Schema):
    position: int
    valid_from: date
    valid_to: date
    note: str
    created_by: UserRef | None
    created_at: datetime


class LetterOut(Schema):
    id: int
    bond: dict | None = Field(description="{id, kind, bid: {id, number}} of a bond's letter")
    contract: dict | None = Field(description="{id, number} of a contract's letter")
    bank: str
    number: str
    amount: str
    currency: str
    beneficiary: str
    valid_from: date
    valid_to: date
    status: str
    status_label: str
    still_needed: bool
    expired: bool
    flagged: bool = Field(description="expiring within 30 days or expired while still needed")
    released_on: date | None
    released_by: UserRef | None
    registered_by: UserRef | None
    periods: list[PeriodOut] = Field(default_factory=list, description="the validity history (details only)")
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str] = Field(default_factory=list, description="what the caller may do to the letter "
                                                                         "now: rules.RULES' names")
