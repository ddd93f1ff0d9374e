"""The tender intake pages: read one of the bid's tender files (or pasted text) into proposals, let the user
accept, edit or clear each, and save the accepted ones through the tender analysis. Reading saves nothing."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opsmon.codes.forms import code_options, set_code_choices
from opsmon.codes.selectors import label_map
from opsmon.core.errors import ApplicationError, Invalid, Malformed
from opsmon.core.web import StyledForm

from . import rules, selectors
from .choices import BondKind, DocumentKind
from .forms import DateTimeLocalInput, local_minute, money_text
from .models import Bid
from .services import intake

READABLE_KINDS = frozenset({"pdf", "docx"})
INTAKE_DOCUMENT_KINDS = frozenset({DocumentKind.TENDER, DocumentKind.CLARIFICATION})
TEXT_FIELDS = {"project_no": 100, "project_name": 200, "tenderer": 200, "agency": 200}
MONEY = ("budget", "ceiling_price", "bid_bond")
TIMES = ("submission_deadline", "opening_at")


class ReadForm(forms.Form):
    document = forms.IntegerField(required=False, min_value=1)
    text = forms.CharField(required=False, max_length=intake.MAX_TEXT_CHARS, strip=True,
                           widget=forms.Textarea(attrs={"rows": 6}))


class ApplyForm(StyledForm, forms.Form):
    """One "use" checkbox and one editable value per proposed field; the hidden source lets the page read it
    again (to show the snippets and to know which values came from the document)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    document = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=intake.MAX_TEXT_CHARS, strip=False)

    def __init__(self, *args, bid: Bid, reading: intake.Reading, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = [name for name in intake.ORDER if name in reading.proposals.fields]
        options = code_options("tender_method", "scoring_method", "bond_method")
        self.bond_plannable = (rules.can_plan_bond(user, bid) is None
                               and not bid.bonds.filter(kind=BondKind.BID).exists())
        for name in self.names:
            proposal = reading.proposals.fields[name]
            self.fields[f"use_{name}"] = forms.BooleanField(required=False, label=intake.field_label(name),
                                                            initial=_use_by_default(bid, name, proposal, self))
            self.fields[f"value_{name}"] = _value_field(name)
            self.initial.setdefault(f"value_{name}", _initial(name, proposal))
            if name in intake.CODE_TABLES:
                table = intake.CODE_TABLES[name]
                set_code_choices(self, f"value_{name}", table, options[table], blank="—")
        if "bid_bond" in self.names and self.bond_plannable:
            self.fields["bond_method"] = forms.ChoiceField(label=gettext_lazy("Bond method"), required=False)
            set_code_choices(self, "bond_method", "bond_method", options["bond_method"], blank="—")
            codes = [code for code, _label in options["bond_method"]]
            self.initial.setdefault("bond_method", "bank_transfer" if "bank_transfer" in codes else "")
        for name, field in self.fields.items():
            if name.startswith("value_"):
                field.widget.attrs["aria-label"] = intake.field_label(name[6:])
            kind = getattr(field.widget, "input_type", None)
            field.widget.attrs.setdefault("class", "form-check-input" if kind == "checkbox" else
                                          "form-select" if kind == "select" else "form-control")

    def accepted(self) -> dict:
        """{field: value} of the rows ticked "use" with a value; an emptied row changes nothing."""
        data = self.cleaned_data
        return {name: data.get(f"value_{name}") for name in self.names
                if data.get(f"use_{name}") and data.get(f"value_{name}") not in (None, "")}


def _value_field(name: str) -> forms.Field:
    if name in intake.CODE_TABLES:
        return forms.ChoiceField(required=False)
    if name in TIMES:
        return forms.DateTimeField(required=False, widget=DateTimeLocalInput)
    if name in MONEY:
        return forms.CharField(required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    if name == "qualification":
        return forms.CharField(required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    return forms.CharField(required=False, max_length=TEXT_FIELDS.get(name, 200))


def _initial(name: str, proposal):
    value = proposal.value
    if name in intake.CODE_TABLES:
        return proposal.code or ""
    if isinstance(value, Decimal):
        return money_text(value)
    if name in TIMES:
        return local_minute(value)
    return value or ""


def _current(bid: Bid, name: str):
    if name == "project_name":
        return bid.title
    if name == "bid_bond":
        bond = bid.bonds.filter(kind=BondKind.BID).first()
        return bond.amount if bond else None
    return getattr(bid, intake.ANALYSIS_FIELDS[name])


def _use_by_default(bid: Bid, name: str, proposal, form) -> bool:
    """Ticked when the bid has nothing there yet: a value the user already has is never overwritten silently.
    The title stays the user's unless he ticks it; a bond only when he may plan one."""
    if proposal.value is None or name == "project_name" or (name in intake.CODE_TABLES and not proposal.code):
        return False
    if name == "bid_bond":
        return form.bond_plannable
    if name in TIMES and proposal.value < bid.created_at:
        return False  # the analysis refuses a deadline before the registration: an old notice's times stay out
    return _current(bid, name) in (None, "")


def _rows(form: ApplyForm, bid: Bid, reading: intake.Reading) -> list[dict]:
    labels = label_map("tender_method", "scoring_method")
    rows = []
    for name in form.names:
        proposal = reading.proposals.fields[name]
        current = _current(bid, name)
        if name in intake.CODE_TABLES and current:
            current = labels.get((intake.CODE_TABLES[name], current), current)
        rows.append({
            "name": name, "label": intake.field_label(name), "use": form[f"use_{name}"],
            "value": form[f"value_{name}"], "proposal": proposal, "current": current,
            "is_time": name in TIMES, "is_money": name in MONEY,
            "before": proposal.snippet[:proposal.start], "mark": proposal.snippet[proposal.start:proposal.end],
            "after": proposal.snippet[proposal.end:], "percent": round(proposal.confidence * 100),
            "alternatives": [{"text": a.text or str(a.value), "value": _initial(name, a) if name not in
                              intake.CODE_TABLES else "", "snippet": a.snippet} for a in proposal.alternatives],
            "unmapped": name in intake.CODE_TABLES and proposal.value is not None and not proposal.code,
            "past": name in TIMES and proposal.value is not None and proposal.value < bid.created_at,
            "bond_note": name == "bid_bond" and not form.bond_plannable,
        })
    return rows


def _documents(bid: Bid) -> list:
    """The latest version of each tender or clarification file the extractor can read."""
    seen, latest = set(), []
    for doc in selectors.documents(bid):
        key = (doc.kind, doc.name)
        if key in seen:
            continue
        seen.add(key)
        if doc.kind in INTAKE_DOCUMENT_KINDS and doc.file.kind in READABLE_KINDS:
            latest.append(doc)
    return latest


def _page(request, bid: Bid, *, reading=None, form=None, read_form=None, error=None, status=200):
    context = {"bid": bid, "reading": reading, "form": form, "error": error,
               "read_form": read_form or ReadForm(), "intake_documents": _documents(bid),
               "rows": _rows(form, bid, reading) if form is not None and reading is not None else []}
    return render(request, "bids/_intake_page.html", context, status=status)


def _read(request, bid: Bid, read_form: ReadForm):
    """(reading, None) for the form's document or pasted text, or (None, the page that says why there is none)."""
    if not read_form.is_valid():
        return None, _page(request, bid, read_form=read_form, error=Malformed(_("Some fields are not valid.")),
                           status=400)
    document_id, text = read_form.cleaned_data["document"], read_form.cleaned_data["text"]
    try:
        document = selectors.document_get(actor=request.user, pk=document_id) if document_id else None
        return intake.tender_intake_read(actor=request.user, bid=bid, document=document,
                                         text=text if not document_id else None), None
    except ApplicationError as error:
        return None, _page(request, bid, read_form=read_form, error=error, status=error.status)


@login_required
def intake_start(request, pk):
    """The page with the readable tender files and the paste box."""
    bid = selectors.bid_get(actor=request.user, pk=pk)
    refusal = rules.can_intake(request.user, bid)
    if refusal is not None:
        return _page(request, bid, error=refusal, status=refusal.status)
    return _page(request, bid)


@require_POST
@login_required
def intake_read(request, pk):
    """Read a document or the pasted text; answer the review form. Nothing is saved."""
    bid = selectors.bid_get(actor=request.user, pk=pk)
    read_form = ReadForm(request.POST)
    reading, refused = _read(request, bid, read_form)
    if refused:
        return refused
    document_id, text = read_form.cleaned_data["document"], read_form.cleaned_data["text"]
    if not reading.proposals.fields:
        error = Invalid(_("Nothing the tender analysis needs was found in this text."), code="nothing_found")
        return _page(request, bid, read_form=read_form, error=error, status=422)
    form = ApplyForm(bid=bid, reading=reading, user=request.user,
                     initial={"version": bid.version, "document": document_id or None,
                              "text": "" if document_id else text})
    return _page(request, bid, reading=reading, form=form, read_form=read_form)


@require_POST
@login_required
def intake_apply(request, pk):
    """Save the ticked values through the tender analysis; a refusal shows the review again with its reason."""
    bid = selectors.bid_get(actor=request.user, pk=pk)
    source = ReadForm({"document": request.POST.get("document") or None, "text": request.POST.get("text", "")})
    reading, refused = _read(request, bid, source)
    if refused:
        return refused
    form = ApplyForm(request.POST, bid=bid, reading=reading, user=request.user)
    if not form.is_valid():
        return _page(request, bid, reading=reading, form=form, error=Malformed(_("Some fields are not valid.")),
                     status=400)
    proposed = {name: _initial(name, p) for name, p in reading.proposals.fields.items()}
    try:
        applied = intake.tender_intake_apply(
            actor=request.user, bid=bid, version=form.cleaned_data["version"], values=form.accepted(),
            proposed=proposed, source=reading.source, bond_method=form.cleaned_data.get("bond_method") or "")
    except ApplicationError as error:
        for name, problems in error.fields.items():
            target = f"value_{name}" if f"value_{name}" in form.fields else name if name in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
        return _page(request, bid, reading=reading, form=form, error=error, status=error.status)
    messages.success(request, _("The tender analysis was saved: %(read)s value(s) from the document, %(edited)s "
                                "edited.") % {"read": len(applied.read), "edited": len(applied.edited)})
    for note in applied.notes:
        messages.info(request, note)
    return redirect(reverse("bids:detail", args=[bid.pk]) + "#analysis")
