"""A prefilled <input type="date"> keeps its value in every language (found by the procurement browser walk: the
zh-Hans format 2026/12/04 is one browsers reject, so the payment date, promised dates and delivery date showed
empty and a save without retyping lost them)."""

from datetime import date

from django import forms
from django.utils import translation

from opsmon.core.forms import DateInput


class DayForm(forms.Form):
    day = forms.DateField(widget=DateInput)


def test_the_value_is_iso_in_chinese_and_english():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(DayForm(initial={"day": date(2026, 12, 4)})["day"])
        assert 'type="date"' in html and 'value="2026-12-04"' in html, (language, html)


def test_the_payment_and_delivery_forms_use_it():
    from opsmon.payments.forms import PayForm
    from opsmon.receiving.forms import ReceiptForm
    assert isinstance(PayForm.base_fields["paid_on"].widget, DateInput)
    assert isinstance(ReceiptForm.base_fields["delivered_on"].widget, DateInput)
