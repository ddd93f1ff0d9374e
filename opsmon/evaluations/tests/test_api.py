"""The supplier evaluation of an order through real HTTP: PUT (who, input), GET (scope: 404)."""

from datetime import timedelta

import pytest

from opsmon.receiving.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_evaluation_put_and_get(http, org):
    po = f.order(org, promised_on=f.today() + timedelta(days=3))
    f.accepted(org, po, ["2", "10"])
    buyer, keeper, rep = http("buyer1"), http("keeper1"), http("rep1")
    url = f"/api/v1/purchase-orders/{po.pk}/evaluation"
    assert buyer.get(url).status_code == 404
    assert rep.put(url, json={"price": 80, "service": 80}).status_code == 404
    assert keeper.put(url, json={"price": 80, "service": 80}).status_code == 403
    bad = buyer.put(url, json={"price": "101", "service": "x1"})
    assert bad.status_code == 422
    saved = buyer.put(url, json={"price": "80", "service": "90", "comment": "好"})
    assert saved.status_code == 200, saved.text
    e = saved.json()
    # 40 × 100 + 30 × 100 + 20 × 80 + 10 × 90 = 9500 → 95.00
    assert (e["quality"], e["on_time"], e["score"], e["grade"]) == ("100.00", "100.00", "95.00", "A")
    assert e["supplier"]["grade"] == "A" and e["allowed_actions"] == ["evaluate"]
    assert keeper.get(url).json()["grade"] == "A"  # he inspected its delivery: he sees the order
    assert rep.get(url).status_code == 404
