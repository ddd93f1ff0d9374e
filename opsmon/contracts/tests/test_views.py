"""The contract pages: list, new, detail, each action through a POST that calls one service or changes nothing, the
version comparison and the review route admin."""

import io
from datetime import timedelta

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opsmon.approvals.models import ReviewStep, Route
from opsmon.contracts import services
from opsmon.contracts.models import Amendment, Attachment, Contract, ContractVersion
from opsmon.opportunities.tests.factories import opportunity

from .factories import PDF, decide_all, draft, routes, signed, submitted

TODAY = timezone.localdate()


@pytest.fixture
def with_routes(org):
    routes(org)


def fresh(contract):
    return Contract.objects.get(pk=contract.pk)


def url(name, contract=None, *more):
    return reverse(f"contracts:{name}", args=[contract.pk, *more] if contract is not None else list(more))


def html_of(response) -> str:
    return response.content.decode()


def error_text(response) -> str:
    return html_of(response).split('data-testid="action-error"')[1].split(">", 1)[1].split("<")[0].strip()


def formset_data(prefix: str, rows: list[dict], *, initial: int = 0, blank: int = 2) -> dict:
    """A formset as the browser posts it: the management form, `rows`, then blank rows."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + blank), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{i}-{field}"] = value
    return data


def milestone_rows(contract) -> list[dict]:
    """The contract's milestones as the edit form shows them."""
    return [{"name": m.name, "due_on": m.due_on.isoformat() if m.due_on else "", "condition": m.condition,
             "trigger": m.trigger, "amount": f"{m.amount:.2f}" if m.amount is not None else "",
             "percentage": f"{m.percentage:.2f}" if m.percentage is not None else ""}
            for m in contract.milestones.all()]


def edit_data(contract, *, milestones=None, **changes) -> dict:
    """The edit form as read at the contract's version, with `changes` typed in (and `milestones` rows)."""
    current = milestone_rows(contract)
    data = {"title": contract.title, "contract_type": contract.contract_type, "amount": f"{contract.amount:.2f}",
            "currency": contract.currency,
            "tax_rate": f"{contract.tax_rate:.2f}" if contract.tax_rate is not None else "",
            "start_on": contract.start_on.isoformat() if contract.start_on else "",
            "end_on": contract.end_on.isoformat() if contract.end_on else "", "terms": contract.terms,
            "version": str(contract.version)}
    data.update(changes)
    data.update(formset_data("milestones", current if milestones is None else milestones, initial=len(current)))
    return data


def amend_data(contract, *, milestones=None, **changes) -> dict:
    current = milestone_rows(contract)
    data = {"amend-amount": f"{contract.amount:.2f}",
            "amend-tax_rate": f"{contract.tax_rate:.2f}" if contract.tax_rate is not None else "",
            "amend-start_on": contract.start_on.isoformat() if contract.start_on else "",
            "amend-end_on": contract.end_on.isoformat() if contract.end_on else "", "amend-terms": contract.terms,
            "amend-reason": ""}
    data.update({f"amend-{k}": v for k, v in changes.items()})
    data.update(formset_data("amend-milestones", current if milestones is None else milestones,
                             initial=len(current)))
    return data


