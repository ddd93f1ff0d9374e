"""core.workflow.clean_number: the one reader of quantities, prices and rates typed into procurement's forms and
bodies (it was five copies)."""

from decimal import Decimal

import pytest

from opsmon.core.workflow import clean_number

HIGH = Decimal("1000")


@pytest.mark.parametrize("value", ["1e3", "1_000", "１２", "abc", "", None, True, "--1", " "])
def test_what_is_not_a_plain_number_is_refused(value):
    errors: dict = {}
    assert clean_number(value, "qty", errors, places=3, high=HIGH) is None
    assert set(errors) == {"qty"}


@pytest.mark.parametrize(("value", "kw"), [("1.2345", {}), ("0", {"positive": True}), ("-1", {}),
                                           ("1000.001", {}), ("0.5", {"low": Decimal("1")})])
def test_places_sign_and_bounds(value, kw):
    errors: dict = {}
    assert clean_number(value, "qty", errors, places=3, high=HIGH, **kw) is None and set(errors) == {"qty"}


def test_good_values_are_kept_exactly():
    errors: dict = {}
    assert clean_number("12.500", "qty", errors, places=3, high=HIGH) == Decimal("12.500")
    assert clean_number(0.1, "qty", errors, places=3, high=HIGH) == Decimal("0.1")  # a float by its repr
    assert clean_number(7, "qty", errors, places=0, high=HIGH, positive=True) == 7 and errors == {}
