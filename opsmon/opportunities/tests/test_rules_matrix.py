"""The rules matrix: every action × every state × every demo user. An action is in `allowed_actions` ⇔ its
service accepts it ⇔ the detail page shows its `data-action` button ⇔ the API detail lists it; a refused action
raises the rule's own refusal (same class, status and message)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opsmon.core.errors import ApplicationError
from opsmon.core.tests.rules_matrix import attempt
from opsmon.opportunities import rules, services
from opsmon.opportunities.models import Opportunity

from . import factories

USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1")
STATES = ("tracking", "conversion_requested", "converted", "closed", "closed_lost", "converted_won")
# Matrix states that are a status plus the sale's outcome (DOMAIN.md "Lifecycle"): closed with its project (outcome
# lost, read-only: not even reopened), converted with a signed contract (outcome won).
STATUS_OF = {"closed_lost": "closed", "converted_won": "converted"}


def in_state(org, state: str) -> Opportunity:
    """rep1's opportunity in 销售一部 with rep1b on the team, brought to `state` through the services."""
    o = factories.opportunity(org["rep1"], member_ids=[org["rep1b"].pk])
    if state == "conversion_requested":
        services.opportunity_request_conversion(actor=org["rep1"], opportunity=o, comment="请审批")
    elif state == "converted":
        services.opportunity_convert(actor=org["head1"], opportunity=o)
    elif state == "closed":
        services.opportunity_close(actor=org["head1"], opportunity=o, reason="lost")
    elif state in STATUS_OF:
        o, _project = services.opportunity_convert(actor=org["head1"], opportunity=o)
        if state == "closed_lost":
            services.opportunity_lose(actor=org["rep1"], opportunity=o, reason="lost_bid", cause="TB-2026-000001")
        else:
            services.opportunity_win(actor=org["rep1"], opportunity=o, cause="HT-2026-000001")
    return Opportunity.objects.select_related("customer", "owner", "department").get(pk=o.pk)


# Each action's service, called with valid input.
CALLS = {
    "edit": lambda actor, o: services.opportunity_update(actor=actor, opportunity=o, version=o.version,
                                                         title="改过的标题"),
    "add_follow_up": lambda actor, o: services.follow_up_add(actor=actor, opportunity=o,
                                                             happened_on=timezone.localdate(), kind="call",
                                                             note="电话沟通"),
    "request_conversion": lambda actor, o: services.opportunity_request_conversion(actor=actor, opportunity=o,
                                                                                   comment="预算已落实"),
    "convert": lambda actor, o: services.opportunity_convert(actor=actor, opportunity=o, comment="同意"),
    "keep_tracking": lambda actor, o: services.opportunity_keep_tracking(actor=actor, opportunity=o,
                                                                         comment="继续跟踪"),
    "close": lambda actor, o: services.opportunity_close(actor=actor, opportunity=o, reason="lost"),
    "reopen": lambda actor, o: services.opportunity_reopen(actor=actor, opportunity=o, comment="重启"),
}


def test_every_action_has_a_service_call():
    assert set(CALLS) == set(rules.RULES)
    assert set(rules.TRANSITIONS) <= set(rules.RULES)


def service_answer(actor, opportunity_pk: int, action: str) -> ApplicationError | None:
    """None when the service accepts (and its work is rolled back), else the refusal it raised."""
    opportunity = Opportunity.objects.select_related("customer", "owner", "department").get(pk=opportunity_pk)
    return attempt(CALLS[action], actor, opportunity)


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_match_the_services_the_page_and_the_api(client, org, state):
    o = in_state(org, state)
    problems = []
    for username in USERS:
        user = org[username]
        allowed = rules.allowed_actions(user, Opportunity.objects.select_related("department").get(pk=o.pk))
        client.force_login(user)
        page = client.get(reverse("opportunities:detail", args=[o.pk]))
        api = client.get(f"/api/v1/opportunities/{o.pk}")
        if page.status_code == 404:
            assert api.status_code == 404, (username, api.status_code)
            assert allowed == [], f"{username} cannot see the {state} opportunity but may {allowed}"
        else:
            assert page.status_code == 200 and api.status_code == 200, (username, page.status_code)
            if api.json()["allowed_actions"] != allowed:
                problems.append(f"{username}/{state}: API says {api.json()['allowed_actions']}, rules {allowed}")
        html = page.content.decode()
        for action, rule in rules.RULES.items():
            refusal = rule(user, o)
            assert (refusal is None) == (action in allowed)
            error = service_answer(user, o.pk, action)
            shown = f'data-action="{action}"' in html
            where = f"{username} {action} on {state}"
            if (error is None) != (action in allowed):
                problems.append(f"{where}: allowed={action in allowed}, service said {error!r}")
            elif error is not None and (type(error), error.status, str(error.message)) != (
                    type(refusal), refusal.status, str(refusal.message)):
                problems.append(f"{where}: service refused with {error.status} {error.message}, the rule with "
                                f"{refusal.status} {refusal.message}")
            if shown != (action in allowed):
                problems.append(f"{where}: button shown={shown}, allowed={action in allowed}")
    assert not problems, "\n".join(problems)
    assert Opportunity.objects.get(pk=o.pk).status == STATUS_OF.get(state, state)  # every accepted call rolled back


def test_closed_with_its_sale_is_read_only_for_everyone(org):
    o = in_state(org, "closed_lost")
    assert (o.status, o.outcome, o.close_reason) == ("closed", "lost", "lost_bid")
    for username in USERS:
        assert rules.allowed_actions(org[username], o) == [], username
    refusal = rules.can_reopen(org["head1"], o)
    assert refusal.code == "read_only"


def test_the_outcome_services_refuse_a_second_outcome(org):
    lost = in_state(org, "closed_lost")
    won = in_state(org, "converted_won")
    from opsmon.core.errors import Conflict
    for call in (lambda: services.opportunity_lose(actor=org["rep1"], opportunity=lost, reason="lost_bid", cause="x"),
                 lambda: services.opportunity_win(actor=org["rep1"], opportunity=lost, cause="x"),
                 lambda: services.opportunity_win(actor=org["rep1"], opportunity=won, cause="x"),
                 lambda: services.opportunity_lose(actor=org["rep1"], opportunity=won, reason="lost_bid", cause="x")):
        with pytest.raises(Conflict):
            call()
    assert rules.can_win(org["rep1"], in_state(org, "closed")).code == "wrong_state"


def test_board_draws_a_movable_card_exactly_when_the_rule_allows_a_move(client, org):
    o = in_state(org, "tracking")
    for username in USERS:
        user = org[username]
        client.force_login(user)
        page = client.get(reverse("opportunities:board")).content.decode()
        card = page.split(f'id="card-{o.pk}"')[1].split(">")[0] if f'id="card-{o.pk}"' in page else None
        movable = card is not None and 'data-action="move"' in card
        assert movable == (rules.can_move(user, o) is None), username
