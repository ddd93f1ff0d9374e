"""Every opportunity transition, allowed and refused by role and state (DOMAIN.md, "Opportunity")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.core.errors import Conflict, Invalid, PermissionDenied, StaleVersion
from opsmon.core.models import TimelineEntry
from opsmon.opportunities import services
from opsmon.opportunities.models import Opportunity
from opsmon.projects.models import Project

from . import factories


def fresh(o):
    return Opportunity.objects.get(pk=o.pk)


def actions(o):
    return list(TimelineEntry.objects.filter(object_id=o.pk, content_type__model="opportunity")
                .values_list("action", flat=True))


def test_rep_creates_an_opportunity_numbered_in_his_department_with_stage_probability(org):
    o = factories.opportunity(org["rep1"], stage="proposal", member_ids=[org["rep1b"].pk])
    assert o.number.startswith(f"SJ-{timezone.localdate().year}-")
    assert o.status == "tracking" and o.owner == org["rep1"] and o.department.name == "销售一部"
    assert o.probability == 50
    assert list(o.members.all()) == [org["rep1b"]]
    assert actions(o) == ["opportunity.created"]


def test_stage_defaults_to_the_first_one(org):
    o = factories.opportunity(org["rep1"], stage="")
    assert (o.stage, o.probability) == ("discovery", 10)


@pytest.mark.parametrize(("field", "value"), [
    ("estimated_amount", "-1"), ("estimated_amount", "abc"), ("estimated_amount", "1e30"),
    ("title", ""), ("title", "长" * 201), ("stage", "nonsense"), ("industry", "alchemy"), ("currency", "XXX"),
    ("expected_close_date", "2001-01-01"), ("expected_close_date", "not-a-date"), ("customer_id", 999999),
    ("description", "字" * 5001), ("member_ids", [999999]),
])
def test_bad_input_is_422_naming_the_field_and_nothing_is_saved(org, field, value):
    with pytest.raises(Invalid) as err:
        factories.opportunity(org["rep1"], **{field: value})
    assert field in err.value.fields
    assert Opportunity.objects.count() == 0


def test_owner_member_and_head_edit_others_cannot(org):
    o = factories.opportunity(org["rep1"], member_ids=[org["rep1b"].pk])
    o = services.opportunity_update(actor=org["rep1b"], opportunity=o, version=o.version, title="新标题")
    o = services.opportunity_update(actor=org["head1"], opportunity=o, version=o.version, estimated_amount="9.50")
    assert (o.title, str(o.estimated_amount), o.version) == ("新标题", "9.50", 3)
    for outsider in ("rep2", "head2", "market1", "lead1"):
        with pytest.raises(PermissionDenied):
            services.opportunity_update(actor=org[outsider], opportunity=o, version=o.version, title="x")
    assert fresh(o).title == "新标题"


def test_stale_version_is_409_and_changes_nothing(org):
    o = factories.opportunity(org["rep1"])
    services.opportunity_update(actor=org["rep1"], opportunity=o, version=1, title="第一次")
    with pytest.raises(StaleVersion):
        services.opportunity_update(actor=org["rep1"], opportunity=o, version=1, title="第二次")
    assert fresh(o).title == "第一次"


def test_stage_change_updates_probability_and_writes_the_timeline(org):
    o = factories.opportunity(org["rep1"], stage="qualified")
    o = services.opportunity_update(actor=org["rep1"], opportunity=o, version=o.version, stage="negotiation")
    assert o.probability == 75
    entry = TimelineEntry.objects.filter(object_id=o.pk, action="opportunity.stage_changed").get()
    assert entry.changes["stage"] == ["qualified", "negotiation"]


def test_request_conversion_then_head_converts_creating_a_project(org):
    o = factories.opportunity(org["rep1"], member_ids=[org["rep1b"].pk])
    o = services.opportunity_request_conversion(actor=org["rep1"], opportunity=o, comment="客户预算已落实")
    assert o.status == "conversion_requested"
    o, project = services.opportunity_convert(actor=org["head1"], opportunity=o, comment="同意立项")
    assert o.status == "converted"
    assert project.number.startswith("LX-") and project.status == "awaiting_lead"
    assert (project.customer, project.estimated_amount, project.owner) == (o.customer, o.estimated_amount, o.owner)
    assert list(project.members.all()) == [org["rep1b"]]
    assert o.project == project
    assert actions(o) == ["opportunity.created", "opportunity.request_conversion", "opportunity.convert"]


def test_head_may_convert_directly_from_tracking(org):
    o = factories.opportunity(org["rep1"])
    o, project = services.opportunity_convert(actor=org["head1"], opportunity=o)
    assert o.status == "converted" and Project.objects.count() == 1


def test_only_the_owners_department_head_decides(org):
    o = factories.opportunity(org["rep1"])
    services.opportunity_request_conversion(actor=org["rep1"], opportunity=o, comment="请审批")
    o = fresh(o)
    for actor in ("rep1", "rep1b", "head2", "market1", "admin"):
        with pytest.raises(PermissionDenied):
            services.opportunity_convert(actor=org[actor], opportunity=o)
        with pytest.raises(PermissionDenied):
            services.opportunity_close(actor=org[actor], opportunity=o, reason="lost")
        with pytest.raises(PermissionDenied):
            services.opportunity_keep_tracking(actor=org[actor], opportunity=o, comment="x")
    assert fresh(o).status == "conversion_requested" and Project.objects.count() == 0


def test_only_the_team_requests_conversion_and_a_comment_is_required(org):
    o = factories.opportunity(org["rep1"])
    with pytest.raises(PermissionDenied):
        services.opportunity_request_conversion(actor=org["rep2"], opportunity=o, comment="x")
    with pytest.raises(Invalid) as err:
        services.opportunity_request_conversion(actor=org["rep1"], opportunity=o, comment="  ")
    assert "comment" in err.value.fields
    assert fresh(o).status == "tracking"


def test_keep_tracking_needs_a_comment_and_returns_to_tracking(org):
    o = factories.opportunity(org["rep1"])
    o = services.opportunity_request_conversion(actor=org["rep1"], opportunity=o, comment="请审批")
    with pytest.raises(Invalid):
        services.opportunity_keep_tracking(actor=org["head1"], opportunity=o, comment="")
    o = services.opportunity_keep_tracking(actor=org["head1"], opportunity=o, comment="预算未落实，继续跟踪")
    assert o.status == "tracking"
    entry = TimelineEntry.objects.filter(object_id=o.pk, action="opportunity.keep_tracking").get()
    assert (entry.from_status, entry.to_status, entry.comment) == ("conversion_requested", "tracking",
                                                                   "预算未落实，继续跟踪")


def test_close_needs_a_known_reason_and_reopen_brings_it_back(org):
    o = factories.opportunity(org["rep1"])
    with pytest.raises(Invalid) as err:
        services.opportunity_close(actor=org["head1"], opportunity=o, reason="bored")
    assert "reason" in err.value.fields
    o = services.opportunity_close(actor=org["head1"], opportunity=o, reason="lost", comment="竞争对手低价")
    assert (o.status, o.close_reason) == ("closed", "lost")
    o = services.opportunity_reopen(actor=org["head1"], opportunity=o, comment="客户重新启动采购")
    assert (o.status, o.close_reason) == ("tracking", "")


@pytest.mark.parametrize(("setup", "action"), [
    ("tracking", "keep_tracking"), ("tracking", "reopen"), ("closed", "request_conversion"), ("closed", "convert"),
    ("closed", "close"), ("converted", "convert"), ("converted", "close"), ("converted", "reopen"),
    ("converted", "request_conversion"), ("conversion_requested", "request_conversion"),
])
def test_transitions_from_the_wrong_state_are_409(org, setup, action):
    o = factories.opportunity(org["rep1"])
    if setup == "closed":
        o = services.opportunity_close(actor=org["head1"], opportunity=o, reason="invalid")
    elif setup == "converted":
        o, _ = services.opportunity_convert(actor=org["head1"], opportunity=o)
    elif setup == "conversion_requested":
        o = services.opportunity_request_conversion(actor=org["rep1"], opportunity=o, comment="请审批")
    calls = {
        "keep_tracking": lambda: services.opportunity_keep_tracking(actor=org["head1"], opportunity=o, comment="x"),
        "reopen": lambda: services.opportunity_reopen(actor=org["head1"], opportunity=o),
        "request_conversion": lambda: services.opportunity_request_conversion(actor=org["rep1"], opportunity=o,
                                                                              comment="x"),
        "convert": lambda: services.opportunity_convert(actor=org["head1"], opportunity=o),
        "close": lambda: services.opportunity_close(actor=org["head1"], opportunity=o, reason="lost"),
    }
    before = actions(o)
    with pytest.raises(Conflict):
        calls[action]()
    assert fresh(o).status == setup and actions(o) == before


def test_a_second_decision_on_a_stale_copy_is_409_with_one_timeline_entry(org):
    o = factories.opportunity(org["rep1"])
    copy = fresh(o)
    services.opportunity_convert(actor=org["head1"], opportunity=o)
    with pytest.raises(Conflict):
        services.opportunity_convert(actor=org["head1"], opportunity=copy)
    assert Project.objects.count() == 1 and actions(o).count("opportunity.convert") == 1


def test_converted_opportunity_is_read_only_except_follow_ups(org):
    o = factories.opportunity(org["rep1"])
    o, _ = services.opportunity_convert(actor=org["head1"], opportunity=o)
    with pytest.raises(Conflict):
        services.opportunity_update(actor=org["rep1"], opportunity=o, version=o.version, title="改不了")
    follow_up = services.follow_up_add(actor=org["rep1"], opportunity=o, happened_on=timezone.localdate(),
                                       kind="call", note="立项后回访")
    assert follow_up.pk


def test_follow_ups_feed_the_due_list_and_are_checked(org):
    from opsmon.opportunities.selectors import OpportunityFilters, opportunity_list
    today = timezone.localdate()
    o = factories.opportunity(org["rep1"])
    services.follow_up_add(actor=org["rep1"], opportunity=o, happened_on=today - timedelta(days=3), kind="visit",
                           note="拜访客户", next_step="发送方案", next_date=today)
    assert fresh(o).next_followup_on == today
    due = opportunity_list(actor=org["rep1"], filters=OpportunityFilters(followup_due=True))
    assert list(due) == [fresh(o)]
    assert list(opportunity_list(actor=org["rep2"], filters=OpportunityFilters(followup_due=True))) == []
    with pytest.raises(Invalid) as err:
        services.follow_up_add(actor=org["rep1"], opportunity=o, happened_on=today + timedelta(days=1),
                               kind="teleport", note="", next_date=today - timedelta(days=5))
    assert {"happened_on", "kind", "note"} <= set(err.value.fields)
    with pytest.raises(PermissionDenied):
        services.follow_up_add(actor=org["rep2"], opportunity=o, happened_on=today, kind="call", note="x")


def test_closed_opportunity_takes_no_follow_ups(org):
    o = factories.opportunity(org["rep1"])
    o = services.opportunity_close(actor=org["head1"], opportunity=o, reason="abandoned")
    with pytest.raises(Conflict):
        services.follow_up_add(actor=org["rep1"], opportunity=o, happened_on=timezone.localdate(), kind="call",
                               note="x")


def test_demo_data_has_every_status_in_both_sales_departments(org):
    from opsmon.opportunities import demo
    demo.load()
    demo.load()  # idempotent
    seen = set(Opportunity.objects.values_list("department__name", "status"))
    for department in ("销售一部", "销售二部"):
        for status in ("tracking", "conversion_requested", "converted", "closed"):
            assert (department, status) in seen
    assert Project.objects.count() == Opportunity.objects.filter(status="converted").count() == 2
