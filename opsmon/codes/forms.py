from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.core.web import StyledForm


class CodeItemForm(StyledForm, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    label_zh = forms.CharField(label=_("Chinese label"), max_length=64)
    label_en = forms.CharField(label=_("English label"), max_length=64)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    probability = forms.IntegerField(label=_("Default win probability (%)"), min_value=0, max_value=100,
                                     required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, table, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not table.has_probability:
            del self.fields["probability"]
        if editing:
            self.fields["code"].disabled = True  # records refer to the code; only labels change
        else:
            del self.fields["active"]
