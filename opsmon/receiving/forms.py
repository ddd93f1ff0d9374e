"""Page forms: record a delivery (one quantity field per order line; empty ones are not delivered), the inspector's
split (accepted / rejected / note per delivered line), the cancellation reason, the list filters. The services
check everything again; their `lines.<n>.<field>` errors go next to the n-th row given."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import DateInput, field_label
from opsmon.core.web import StyledForm

from .choices import ReceiptStatus
from .models import Receipt, ReceiptLine
from .selectors import plain


def inspectors(order):
    """Active users with the inspector role, the order's purchaser left out."""
    return (User.objects.filter(is_active=True, groups__name=Role.INSPECTOR).exclude(pk=order.owner_id)
            .distinct().order_by("username"))


class LinesMixin:
    """Map a service's `lines.<n>.<field>` errors to the fields of the n-th row given (self._rows: [row key])."""

    def _field(self, key: str, part: str) -> str | None:
        name = f"{part}_{key}"
        return name if name in self.fields else None

    def apply_error(self, error: ApplicationError) -> None:
        for key, texts in error.fields.items():
            parts = key.split(".")
            target = key if key in self.fields else None
            if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() \
                    and 0 < int(parts[1]) <= len(self._rows):
                target = self._field(self._rows[int(parts[1]) - 1], parts[2]) or \
                    self._field(self._rows[int(parts[1]) - 1], self.main)
            for text in texts:
                self.add_error(target, text)
        if not error.fields:
            self.add_error(None, str(error.message))


class ReceiptForm(LinesMixin, StyledForm, forms.Form):
    main = "qty"
    delivered_on = forms.DateField(label=field_label(Receipt, "delivered_on"),
                                   widget=DateInput)
    inspector_id = forms.TypedChoiceField(label=field_label(Receipt, "inspector"), coerce=int)
    note = forms.CharField(label=field_label(Receipt, "note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, order, available: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.order = order
        self.fields["inspector_id"].choices = [("", "—"), *((u.pk, str(u)) for u in inspectors(order))]
        self.rows = []
        for line in order.lines.all():
            name = f"qty_{line.pk}"
            self.fields[name] = forms.CharField(
                label=f"{line.position}. {line.item}", max_length=30, required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm",
                                              "placeholder": plain(available.get(line.pk))}))
            self.rows.append({"line": line, "field": name, "available": available.get(line.pk)})
        self._rows: list[str] = []

    def bound_rows(self):
        return [{**row, "bound": self[row["field"]]} for row in self.rows]

    def service_args(self) -> dict:
        d = self.cleaned_data
        lines = []
        self._rows = []
        for row in self.rows:
            qty = (d.get(row["field"]) or "").strip()
            if qty:
                lines.append({"order_line_id": row["line"].pk, "qty": qty})
                self._rows.append(str(row["line"].pk))
        return {"delivered_on": d["delivered_on"], "inspector_id": d["inspector_id"], "note": d["note"],
                "lines": lines}


class AcceptForm(LinesMixin, StyledForm, forms.Form):
    main = "accepted"
    accepted_on = forms.DateField(label=field_label(Receipt, "accepted_on"), required=False,
                                  widget=DateInput,
                                  help_text=_("Empty: today. It starts the payment clock and the warranty."))

    def __init__(self, data=None, *, receipt, **kwargs):
        super().__init__(data, **kwargs)
        self.rows = []
        for rl in receipt.lines.all():
            key = str(rl.order_line_id)
            for part, label in (("accepted", field_label(ReceiptLine, "accepted")),
                                ("rejected", field_label(ReceiptLine, "rejected"))):
                self.fields[f"{part}_{key}"] = forms.CharField(
                    label=label, max_length=30, required=False,
                    initial=plain(rl.qty) if part == "accepted" else "0",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm"}))
            self.fields[f"note_{key}"] = forms.CharField(label=field_label(ReceiptLine, "note"), max_length=500,
                                                         required=False)
            self.fields[f"note_{key}"].widget.attrs["class"] = "form-control form-control-sm"
            self.rows.append({"line": rl, "key": key})
        self._rows = [row["key"] for row in self.rows]

    def bound_rows(self):
        return [{**row, "accepted": self[f"accepted_{row['key']}"], "rejected": self[f"rejected_{row['key']}"],
                 "note": self[f"note_{row['key']}"]} for row in self.rows]

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"accepted_on": d.get("accepted_on"),
                "lines": [{"order_line_id": int(row["key"]), "accepted": d.get(f"accepted_{row['key']}", ""),
                           "rejected": d.get(f"rejected_{row['key']}") or "0",
                           "note": d.get(f"note_{row['key']}", "")} for row in self.rows]}


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # required: the service says so


class ReceiptFilterForm(lists.ListFilterForm):
    """The receipt list's filters (core.lists)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=field_label(Receipt, "status"), required=False,
                               choices=[("", _("All statuses")), *ReceiptStatus.choices])
    inspector = lists.owner_field(field_label(Receipt, "inspector"))
    delivered_from = lists.date_field(_("Delivered from"))
    delivered_to = lists.date_field(_("Delivered to"))

    lookups = {"status": "status", "inspector": "inspector_id", "delivered_from": "delivered_on__gte",
               "delivered_to": "delivered_on__lte"}
    search = ("number__icontains", "order__number__icontains", "order__title__icontains",
              "order__supplier__name__icontains")
    mine_lookup = "inspector_id"
    ranges = (("delivered_from", "delivered_to"),)
    sortable = ("number", "delivered_on", "created_at")

    def __init__(self, *args, people=(), **kwargs):
        """`people` (users) are the choices of the inspector filter, read once by the view."""
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [("", _("All inspectors")), *((u.pk, str(u)) for u in people)]
        self.fields["q"].widget.attrs["placeholder"] = _("Number, order, supplier")
