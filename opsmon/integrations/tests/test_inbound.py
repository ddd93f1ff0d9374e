"""Outside systems talk back (issue 22 part 2): integration accounts and tokens, the hand-off, and the inbound status
events through the services: every rule, every refusal, idempotency and out-of-order events."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.accounts.models import ApiToken
from opsmon.accounts.services import token_user
from opsmon.bids.selectors import visible_bids
from opsmon.contracts.models import Milestone
from opsmon.contracts.selectors import visible_contracts
from opsmon.contracts.services import milestone_mark_delivered
from opsmon.core.errors import Conflict, Invalid, NotAuthenticated, NotFound, PermissionDenied
from opsmon.core.models import TimelineEntry
from opsmon.integrations import services
from opsmon.integrations.inbound import project_status_receive
from opsmon.integrations.models import Handoff, InboundEvent, WebhookDelivery
from opsmon.opportunities.selectors import visible_opportunities
from opsmon.projects.models import Project
from opsmon.projects.selectors import visible_projects

from .factories import account, handoff_of, implementation_project, signed_project, token

pytestmark = pytest.mark.django_db


def at(minutes_ago: int):
    return timezone.now() - timedelta(minutes=minutes_ago)


def report(acct, project, event, when, key, **kw):
    return project_status_receive(actor=acct.user, project_number=project.number, event=event, at=when,
                                  idempotency_key=key, **kw)


def project_of(project) -> Project:
    return Project.objects.get(pk=project.pk)


# --- accounts and tokens ----------------------------------------------------------------------------------------------

def test_an_integration_account_has_the_integration_role_only_and_cannot_sign_in(org):
    acct = account(org)
    user = acct.user
    assert user.roles == frozenset({"integration"})
    assert user.department_id is None and not user.has_usable_password()
    assert (acct.display_name, acct.active, acct.receives_handoffs) == ("项目监控系统", True, True)


def test_only_the_admin_creates_accounts_with_good_names(org):
    with pytest.raises(PermissionDenied):
        services.account_create(actor=org["head1"], username="pms", display_name="x")
    with pytest.raises(Invalid) as bad:
        services.account_create(actor=org["admin"], username="P M S!", display_name="  ")
    assert set(bad.value.fields) == {"username", "display_name"}
    account(org)
    with pytest.raises(Conflict):
        account(org, username="PMS")


def test_tokens_are_long_lived_stored_hashed_and_revocable(org):
    acct = account(org)
    key = token(org, acct)
    stored = ApiToken.objects.get(user=acct.user)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in (stored.key_hash, stored.prefix)
    assert stored.expires_at > timezone.now() + timedelta(days=3000)
    assert token_user(key) == acct.user
    with pytest.raises(PermissionDenied):
        services.account_token_issue(actor=org["rep1"], account=acct)
    services.account_token_revoke(actor=org["admin"], account=acct, token_id=stored.pk)
    with pytest.raises(NotAuthenticated):
        token_user(key)
    with pytest.raises(NotFound):  # another user's token is not the account's
        services.account_token_revoke(actor=org["admin"], account=acct,
                                      token_id=ApiToken.objects.create(user=org["rep1"], key_hash="x" * 64,
                                                                       prefix="x", expires_at=timezone.now()).pk)


def test_deactivating_revokes_every_token_and_refuses_new_ones(org):
    acct = account(org)
    key = token(org, acct)
    services.account_update(actor=org["admin"], account=acct, active=False, display_name="PMS (old)")
    with pytest.raises(NotAuthenticated):
        token_user(key)
    with pytest.raises(Conflict):
        services.account_token_issue(actor=org["admin"], account=acct)
    assert TimelineEntry.objects.filter(action="integration.account_updated").exists()


def test_an_integration_account_sees_no_sales_record(org):
    project, contract = signed_project(org)
    acct = account(org)
    handoff = Handoff.objects.create(project=project, contract=contract, account=acct)
    assert handoff.pk
    for selector in (visible_projects, visible_opportunities, visible_bids, visible_contracts):
        assert not selector(acct.user).exists(), selector.__name__


# --- the hand-off -----------------------------------------------------------------------------------------------------

def test_signing_hands_the_project_to_every_receiving_account_with_a_webhook(org):
    pms = account(org)
    account(org, username="quiet", display_name="不接收", receives_handoffs=False)
    gone = account(org, username="gone", display_name="停用")
    services.account_update(actor=org["admin"], account=gone, active=False)
    endpoint = services.endpoint_create(actor=org["admin"], name="PMS", url="http://127.0.0.1:9/hook",
                                        secret="0123456789abcdef0123", events=["project.handed_off"])
    project, contract = signed_project(org)
    handoffs = list(Handoff.objects.filter(project=project))
    assert [(h.account, h.contract) for h in handoffs] == [(pms, contract)]
    assert project.status == "won"
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event="project.handed_off")
    data = delivery.payload["data"]
    assert data["project"]["number"] == project.number and data["customer"]["name"] == project.customer.name
    assert data["contract"]["number"] == contract.number
    assert [m["position"] for m in data["contract"]["milestones"]] == [1, 2]
    assert data["handoffs"] == [{"id": str(handoffs[0].pk), "account": "pms"}]
    assert (delivery.subject_type, delivery.subject_id) == ("project", project.pk)


def test_routing_to_implementation_hands_off_without_a_contract_and_answers_the_id(org):
    pms = account(org)
    project = implementation_project(org)
    handoff = handoff_of(pms, project)
    assert handoff.contract is None and project.status == "implementation"


def test_no_account_no_handoff(org):
    project, _contract = signed_project(org)
    assert not Handoff.objects.filter(project=project).exists()


# --- inbound events: the walk -----------------------------------------------------------------------------------------

def test_a_signed_project_walks_to_accepted_and_a_milestone_is_delivered(org):
    pms = account(org)
    project, contract = signed_project(org)
    handoff = handoff_of(pms, project)
    first = project_status_receive(actor=pms.user, handoff_id=handoff.pk, event="accepted", at=at(50),
                                   note="项目经理已指派", idempotency_key="k1")
    assert (first.status, first.body["status"], first.body["outcome"]) == (200, "in_delivery", "applied")
    assert first.body["handoff_id"] == str(handoff.pk) and first.body["project_number"] == project.number
    progress = report(pms, project, "progress", at(40), "k2", percent=60)
    assert (progress.body["delivery_percent"], progress.body["outcome"]) == (60, "applied")
    done = report(pms, project, "milestone_done", at(35), "k3", milestone=1, note="预付款节点")
    assert done.body["outcome"] == "applied"
    milestone = Milestone.objects.get(contract=contract, position=1)
    assert milestone.delivered_on == timezone.localdate(at(35))
    assert TimelineEntry.objects.filter(object_id=contract.pk, action="contract.milestone_delivered").count() == 1
    assert report(pms, project, "halted", at(30), "k4", note="客户机房停电").body["status"] == "in_delivery"
    delivered = report(pms, project, "delivered", at(20), "k5").body
    assert (delivered["status"], delivered["delivery_percent"]) == ("delivered", 100)
    final = report(pms, project, "customer_accepted", at(10), "k6")
    assert (final.body["status"], project_of(project).status) == ("accepted", "accepted")
    actions = list(TimelineEntry.objects.filter(object_id=project.pk, action__startswith="project.delivery_")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["project.delivery_accepted", "project.delivery_progress", "project.delivery_milestone_done",
                       "project.delivery_halted", "project.delivery_delivered",
                       "project.delivery_customer_accepted"]
    assert InboundEvent.objects.filter(account=pms, outcome="applied").count() == 6


# --- refusals ---------------------------------------------------------------------------------------------------------

def test_a_project_not_handed_to_this_account_is_404(org):
    pms, other = account(org), account(org, username="erp", display_name="ERP", receives_handoffs=False)
    project, _contract = signed_project(org)
    unrelated = implementation_project(org, owner="rep2")  # handed to pms, not to erp
    with pytest.raises(NotFound):
        report(other, project, "accepted", at(5), "x1")
    with pytest.raises(NotFound):
        project_status_receive(actor=other.user, handoff_id=handoff_of(pms, unrelated).pk, event="accepted",
                               at=at(5), idempotency_key="x2")
    with pytest.raises(NotFound):
        project_status_receive(actor=pms.user, project_number="LX-2026-999999", event="accepted", at=at(5),
                               idempotency_key="x3")
    assert not InboundEvent.objects.exists() and project_of(project).status == "won"


def test_people_do_not_report_delivery(org):
    project, _contract = signed_project(org)
    for name in ("admin", "rep1", "head1"):
        with pytest.raises(PermissionDenied):
            project_status_receive(actor=org[name], project_number=project.number, event="accepted", at=at(1),
                                   idempotency_key="p")


def test_a_closed_project_is_409(org):
    pms = account(org)
    project, _contract = signed_project(org)
    for i, event in enumerate(("accepted", "delivered", "customer_accepted")):
        report(pms, project, event, at(30 - i), f"c{i}")
    with pytest.raises(Conflict) as closed:
        report(pms, project, "progress", at(1), "late", percent=10)
    assert closed.value.code == "project_ended"
    assert not InboundEvent.objects.filter(idempotency_key="late").exists()


@pytest.mark.parametrize(("body", "fields"), [
    ({"event": "accepted"}, {"handoff_id", "project_number"}),                       # neither
    ({"event": "accepted", "handoff_id": "not-a-uuid"}, {"handoff_id"}),
    ({"event": "finished"}, {"event"}),
    ({"event": "progress"}, {"percent"}),                                            # percent required
    ({"event": "progress", "percent": 101}, {"percent"}),
    ({"event": "progress", "percent": -1}, {"percent"}),
    ({"event": "accepted", "percent": 50}, {"percent"}),                             # only for progress
    ({"event": "milestone_done"}, {"milestone"}),
    ({"event": "milestone_done", "milestone": 0}, {"milestone"}),
    ({"event": "halted", "milestone": 1}, {"milestone"}),
    ({"event": "accepted", "at": None}, {"at"}),
    ({"event": "accepted", "at": "yesterday"}, {"at"}),
    ({"event": "accepted", "at": "2099-01-01T00:00:00+08:00"}, {"at"}),
    ({"event": "accepted", "idempotency_key": "  "}, {"idempotency_key"}),
    ({"event": "accepted", "idempotency_key": "k" * 101}, {"idempotency_key"}),
    ({"event": "accepted", "note": "n" * 501}, {"note"}),
])
def test_bad_input_is_one_422_naming_the_fields_and_changes_nothing(org, body, fields):
    pms = account(org)
    project, _contract = signed_project(org)
    data = {"project_number": project.number, "at": at(1), "idempotency_key": "bad", **body}
    if "handoff_id" in body or set(fields) == {"handoff_id", "project_number"}:
        data.pop("project_number")
    with pytest.raises(Invalid) as bad:
        project_status_receive(actor=pms.user, **data)
    assert set(bad.value.fields) == fields
    assert not InboundEvent.objects.exists() and project_of(project).status == "won"


def test_both_handoff_id_and_project_number_is_422(org):
    pms = account(org)
    project, _contract = signed_project(org)
    with pytest.raises(Invalid) as bad:
        project_status_receive(actor=pms.user, handoff_id=handoff_of(pms, project).pk, project_number=project.number,
                               event="accepted", at=at(1), idempotency_key="both")
    assert set(bad.value.fields) == {"handoff_id", "project_number"}


def test_a_milestone_the_contract_does_not_have_is_422(org):
    pms = account(org)
    project, _contract = signed_project(org)
    with pytest.raises(Invalid) as bad:
        report(pms, project, "milestone_done", at(1), "m9", milestone=9)
    assert set(bad.value.fields) == {"milestone"}
    implementation = implementation_project(org)
    with pytest.raises(Invalid):  # no contract at all
        report(pms, implementation, "milestone_done", at(1), "m1", milestone=1)


# --- idempotency ------------------------------------------------------------------------------------------------------

def test_the_same_key_twice_answers_the_same_with_one_effect(org):
    pms = account(org)
    project, _contract = signed_project(org)
    report(pms, project, "accepted", at(30), "a")
    when = at(20)
    first = report(pms, project, "progress", when, "p", percent=40)
    report(pms, project, "progress", at(10), "p2", percent=70)
    again = report(pms, project, "progress", when, "p", percent=40)
    assert (again.status, again.body) == (first.status, first.body) and again.replayed
    assert again.body["delivery_percent"] == 40  # the first answer, though the project moved on
    assert project_of(project).delivery_percent == 70
    assert TimelineEntry.objects.filter(object_id=project.pk, action="project.delivery_progress").count() == 2


def test_the_same_key_with_another_body_is_409_naming_it(org):
    pms = account(org)
    project, _contract = signed_project(org)
    when = at(20)
    report(pms, project, "accepted", when, "a", note="开始")
    for changed in ({"note": "另一个"}, {"when": at(19)}):
        with pytest.raises(Conflict) as reused:
            report(pms, project, "accepted", changed.get("when", when), "a", note=changed.get("note", "开始"))
        assert "idempotency_key" in reused.value.fields
    assert InboundEvent.objects.count() == 1


def test_keys_are_per_account(org):
    pms, erp = account(org), account(org, username="erp", display_name="ERP")
    project, _contract = signed_project(org)
    assert report(pms, project, "accepted", at(20), "same").body["outcome"] == "applied"
    assert report(erp, project, "accepted", at(20), "same").body["outcome"] == "duplicate"


# --- order ------------------------------------------------------------------------------------------------------------

def test_events_arriving_backwards_end_in_the_state_their_times_give(org):
    pms = account(org)
    project, _contract = signed_project(org)
    last = at(10)
    late = report(pms, project, "customer_accepted", last, "3")
    assert (late.status, late.body["outcome"], late.body["status"]) == (202, "pending", "won")
    assert report(pms, project, "delivered", at(20), "2").body["outcome"] == "pending"
    first = report(pms, project, "accepted", at(30), "1")
    assert (first.body["outcome"], first.body["status"]) == ("applied", "accepted")
    assert set(InboundEvent.objects.values_list("outcome", flat=True)) == {"applied"}
    assert project_of(project).status == "accepted"
    assert report(pms, project, "customer_accepted", last, "3").body == late.body  # a replay: its first answer


def test_progress_waits_for_the_start_of_delivery(org):
    pms = account(org)
    project, _contract = signed_project(org)
    assert report(pms, project, "progress", at(20), "p", percent=30).body["outcome"] == "pending"
    report(pms, project, "accepted", at(30), "a")
    assert project_of(project).delivery_percent == 30
    assert InboundEvent.objects.get(idempotency_key="p").outcome == "applied"


def test_an_older_progress_does_not_move_the_percent_back(org):
    pms = account(org)
    project, _contract = signed_project(org)
    report(pms, project, "accepted", at(30), "a")
    report(pms, project, "progress", at(10), "new", percent=80)
    old = report(pms, project, "progress", at(20), "old", percent=50)
    assert (old.body["outcome"], old.body["delivery_percent"]) == ("superseded", 80)
    report(pms, project, "delivered", at(5), "d")
    older = report(pms, project, "progress", at(7), "older", percent=90)
    assert (older.body["outcome"], project_of(project).delivery_percent) == ("superseded", 100)


def test_an_effect_already_on_the_project_is_a_duplicate(org):
    pms = account(org)
    project, _contract = signed_project(org)
    report(pms, project, "accepted", at(30), "a")
    assert report(pms, project, "accepted", at(25), "a-again").body["outcome"] == "duplicate"
    report(pms, project, "milestone_done", at(20), "m", milestone=2)
    assert report(pms, project, "milestone_done", at(15), "m-again", milestone=2).body["outcome"] == "duplicate"
    halted = at(12)
    report(pms, project, "halted", halted, "h")
    assert report(pms, project, "halted", halted, "h-again").body["outcome"] == "duplicate"
    assert report(pms, project, "halted", at(11), "h-later").body["outcome"] == "applied"  # another halt
    assert TimelineEntry.objects.filter(object_id=project.pk, action="project.delivery_accepted").count() == 1


def test_an_implementation_project_is_accepted_through_its_handoff(org):
    pms = account(org)
    project = implementation_project(org)
    answer = project_status_receive(actor=pms.user, handoff_id=handoff_of(pms, project).pk, event="accepted",
                                    at=at(1), idempotency_key="i")
    assert answer.body["status"] == "in_delivery"


# --- contracts.services.milestone_mark_delivered ----------------------------------------------------------------------

def test_marking_a_milestone_delivered_is_the_integration_role_s_on_a_signed_contract(org):
    pms = account(org)
    project, contract = signed_project(org)
    milestone = contract.milestones.get(position=2)
    with pytest.raises(PermissionDenied):
        milestone_mark_delivered(actor=org["rep1"], contract=contract, milestone=milestone, on=timezone.localdate())
    with pytest.raises(Invalid) as future:
        milestone_mark_delivered(actor=pms.user, contract=contract, milestone=milestone,
                                 on=timezone.localdate() + timedelta(days=1))
    assert set(future.value.fields) == {"on"}
    other_project, other = signed_project(org, owner="rep2")
    with pytest.raises(Invalid) as foreign:
        milestone_mark_delivered(actor=pms.user, contract=contract, milestone=other.milestones.first(),
                                 on=timezone.localdate())
    assert set(foreign.value.fields) == {"milestone"}
    milestone_mark_delivered(actor=pms.user, contract=contract, milestone=milestone, on=timezone.localdate())
    with pytest.raises(Conflict) as twice:
        milestone_mark_delivered(actor=pms.user, contract=contract, milestone=milestone, on=timezone.localdate())
    assert twice.value.code == "already_delivered"
    assert other_project.pk != project.pk
