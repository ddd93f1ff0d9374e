"""Purchase requests, project budgets and settings through the services: input checks (422 naming the field),
money rounding, routes by amount band, return → resubmission → new round, the budget check, visibility."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.inbox import items_for
from opsmon.procurement import rules, selectors, services
from opsmon.procurement.models import ProcurementSettings, PurchaseRequest

from . import factories as f

pytestmark = pytest.mark.django_db


def decide(org, request, who, decision="approve", comment=""):
    step = approval_selectors.current_step(request)
    return services.request_decide(actor=org[who], request=request, step_id=step.pk, decision=decision,
                                   comment=comment)


def steps_of(request):
    review = approval_selectors.current_round(request)
    return [(s.kind, [d.user.username for d in s.deciders.select_related("user")]) for s in
            review.steps.order_by("position")]


# --- money --------------------------------------------------------------------------------------------------

def test_line_amounts_round_half_up_to_cents_and_the_total_is_their_sum(org):
    assert services.line_amount(Decimal("1"), Decimal("0.1250")) == Decimal("0.13")  # half-even would say 0.12
    assert services.line_amount(Decimal("2"), Decimal("15000.0050")) == Decimal("30000.01")
    assert services.line_amount(Decimal("1.5"), Decimal("3333.3333")) == Decimal("5000.00")
    request = f.draft(org)
    assert [line.amount for line in request.lines.all()] == [Decimal("30000.01"), Decimal("5000.00")]
    assert request.total == Decimal("35000.01") and isinstance(request.total, Decimal)
    assert request.number.startswith(f"CG-{timezone.localdate().year}-") and request.status == "draft"
    assert request.department == org["rep1"].department


# --- input --------------------------------------------------------------------------------------------------

def test_bad_lines_are_refused_naming_every_field_and_nothing_is_written(org):
    f.routes()
    today = timezone.localdate()
    bad = [f.line(qty="0"), f.line(qty="-1"), f.line(est_unit_price="-0.01"), f.line(unit="箱"),
           f.line(category="food"), f.line(need_by=(today - timedelta(days=1)).isoformat()),
           f.line(need_by="2101-01-01"), f.line(qty="1.0005"), f.line(est_unit_price="1.00001"), f.line(item=" "),
           f.line(qty="1e3")]
    with pytest.raises(Invalid) as excinfo:
        services.request_create(actor=org["rep1"], title="", lines=bad)
    fields = excinfo.value.fields
    assert set(fields) == {"title", "lines.1.qty", "lines.2.qty", "lines.3.est_unit_price", "lines.4.unit",
                           "lines.5.category", "lines.6.need_by", "lines.7.need_by", "lines.8.qty",
                           "lines.9.est_unit_price", "lines.10.item", "lines.11.qty"}
    assert not PurchaseRequest.objects.exists()
    with pytest.raises(Invalid) as excinfo:
        services.request_create(actor=org["rep1"], title="空", lines=[])
    assert "lines" in excinfo.value.fields


def test_need_by_today_and_a_free_line_are_accepted(org):
    request = f.draft(org, lines=[f.line(need_by=timezone.localdate().isoformat(), est_unit_price="0")])
    assert request.lines.get().need_by == timezone.localdate() and request.total == Decimal("0.00")


def test_a_project_or_contract_the_requester_cannot_see_is_refused(org):
    other = f.project(org, "rep2")
    with pytest.raises(Invalid) as excinfo:
        f.draft(org, project_=other)
    assert set(excinfo.value.fields) == {"project_id"}
    with pytest.raises(Invalid) as excinfo:
        services.request_create(actor=org["rep1"], title="x", lines=f.LINES, contract_id=999999)
    assert set(excinfo.value.fields) == {"contract_id"}


def test_the_executive_files_nothing(org):
    f.routes()
    with pytest.raises(PermissionDenied):
        services.request_create(actor=org["ceo1"], title="x", lines=f.LINES)


# --- review -------------------------------------------------------------------------------------------------

def test_routes_by_amount_band_small_head_only_large_head_then_procurement_head(org):
    small = f.submitted(org)
    assert small.status == "submitted" and steps_of(small) == [("management", ["head1"])]
    large = f.submitted(org, lines=[f.line(qty="4")])  # 60,000.02
    assert steps_of(large) == [("management", ["head1"]), ("procurement", ["phead1"])]
    decide(org, large, "head1")
    assert PurchaseRequest.objects.get(pk=large.pk).status == "submitted"
    assert [i.record_id for i in items_for(org["phead1"]) if i.kind == "purchaserequest.decide_step"] == [large.pk]
    done = decide(org, large, "phead1", comment="同意")
    assert done.status == "approved" and done.approved_at is not None


def test_the_owner_never_decides_his_own_request(org):
    request = f.submitted(org, owner="rep1")
    with pytest.raises(PermissionDenied) as excinfo:
        decide(org, request, "rep1")
    assert excinfo.value.code == "own_record"
    with pytest.raises(PermissionDenied):
        decide(org, request, "rep2")  # not a decider
    assert PurchaseRequest.objects.get(pk=request.pk).status == "submitted"


def test_return_sends_it_back_and_resubmitting_starts_a_new_round(org):
    request = f.submitted(org)
    with pytest.raises(Invalid):  # a return says what to change
        decide(org, request, "head1", "return")
    returned = decide(org, request, "head1", "return", comment="请补充规格")
    assert returned.status == "returned"
    assert rules.allowed_actions(org["rep1"], returned) == ["edit", "submit", "cancel"]
    changed = services.request_update(actor=org["rep1"], request=returned, version=returned.version,
                                      lines=[f.line(spec="2U 双路 64G")])
    assert changed.total == Decimal("30000.01") and changed.status == "returned"
    again = services.request_submit(actor=org["rep1"], request=changed)
    rounds = list(approval_selectors.rounds_of(again))
    assert [(r.round, r.status) for r in rounds] == [(1, "returned"), (2, "in_review")]
    assert decide(org, again, "head1").status == "approved"


def test_reject_is_final(org):
    request = f.submitted(org)
    rejected = decide(org, request, "head1", "reject", comment="不需要")
    assert rejected.status == "rejected"
    with pytest.raises(Conflict):
        services.request_submit(actor=org["rep1"], request=rejected)
    with pytest.raises(Conflict):
        services.request_update(actor=org["rep1"], request=rejected, version=rejected.version, title="再来")


def test_a_stale_version_is_refused(org):
    request = f.draft(org)
    services.request_update(actor=org["rep1"], request=request, version=request.version, title="新标题")
    with pytest.raises(Conflict):
        services.request_update(actor=org["rep1"], request=request, version=request.version, title="旧的")
    assert PurchaseRequest.objects.get(pk=request.pk).title == "新标题"


# --- cancel / close -----------------------------------------------------------------------------------------

def test_cancel_by_owner_or_procurement_head_with_a_reason(org):
    request = f.draft(org)
    with pytest.raises(PermissionDenied):
        services.request_cancel(actor=org["rep1b"], request=request, reason="不要了")
    with pytest.raises(Invalid) as excinfo:
        services.request_cancel(actor=org["rep1"], request=request, reason=" ")
    assert "reason" in excinfo.value.fields
    cancelled = services.request_cancel(actor=org["rep1"], request=request, reason="不要了")
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "不要了")
    submitted = f.submitted(org)
    with pytest.raises(Conflict):  # in review: decide it first
        services.request_cancel(actor=org["rep1"], request=submitted, reason="x")
    approved = decide(org, submitted, "head1")
    assert services.request_cancel(actor=org["phead1"], request=approved, reason="项目取消").status == "cancelled"


def test_close_is_the_procurement_heads_and_only_when_ordered(org):
    approved = decide(org, f.submitted(org), "head1")
    with pytest.raises(PermissionDenied):
        services.request_close(actor=org["rep1"], request=approved, reason="x")
    with pytest.raises(Conflict):
        services.request_close(actor=org["phead1"], request=approved, reason="x")


# --- budget -------------------------------------------------------------------------------------------------

def test_no_approved_budget_adds_a_budget_step_by_the_project_departments_head(org):
    project = f.project(org)
    with translation.override("en"):  # the warning is kept in the writer's language
        request = f.submitted(org, project_=project)
    assert "no approved purchase budget" in request.budget_warning
    assert steps_of(request) == [("management", ["head1"]), ("budget", ["head1"])]
    decide(org, request, "head1")
    assert decide(org, request, "head1", comment="超预算同意：合同已签").status == "approved"


def test_budget_warning_at_the_threshold_and_a_step_above_the_budget(org):
    project = f.project(org)
    f.budget(org, project, {"hardware": "80000", "software": "20000"})  # B = 100,000
    first = f.submitted(org, project_=project)  # 35,000.01: 35 %
    assert first.budget_warning == "" and steps_of(first) == [("management", ["head1"])]
    decide(org, first, "head1")
    second = f.submitted(org, project_=project, lines=[f.line(qty="1.8")])  # +27,000.01 → 62 %
    decide(org, second, "head1")
    assert selectors.committed_of(project) == Decimal("62000.02")
    near = f.submitted(org, project_=project, lines=[f.line(qty="1.9")])  # +28,500.01 → 90.5 %
    assert "90.5%" in near.budget_warning and steps_of(near) == [("management", ["head1"])]
    services.request_cancel(actor=org["rep1"], request=decide(org, near, "head1", "return", comment="改"),
                            reason="改为分批")
    with translation.override("en"):
        over = f.submitted(org, project_=project, lines=[f.line(qty="3")])  # +45,000.02 → 107 %
    assert "exceed" in over.budget_warning
    assert steps_of(over) == [("management", ["head1"]), ("budget", ["head1"])]


def test_budget_versions_the_approved_one_stays_in_force_until_the_next_is_approved(org):
    project = f.project(org)
    v1 = f.budget(org, project, {"hardware": "100000"})
    assert (v1.revision, v1.status) == (1, "approved")
    v2 = services.budget_save(actor=org["rep1"], project=project, lines=[{"category": "hardware", "amount": "150000"}])
    assert (v2.revision, v2.status) == (2, "draft") and selectors.approved_budget(project).revision == 1
    assert selectors.cost_of(project)["budget"] == Decimal("100000.00")
    services.budget_submit(actor=org["rep1"], project=project)
    with pytest.raises(Conflict):  # in review: no edits
        services.budget_save(actor=org["rep1"], project=project, lines=[{"category": "hardware", "amount": "1"}])
    with pytest.raises(PermissionDenied):  # the owner does not decide
        services.budget_decide(actor=org["rep1"], project=project,
                               step_id=approval_selectors.current_step(selectors.latest_budget(project)).pk,
                               decision="approve")
    step = approval_selectors.current_step(selectors.latest_budget(project))
    services.budget_decide(actor=org["head1"], project=project, step_id=step.pk, decision="approve")
    assert [(b.revision, b.status) for b in selectors.budgets_of(project)] == [(2, "approved"), (1, "superseded")]
    assert selectors.cost_of(project)["budget"] == Decimal("150000.00")


def test_budget_lines_are_checked_and_only_the_owner_or_head_drafts(org):
    project = f.project(org)
    with pytest.raises(Invalid) as excinfo:
        services.budget_save(actor=org["rep1"], project=project, lines=[
            {"category": "food", "amount": "1"}, {"category": "hardware", "amount": "-5"},
            {"category": "software", "amount": "1"}, {"category": "software", "amount": "2"}])
    assert set(excinfo.value.fields) == {"lines.1.category", "lines.2.amount", "lines.4.category"}
    with pytest.raises(PermissionDenied):
        services.budget_save(actor=org["buyer1"], project=project, lines=[{"category": "hardware", "amount": "1"}])


def test_cost_shows_budget_committed_and_zero_received_invoiced_paid(org):
    project = f.project(org)
    f.budget(org, project, {"hardware": "80000"})
    decide(org, f.submitted(org, project_=project), "head1")
    cost = selectors.cost_of(project)
    assert (cost["budget"], cost["committed"], cost["received"], cost["invoiced"], cost["paid"]) == (
        Decimal("80000.00"), Decimal("35000.01"), 0, 0, 0)
    assert {c["category"]: c["committed"] for c in cost["by_category"]} == {
        "hardware": Decimal("30000.01"), "software": Decimal("5000.00")}


# --- visibility ---------------------------------------------------------------------------------------------

def test_visibility_requester_heads_purchaser_from_approved_procurement_head_all(org):
    draft = f.draft(org)
    approved = decide(org, f.submitted(org), "head1")

    def sees(who):
        return set(selectors.visible_requests(org[who]).values_list("pk", flat=True))

    assert sees("rep1") == sees("head1") == sees("phead1") == sees("ceo1") == sees("admin") == {draft.pk,
                                                                                              approved.pk}
    assert sees("buyer1") == {approved.pk}
    assert sees("rep2") == sees("head2") == sees("market1") == sees("keeper1") == set()
    with pytest.raises(NotFound):
        selectors.request_get(actor=org["rep2"], pk=draft.pk)


# --- settings -----------------------------------------------------------------------------------------------

def test_settings_defaults_and_the_admin_changes_them(org):
    current = services.settings_get()
    assert (current.direct_purchase_limit, current.public_tender_threshold, current.retention_pct,
            current.budget_warn_pct, current.match_amount_pct, current.match_amount_abs) == (
        Decimal("50000.00"), Decimal("2000000.00"), Decimal("5.00"), Decimal("90.00"), Decimal("0.50"),
        Decimal("0.00"))
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=org["phead1"], budget_warn_pct="80")
    with pytest.raises(Invalid) as excinfo:
        services.settings_update(actor=org["admin"], budget_warn_pct="101", direct_purchase_limit="abc",
                                 match_amount_pct="0.123")
    assert set(excinfo.value.fields) == {"budget_warn_pct", "direct_purchase_limit", "match_amount_pct"}
    with pytest.raises(Invalid) as excinfo:
        services.settings_update(actor=org["admin"], weight_quality=50)
    assert "weight_quality" in excinfo.value.fields
    changed, warnings = services.settings_update(actor=org["admin"], budget_warn_pct="80", retention_pct="12")
    assert ProcurementSettings.load().budget_warn_pct == Decimal("80.00") and changed.retention_pct == 12
    assert len(warnings) == 1
