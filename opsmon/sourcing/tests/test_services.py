"""Sourcing services: each transition, each refusal with its field or code, the request's moves (approved →
sourcing → awarded; re-pooled on failure), the award's checks and overrides, money (round-half-up)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.accounts import services as account_services
from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import ApplicationError
from opsmon.procurement.models import ProcurementSettings, PurchaseRequest
from opsmon.sourcing import rules, selectors, services
from opsmon.sourcing.models import Sourcing
from opsmon.suppliers import services as supplier_services
from opsmon.suppliers.models import Supplier

from . import factories as f

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    return caught.value


def reload(s):
    return Sourcing.objects.get(pk=s.pk)


def test_create_takes_approved_lines_and_moves_the_request(org):
    request = f.approved_request(org)
    invited = f.suppliers(org)
    s = services.sourcing_create(actor=org["buyer1"], method="inquiry", request_line_ids=f.line_ids(request),
                                 supplier_ids=[x.pk for x in invited], deadline=f.soon())
    assert s.number.startswith("XJ-") and s.status == "draft" and s.owner == org["buyer1"]
    assert s.estimate == Decimal("35000.01") and s.category == "hardware" and s.title == request.title
    assert s.lines.count() == 2 and s.invitations.count() == 3
    assert PurchaseRequest.objects.get(pk=request.pk).status == "sourcing"
    # the same lines cannot go into a second live sourcing
    error = refused(services.sourcing_create, actor=org["buyer1"], method="inquiry",
                    request_line_ids=f.line_ids(request), supplier_ids=[x.pk for x in invited], deadline=f.soon())
    assert error.status == 422 and "request_line_ids" in error.fields


def test_create_refusals_name_their_fields(org):
    request = f.approved_request(org)
    invited = f.suppliers(org, n=1)
    base = {"method": "inquiry", "request_line_ids": f.line_ids(request), "supplier_ids": [invited[0].pk],
            "deadline": f.soon()}
    for who in ("rep1", "head1", "ceo1", "finance1"):
        assert refused(services.sourcing_create, actor=org[who], **base).status == 403
    cases = [({"method": "nope"}, "method"), ({"request_line_ids": []}, "request_line_ids"),
             ({"supplier_ids": [999999]}, "supplier_ids"), ({"deadline": timezone.now() - timedelta(hours=1)},
                                                              "deadline"),
             ({"deadline": "soon"}, "deadline"), ({"method": "direct"}, "method"),  # 35,000.01 ≤ 50,000: fine
             ({"method": "single_source", "single_source_reason": "", "justification": "短"},
              "single_source_reason")]
    for over, field in cases:
        if over.get("method") == "direct":
            continue
        error = refused(services.sourcing_create, actor=org["buyer1"], **{**base, **over})
        assert error.status == 422 and field in error.fields, (over, error.fields)
    error = refused(services.sourcing_create, actor=org["buyer1"],
                    **{**base, "method": "single_source", "single_source_reason": "only_supplier",
                       "justification": "太短"})
    assert set(error.fields) == {"justification"}
    error = refused(services.sourcing_create, actor=org["buyer1"],
                    **{**base, "method": "single_source", "single_source_reason": "add_on",
                       "justification": "原合同设备扩容，需同一厂商同型号设备以保证兼容性。"})
    assert set(error.fields) == {"original_order_id"}
    # a draft request's lines are not poolable
    draft = f.pf.draft(org)
    error = refused(services.sourcing_create, actor=org["buyer1"],
                    **{**base, "request_line_ids": f.line_ids(draft)})
    assert "request_line_ids" in error.fields
    assert not Sourcing.objects.exists()


def test_direct_purchase_above_the_limit_is_refused(org):
    ProcurementSettings.objects.create(pk=1, direct_purchase_limit=Decimal("10000.00"))
    request = f.approved_request(org)
    error = refused(services.sourcing_create, actor=org["buyer1"], method="direct",
                    request_line_ids=f.line_ids(request), supplier_ids=[f.suppliers(org, n=1)[0].pk],
                    deadline=f.soon())
    assert error.status == 422 and "method" in error.fields


def test_an_ineligible_supplier_is_refused_by_name_and_grade_d_warns(org):
    request = f.approved_request(org)
    good = f.suppliers(org, n=2)
    pending = f.sf.supplier(org, name="未审核供应商")
    error = refused(services.sourcing_create, actor=org["buyer1"], method="inquiry",
                    request_line_ids=f.line_ids(request), supplier_ids=[*(x.pk for x in good), pending.pk],
                    deadline=f.soon())
    assert error.status == 409 and "未审核供应商" in str(error.message)
    Supplier.objects.filter(pk=good[0].pk).update(grade="D")
    s = services.sourcing_create(actor=org["buyer1"], method="inquiry", request_line_ids=f.line_ids(request),
                                 supplier_ids=[x.pk for x in good], deadline=f.soon())
    warnings = [i.grade_warning for i in s.invitations.order_by("id")]
    assert warnings[0] and not warnings[1]


def test_open_needs_min_quotations_and_eligible_suppliers(org):
    s = f.draft(org, invited=f.suppliers(org, n=2))
    error = refused(services.sourcing_open, actor=org["buyer1"], sourcing=s)
    assert error.status == 409 and error.code == "too_few_suppliers"
    assert refused(services.sourcing_open, actor=org["phead1"], sourcing=s).status == 403
    s = f.draft(org)
    supplier = s.invitations.first().supplier
    supplier_services.supplier_blacklist(actor=org["phead1"], supplier=supplier, reason="围标")
    error = refused(services.sourcing_open, actor=org["buyer1"], sourcing=reload(s))
    assert error.status == 409 and supplier.name in str(error.message)
    s = f.draft(org, invited=f.suppliers(org, n=1), method="single_source", single_source_reason="only_supplier",
                justification="该系统为原厂专有协议，只有原厂可以提供维保服务。")
    s = services.sourcing_open(actor=org["buyer1"], sourcing=s)
    assert s.status == "open" and s.opened_at is not None
    assert refused(services.sourcing_open, actor=org["buyer1"], sourcing=s).status == 409


def test_quotations_amounts_and_refusals(org):
    s = f.opened(org)
    supplier = s.invitations.first().supplier
    q = f.quote(s, supplier, ("15000.005", "3333.3333"))
    amounts = list(q.lines.order_by("sourcing_line_id").values_list("amount", flat=True))
    assert amounts == [Decimal("30000.01"), Decimal("5000.00")] and q.total == Decimal("35000.01")
    again = f.quote(s, supplier, ("14000", None))
    assert s.quotations.count() == 1 and again.total == Decimal("28000.00")
    x = s.lines.order_by("id").first()
    bad = refused(services.quotation_record, actor=org["buyer1"], sourcing=s, supplier_id=supplier.pk,
                  valid_until=timezone.localdate() - timedelta(days=1), delivery_days="x",
                  lines=[{"request_line_id": x.request_line_id, "unit_price": "-1", "tax_rate": "7"},
                         {"request_line_id": 999999, "unit_price": "1.12345", "tax_rate": "13"}])
    assert bad.status == 422 and set(bad.fields) == {"valid_until", "delivery_days", "lines.1.unit_price",
                                                     "lines.1.tax_rate", "lines.2.request_line_id",
                                                     "lines.2.unit_price"}
    outsider = f.suppliers(org, n=1)[0]
    bad = refused(services.quotation_record, actor=org["buyer1"], sourcing=s, supplier_id=outsider.pk,
                  valid_until=timezone.localdate(), delivery_days=1,
                  lines=[{"request_line_id": x.request_line_id, "unit_price": "1", "tax_rate": "13"}])
    assert set(bad.fields) == {"supplier_id"}
    assert refused(services.quotation_record, actor=org["phead1"], sourcing=s, supplier_id=supplier.pk,
                   valid_until=timezone.localdate(), delivery_days=1, lines=[]).status == 403
    draft = f.draft(org)
    assert refused(f.quote, draft, draft.invitations.first().supplier, ("1", "1")).status == 409


def test_evaluate_after_the_deadline_or_when_all_quoted(org):
    s = f.opened(org)
    invited = [i.supplier for i in s.invitations.order_by("id")]
    f.quote(s, invited[0], f.PRICES[0])
    error = refused(services.sourcing_evaluate, actor=org["buyer1"], sourcing=reload(s))
    assert error.status == 409 and error.code == "before_deadline"
    late = services.sourcing_evaluate(actor=org["buyer1"], sourcing=reload(s), now=timezone.now() + timedelta(days=8))
    assert late.status == "evaluating" and late.evaluated_at is not None
    s = f.evaluating(org)  # all three quoted before the deadline
    assert s.status == "evaluating"
    assert refused(f.quote, s, invited[0], f.PRICES[0]).status == 409


def test_prices_are_sealed_until_evaluation(org):
    s = f.opened(org)
    f.quote(s, s.invitations.first().supplier, f.PRICES[0])
    s = reload(s)
    assert rules.sees_prices(org["buyer1"], s) and not rules.sees_prices(org["phead1"], s)
    assert not rules.sees_prices(org["ceo1"], s)
    s = services.sourcing_evaluate(actor=org["buyer1"], sourcing=s, now=timezone.now() + timedelta(days=8))
    assert rules.sees_prices(org["phead1"], s) and rules.sees_prices(org["ceo1"], s)


def test_visibility(org):
    s = f.draft(org)
    for who in ("buyer1", "phead1", "ceo1", "admin"):
        assert selectors.visible_sourcings(org[who]).filter(pk=s.pk).exists(), who
    for who in ("rep1", "head1", "finance1", "lead1", "keeper1", "market1"):
        assert not selectors.visible_sourcings(org[who]).filter(pk=s.pk).exists(), who
    other_buyer = account_services.user_create(
        actor=org["admin"], username="buyer2", password="opsmon-demo-2026", display_name="采购员二",
        email="buyer2@example.com", department=org["buyer1"].department, roles=["purchaser"])
    assert not selectors.visible_sourcings(other_buyer).filter(pk=s.pk).exists()


def test_award_round_trip_moves_the_request_to_awarded(org):
    s = f.evaluating(org)
    lines = f.lowest_award(s)
    saved, warnings = services.award_save(actor=org["buyer1"], sourcing=s, lines=lines)
    assert warnings == [] and saved.status == "evaluating"
    assert services.awarded_total(saved) == Decimal("28000.00") + Decimal("4650.00")
    s = services.award_submit(actor=org["buyer1"], sourcing=reload(s))
    assert s.status == "award_review"
    step = approval_selectors.current_step(s)
    assert [d.user.username for d in step.deciders.all()] == ["phead1"]
    assert refused(services.award_decide, actor=org["buyer1"], sourcing=s, step_id=step.pk,
                   decision="approve").status == 403
    s = f.decide_all(org, s)
    assert s.status == "awarded" and s.awarded_at is not None
    request = PurchaseRequest.objects.get(pk=s.lines.first().request_line.request_id)
    assert request.status == "awarded"
    assert [x.awarded.quotation.supplier_id for x in selectors.awarded_lines(s)]
    done = services.mark_done(s, actor=org["buyer1"])
    assert done.status == "done"


def test_award_refusals(org):
    s = f.evaluating(org)
    rows = s.lines.order_by("id")
    first, second = rows[0], rows[1]
    dear = max(first.quotation_lines.all(), key=lambda q: q.unit_price)
    cheap2 = min(second.quotation_lines.all(), key=lambda q: q.unit_price)
    error = refused(services.award_save, actor=org["buyer1"], sourcing=s, lines=[
        {"request_line_id": first.request_line_id, "quotation_line_id": dear.pk}])
    assert error.status == 422 and set(error.fields) == {"lines.1.reason_not_lowest", "lines"}
    error = refused(services.award_save, actor=org["buyer1"], sourcing=s, lines=[
        {"request_line_id": first.request_line_id, "quotation_line_id": cheap2.pk},
        {"request_line_id": second.request_line_id}])
    assert set(error.fields) == {"lines.1.quotation_line_id", "lines.2.quotation_line_id"}
    saved, _w = services.award_save(actor=org["buyer1"], sourcing=s, lines=[
        {"request_line_id": first.request_line_id, "quotation_line_id": dear.pk, "reason_not_lowest": "交期最短"},
        {"request_line_id": second.request_line_id, "drop_reason": "不再需要"}])
    assert saved.lines.get(pk=first.pk).reason_not_lowest == "交期最短"
    assert saved.lines.get(pk=second.pk).drop_reason == "不再需要"
    assert refused(services.award_save, actor=org["phead1"], sourcing=s, lines=[]).status == 403
    # an awarded supplier blacklisted since: 409 naming it, no override
    supplier = dear.quotation.supplier
    supplier_services.supplier_blacklist(actor=org["phead1"], supplier=supplier, reason="失信")
    error = refused(services.award_submit, actor=org["buyer1"], sourcing=reload(s))
    assert error.status == 409 and supplier.name in str(error.message)


def test_overrides_need_a_reason_and_add_a_procurement_head_step(org):
    # only two valid quotations for a method needing three
    s = f.opened(org)
    invited = [i.supplier for i in s.invitations.order_by("id")]
    f.quote(s, invited[0], f.PRICES[0])
    f.quote(s, invited[1], f.PRICES[1])
    s = services.sourcing_evaluate(actor=org["buyer1"], sourcing=reload(s), now=timezone.now() + timedelta(days=8))
    error = refused(services.award_save, actor=org["buyer1"], sourcing=s, lines=f.lowest_award(s))
    assert error.status == 422 and error.code == "override_required" and "override_reason" in error.fields
    saved, warnings = services.award_save(actor=org["buyer1"], sourcing=reload(s), lines=f.lowest_award(s),
                                          override_reason="市场上仅两家具备供货能力")
    assert len(warnings) == 1 and saved.override_reason
    s = services.award_submit(actor=org["buyer1"], sourcing=reload(s))
    steps = list(approval_selectors.current_round(s).steps.order_by("position"))
    assert [st.kind for st in steps] == ["procurement", "award_override"]
    assert reload(s).award_warnings == warnings


def test_threshold_and_single_source_notice_overrides(org):
    ProcurementSettings.objects.create(pk=1, public_tender_threshold=Decimal("30000.00"))
    s = f.evaluating(org)  # 询价 estimated 35,000.01 ≥ 30,000: no tender
    warnings = services.award_checks(reload(s), day=timezone.localdate())
    assert any("30,000.00" in w for w in warnings)
    single = f.opened(org, invited=f.suppliers(org, n=1), method="single_source",
                      single_source_reason="only_supplier", notice_on=timezone.localdate(),
                      justification="该系统为原厂专有协议，只有原厂可以提供维保服务。")
    f.quote(single, single.invitations.first().supplier, ("14000", "3000"))
    single = services.sourcing_evaluate(actor=org["buyer1"], sourcing=reload(single))
    services.award_save(actor=org["buyer1"], sourcing=single, lines=f.lowest_award(single),
                        override_reason="紧急")
    warnings = services.award_checks(reload(single), day=timezone.localdate())
    assert any("公示" in w for w in warnings)
    later = services.add_working_days(timezone.localdate(), 5)
    assert not any("公示" in w for w in services.award_checks(reload(single), day=later))


def test_working_days():
    from datetime import date
    assert services.add_working_days(date(2026, 12, 4), 5) == date(2026, 12, 11)  # Friday + 5 → next Friday
    assert services.add_working_days(date(2026, 12, 7), 1) == date(2026, 12, 8)


def test_return_reject_fail_cancel_and_repool(org):
    s = f.awarded_for_review(org)
    returned = f.decide_all(org, s, "return", "改价")
    assert returned.status == "evaluating"
    s = services.award_submit(actor=org["buyer1"], sourcing=reload(s))
    rejected = f.decide_all(org, s, "reject", "不合规")
    assert rejected.status == "failed"
    request = PurchaseRequest.objects.get(pk=rejected.lines.first().request_line.request_id)
    assert request.status == "approved"  # re-pooled
    # the lines go into a new sourcing, which is cancelled
    again = f.draft(org, request=request)
    assert PurchaseRequest.objects.get(pk=request.pk).status == "sourcing"
    assert refused(services.sourcing_cancel, actor=org["buyer1"], sourcing=again, reason="").status == 422
    assert refused(services.sourcing_cancel, actor=org["rep1"], sourcing=again, reason="x").status == 403
    cancelled = services.sourcing_cancel(actor=org["phead1"], sourcing=again, reason="需求变更")
    assert cancelled.status == "cancelled" and cancelled.status_reason == "需求变更"
    assert PurchaseRequest.objects.get(pk=request.pk).status == "approved"
    third = f.opened(org, request=request)
    failed = services.sourcing_fail(actor=org["buyer1"], sourcing=third, reason="无人报价")
    assert failed.status == "failed" and PurchaseRequest.objects.get(pk=request.pk).status == "approved"
    assert refused(services.sourcing_fail, actor=org["buyer1"], sourcing=failed, reason="x").status == 409


def test_split_awards_of_one_project_need_an_override(org):
    """化整为零: two non-tender awards of the same project, category and year summing to the threshold."""
    ProcurementSettings.objects.create(pk=1, public_tender_threshold=Decimal("60000.00"))
    project = f.pf.project(org)
    first = f.awarded(org, request=f.approved_request(org, project_=project))
    assert first.status == "awarded" and first.award_warnings == []
    second = f.evaluating(org, request=f.approved_request(org, project_=project, title="第二批服务器"))
    error = refused(services.award_save, actor=org["buyer1"], sourcing=second, lines=f.lowest_award(second))
    assert error.code == "override_required" and "化整为零" in error.fields["override_reason"][0]
    # another project's award is not summed
    other = f.evaluating(org)
    _saved, warnings = services.award_save(actor=org["buyer1"], sourcing=other, lines=f.lowest_award(other))
    assert warnings == []
