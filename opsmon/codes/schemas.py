from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import In, Out


class CodeItemOut(Schema):
    code: str
    label: str
    label_zh: str
    label_en: str
    order: int
    active: bool
    probability: int | None
    value: str = Field("", description="the item's value as stored (tables with values only, else empty)")
    min_quotations: int | None = Field(None, description="purchase_method: the least number of suppliers invited")
    deductible: bool | None = Field(None, description="invoice_type: whether its input VAT is deductible")
    rate: str | None = Field(None, description="tax_rate: the rate in percent")
    mandatory_for: list[str] | None = Field(None, description="qualification_kind: the supplier_category codes "
                                                              "for which it is mandatory; [\"*\"]: every category")


class CodeItemIn(In):
    code: str = Field(min_length=1, max_length=32)
    label_zh: str = Field(min_length=1, max_length=64)
    label_en: str = Field(min_length=1, max_length=64)
    order: int = Field(0, ge=0, le=1_000_000)
    probability: int | None = Field(None, ge=0, le=100)
    value: str | None = Field(None, max_length=200)


class CodeItemPatch(In):
    label_zh: str | None = Field(None, min_length=1, max_length=64)
    label_en: str | None = Field(None, min_length=1, max_length=64)
    order: int | None = Field(None, ge=0, le=1_000_000)
    active: bool | None = None
    probability: int | None = Field(None, ge=0, le=100)
    value: str | None = Field(None, max_length=200)


class CodeRef(Out):
    """How a field that takes a code answers: the code and its label in the user's language."""

    code: str
    label: str
