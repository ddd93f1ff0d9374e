"""The POST actions of the contract page: one service each, through `form_action`. Bad input answers 400, a refusal
its own status (the page again, unchanged, with the form as typed); success redirects back with a message."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.approvals.choices import Decision
from opsmon.core.web import form_action

from . import selectors, services
from .forms import AmendmentForm, AttachmentForm, ContractEditForm, DecisionForm, SignForm, TerminateForm
from .views import detail_page


def _action(request, pk, *, run, message, bind=None, form_name: str = "form", anchor: str = ""):
    return form_action(
        request, load=lambda: selectors.contract_get(actor=request.user, pk=pk), bind=bind, form_name=form_name,
        run=run, message=message,
        page=lambda contract, *, error, status, forms: detail_page(request, contract, error=error, status=status,
                                                                   forms=forms),
        redirect_to=reverse("contracts:detail", args=[pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@login_required
def contract_edit(request, pk):
    """Save the draft's changed terms; nothing changed, nothing saved. A form read at an old version is refused."""
    def run(contract, form):
        changes = form.changes()
        if not changes:
            return None
        return services.contract_update(actor=request.user, contract=contract, version=form.cleaned_data["version"],
                                        **changes)

    return _action(request, pk, bind=lambda contract: ContractEditForm(request.POST, contract=contract),
                   form_name="edit", run=run, anchor="terms",
                   message=lambda saved: _("The draft was saved.") if saved else _("Nothing was changed."))


@require_POST
@login_required
def attachment_upload(request, pk):
    return _action(
        request, pk, bind=lambda contract: AttachmentForm(request.POST, request.FILES), form_name="upload",
        run=lambda contract, form: services.attachment_add(actor=request.user, contract=contract,
                                                           upload=form.cleaned_data["file"]),
        message=lambda a: _("%(name)s was attached.") % {"name": a.file.original_name}, anchor="attachments")


@require_POST
@login_required
def contract_submit(request, pk):
    return _action(
        request, pk, run=lambda contract, form: services.contract_submit(actor=request.user, contract=contract),
        message=lambda c: _("%(number)s was submitted for review.") % {"number": c.number}, anchor="reviews")


@require_POST
@login_required
def step_decide(request, pk, step_id, decision):
    """Approve or reject the current step (a comment is required to reject); only its deciders, never the owner."""
    if decision not in Decision.values:
        raise Http404
    return _action(
        request, pk, bind=lambda contract: DecisionForm(request.POST), form_name="decide",
        run=lambda contract, form: services.step_decide(actor=request.user, contract=contract, step_id=step_id,
                                                        decision=decision, comment=form.cleaned_data["comment"]),
        message=lambda c: _("You approved the step.") if decision == Decision.APPROVE
        else _("You rejected the step."), anchor="reviews")


@require_POST
@login_required
def contract_sign(request, pk):
    return _action(
        request, pk, bind=lambda contract: SignForm(request.POST, request.FILES), form_name="sign",
        run=lambda contract, form: services.contract_sign(
            actor=request.user, contract=contract, signed_on=form.cleaned_data["signed_on"],
            signed_copy=form.cleaned_data["signed_copy"]),
        message=lambda c: _("%(number)s was signed.") % {"number": c.number})


@require_POST
@login_required
def contract_archive(request, pk):
    return _action(
        request, pk, run=lambda contract, form: services.contract_archive(actor=request.user, contract=contract),
        message=lambda c: _("%(number)s was archived.") % {"number": c.number})


@require_POST
@login_required
def contract_terminate(request, pk):
    return _action(
        request, pk, bind=lambda contract: TerminateForm(request.POST), form_name="terminate",
        run=lambda contract, form: services.contract_terminate(actor=request.user, contract=contract,
                                                               reason=form.cleaned_data["reason"]),
        message=lambda c: _("%(number)s was terminated.") % {"number": c.number})


@require_POST
@login_required
def amendment_propose(request, pk):
    """Propose the terms the user changed, with a reason; the amendment's review starts at once."""
    return _action(
        request, pk, bind=lambda contract: AmendmentForm(request.POST, contract=contract), form_name="amend",
        run=lambda contract, form: services.amendment_propose(actor=request.user, contract=contract,
                                                              changes=form.changes(),
                                                              reason=form.cleaned_data["reason"]),
        message=lambda a: _("Amendment %(n)s was proposed; its review has started.") % {"n": a.number},
        anchor="amendments")
