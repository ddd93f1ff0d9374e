"""contracts.rules is the one answer to "may this user do this now?": for every action × every state × every demo
user, the action is in `allowed_actions` ⇔ the service accepts it (valid input, rolled back) ⇔ the contract's page
shows its `data-action` button; a refused action raises the rule's refusal, with its status and code.

The input is always valid, so the only 422 a service may still answer is the review configuration's: no route or
no decider for the round the action starts (a department head proposing an amendment of his own department's
contract when the route ends with "the owner's head": he never decides what he proposed, and nobody heads him).
That is the routes' answer, not the rules': the rule allows it, and the matrix counts it as accepted."""


from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opsmon.approvals.models import Review, ReviewStep
from opsmon.contracts import rules, selectors, services
from opsmon.contracts.models import Contract
from opsmon.core.tests.rules_matrix import assert_agrees, buttons
from opsmon.core.tests.rules_matrix import attempt as tried

from .factories import PDF, decide_all, draft, routes, signed, signed_copy, submitted

USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1")


def _step_id(contract) -> int:
    """The step a decision is tried on: the current one, else the last of the contract's rounds (0: none)."""
    step = selectors.current_step(contract)
    if step is None:
        step = ReviewStep.objects.filter(review__contract=contract).order_by("-review__round", "-position").first()
    return step.pk if step is not None else 0


CALLS = {
    "edit": lambda u, c: services.contract_update(actor=u, contract=c, version=c.version, title="矩阵改名"),
    "upload_attachment": lambda u, c: services.attachment_add(
        actor=u, contract=c, upload=SimpleUploadedFile("附件.pdf", PDF, content_type="application/pdf")),
    "submit_review": lambda u, c: services.contract_submit(actor=u, contract=c),
    "approve": lambda u, c: services.step_decide(actor=u, contract=c, step_id=_step_id(c), decision="approve"),
    "reject": lambda u, c: services.step_decide(actor=u, contract=c, step_id=_step_id(c), decision="reject",
                                                comment="矩阵"),
    "sign": lambda u, c: services.contract_sign(actor=u, contract=c, signed_on=timezone.localdate(),
                                                signed_copy=signed_copy()),
    "archive": lambda u, c: services.contract_archive(actor=u, contract=c),
    "terminate": lambda u, c: services.contract_terminate(actor=u, contract=c, reason="矩阵"),
    "propose_amendment": lambda u, c: services.amendment_propose(actor=u, contract=c, changes={"terms": "矩阵变更"},
                                                                 reason="矩阵"),
}


def attempt(call, user, record):
    """None when the service accepts (and the change is rolled back) or only the routes refuse (see above), else
    the error it raised."""
    error = tried(call, user, record)
    return None if error is not None and error.code in ("no_route", "no_decider") else error


def _states(org) -> dict[str, Contract]:
    """One contract per state the rules tell apart, all rep1's (销售一部), rep1b in the opportunity's team."""
    routes(org)
    rep = org["rep1"]
    states = {"drafting": draft(org), "in_review": submitted(org)}  # step 1: the tech leads
    second = submitted(org)
    step = selectors.current_step(second)
    states["in_review_step_2"] = services.step_decide(actor=org["lead1"], contract=second, step_id=step.pk,
                                                      decision="approve")  # finance1 now
    framework = submitted(org, contract_type="framework")  # 会签: finance1 approved, legal1 still to decide
    step = selectors.current_step(framework)
    states["countersign_half"] = services.step_decide(actor=org["finance1"], contract=framework, step_id=step.pk,
                                                      decision="approve")
    rejected = submitted(org)
    step = selectors.current_step(rejected)
    states["rejected_to_drafting"] = services.step_decide(actor=org["lead1"], contract=rejected, step_id=step.pk,
                                                          decision="reject", comment="退回")
    states["approved"] = decide_all(submitted(org))
    states["signed"] = signed(org)
    amended = signed(org, amount="300000.00")  # the small route: finance1 → head1
    services.amendment_propose(actor=rep, contract=amended, changes={"terms": "新条款"}, reason="变更")
    states["signed_amendment_in_review"] = amended
    states["archived"] = services.contract_archive(actor=rep, contract=signed(org))
    states["terminated"] = services.contract_terminate(actor=rep, contract=signed(org), reason="解除")
    for contract in states.values():
        contract.opportunity.members.add(org["rep1b"])
    return {name: Contract.objects.get(pk=c.pk) for name, c in states.items()}


