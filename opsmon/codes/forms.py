from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.core.web import StyledForm

from .models import VALUE_NAMES, CodeItem
from .selectors import label_of


class CodeItemForm(StyledForm, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    label_zh = forms.CharField(label=_("Chinese label"), max_length=64)
    label_en = forms.CharField(label=_("English label"), max_length=64)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    probability = forms.IntegerField(label=_("Default win probability (%)"), min_value=0, max_value=100,
                                     required=False)
    value = forms.CharField(label=_("Value"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    VALUE_HELP = {
        "min_quotations": _("Minimum number of quotations (a whole number, e.g. 3)."),
        "deductible": _("1 if the input VAT is deductible, else 0."),
        "rate": _("The tax rate in percent, e.g. 13."),
        "mandatory_for": _("Supplier category codes for which it is mandatory, comma-separated; “*” for all."),
    }

    def __init__(self, *args, table, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not table.has_probability:
            del self.fields["probability"]
        if table.name in VALUE_NAMES:
            self.fields["value"].help_text = self.VALUE_HELP[VALUE_NAMES[table.name]]
        else:
            del self.fields["value"]
        if editing:
            self.fields["code"].disabled = True  # records refer to the code; only labels change
        else:
            del self.fields["active"]


# Shared by every module's forms: choices from code tables.
def code_options(*tables: str) -> dict[str, list[tuple[str, str]]]:
    """{table: [(code, label), ...]} of the active items of several code tables, in one query."""
    out = {table: [] for table in tables}
    for item in CodeItem.objects.filter(table__name__in=tables, active=True).select_related("table"):
        out[item.table.name].append((item.code, item.label))
    return out


def label_choices(labels: dict, table: str) -> list[tuple[str, str]]:
    """(code, label) of every item of `table` in a `label_map`, inactive ones too: filters reach old records."""
    return [(code, label) for (name, code), label in labels.items() if name == table]


def set_code_choices(form, field: str, table: str, options: list, *, blank=None, current: str = "") -> None:
    """Give `field` the table's active items; an inactive `current` value stays selectable (old records)."""
    choices = list(options)
    if current and current not in {code for code, _label in choices}:
        choices.append((current, label_of(table=table, code=current)))
    if blank is not None:
        choices.insert(0, ("", blank))
    form.fields[field].choices = choices
