"""Contracts made through the services, as users would make them."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.contracts import demo, selectors, services
from opsmon.contracts.models import Contract
from opsmon.opportunities.tests.factories import opportunity

PDF = demo.SIGNED_PDF


def routes(org):
    """The demo routes: standard (≥ 500,000: technical → finance → legal → owner's head), small (< 500,000:
    finance → owner's head) and framework agreements (finance + legal 会签 → owner's head)."""
    demo._routes(org["admin"], org)


def terms(amount="1000000.00", contract_type="system_integration", **overrides):
    start = timezone.localdate()
    data = {"contract_type": contract_type, "amount": amount, "tax_rate": "13", "start_on": start,
            "end_on": start + timedelta(days=365), "terms": "按合同约定交付。",
            "milestones": [{"name": "预付款", "condition": "签订后 15 日内", "percentage": "30"},
                           {"name": "验收款", "due_on": start + timedelta(days=180), "percentage": "70"}]}
    data.update(overrides)
    return data


def draft(org, owner="rep1", **overrides) -> Contract:
    rep = org[owner]
    return services.contract_create(actor=rep, opportunity=opportunity(rep), **terms(**overrides))


def submitted(org, owner="rep1", **overrides) -> Contract:
    contract = draft(org, owner, **overrides)
    return services.contract_submit(actor=org[owner], contract=contract)


def decide_all(contract) -> Contract:
    """Approve every remaining step as its first undecided decider."""
    while (step := selectors.current_step(contract)) is not None:
        for d in step.deciders.filter(decision="").select_related("user"):
            contract = services.step_decide(actor=d.user, contract=contract, step_id=step.pk, decision="approve")
            if step.mode == "any":
                break
    return Contract.objects.get(pk=contract.pk)


def signed_copy(name="signed.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def signed(org, owner="rep1", **overrides) -> Contract:
    contract = decide_all(submitted(org, owner, **overrides))
    return services.contract_sign(actor=org[owner], contract=contract, signed_on=timezone.localdate(),
                                  signed_copy=signed_copy())
