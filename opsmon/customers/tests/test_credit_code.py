import pytest

from opsmon.customers import credit_code


def make(first17: str) -> str:
    return first17 + credit_code.check_character(first17)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108551385082Q"])
def test_published_codes_are_valid(code):
    assert credit_code.is_valid(code)


@pytest.mark.parametrize("code", [
    "91350100M000100Y44",      # wrong check character
    "91350100M000100Y4",       # too short
    "91350100M000100Y433",     # too long
    "91350100I000100Y43",      # I is not in the character set
    "",
])
def test_invalid_codes_are_refused(code):
    assert not credit_code.is_valid(code)


def test_check_character_can_be_zero_and_lowercase_input_is_normalised():
    code = make("91440300MA5F00000")
    assert credit_code.is_valid(code.lower())