def pdf(name="signed.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- list, export, navigation -------------------------------------------------------------------------------------

def test_list_shows_only_visible_contracts_and_filters_them(browser, org):
    mine = draft(org, title="集控中心运维合同")
    other = draft(org, owner="rep2", title="智慧园区安防合同")
    html = html_of(browser("rep1").get(url("list")))
    assert mine.number in html and other.number not in html
    html = html_of(browser("market1").get(url("list"), {"q": "园区"}))
    assert other.number in html and mine.number not in html
    html = html_of(browser("market1").get(url("list"), {"status": "signed"}))
    assert other.number not in html and mine.number not in html


def test_list_filters_by_type_amount_owner_department_signed_dates_and_end(browser, org, with_routes):
    small = draft(org, amount="300000.00", contract_type="technical_service")
    big = signed(org, owner="rep2", amount="2000000.00", end_on=TODAY + timedelta(days=20))
    client = browser("admin")

    def numbers(**params):
        html = html_of(client.get(url("list"), params))
        return {c.number for c in (small, big) if c.number in html}

    assert numbers(contract_type="technical_service") == {small.number}
    assert numbers(amount_min="1000000") == {big.number}
    assert numbers(amount_max="500000") == {small.number}
    assert numbers(owner=org["rep2"].pk) == {big.number}
    assert numbers(department=org["rep1"].department_id) == {small.number}
    assert numbers(signed_from=TODAY.isoformat(), signed_to=TODAY.isoformat()) == {big.number}
    assert numbers(expiring_within="30") == {big.number}
    assert numbers(expiring_within="10") == set()


def test_list_sorts_by_amount(browser, org):
    low = draft(org, amount="100000.00", milestones=[])
    high = draft(org, amount="900000.00", milestones=[])
    client = browser("rep1")
    html = html_of(client.get(url("list"), {"ordering": "amount"}))
    assert html.index(low.number) < html.index(high.number)
    html = html_of(client.get(url("list"), {"ordering": "-amount"}))
    assert html.index(high.number) < html.index(low.number)
    assert 'data-sort="amount"' in html


def test_list_answers_htmx_with_the_table_only(browser, org):
    contract = draft(org)
    html = html_of(browser("rep1").get(url("list"), HTTP_HX_REQUEST="true"))
    assert contract.number in html and 'data-testid="contract-table"' in html and "<html" not in html


def test_list_query_count_does_not_grow_with_rows(browser, org, django_assert_max_num_queries):
    for _ in range(6):
        draft(org)
    client = browser("head1")
    client.get(url("list"))  # the process's copies of labels, people and departments (core.versions)
    with django_assert_max_num_queries(12):
        response = client.get(url("list"))
    assert html_of(response).count('data-testid="contract-row"') == 6


def test_export_is_the_filtered_visible_list(browser, org):
    mine = draft(org, amount="300000.00", milestones=[])
    draft(org, amount="900000.00", milestones=[])
    draft(org, owner="rep2")
    response = browser("rep1").get(url("export"), {"amount_max": "500000"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "合同编号" and [r[0] for r in rows[1:]] == [mine.number]


def test_pages_need_login(client, org):
    contract = draft(org)
    for path in (url("list"), url("create"), url("detail", contract), reverse("approvals:route_list")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_navigation_shows_contracts_to_who_can_see_them_and_routes_to_the_admin(browser, org):
    assert 'href="/contracts/"' in html_of(browser("rep1").get("/"))
    assert 'href="/contracts/"' in html_of(browser("finance1").get("/"))
    assert 'href="/contracts/"' not in html_of(browser("assistant1").get("/"))
    assert 'href="/admin/review-routes/"' not in html_of(browser("rep1").get("/"))
    assert 'href="/admin/review-routes/"' in html_of(browser("admin").get("/"))


# --- new contract -------------------------------------------------------------------------------------------------

def test_new_contract_button_and_page_only_for_sales(browser, org):
    assert 'data-testid="new-contract"' in html_of(browser("rep1").get(url("list")))
    assert 'data-testid="new-contract"' not in html_of(browser("finance1").get(url("list")))
    assert browser("finance1").get(url("create")).status_code == 403


def test_rep_drafts_a_contract_with_milestones(browser, org):
    target = opportunity(org["rep1"])
    client = browser("rep1")
    page = html_of(client.get(url("create"), {"opportunity": target.pk}))  # the picker shows the one chosen
    assert target.number in page
    data = {"opportunity": target.pk, "title": "", "contract_type": "system_integration", "amount": "800000",
            "currency": "", "tax_rate": "13", "start_on": TODAY.isoformat(),
            "end_on": (TODAY + timedelta(days=365)).isoformat(), "terms": "按合同约定交付。",
            **formset_data("milestones", [{"name": "预付款", "condition": "签订后 15 日内", "percentage": "40"},
                                          {"name": "验收款", "due_on": (TODAY + timedelta(days=90)).isoformat(),
                                           "amount": "480000"}])}
    response = client.post(url("create"), data)
    contract = Contract.objects.get(opportunity=target)
    assert response.status_code == 302 and response["Location"] == url("detail", contract)
    assert contract.title == target.title and contract.amount == 800000 and contract.owner == org["rep1"]
    assert [m.name for m in contract.milestones.all()] == ["预付款", "验收款"]


def test_new_contract_offers_only_visible_open_opportunities(browser, org):
    other = opportunity(org["rep2"])
    client = browser("rep1")
    assert other.number not in html_of(client.get(url("create")))
    response = client.post(url("create"), {"opportunity": other.pk, **formset_data("milestones", [])})
    assert response.status_code == 400 and 'data-field-error="opportunity"' in html_of(response)
    assert not Contract.objects.exists()


def test_new_contract_with_bad_milestones_shows_them_on_the_row_and_creates_nothing(browser, org):
    target = opportunity(org["rep1"])
    rows = [{"name": "预付款", "percentage": "30", "condition": "签订后"}, {"name": "尾款", "due_on": ""}]
    response = browser("rep1").post(url("create"), {"opportunity": target.pk, "amount": "100000",
                                                    **formset_data("milestones", rows)})
    html = html_of(response)
    assert response.status_code == 422
    assert 'data-field-error="due_on"' in html and 'data-field-error="amount"' in html
    assert "预付款" in html and not Contract.objects.exists()


# --- detail and visibility ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["rep1", "head1", "market1", "admin", "lead1"])
def test_detail_renders_for_who_may_see_it(browser, org, with_routes, username):
    contract = submitted(org)
    html = html_of(browser(username).get(url("detail", contract)))
    assert contract.number in html and contract.opportunity.number in html and contract.customer.name in html
    assert 'data-testid="review-step"' in html and 'data-testid="timeline"' in html


@pytest.mark.parametrize("username", ["rep2", "head2", "rep1b", "legal1", "assistant1"])  # finance sees every one
def test_others_get_404_on_every_page(browser, org, username):
    contract = draft(org)
    attachment = services.attachment_add(actor=org["rep1"], contract=contract, upload=pdf("spec.pdf"))
    client = browser(username)
    for path in (url("detail", contract), url("versions", contract), url("review_sheet", contract),
                 url("attachment_download", None, attachment.pk), url("attachment_preview", None, attachment.pk)):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(("name", "data"), [
    ("edit", {"title": "改名"}), ("submit", {}), ("sign", {}), ("archive", {}), ("terminate", {"reason": "x"}),
    ("amend", {"amend-reason": "x"}), ("attachment_upload", {}),
])
def test_others_get_404_on_every_action_and_nothing_changes(browser, org, name, data):
    contract = draft(org)
    response = browser("rep2").post(url(name, contract), data)
    assert response.status_code == 404
    assert fresh(contract).version == contract.version and fresh(contract).title == contract.title


def test_actions_are_post_only(browser, org):
    contract = draft(org)
    assert browser("rep1").get(url("submit", contract)).status_code == 405
    assert browser("rep1").get(url("edit", contract)).status_code == 405


def test_detail_query_count_does_not_grow_with_rounds_and_versions(browser, org, with_routes,
                                                                  django_assert_max_num_queries):
    contract = signed(org)
    services.amendment_propose(actor=org["rep1"], contract=contract, changes={"amount": "1100000"}, reason="扩容")
    contract = decide_all(fresh(contract))
    services.attachment_add(actor=org["rep1"], contract=contract, upload=pdf("附件.pdf"))
    client = browser("rep1")
    with django_assert_max_num_queries(24):  # 24: opening it reads rep1's notifications of it (issue 20)
        response = client.get(url("detail", contract))
    html = html_of(response)
    assert html.count('data-testid="review-round"') == 2 and html.count('data-testid="version"') == 2


def test_detail_links_project_and_bid(browser, org):
    from opsmon.bids.services import bid_create_contract, bid_mark_won
    from opsmon.bids.tests.factories import opened_bid

    bid = bid_mark_won(actor=org["rep1"], bid=opened_bid(org))
    contract = bid_create_contract(actor=org["rep1"], bid=bid)
    html = html_of(browser("rep1").get(url("detail", contract)))
    assert f'href="/bids/{bid.pk}/"' in html and f'href="/projects/{bid.project_id}/"' in html


# --- editing the draft --------------------------------------------------------------------------------------------

def test_owner_edits_the_terms_and_milestones(browser, org):
    contract = draft(org)
    rows = [{"name": "预付款", "condition": "签订后 15 日内", "percentage": "50"},
            {"name": "尾款", "due_on": (TODAY + timedelta(days=30)).isoformat(), "percentage": "50"}]
    response = browser("rep1").post(url("edit", contract), edit_data(contract, amount="1200000", milestones=rows))
    assert response.status_code == 302
    contract = fresh(contract)
    assert contract.amount == 1200000 and [m.percentage for m in contract.milestones.all()] == [50, 50]
    html = html_of(browser("rep1").get(url("detail", contract)))
    assert "1,200,000.00" in html or "1200000.00" in html


def test_unchanged_edit_saves_nothing(browser, org):
    contract = draft(org)
    response = browser("rep1").post(url("edit", contract), edit_data(contract))
    assert response.status_code == 302 and fresh(contract).version == contract.version


def test_stale_edit_is_409_and_changes_nothing(browser, org):
    contract = draft(org)
    read = fresh(contract)  # the form was read at this version
    services.contract_update(actor=org["rep1"], contract=contract, version=contract.version, title="别人先改了")
    response = browser("rep1").post(url("edit", contract), edit_data(read, title="我的修改"))
    assert response.status_code == 409 and error_text(response)
    assert fresh(contract).title == "别人先改了"
    assert "我的修改" in html_of(response)  # the form keeps what was typed


def test_milestones_that_do_not_add_up_are_shown_above_the_rows(browser, org):
    contract = draft(org)
    response = browser("rep1").post(url("edit", contract), edit_data(contract, amount="2000000",
                                                                      milestones=milestone_rows(contract)[:1]))
    assert response.status_code == 422 and 'data-field-error="milestones"' in html_of(response)
    assert fresh(contract).amount == contract.amount and fresh(contract).milestones.count() == 2


def test_bad_date_is_400_and_never_reaches_the_service(browser, org):
    contract = draft(org)
    response = browser("rep1").post(url("edit", contract), edit_data(contract, start_on="2026-13-45"))
    assert response.status_code == 400 and 'data-field-error="start_on"' in html_of(response)
    assert fresh(contract).version == contract.version


def test_edit_form_only_while_drafting_and_only_for_the_team(browser, org, with_routes):
    contract = draft(org)
    assert 'data-testid="edit-form"' in html_of(browser("rep1").get(url("detail", contract)))
    assert 'data-testid="edit-form"' not in html_of(browser("market1").get(url("detail", contract)))
    contract = services.contract_submit(actor=org["rep1"], contract=contract)
    assert 'data-testid="edit-form"' not in html_of(browser("rep1").get(url("detail", contract)))
    response = browser("rep1").post(url("edit", contract), edit_data(contract, title="评审中改名"))
    assert response.status_code == 409 and fresh(contract).title == contract.title


# --- files --------------------------------------------------------------------------------------------------------

def test_upload_then_guarded_download_and_preview(browser, org):
    contract = draft(org)
    client = browser("rep1")
    response = client.post(url("attachment_upload", contract), {"file": pdf("技术规范书.pdf")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(contract=contract)
    assert "技术规范书.pdf" in html_of(client.get(url("detail", contract)))
    download = client.get(url("attachment_download", None, attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    preview = client.get(url("attachment_preview", None, attachment.pk))
    assert preview.status_code == 200 and "inline" in preview["Content-Disposition"]
    assert browser("rep2").get(url("attachment_download", None, attachment.pk)).status_code == 404


def test_forged_upload_is_refused_next_to_the_file(browser, org):
    contract = draft(org)
    response = browser("rep1").post(url("attachment_upload", contract),
                                    {"file": SimpleUploadedFile("合同.pdf", b"MZ not a pdf at all")})
    assert response.status_code == 422 and 'data-field-error="file"' in html_of(response)
    assert not Attachment.objects.filter(contract=contract).exists()


# --- review -------------------------------------------------------------------------------------------------------

def test_submit_starts_the_review_and_shows_every_step(browser, org, with_routes):
    contract = draft(org)
    response = browser("rep1").post(url("submit", contract))
    assert response.status_code == 302 and fresh(contract).status == "in_review"
    html = html_of(browser("rep1").get(url("detail", contract)))
    assert html.count('data-testid="review-step"') == 4 and 'data-step-status="current"' in html
    assert "或签" in html


def test_submitting_an_incomplete_draft_names_what_is_missing(browser, org, with_routes):
    contract = draft(org, contract_type="", milestones=[])
    response = browser("rep1").post(url("submit", contract))
    assert response.status_code == 422
    assert html_of(response).count('data-testid="action-error-field"') >= 2
    assert fresh(contract).status == "drafting"


def test_decide_form_only_for_the_undecided_deciders_of_the_current_step(browser, org, with_routes):
    contract = submitted(org)  # 1 technical (tech leads) → 2 finance1 → 3 legal1 → 4 head1
    assert 'data-testid="decide-form"' in html_of(browser("lead1").get(url("detail", contract)))
    for username in ("rep1", "head1", "market1", "admin"):
        assert 'data-testid="decide-form"' not in html_of(browser(username).get(url("detail", contract))), username


def test_owner_sees_no_approve_button_and_may_not_decide(browser, org, with_routes):
    contract = submitted(org)
    step = ReviewStep.objects.get(review__contract=contract, status="current")
    html = html_of(browser("rep1").get(url("detail", contract)))
    assert 'data-testid="approve"' not in html and 'data-testid="decide-form"' not in html
    response = browser("rep1").post(url("approve", contract, step.pk), {"decide-comment": "自己批"})
    assert response.status_code == 403 and error_text(response)
    assert ReviewStep.objects.get(pk=step.pk).status == "current"


def test_someone_else_may_not_decide(browser, org, with_routes):
    contract = submitted(org)
    step = ReviewStep.objects.get(review__contract=contract, status="current")
    response = browser("market1").post(url("approve", contract, step.pk), {"decide-comment": ""})
    assert response.status_code == 403 and ReviewStep.objects.get(pk=step.pk).status == "current"


def test_decider_approves_and_the_next_step_becomes_current(browser, org, with_routes):
    contract = submitted(org)
    step = ReviewStep.objects.get(review__contract=contract, status="current")
    response = browser("lead1").post(url("approve", contract, step.pk), {"decide-comment": "技术方案可行"})
    assert response.status_code == 302
    assert ReviewStep.objects.get(pk=step.pk).status == "approved"
    following = ReviewStep.objects.get(review__contract=contract, status="current")
    assert following.position == 2
    html = html_of(browser("finance1").get(url("detail", contract)))
    assert "技术方案可行" in html and 'data-testid="decide-form"' in html
    assert f'action="{url("approve", contract, following.pk)}"' in html
    # a second decision on the finished step is refused
    again = browser("lead1").post(url("approve", contract, step.pk), {"decide-comment": ""})
    assert again.status_code == 409


def test_reject_needs_a_comment_then_sends_the_contract_back(browser, org, with_routes):
    contract = submitted(org)
    step = ReviewStep.objects.get(review__contract=contract, status="current")
    client = browser("lead1")
    refused = client.post(url("reject", contract, step.pk), {"decide-comment": "  "})
    assert refused.status_code == 422 and 'data-field-error="comment"' in html_of(refused)
    assert ReviewStep.objects.get(pk=step.pk).status == "current" and fresh(contract).status == "in_review"
    assert client.post(url("reject", contract, step.pk), {"decide-comment": "接口方案不清"}).status_code == 302
    assert fresh(contract).status == "drafting"
    assert "接口方案不清" in html_of(browser("rep1").get(url("detail", contract)))


def test_unknown_step_is_404(browser, org, with_routes):
    contract = submitted(org)
    assert browser("lead1").post(url("approve", contract, 999999), {}).status_code == 404


def test_review_sheet_downloads_as_word(browser, org, with_routes):
    contract = decide_all(submitted(org))
    response = browser("rep1").get(url("review_sheet", contract))
    assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "合同评审表" in text


# --- signing, archive, terminate ----------------------------------------------------------------------------------

def test_owner_signs_the_approved_contract_with_its_copy(browser, org, with_routes):
    contract = decide_all(submitted(org))
    client = browser("rep1")
    assert 'data-testid="sign-form"' in html_of(client.get(url("detail", contract)))
    response = client.post(url("sign", contract), {"sign-signed_on": TODAY.isoformat(),
                                                   "sign-signed_copy": pdf("盖章合同.pdf")})
    assert response.status_code == 302
    contract = fresh(contract)
    assert contract.status == "signed" and contract.signed_on == TODAY
    assert Attachment.objects.get(contract=contract, kind="signed_copy").file.original_name == "盖章合同.pdf"
    assert ContractVersion.objects.filter(contract=contract, number=1).exists()


@pytest.mark.parametrize(("data", "field"), [
    ({"sign-signed_on": TODAY.isoformat()}, "signed_copy"),
    ({"sign-signed_on": (TODAY + timedelta(days=3)).isoformat(), "sign-signed_copy": "file"}, "signed_on"),
])
def test_bad_signing_is_422_and_changes_nothing(browser, org, with_routes, data, field):
    contract = decide_all(submitted(org))
    if data.get("sign-signed_copy") == "file":
        data = {**data, "sign-signed_copy": pdf()}
    response = browser("rep1").post(url("sign", contract), data)
    assert response.status_code == 422 and f'data-field-error="{field}"' in html_of(response)
    assert fresh(contract).status == "approved" and not Attachment.objects.filter(contract=contract).exists()


def test_archive_and_terminate_a_signed_contract(browser, org, with_routes):
    first, second = signed(org), signed(org)
    client = browser("rep1")
    html = html_of(client.get(url("detail", first)))
    assert 'data-testid="archive"' in html and 'data-testid="terminate-form"' in html
    assert client.post(url("archive", first)).status_code == 302 and fresh(first).status == "archived"
    refused = client.post(url("terminate", second), {"terminate-reason": ""})
    assert refused.status_code == 422 and 'data-field-error="reason"' in html_of(refused)
    assert fresh(second).status == "signed"
    assert client.post(url("terminate", second), {"terminate-reason": "客户取消"}).status_code == 302
    assert fresh(second).status == "terminated" and fresh(second).terminate_reason == "客户取消"
    assert client.post(url("archive", second)).status_code == 409


# --- amendments and versions --------------------------------------------------------------------------------------

def test_amendment_proposes_only_the_changed_terms(browser, org, with_routes):
    contract = signed(org)
    client = browser("rep1")
    assert 'data-testid="amend-form"' in html_of(client.get(url("detail", contract)))
    response = client.post(url("amend", contract), amend_data(contract, amount="1100000", reason="增加两个站点"))
    assert response.status_code == 302
    amendment = Amendment.objects.get(contract=contract)
    assert amendment.changes == {"amount": "1100000.00"} and amendment.status == "in_review"
    html = html_of(client.get(url("detail", contract)))
    assert 'data-testid="amendment-open"' in html and 'data-testid="amend-form"' not in html
    assert 'data-testid="archive"' not in html


@pytest.mark.parametrize(("changes", "field"), [({"reason": "什么都没改"}, "changes"),
                                               ({"amount": "1100000"}, "reason")])
def test_amendment_without_a_change_or_a_reason_is_refused(browser, org, with_routes, changes, field):
    contract = signed(org)
    response = browser("rep1").post(url("amend", contract), amend_data(contract, **changes))
    assert response.status_code == 422 and error_text(response)
    if field == "reason":
        assert 'data-field-error="reason"' in html_of(response)
    assert not Amendment.objects.filter(contract=contract).exists()


def test_approved_amendment_becomes_version_2_and_compares_side_by_side(browser, org, with_routes):
    contract = signed(org)
    rows = milestone_rows(contract)
    rows[1]["due_on"] = (TODAY + timedelta(days=200)).isoformat()
    browser("rep1").post(url("amend", contract), amend_data(contract, amount="1100000", reason="扩容", milestones=[
        {**rows[0], "percentage": "40"}, {**rows[1], "percentage": "60"}]))
    contract = decide_all(fresh(contract))
    assert contract.terms_version == 2
    client = browser("rep1")
    html = html_of(client.get(url("detail", contract)))
    assert 'data-testid="version"' in html and "?a=1&amp;b=2" in html
    page = html_of(client.get(url("versions", contract), {"a": 1, "b": 2}))
    assert 'data-testid="diff-amount" data-changed="true" class="table-warning"' in page
    assert 'data-testid="diff-currency"' not in page and 'data-testid="diff-unchanged"' in page  # only what changed
    assert "¥1,100,000.00" in page and "¥1,000,000.00" in page
    assert page.count('data-testid="milestone-diff-row" data-changed="true"') == 2
    assert client.get(url("versions", contract), {"a": 1, "b": 9}).status_code == 404


def test_versions_page_without_versions_says_so(browser, org):
    contract = draft(org)
    assert 'data-testid="no-versions"' in html_of(browser("rep1").get(url("versions", contract)))


# --- review route admin -------------------------------------------------------------------------------------------

STEPS = [{"kind": "finance", "decider_kind": "users", "users": None, "mode": "any"},
         {"kind": "management", "decider_kind": "owner_head", "mode": "any"}]


def route_data(org, *, steps=None, **fields) -> dict:
    rows = []
    for step in STEPS if steps is None else steps:
        row = {k: v for k, v in step.items() if k != "users"}
        rows.append(row)
    data = {"name": "测试路线", "type_code": "", "min_amount": "0", "max_amount": "", "active": "on",
            **formset_data("steps", rows)}
    for i, step in enumerate(STEPS if steps is None else steps):
        if "users" in step:
            data[f"steps-{i}-users"] = [org["finance1"].pk] if step["users"] is None else step["users"]
    data.update(fields)
    return data


def test_route_pages_are_for_the_admin(browser, org):
    for path in (reverse("approvals:route_list"), reverse("approvals:route_create")):
        assert browser("rep1").get(path).status_code == 403
    assert browser("admin").get(reverse("approvals:route_list")).status_code == 200
    assert browser("admin").get(reverse("approvals:route_edit", args=[999])).status_code == 404


def test_admin_creates_a_route_with_ordered_steps(browser, org):
    response = browser("admin").post(reverse("approvals:route_create") + "?kind=contract",
                                     route_data(org, type_code="framework"))
    assert response.status_code == 302
    route = Route.objects.get(name="测试路线")
    steps = list(route.steps.order_by("position"))
    assert route.type_code == "framework" and [s.kind for s in steps] == ["finance", "management"]
    assert list(steps[0].users.all()) == [org["finance1"]]
    assert "测试路线" in html_of(browser("admin").get(reverse("approvals:route_list")))


def test_overlapping_route_is_refused_on_the_form(browser, org, with_routes):
    before = Route.objects.count()
    response = browser("admin").post(reverse("approvals:route_create") + "?kind=contract",
                                     route_data(org, min_amount="100000", max_amount="200000"))
    html = html_of(response)
    assert response.status_code == 422 and 'data-field-error="min_amount"' in html
    assert Route.objects.count() == before


def test_step_errors_go_to_their_row(browser, org):
    steps = [{"kind": "finance", "decider_kind": "owner_head", "mode": "any"},
             {"kind": "legal", "decider_kind": "users", "users": [], "mode": "any"}]
    response = browser("admin").post(reverse("approvals:route_create") + "?kind=contract", route_data(org, steps=steps))
    html = html_of(response)
    assert response.status_code == 422 and 'data-field-error="users"' in html
    assert not Route.objects.filter(name="测试路线").exists()


def test_admin_edits_a_route(browser, org, with_routes):
    route = Route.objects.get(type_code="framework")
    client = browser("admin")
    page = html_of(client.get(reverse("approvals:route_edit", args=[route.pk])))
    assert route.name in page and 'name="steps-0-kind"' in page
    data = route_data(org, name=route.name, type_code="framework", active="")
    assert client.post(reverse("approvals:route_edit", args=[route.pk]), data).status_code == 302
    route.refresh_from_db()
    assert not route.active and route.steps.count() == 2


def test_routes_list_shows_every_route(browser, org, with_routes):
    html = html_of(browser("admin").get(reverse("approvals:route_list")))
    assert html.count('data-testid="route"') == Route.objects.count()
    assert Route.objects.filter(kind="contract").count() == 3

