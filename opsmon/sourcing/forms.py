"""Page forms of sourcing: the new sourcing (request lines of approved requests, the invited suppliers), a
quotation (one price and tax rate per line, the supplier's file), the award (per line: a quotation, or dropped with
a reason), the list filter. The services check everything again; their errors named `lines.<n>.<field>` go next to
the n-th row's field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import DateInput, field_label
from opsmon.core.web import StyledForm, apply_error

from .choices import SourcingStatus
from .models import Sourcing


def _place(form, error: ApplicationError, rows: list[str], fields: dict[str, str]) -> None:
    """Errors of the service on the form: `lines.<n>.<f>` on the field `fields[f]` of the n-th row (its key in
    `rows`), others by name (or on top)."""
    rest = {}
    for key, texts in error.fields.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(rows):
            name = f"{fields.get(parts[2], parts[2])}_{rows[int(parts[1]) - 1]}"
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
        else:
            rest[key] = texts
    if rest or not error.fields:
        for key, texts in rest.items():
            for text in texts:
                form.add_error(key if key in form.fields else None, text)
        if not error.fields:
            apply_error(form, error)


class SourcingForm(StyledForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("Purchase method"))
    request_line_ids = forms.MultipleChoiceField(label=_("Request lines"), required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    supplier_ids = forms.MultipleChoiceField(label=_("Invited suppliers"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateTimeField(label=_("Quotation deadline"), required=False,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    single_source_reason = forms.ChoiceField(label=_("Single-source reason"), required=False)
    justification = forms.CharField(label=_("Justification"), max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    original_order_id = forms.IntegerField(label=_("Original order (添购)"), required=False, min_value=1)
    notice_on = forms.DateField(label=_("Notice (公示) published on"), required=False,
                                widget=DateInput)

    def __init__(self, data=None, *, lines, suppliers, **kwargs):
        super().__init__(data, **kwargs)
        options = code_options("purchase_method", "single_source_reason")
        self.fields["method"].choices = options["purchase_method"]
        self.fields["single_source_reason"].choices = [("", "—"), *options["single_source_reason"]]
        self.fields["request_line_ids"].choices = [
            (str(x.pk), f"{x.request.number} · {x.item} {x.spec} × {x.qty.normalize()} ({x.amount:,.2f})")
            for x in lines]
        self.fields["supplier_ids"].choices = [
            (str(s.pk), f"{s.name}{' · ' + str(_('grade')) + ' ' + s.grade if s.grade else ''}") for s in suppliers]

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "method": d["method"],
                "request_line_ids": [int(x) for x in d["request_line_ids"]],
                "supplier_ids": [int(x) for x in d["supplier_ids"]], "deadline": d["deadline"],
                "single_source_reason": d["single_source_reason"], "justification": d["justification"],
                "original_order_id": d["original_order_id"], "notice_on": d["notice_on"]}


class QuotationForm(StyledForm, forms.Form):
    supplier_id = forms.ChoiceField(label=_("Supplier"))
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=DateInput)
    delivery_days = forms.CharField(label=_("Delivery days"), max_length=6, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    file = forms.FileField(label=_("Quotation file"), required=False)

    def __init__(self, data=None, files=None, *, sourcing, **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["supplier_id"].choices = [(str(inv.supplier_id), inv.supplier.name)
                                              for inv in sourcing.invitations.all()]
        rates = code_options("tax_rate")["tax_rate"]
        self.rows = []
        for x in sourcing.lines.all():
            price = forms.CharField(label=_("Unit price (tax incl.)"), max_length=30, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            tax = forms.ChoiceField(label=_("Tax rate"), required=False, choices=[("", "—"), *rates])
            self.fields[f"price_{x.pk}"] = price
            self.fields[f"tax_{x.pk}"] = tax
            self.rows.append(x)
        for name in list(self.fields)[4:]:
            css = self.fields[name].widget.attrs.get("class", "")
            self.fields[name].widget.attrs["class"] = (css + " form-control form-control-sm"
                                                       if "form-select" not in css else css + " form-select-sm")
        self._keys: list[str] = []

    def line_fields(self):
        return [(x, self[f"price_{x.pk}"], self[f"tax_{x.pk}"]) for x in self.rows]

    def service_args(self) -> dict:
        d = self.cleaned_data
        lines, self._keys = [], []
        for x in self.rows:
            price, tax = d.get(f"price_{x.pk}"), d.get(f"tax_{x.pk}")
            if price in (None, "") and tax in (None, ""):
                continue
            lines.append({"request_line_id": x.request_line_id, "unit_price": price, "tax_rate": tax})
            self._keys.append(str(x.pk))
        return {"supplier_id": d["supplier_id"], "valid_until": d.get("valid_until"),
                "delivery_days": d.get("delivery_days"), "lines": lines, "upload": d.get("file")}

    def apply_error(self, error: ApplicationError) -> None:
        _place(self, error, self._keys, {"unit_price": "price", "tax_rate": "tax", "request_line_id": "price"})


class AwardForm(StyledForm, forms.Form):
    override_reason = forms.CharField(label=_("Override reason"), max_length=2000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, sourcing, table, **kwargs):
        initial = {"override_reason": sourcing.override_reason}
        for x in sourcing.lines.all():
            initial[f"quotation_{x.pk}"] = str(x.awarded_id or "")
            initial[f"drop_{x.pk}"] = x.drop_reason
            initial[f"not_lowest_{x.pk}"] = x.reason_not_lowest
        super().__init__(data, initial=initial, **kwargs)
        self.rows = []
        for row in table["rows"]:
            x = row["line"]
            choices = [("", _("— drop the line —"))]
            for cell in row["cells"]:
                if cell["line"] is not None:
                    mark = " ★" if cell["lowest"] else ""
                    invalid = "" if cell["valid"] else f" ({_('not valid')})"
                    choices.append((str(cell["line"].pk),
                                    f"{cell['supplier'].name} · {cell['line'].unit_price.normalize()}{mark}{invalid}"))
            self.fields[f"quotation_{x.pk}"] = forms.ChoiceField(label=_("Awarded quotation"), required=False,
                                                                 choices=choices)
            self.fields[f"drop_{x.pk}"] = forms.CharField(label=_("Reason for dropping"), max_length=500,
                                                          required=False)
            self.fields[f"not_lowest_{x.pk}"] = forms.CharField(label=_("Reason for not the lowest price"),
                                                                max_length=500, required=False)
            self.rows.append(x)
        for name, field in self.fields.items():
            if name != "override_reason":
                css = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = css + (" form-select-sm" if "form-select" in css
                                                     else " form-control-sm")
        self._keys = [str(x.pk) for x in self.rows]

    def line_fields(self):
        return [(x, self[f"quotation_{x.pk}"], self[f"drop_{x.pk}"], self[f"not_lowest_{x.pk}"]) for x in self.rows]

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"override_reason": d["override_reason"],
                "lines": [{"request_line_id": x.request_line_id,
                           "quotation_line_id": int(d[f"quotation_{x.pk}"]) if d.get(f"quotation_{x.pk}") else None,
                           "drop_reason": d.get(f"drop_{x.pk}", ""),
                           "reason_not_lowest": d.get(f"not_lowest_{x.pk}", "")} for x in self.rows]}

    def apply_error(self, error: ApplicationError) -> None:
        _place(self, error, self._keys, {"quotation_line_id": "quotation", "drop_reason": "drop",
                                         "reason_not_lowest": "not_lowest", "request_line_id": "quotation"})


class SourcingFilterForm(lists.ListFilterForm):
    """The sourcing list's filters (core.lists)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=field_label(Sourcing, "status"), required=False,
                               choices=[("", _("All statuses")), *SourcingStatus.choices])
    method = forms.ChoiceField(label=field_label(Sourcing, "method"), required=False)
    owner = lists.owner_field(field_label(Sourcing, "owner"))
    created_from = lists.date_field(_("Created from"))
    created_to = lists.date_field(_("Created to"))

    lookups = {"status": "status", "method": "method", "owner": "owner_id",
               "created_from": "created_at__date__gte", "created_to": "created_at__date__lte"}
    search = ("number__icontains", "title__icontains")
    mine_lookup = "owner_id"
    ranges = (("created_from", "created_to"),)
    sortable = ("number", "title", "estimate", "deadline", "created_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [("", _("All methods")), *code_options("purchase_method")["purchase_method"]]
        self.fields["q"].widget.attrs["placeholder"] = _("Number or title")
