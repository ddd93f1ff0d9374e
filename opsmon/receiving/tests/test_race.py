"""Twenty deliveries recorded at once on one order, each in its own thread and database connection: the order row
is locked before the open quantity is read (SQLite: IMMEDIATE transactions), so together they never exceed it.
Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from opsmon.core.errors import Invalid
from opsmon.receiving import services
from opsmon.receiving.models import ReceiptLine

from . import factories as f

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_parallel_deliveries_never_exceed_the_order(org):
    po = f.order(org, lines=[("服务器", "5", "100", "13")])
    line = f.lines_of(po)[0]
    barrier = threading.Barrier(THREADS)
    made, refused, errors = [], [], []

    def deliver():
        try:
            barrier.wait()
            made.append(services.receipt_create(actor=org["buyer1"], order=po, delivered_on=f.today(),
                                                inspector_id=org["keeper1"].pk,
                                                lines=[{"order_line_id": line.pk, "qty": "1"}]).pk)
        except Invalid as exc:
            refused.append(exc.fields)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(made) == 5 and len(refused) == THREADS - 5
    assert all(set(fields) == {"lines.1.qty"} for fields in refused)
    total = ReceiptLine.objects.filter(receipt__order=po).aggregate(s=Sum("qty"))["s"]
    assert total == Decimal("5")
