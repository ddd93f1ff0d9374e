"""The payment ceiling formula (ceiling.remaining) on the examples of PROCUREMENT.md "PaymentRequest": O = 100,000,
r = 5 %, A = 30 %."""

from decimal import Decimal as D

from opsmon.payments.ceiling import remaining

BASE = {"total": D("100000.00"), "retention_pct": D("5.00"), "advance_pct": D("30")}


def test_before_anything_is_accepted_only_the_advance_share_may_be_asked():
    left = remaining(**BASE, accepted=D("0"), invoiced=D("0"), released=None)
    assert left == {"advance": D("30000.00"), "progress": D("30000.00"), "retention": D("0.00")}


def test_v_is_the_smaller_of_accepted_and_verified_invoice_value_less_the_retention_rate():
    # accepted 40,000, invoiced 30,000: V = 30,000, V × 0.95 = 28,500 < A: the cap stays A
    assert remaining(**BASE, accepted=D("40000"), invoiced=D("30000"), released=None)["progress"] == D("30000.00")
    # both 40,000: V × 0.95 = 38,000 > A = 30,000
    left = remaining(**BASE, accepted=D("40000"), invoiced=D("40000"), released=None)
    assert left["progress"] == D("38000.00") and left["advance"] == D("30000.00")


def test_counted_requests_are_taken_off_and_advance_never_passes_a():
    left = remaining(**BASE, accepted=D("40000"), invoiced=D("40000"), released=None, advance=D("30000"),
                     progress=D("5000"))
    assert left == {"advance": D("0.00"), "progress": D("3000.00"), "retention": D("0.00")}
    # advance below A, but the combined cap nearly used: advance limited by the combined remainder
    left = remaining(**BASE, accepted=D("40000"), invoiced=D("40000"), released=None, advance=D("10000"),
                     progress=D("27000"))
    assert left["advance"] == D("1000.00") and left["progress"] == D("1000.00")


def test_everything_accepted_and_invoiced_leaves_the_retention_until_it_is_released():
    full = {**BASE, "accepted": D("100000"), "invoiced": D("100000")}
    assert remaining(**full, released=None, advance=D("30000"))["progress"] == D("65000.00")  # 95,000 − 30,000
    assert remaining(**full, released=None)["retention"] == D("0.00")
    # released less a deduction of 1,000: 4,000; 2,500 already asked
    assert remaining(**full, released=D("4000.00"), retention=D("2500"))["retention"] == D("1500.00")


def test_over_committed_answers_zero_not_negative_and_rounding_is_half_up_to_the_fen():
    assert remaining(**BASE, accepted=D("0"), invoiced=D("0"), released=None, advance=D("30000"),
                     progress=D("100"))["progress"] == D("0.00")
    # V = 100.10, × 0.95 = 95.095 → 95.10 (half up); A = 0
    left = remaining(total=D("100.10"), retention_pct=D("5"), advance_pct=D("0"), accepted=D("100.10"),
                     invoiced=D("100.10"), released=None)
    assert left["progress"] == D("95.10") and left["advance"] == D("0.00")
    # A = 33.33 % of 100.01 = 33.3333… → 33.33
    assert remaining(total=D("100.01"), retention_pct=D("0"), advance_pct=D("33.33"), accepted=D("0"),
                     invoiced=D("0"), released=None)["advance"] == D("33.33")
