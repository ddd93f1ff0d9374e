from datetime import datetime

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.schemas import UserRef


class ContactIn(Schema):
    name: str = Field(max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class ContactOut(ContactIn):
    id: int


class CustomerIn(Schema):
    name: str = Field(max_length=200)
    customer_type: str = Field(max_length=32)
    credit_code: str = Field("", max_length=40)
    industry: str = Field("", max_length=32)
    region: str = Field("", max_length=32)
    address: str = Field("", max_length=300)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)


class CustomerPatch(Schema):
    version: int
    name: str | None = Field(None, max_length=200)
    customer_type: str | None = Field(None, max_length=32)
    credit_code: str | None = Field(None, max_length=40)
    industry: str | None = Field(None, max_length=32)
    region: str | None = Field(None, max_length=32)
    address: str | None = Field(None, max_length=300)
    contacts: list[ContactIn] | None = Field(None, max_length=50)


class CustomerOut(Schema):
    id: int
    name: str
    credit_code: str
    customer_type: CodeRef | None
    industry: CodeRef | None
    region: CodeRef | None
    address: str
    contacts: list[ContactOut]
    owner: UserRef
    version: int
    created_at: datetime
    updated_at: datetime
