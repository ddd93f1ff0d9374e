import re
import threading

import pytest
from django.db import connection

from opsmon.core.numbering import next_number, next_numbers


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


@pytest.mark.django_db
def test_a_block_of_numbers_follows_the_single_ones():
    assert next_number("SJ", year=2026) == "SJ-2026-000001"
    assert next_numbers("SJ", 3, year=2026) == ["SJ-2026-000002", "SJ-2026-000003", "SJ-2026-000004"]
    assert next_number("SJ", year=2026) == "SJ-2026-000005"
    assert next_numbers("LX", 2, year=2026) == ["LX-2026-000001", "LX-2026-000002"]
    assert next_numbers("LX", 0, year=2026) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_blocks_and_single_numbers_never_overlap():
    results, errors = [], []
    barrier = threading.Barrier(6)

    def worker(block: int):
        try:
            barrier.wait()
            for _ in range(5):
                if block:
                    results.extend(next_numbers("HT", block, year=2026))
                else:
                    results.append(next_number("HT", year=2026))
        except Exception as exc:  # the test reports it below
            errors.append(exc)
        finally:
            connection.close()

    sizes = [0, 1, 7, 25, 0, 100]
    threads = [threading.Thread(target=worker, args=(size,)) for size in sizes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = 5 * sum(size or 1 for size in sizes)
    assert len(results) == expected
    assert len(set(results)) == expected
    assert max(results) == f"HT-2026-{expected:06d}"
