import re
import threading

import pytest
from django.db import connection

from opsmon.core.numbering import next_number


@pytest.mark.django_db
def test_numbers_count_up_per_kind_and_year():
    assert next_number("SJ", year=2026) == "SJ-2026-000001"
    assert next_number("SJ", year=2026) == "SJ-2026-000002"
    assert next_number("LX", year=2026) == "LX-2026-000001"
    assert next_number("SJ", year=2027) == "SJ-2027-000001"


@pytest.mark.django_db
def test_default_year_is_this_year_in_shanghai():
    assert re.fullmatch(r"TB-20\d\d-000001", next_number("TB"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_never_hands_out_the_same_number():
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                results.append(next_number("HT", year=2026))
        except Exception as exc:  # the test reports it below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 80
    assert len(set(results)) == 80
    assert max(results) == "HT-2026-000080"
