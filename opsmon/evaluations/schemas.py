"""Body and answer of /purchase-orders/{id}/evaluation."""

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from opsmon.core.schemas import In, NumberRef, Out, UserRef


class EvaluationIn(In):
    price: Decimal = Field(description="0–100, at most 2 decimals")
    service: Decimal = Field(description="0–100, at most 2 decimals")
    comment: str = Field("", max_length=500)


class EvaluationSupplierRef(Out):
    id: int
    number: str
    name: str
    grade: str | None


class EvaluationOut(Out):
    order: NumberRef
    supplier: EvaluationSupplierRef
    on_time: str
    quality: str
    price: str
    service: str
    score: str
    grade: str
    comment: str
    owner: UserRef = Field(description="who evaluated")
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]
