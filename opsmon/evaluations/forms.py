"""The evaluation form of the order's page; the service checks everything again."""

from django import forms

from opsmon.core.forms import field_label
from opsmon.core.web import StyledForm

from .models import SupplierEvaluation


class EvaluationForm(StyledForm, forms.Form):
    price = forms.CharField(label=field_label(SupplierEvaluation, "price"), max_length=10,
                            widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0–100"}))
    service = forms.CharField(label=field_label(SupplierEvaluation, "service"), max_length=10,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0–100"}))
    comment = forms.CharField(label=field_label(SupplierEvaluation, "comment"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, evaluation=None, **kwargs):
        if evaluation is not None:
            kwargs["initial"] = {"price": evaluation.price, "service": evaluation.service,
                                 "comment": evaluation.comment}
        super().__init__(data, **kwargs)

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"price": d["price"], "service": d["service"], "comment": d["comment"]}
