"""Records made through the services, as users would make them."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from opsmon.customers.services import customer_create
from opsmon.opportunities.services import opportunity_create

_seq = count(1)


def customer(actor, **overrides):
    n = next(_seq)
    data = {"name": f"测试客户{n}有限公司", "customer_type": "soe", "industry": "energy", "region": "110000"}
    data.update(overrides)
    return customer_create(actor=actor, **data)


def opportunity(actor, **overrides):
    data = {"title": f"智能运维平台项目{next(_seq)}", "estimated_amount": "1250000.00",
            "expected_close_date": timezone.localdate() + timedelta(days=90), "stage": "qualified"}
    data.update(overrides)
    if "customer_id" not in data:
        data["customer_id"] = customer(actor).pk
    return opportunity_create(actor=actor, **data)
