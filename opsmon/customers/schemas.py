from datetime import datetime

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.schemas import In, UserRef


class ContactIn(In):
    name: str = Field(max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str


class CustomerIn(In):
    name: str = Field(max_length=200)
    customer_type: str = Field(max_length=32)
    credit_code: str = Field("", max_length=40)
    industry: str = Field("", max_length=32)
    region: str = Field("", max_length=32)
    address: str = Field("", max_length=300)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)


class CustomerPatch(In):
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


class CustomerDetailOut(CustomerOut):
    """One customer as its detail and its create/edit answer it: with the actions the caller may fire on it now."""

    allowed_actions: list[str] = Field(description="The actions this caller may fire on the customer now "
                                                   "(customers.rules): edit.")


class CustomerListParams(Schema):
    q: str = Field("", description="Name or credit code; the first 100 characters count.")
    customer_type: str = ""
    industry: str = ""
    region: str = ""

    def filters(self):
        return {"q": self.q[:100], "customer_type": self.customer_type, "industry": self.industry,
                "region": self.region}
