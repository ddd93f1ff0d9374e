from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import In


class RouteStepIn(In):
    kind: str = Field(max_length=32)
    decider_kind: str = Field(max_length=16, description="role | owner_head | users")
    role: str = Field("", max_length=32)
    users: list[int] = Field(default_factory=list, max_length=50)
    mode: str = Field("any", max_length=8, description="any (或签) | all (会签)")


class RouteIn(In):
    kind: str = Field("contract", max_length=32, description="the subject kind the route serves")
    name: str = Field(max_length=100)
    type_code: str = Field("", max_length=32, description="a code of the kind's type table; empty = any type")
    contract_type: str = Field("", max_length=32, description="the former name of type_code (contract routes)")
    subject: str = Field("", max_length=32, description="the subject kind (another name of `kind`; wins when given)")
    category: str = Field("", max_length=32, description="a code of the kind's category table (procurement: "
                          "supplier_category); empty = any category")
    department_id: int | None = Field(None, description="a department (and those under it); empty = any")
    min_amount: str = Field("0", max_length=30)
    max_amount: str | None = Field(None, max_length=30)
    active: bool = True
    steps: list[RouteStepIn] = Field(max_length=12)


class RouteStepOut(Schema):
    kind: str
    decider_kind: str
    role: str
    users: list[int]
    mode: str


class RouteOut(Schema):
    id: int
    kind: str
    name: str
    type_code: str
    contract_type: str
    subject: str
    category: str
    department_id: int | None
    min_amount: str
    max_amount: str | None
    active: bool
    steps: list[RouteStepOut]
