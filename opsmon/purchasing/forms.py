"""Page forms: the list's filters, a draft order's terms with its milestone rows and promised dates, the signing
form (date + signed copy), an amendment, and the reason / comment of the actions. The services check everything
again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import DateInput, field_label
from opsmon.core.web import StyledForm

from .choices import MilestoneKind, OrderStatus
from .models import OrderLine, OrderMilestone, PurchaseOrder

EMPTY_MILESTONES = 2


class OrderFilterForm(lists.ListFilterForm):
    """The order list's filters (core.lists); the procurement dashboards link here with supplier, project,
    category, signed period, `late` and `open`."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=field_label(PurchaseOrder, "status"), required=False,
                               choices=[("", _("All statuses")), *OrderStatus.choices])
    supplier = forms.TypedChoiceField(label=field_label(PurchaseOrder, "supplier"), coerce=int, required=False,
                                      empty_value=None)
    project = forms.IntegerField(required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(label=_("Category"), required=False)
    owner = lists.owner_field(field_label(PurchaseOrder, "owner"))
    signed_from = lists.date_field(_("Signed from"))
    signed_to = lists.date_field(_("Signed to"))
    late = forms.BooleanField(label=_("Late (a promised date passed, not completed)"), required=False)
    open = forms.BooleanField(label=_("Open commitments (approved or signed)"), required=False)

    lookups = {"status": "status", "supplier": "supplier_id", "project": "project_id", "owner": "owner_id",
               "signed_from": "signed_on__gte", "signed_to": "signed_on__lte"}
    search = ("number__icontains", "title__icontains", "supplier__name__icontains")
    mine_lookup = "owner_id"
    ranges = (("signed_from", "signed_to"),)
    sortable = ("number", "title", "total", "signed_on", "created_at")

    def __init__(self, *args, suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = [("", _("All suppliers")), *((s.pk, s.name) for s in suppliers)]
        categories = code_options("supplier_category")["supplier_category"]
        self.fields["category"].choices = [("", _("All categories")), *categories]
        self.fields["q"].widget.attrs["placeholder"] = _("Number, title or supplier")

    def apply(self, queryset, actor):
        category = self.value("category")
        if category:
            queryset = queryset.filter(pk__in=OrderLine.objects.filter(category=category).values("order_id"))
        if self.value("late"):
            queryset = queryset.filter(status=OrderStatus.SIGNED, pk__in=OrderLine.objects.filter(
                promised_on__lt=timezone.localdate()).values("order_id"))
        if self.value("open"):
            queryset = queryset.filter(status__in=(OrderStatus.APPROVED, OrderStatus.SIGNED))
        return super().apply(queryset, actor)


def _small(form):
    for field in form.fields.values():
        field.widget.attrs["aria-label"] = field.label
        css = field.widget.attrs.get("class", "")
        field.widget.attrs["class"] = css + (" form-select-sm" if "form-select" in css else " form-control-sm")


class MilestoneForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=field_label(OrderMilestone, "kind"), required=False,
                             choices=[("", "—"), *MilestoneKind.choices])
    name = forms.CharField(label=field_label(OrderMilestone, "name"), max_length=100, required=False)
    percent = forms.CharField(label=field_label(OrderMilestone, "percent"), max_length=12, required=False,
                              widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, **kwargs):
        kwargs["empty_permitted"] = False
        super().__init__(*args, **kwargs)
        _small(self)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) for f in ("kind", "name", "percent"))

    def row(self) -> dict:
        d = self.cleaned_data
        return {"kind": d.get("kind", ""), "name": d.get("name", ""), "percent": d.get("percent", "")}


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=EMPTY_MILESTONES, max_num=14, absolute_max=14)


