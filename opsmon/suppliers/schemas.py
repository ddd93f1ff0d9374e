from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.schemas import In, UserRef

from .selectors import SupplierFilters


class SupplierIn(In):
    name: str = Field(max_length=200)
    credit_code: str = Field(max_length=40, description="统一社会信用代码: 18 characters with its check character")
    categories: list[str] = Field(description="supplier_category codes (one or more)", max_length=20)
    is_sme: bool = False
    contact: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    address: str = Field("", max_length=300)


class SupplierPatch(In):
    version: int
    name: str | None = Field(None, max_length=200)
    credit_code: str | None = Field(None, max_length=40)
    categories: list[str] | None = Field(None, max_length=20)
    is_sme: bool | None = None
    contact: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)


class SupplierQualifyIn(In):
    comment: str = Field("", max_length=2000)


class SupplierReasonIn(In):
    reason: str = Field(max_length=500)


class SupplierBlacklistIn(In):
    reason: str = Field(max_length=500)
    until: date | None = Field(None, description="the last day of the ban; none: until restored")


class SupplierBankAccountIn(In):
    bank: str = Field(max_length=200)
    account_name: str = Field(max_length=200)
    account_no: str = Field(max_length=64)


class SupplierListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16)
    category: str = Field("", max_length=32)
    is_sme: bool | None = None
    expiring: bool = Field(False, description="only suppliers with a qualification ending within 30 days")

    def filters(self) -> SupplierFilters:
        return SupplierFilters(**self.model_dump())


class SupplierOut(Schema):
    id: int
    number: str
    name: str
    credit_code: str
    categories: list[CodeRef]
    is_sme: bool
    contact: str
    phone: str
    address: str
    status: str
    status_label: str
    status_reason: str
    blacklisted_until: date | None
    grade: str | None
    owner: UserRef | None = Field(description="who registered it")
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str] = Field(default_factory=list, description="details and action answers only")


class SupplierQualificationOut(Schema):
    id: int
    kind: CodeRef
    number: str
    valid_from: date
    valid_to: date
    valid_today: bool
    file_name: str
    size: int
    content_type: str
    download_url: str
    created_by: UserRef | None
    created_at: datetime


class SupplierBankAccountOut(Schema):
    id: int
    bank: str
    account_name: str
    account_no: str
    created_by: UserRef | None
    created_at: datetime
