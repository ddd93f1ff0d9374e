"""Twenty payment requests of one order submitted at the same instant, each within the ceiling alone, together far
above it: the order's row is locked before the sums are read (select_for_update; SQLite's IMMEDIATE transactions
queue the writers), so the accepted ones never exceed the ceiling and every other is a 422 on `amount`. Runs on the
database of DATABASE_URL: SQLite by default, PostgreSQL when pointed there."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from opsmon.core.errors import ApplicationError
from opsmon.payments import services
from opsmon.payments.models import PaymentRequest

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

N = 20


def test_twenty_parallel_submissions_never_pass_the_ceiling(org):
    po = f.delivered(org)  # advance + progress ceiling: 38,000
    drafts = [f.draft(org, po, kind="progress", amount="3000") for _ in range(N)]
    barrier = threading.Barrier(N)
    results: list = [None] * N

    def submit(i):
        try:
            barrier.wait()
            services.payment_submit(actor=org["buyer1"], record=drafts[i])
            results[i] = "ok"
        except ApplicationError as error:
            results[i] = (error.status, sorted(error.fields))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 12, results  # 12 × 3,000 = 36,000 ≤ 38,000 < 13 × 3,000
    assert all(r == (422, ["amount"]) for r in results if r != "ok"), results
    in_review = PaymentRequest.objects.filter(order=po, status="in_review")
    assert in_review.count() == 12
    assert sum(r.amount for r in in_review) <= Decimal("38000.00")
    assert services.order_ceiling(po)["progress"] == Decimal("2000.00")