def test_every_contract_action_in_every_state_for_every_user(org, browser):
    states = _states(org)
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, contract in states.items():
        for username in USERS:
            user = org[username]
            allowed = rules.allowed_actions(user, Contract.objects.get(pk=contract.pk))
            response = browser(username).get(reverse("contracts:detail", args=[contract.pk]))
            if response.status_code == 404:  # outside his scope: no page, and nothing he may do
                assert allowed == [], (state, username)
            shown = buttons(response.content.decode()) if response.status_code == 200 else set()
            for action, call in CALLS.items():
                record = Contract.objects.get(pk=contract.pk)
                context = {"step_id": _step_id(record)} if action in ("approve", "reject") else {}
                rule = rules.RULES[action](user, record, **context)
                error = attempt(call, user, record)
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if action in allowed:
                    seen_allowed.add(action)
    assert seen_allowed == set(rules.RULES)  # every action is allowed somewhere: the walk proves something


def test_the_api_answers_allowed_actions_on_details_and_actions(http, org):
    routes(org)
    contract = draft(org)
    rep, lead = http("rep1"), http("lead1")
    detail = rep.get(f"/api/v1/contracts/{contract.pk}").json()
    assert detail["allowed_actions"] == rules.allowed_actions(org["rep1"], contract) == [
        "edit", "upload_attachment", "submit_review"]
    answer = rep.post(f"/api/v1/contracts/{contract.pk}/submit-review").json()
    assert answer["status"] == "in_review" and answer["allowed_actions"] == ["upload_attachment"]
    assert lead.get(f"/api/v1/contracts/{contract.pk}").json()["allowed_actions"] == ["approve", "reject"]
    step = answer["current_step"]["id"]
    decided = lead.post(f"/api/v1/contracts/{contract.pk}/reviews/{step}/approve", json={}).json()
    assert decided["allowed_actions"] == []
    assert [r["round"] for r in rep.get(f"/api/v1/contracts/{contract.pk}/reviews").json()] == [1]
    assert Review.objects.filter(contract=contract).count() == 1


def test_an_unknown_field_in_a_body_is_a_422_naming_it(http, org):
    routes(org)
    contract = draft(org)
    rep = http("rep1")
    bodies = [("patch", f"/api/v1/contracts/{contract.pk}", {"version": contract.version, "titel": "错字"}, "titel"),
              ("post", "/api/v1/contracts", {"opportunity_id": contract.opportunity_id, "amout": "1"}, "amout"),
              ("patch", f"/api/v1/contracts/{contract.pk}",
               {"version": contract.version, "milestones": [{"name": "x", "percent": "100"}]}, "percent")]
    for method, path, body, field in bodies:
        response = getattr(rep, method)(path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert any(field in key for key in response.json()["error"]["fields"]), response.text
    assert Contract.objects.get(pk=contract.pk).version == contract.version
    terminate = rep.post(f"/api/v1/contracts/{signed(org).pk}/terminate", json={"reason": "x", "why": "y"})
    assert terminate.status_code == 422 and "why" in terminate.json()["error"]["fields"]
    route = http("admin").post("/api/v1/review-routes", json={
        "name": "x", "steps": [{"kind": "finance", "decider_kind": "owner_head", "who": 1}]})
    assert route.status_code == 422 and any("who" in k for k in route.json()["error"]["fields"])