class TermsForm(StyledForm, forms.Form):
    """A draft order's terms; milestone rows (a formset, prefix "milestones") and one promised date per line
    (`promised_<line id>`)."""

    title = forms.CharField(label=field_label(PurchaseOrder, "title"), max_length=200)
    retention_pct = forms.CharField(label=field_label(PurchaseOrder, "retention_pct"), max_length=12)
    warranty_months = forms.IntegerField(label=field_label(PurchaseOrder, "warranty_months"), min_value=0)
    payment_days = forms.IntegerField(label=field_label(PurchaseOrder, "payment_days"), min_value=0)
    invoice_type = forms.ChoiceField(label=field_label(PurchaseOrder, "invoice_type"))
    pay_after_customer = forms.BooleanField(label=field_label(PurchaseOrder, "pay_after_customer"), required=False)
    delivery_address = forms.CharField(label=field_label(PurchaseOrder, "delivery_address"), max_length=300,
                                       required=False)
    note = forms.CharField(label=field_label(PurchaseOrder, "note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, order: PurchaseOrder, **kwargs):
        self.order = order
        self.lines = list(order.lines.all())
        initial = {"title": order.title, "retention_pct": order.retention_pct.normalize(),
                   "warranty_months": order.warranty_months, "payment_days": order.payment_days,
                   "invoice_type": order.invoice_type, "pay_after_customer": order.pay_after_customer,
                   "delivery_address": order.delivery_address, "note": order.note}
        for line in self.lines:
            initial[f"promised_{line.pk}"] = line.promised_on
        super().__init__(data, initial=initial, **kwargs)
        self.fields["invoice_type"].choices = [("", "—"), *code_options("invoice_type")["invoice_type"]]
        for line in self.lines:
            self.fields[f"promised_{line.pk}"] = forms.DateField(
                label=f"{line.position}. {line.item}", required=False,
                widget=DateInput(attrs={"class": "form-control form-control-sm"}))
        rows = [{"kind": m.kind, "name": m.name, "percent": m.percent.normalize()} for m in order.milestones.all()]
        self.milestones = MilestoneFormSet(data, prefix="milestones", initial=rows)

    def promised_fields(self):
        return [(line, self[f"promised_{line.pk}"]) for line in self.lines]

    def is_valid(self) -> bool:
        ok = super().is_valid()
        return self.milestones.is_valid() and ok

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "retention_pct": d["retention_pct"], "warranty_months": d["warranty_months"],
                "payment_days": d["payment_days"], "invoice_type": d["invoice_type"],
                "pay_after_customer": d["pay_after_customer"], "delivery_address": d["delivery_address"],
                "note": d["note"],
                "milestones": [f.row() for f in self.milestones.forms if not f.is_blank()],
                "lines": [{"id": line.pk, "promised_on": d.get(f"promised_{line.pk}")} for line in self.lines]}

    def apply_error(self, error: ApplicationError) -> None:
        """Put each field's message next to it: `milestones.2.percent` on that row, `lines.N.*` on the date."""
        for key, message in (error.fields or {}).items():
            parts = key.split(".")
            if parts[0] == "milestones" and len(parts) == 3 and parts[1].isdigit():
                rows = [f for f in self.milestones.forms if not f.is_blank()]
                index = int(parts[1]) - 1
                if 0 <= index < len(rows) and parts[2] in rows[index].fields:
                    rows[index].add_error(parts[2], message)
                    continue
            if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit():
                index = int(parts[1]) - 1
                if 0 <= index < len(self.lines):
                    self.add_error(f"promised_{self.lines[index].pk}", message)
                    continue
            if parts[0] in self.fields:
                self.add_error(parts[0], message)
            else:
                self.add_error(None, message)


class SignForm(StyledForm, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput)
    file = forms.FileField(label=_("Signed copy"), required=False)


class AmendmentForm(StyledForm, forms.Form):
    """Simple amendments from the page: payment days, warranty, delivery address, one line's quantity / price."""

    payment_days = forms.IntegerField(label=field_label(PurchaseOrder, "payment_days"), min_value=0, required=False)
    warranty_months = forms.IntegerField(label=field_label(PurchaseOrder, "warranty_months"), min_value=0,
                                         required=False)
    delivery_address = forms.CharField(label=field_label(PurchaseOrder, "delivery_address"), max_length=300,
                                       required=False)
    line = forms.ChoiceField(label=_("Line"), required=False)
    qty = forms.CharField(label=_("New quantity"), max_length=30, required=False)
    unit_price = forms.CharField(label=_("New unit price (tax incl.)"), max_length=30, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, order: PurchaseOrder, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["line"].choices = [("", "—"), *[(str(line.pk), f"{line.position}. {line.item}")
                                                    for line in order.lines.all()]]

    def changes(self) -> dict:
        d = self.cleaned_data
        out = {k: d[k] for k in ("payment_days", "warranty_months") if d.get(k) is not None}
        if d.get("delivery_address"):
            out["delivery_address"] = d["delivery_address"]
        if d.get("line") and (d.get("qty") or d.get("unit_price")):
            row = {"id": int(d["line"])}
            if d.get("qty"):
                row["qty"] = d["qty"]
            if d.get("unit_price"):
                row["unit_price"] = d["unit_price"]
            out["lines"] = [row]
        return out


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CommentForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
