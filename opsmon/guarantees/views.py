"""Guarantee letter pages: the list (with the letters flagged first when asked), registering a letter on a bond or
a contract, the detail page with its validity history, and one POST per action. Buttons are the rules' allowed
actions; a refusal re-renders the page with its status (core.web.form_action)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.bids.choices import BondStatus
from opsmon.core import timeline
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import verbose_names
from opsmon.core.paging import CappedPaginator
from opsmon.core.rules import refuse
from opsmon.core.web import apply_error, form_action, page_or_partial

from . import rules, selectors, services
from .choices import LetterStatus
from .forms import ExtendForm, LetterFilterForm, LetterForm, ReleaseForm
from .models import GuaranteeLetter, LetterPeriod

PAGE_SIZE = 50


def _reverse(name: str, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


@login_required
def letter_list(request):
    form = LetterFilterForm(request.GET)
    page = CappedPaginator(selectors.letter_list(actor=request.user, filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    today = timezone.localdate()
    for letter in page.object_list:
        letter.flagged = selectors.is_flagged(letter, today)
        letter.expired = letter.valid_to < today
    return page_or_partial(request, "guarantees/list.html", "guarantees/_table.html", {
        "form": form, "page": page, "names": verbose_names(GuaranteeLetter)})


# --- registering -------------------------------------------------------------------------------------------------

def _register(request, *, bond=None, contract=None):
    """The form for a letter on `bond` or `contract` (the rule first: who may not gets its refusal page)."""
    refuse(rules.can_register(request.user, bond=bond, contract=contract))
    subject = bond or contract
    form = LetterForm(request.POST or None, initial={"amount": bond.amount} if bond is not None else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter = services.letter_register(actor=request.user, bond=bond, contract=contract,
                                                  **form.cleaned_data)
            except ApplicationError as error:
                apply_error(form, error)
                for field in ("bond_id", "contract_id"):
                    for text in error.fields.get(field, []):
                        form.add_error(None, text)
                status = error.status
            else:
                messages.success(request, _("Guarantee letter %(number)s registered.") % {"number": letter.number})
                return redirect("guarantees:detail", pk=letter.pk)
        else:
            status = 400
    context = {"form": form, "bond": bond, "contract": contract, "subject": subject,
               "back_url": reverse("bids:detail", args=[bond.bid_id]) if bond is not None
               else _reverse("contracts:detail", contract.pk)}
    return render(request, "guarantees/register.html", context, status=status)


@login_required
def register_on_bond(request, pk):
    return _register(request, bond=selectors.bond_for_letter(actor=request.user, pk=pk))


@login_required
def register_on_contract(request, pk):
    return _register(request, contract=selectors.contract_for_letter(actor=request.user, pk=pk))


# --- detail and actions ------------------------------------------------------------------------------------------

def _timeline(letter) -> list[dict]:
    statuses = dict(LetterStatus.choices)
    entries = sorted(timeline.entries_for(letter), key=lambda e: (e.at, e.id), reverse=True)
    # the raw key: includes/timeline.html labels it (action_label)
    return [{"at": e.at, "actor": e.actor, "action": e.action,
             "from_status": statuses.get(e.from_status, e.from_status),
             "to_status": statuses.get(e.to_status, e.to_status), "comment": e.comment} for e in entries]


def _detail(request, letter, *, error: ApplicationError | None = None, status: int = 200, forms: dict | None = None):
    forms = forms or {}
    user = request.user
    allowed = rules.allowed_actions(user, letter)
    today = timezone.localdate()
    bond = letter.bond if letter.bond_id else None
    letter.flagged, letter.expired = selectors.is_flagged(letter, today), letter.valid_to < today
    context = {
        "letter": letter, "error": error, "actions": dict.fromkeys(allowed, True), "allowed_actions": allowed,
        "names": verbose_names(GuaranteeLetter), "period_names": verbose_names(LetterPeriod),
        "periods": list(selectors.periods_of(letter)), "timeline": _timeline(letter),
        "still_needed": selectors.still_needed(letter, today), "bond": bond,
        "bond_status": dict(BondStatus.choices).get(bond.status, bond.status) if bond else "",
        # The bid assistant keeps every letter but may not see a contract: its number is shown, linked when he may.
        "bid_url": reverse("bids:detail", args=[bond.bid_id]) if bond else "",
        "contract_url": _reverse("contracts:detail", letter.contract_id)
        if letter.contract_id and selectors.visible_contracts(user).filter(pk=letter.contract_id).exists() else "",
        "extend_form": forms.get("extend") or ExtendForm(),
        "release_form": forms.get("release") or ReleaseForm(initial={"released_on": today}),
    }
    return render(request, "guarantees/detail.html", context, status=status)


@login_required
def letter_detail(request, pk):
    return _detail(request, selectors.letter_get(actor=request.user, pk=pk))


def _action(request, pk, *, bind, run, message, form_name):
    return form_action(
        request, load=lambda: selectors.letter_get(actor=request.user, pk=pk), bind=bind, run=run,
        page=lambda letter, *, error, status, forms: _detail(request, letter, error=error, status=status,
                                                            forms=forms),
        redirect_to=reverse("guarantees:detail", args=[pk]), message=message, form_name=form_name)


@require_POST
@login_required
def letter_extend(request, pk):
    return _action(
        request, pk, bind=lambda letter: ExtendForm(request.POST), form_name="extend",
        run=lambda letter, form: services.letter_extend(actor=request.user, letter=letter,
                                                        valid_to=form.cleaned_data["valid_to"],
                                                        note=form.cleaned_data["note"]),
        message=lambda letter: _("%(number)s extended to %(day)s.") % {"number": letter.number,
                                                                        "day": letter.valid_to.isoformat()})


@require_POST
@login_required
def letter_release(request, pk):
    return _action(
        request, pk, bind=lambda letter: ReleaseForm(request.POST), form_name="release",
        run=lambda letter, form: services.letter_release(actor=request.user, letter=letter,
                                                         released_on=form.cleaned_data["released_on"]),
        message=lambda letter: _("%(number)s released.") % {"number": letter.number})


