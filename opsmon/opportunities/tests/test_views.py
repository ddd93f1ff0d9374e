"""The opportunity web pages: who sees what, every action through its form, refusals, board moves, list filters."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opsmon.core.models import TimelineEntry
from opsmon.opportunities.models import FollowUp, Opportunity
from opsmon.projects.models import Project

from . import factories

TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def opp(org):
    """rep1's opportunity in 销售一部, tracking, stage "qualified"."""
    return factories.opportunity(org["rep1"])


def fresh(o):
    return Opportunity.objects.get(pk=o.pk)


def actions_of(o):
    return list(TimelineEntry.objects.filter(object_id=o.pk, content_type__model="opportunity")
                .order_by("id").values_list("action", flat=True))


def html(response):
    return response.content.decode()


# --- pages render for the users allowed to see them ---

@pytest.mark.parametrize("name", ["list", "board", "due", "create"])
def test_pages_render_for_a_sales_rep(browser, opp, name):
    response = browser("rep1").get(reverse(f"opportunities:{name}"))
    assert response.status_code == 200


@pytest.mark.parametrize("username", ["rep1", "head1", "market1"])
def test_detail_renders_for_owner_head_and_market_head(browser, opp, username):
    response = browser(username).get(reverse("opportunities:detail", args=[opp.pk]))
    assert response.status_code == 200
    assert opp.number in html(response) and 'data-status="tracking"' in html(response)


def test_edit_form_carries_the_version(browser, opp):
    response = browser("rep1").get(reverse("opportunities:edit", args=[opp.pk]))
    assert response.status_code == 200
    assert f'name="version" value="{opp.version}"' in html(response)


def test_navigation_offers_opportunities_and_customers(browser, org):
    page = html(browser("rep2").get("/"))
    assert reverse("opportunities:list") in page and reverse("customers:list") in page


def test_pages_need_login(client, opp):
    for url in (reverse("opportunities:list"), reverse("opportunities:detail", args=[opp.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- a record the user may not see is a 404, on every page and action ---

@pytest.mark.parametrize(("method", "name", "data"), [
    ("get", "detail", {}),
    ("get", "edit", {}),
    ("post", "edit", {"title": "x"}),
    ("post", "move", {"stage": "proposal", "version": 1}),
    ("post", "follow_up", {"follow_up-happened_on": str(TODAY), "follow_up-kind": "call", "follow_up-note": "x"}),
    ("post", "request_conversion", {"request_conversion-comment": "请批"}),
    ("post", "convert", {}),
    ("post", "keep_tracking", {"keep_tracking-comment": "x"}),
    ("post", "close", {"close-reason": "lost"}),
    ("post", "reopen", {}),
])
def test_rep_of_another_department_gets_404_and_changes_nothing(browser, opp, method, name, data):
    client = browser("rep2")
    response = getattr(client, method)(reverse(f"opportunities:{name}", args=[opp.pk]), data)
    assert response.status_code == 404
    assert fresh(opp).version == opp.version and actions_of(opp) == ["opportunity.created"]


def test_list_and_board_hide_other_departments_records(browser, opp, org):
    other = factories.opportunity(org["rep2"])
    client = browser("rep1")
    for name in ("list", "board"):
        page = html(client.get(reverse(f"opportunities:{name}")))
        assert opp.number in page and other.number not in page


def test_actions_are_get_not_allowed(browser, opp):
    assert browser("rep1").get(reverse("opportunities:convert", args=[opp.pk])).status_code == 405


def test_market_head_sees_but_may_not_edit(browser, opp):
    assert browser("market1").get(reverse("opportunities:edit", args=[opp.pk])).status_code == 403


# --- the actions, each through its form ---

def test_follow_up_is_saved_and_sets_the_next_date(browser, opp):
    response = browser("rep1").post(reverse("opportunities:follow_up", args=[opp.pk]), {
        "follow_up-happened_on": str(TODAY), "follow_up-kind": "visit", "follow_up-note": "拜访客户信息中心",
        "follow_up-next_step": "提交方案", "follow_up-next_date": str(TODAY + timedelta(days=7))})
    assert response.status_code == 302 and response["Location"] == reverse("opportunities:detail", args=[opp.pk])
    follow_up = FollowUp.objects.get(opportunity=opp)
    assert (follow_up.kind, follow_up.note) == ("visit", "拜访客户信息中心")
    assert fresh(opp).next_followup_on == TODAY + timedelta(days=7)
    page = html(browser("rep1").get(reverse("opportunities:detail", args=[opp.pk])))
    assert "拜访客户信息中心" in page and "拜访" in page  # the kind's label


def test_follow_up_in_the_future_shows_the_field_error_and_saves_nothing(browser, opp):
    response = browser("rep1").post(reverse("opportunities:follow_up", args=[opp.pk]), {
        "follow_up-happened_on": str(TODAY + timedelta(days=3)), "follow_up-kind": "call",
        "follow_up-note": "未来的记录"})
    assert response.status_code == 422  # the service refuses a future date
    assert 'data-field-error="happened_on"' in html(response)
    assert not FollowUp.objects.exists()


def test_follow_ups_are_listed_newest_first(browser, opp, org):
    from opsmon.opportunities import services
    for days, note in ((10, "第一次"), (2, "第三次"), (5, "第二次")):
        services.follow_up_add(actor=org["rep1"], opportunity=opp, happened_on=TODAY - timedelta(days=days),
                               kind="call", note=note)
    page = html(browser("rep1").get(reverse("opportunities:detail", args=[opp.pk])))
    assert page.index("第三次") < page.index("第二次") < page.index("第一次")


def test_rep_requests_conversion_with_a_comment(browser, opp):
    response = browser("rep1").post(reverse("opportunities:request_conversion", args=[opp.pk]),
                                    {"request_conversion-comment": "预算已落实"})
    assert response.status_code == 302
    assert fresh(opp).status == "conversion_requested"
    entry = TimelineEntry.objects.filter(object_id=opp.pk, action="opportunity.request_conversion").get()
    assert entry.comment == "预算已落实"


def test_request_without_a_comment_is_refused_next_to_the_field(browser, opp):
    response = browser("rep1").post(reverse("opportunities:request_conversion", args=[opp.pk]),
                                    {"request_conversion-comment": "  "})
    assert response.status_code == 400  # the form requires the comment
    assert 'data-field-error="comment"' in html(response)
    assert fresh(opp).status == "tracking" and actions_of(opp) == ["opportunity.created"]


def test_rep_cannot_convert_and_nothing_changes(browser, opp):
    response = browser("rep1").post(reverse("opportunities:convert", args=[opp.pk]), {"convert-comment": "我来"})
    assert response.status_code == 403
    assert 'data-testid="action-error"' in html(response)
    assert fresh(opp).status == "tracking" and not Project.objects.exists()


def test_head_keeps_tracking_with_a_comment(browser, opp, org):
    from opsmon.opportunities import services
    services.opportunity_request_conversion(actor=org["rep1"], opportunity=opp, comment="请批")
    client = browser("head1")
    refused = client.post(reverse("opportunities:keep_tracking", args=[opp.pk]), {"keep_tracking-comment": ""})
    assert refused.status_code == 400 and 'data-field-error="comment"' in html(refused)
    assert fresh(opp).status == "conversion_requested"
    client.post(reverse("opportunities:keep_tracking", args=[opp.pk]), {"keep_tracking-comment": "预算未批"})
    assert fresh(opp).status == "tracking"


def test_head_converts_and_the_detail_shows_the_project_number(browser, opp):
    client = browser("head1")
    response = client.post(reverse("opportunities:convert", args=[opp.pk]), {"convert-comment": "同意"})
    assert response.status_code == 302
    project = Project.objects.get(opportunity=opp)
    assert fresh(opp).status == "converted"
    page = html(client.get(reverse("opportunities:detail", args=[opp.pk])))
    assert project.number in page and 'data-testid="project"' in page
    assert reverse("opportunities:edit", args=[opp.pk]) not in page  # read-only now


def test_converting_twice_is_refused_and_creates_one_project(browser, opp):
    client = browser("head1")
    client.post(reverse("opportunities:convert", args=[opp.pk]), {})
    second = client.post(reverse("opportunities:convert", args=[opp.pk]), {})
    assert second.status_code == 409 and 'role="alert"' in html(second)
    assert Project.objects.count() == 1


def test_head_closes_with_a_reason_and_reopens(browser, opp):
    client = browser("head1")
    refused = client.post(reverse("opportunities:close", args=[opp.pk]), {"close-reason": "", "close-comment": "x"})
    assert 'data-field-error="reason"' in html(refused) and fresh(opp).status == "tracking"
    client.post(reverse("opportunities:close", args=[opp.pk]), {"close-reason": "lost", "close-comment": "价格"})
    closed = fresh(opp)
    assert (closed.status, closed.close_reason) == ("closed", "lost")
    assert "丢单" in html(client.get(reverse("opportunities:detail", args=[opp.pk])))
    client.post(reverse("opportunities:reopen", args=[opp.pk]), {"reopen-comment": "客户重启"})
    assert fresh(opp).status == "tracking"
    assert actions_of(opp)[-2:] == ["opportunity.close", "opportunity.reopen"]


def test_detail_offers_only_the_actions_allowed_now(browser, opp):
    rep_page = html(browser("rep1").get(reverse("opportunities:detail", args=[opp.pk])))
    assert 'data-testid="action-request_conversion"' in rep_page and 'data-testid="action-convert"' not in rep_page
    head_page = html(browser("head1").get(reverse("opportunities:detail", args=[opp.pk])))
    assert 'data-testid="action-convert"' in head_page and 'data-testid="action-close"' in head_page
    assert 'data-testid="action-reopen"' not in head_page and 'data-testid="action-keep_tracking"' not in head_page
    market_page = html(browser("market1").get(reverse("opportunities:detail", args=[opp.pk])))
    assert 'data-testid="action-' not in market_page and 'data-testid="no-actions"' in market_page


def test_timeline_shows_actor_action_and_status_change(browser, opp):
    client = browser("rep1")
    client.post(reverse("opportunities:request_conversion", args=[opp.pk]),
                {"request_conversion-comment": "客户预算已批"})
    page = html(client.get(reverse("opportunities:detail", args=[opp.pk])))
    timeline = page.split('data-testid="timeline"')[1]
    assert "客户预算已批" in timeline and "李娜" in timeline
    assert "跟踪中 → 待转立项" in timeline


# --- create and edit ---

def form_data(customer_id, **overrides):
    data = {"title": "调度自动化系统升级", "customer_id": customer_id, "stage": "proposal",
            "estimated_amount": "1,250,000.50", "currency": "CNY",
            "expected_close_date": str(TODAY + timedelta(days=60)), "industry": "energy", "source": "",
            "region": "", "description": "", "member_ids": []}
    data.update(overrides)
    return data


def test_rep_creates_an_opportunity_through_the_form(browser, org):
    customer = factories.customer(org["rep1"])
    response = browser("rep1").post(reverse("opportunities:create"),
                                    form_data(customer.pk, member_ids=[org["rep1b"].pk]))
    o = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("opportunities:detail", args=[o.pk])
    assert (o.owner, o.customer, o.stage, o.probability) == (org["rep1"], customer, "proposal", 50)
    assert str(o.estimated_amount) == "1250000.50" and list(o.members.all()) == [org["rep1b"]]


def test_create_form_preselects_the_customer(browser, org):
    customer = factories.customer(org["rep1"])
    page = html(browser("rep1").get(reverse("opportunities:create") + f"?customer={customer.pk}"))
    assert f'<option value="{customer.pk}" selected>' in page


@pytest.mark.parametrize(("field", "value", "status"), [
    ("title", "", 400), ("estimated_amount", "-5", 422), ("estimated_amount", "十万", 422),
    ("expected_close_date", str(TODAY - timedelta(days=1)), 422), ("expected_close_date", "31/12/2030", 400),
    ("stage", "nonsense", 400), ("customer_id", "999999", 400),
])
def test_bad_input_shows_the_field_error_and_saves_nothing(browser, org, field, value, status):
    # 400: the form refuses the input; 422: the service does (the same rule as the API's)
    customer = factories.customer(org["rep1"])
    data = form_data(customer.pk)
    data[field] = value
    response = browser("rep1").post(reverse("opportunities:create"), data)
    assert response.status_code == status
    assert f'data-field-error="{field}"' in html(response)
    assert not Opportunity.objects.exists()


def test_edit_saves_only_what_changed_and_records_it(browser, opp):
    data = form_data(opp.customer_id, title="新的标题", stage=opp.stage, industry=opp.industry,
                     region=opp.region, estimated_amount=f"{opp.estimated_amount:.2f}",
                     expected_close_date=str(opp.expected_close_date), version=opp.version)
    response = browser("rep1").post(reverse("opportunities:edit", args=[opp.pk]), data)
    assert response.status_code == 302
    saved = fresh(opp)
    assert saved.title == "新的标题" and saved.version == opp.version + 1
    entry = TimelineEntry.objects.filter(object_id=opp.pk, action="opportunity.updated").get()
    assert set(entry.changes) == {"title"}


def test_timeline_names_the_team_and_labels_the_codes(browser, opp, org):
    data = form_data(opp.customer_id, title=opp.title, stage="commit", industry=opp.industry, region=opp.region,
                     estimated_amount=f"{opp.estimated_amount:.2f}", member_ids=[org["rep1b"].pk],
                     expected_close_date=str(opp.expected_close_date), version=opp.version)
    client = browser("rep1")
    assert client.post(reverse("opportunities:edit", args=[opp.pk]), data).status_code == 302
    timeline = html(client.get(reverse("opportunities:detail", args=[opp.pk]))).split('data-testid="timeline"')[1]
    assert "需求确认 → 承诺采购" in timeline and "王强" in timeline


def test_edit_with_a_stale_version_says_reload_and_changes_nothing(browser, opp, org):
    from opsmon.opportunities import services
    read_version = opp.version
    services.opportunity_update(actor=org["head1"], opportunity=fresh(opp), version=read_version, title="别人改的")
    data = form_data(opp.customer_id, title="我的修改", version=read_version,
                     expected_close_date=str(opp.expected_close_date))
    response = browser("rep1").post(reverse("opportunities:edit", args=[opp.pk]), data)
    assert response.status_code == 409
    assert 'data-testid="reload"' in html(response)
    assert fresh(opp).title == "别人改的"


def test_converted_opportunity_cannot_be_edited(browser, opp, org):
    from opsmon.opportunities import services
    services.opportunity_convert(actor=org["head1"], opportunity=opp)
    assert browser("rep1").get(reverse("opportunities:edit", args=[opp.pk])).status_code == 409


# --- the board ---

def test_board_has_a_column_per_active_stage_and_cards_of_open_opportunities(browser, opp, org):
    from opsmon.opportunities import services
    closed = factories.opportunity(org["rep1"])
    services.opportunity_close(actor=org["head1"], opportunity=closed, reason="lost")
    page = html(browser("rep1").get(reverse("opportunities:board")))
    for stage in ("discovery", "qualified", "proposal", "negotiation", "commit"):
        assert f'data-testid="column-{stage}"' in page
    assert opp.number in page and closed.number not in page
    assert "/static/opsmon/board.js" in page and "<script>" not in page


def test_moving_a_card_persists_the_stage_and_writes_the_timeline(browser, opp):
    response = browser("rep1").post(reverse("opportunities:move", args=[opp.pk]),
                                    {"stage": "negotiation", "version": opp.version}, **HTMX)
    assert response.status_code == 200
    page = html(response)
    assert page.startswith('<div id="board"') and 'data-testid="board-notice"' in page
    moved = fresh(opp)
    assert (moved.stage, moved.probability) == ("negotiation", 75)
    entry = TimelineEntry.objects.filter(object_id=opp.pk, action="opportunity.stage_changed").get()
    assert entry.changes["stage"] == ["qualified", "negotiation"]


def test_moving_with_a_stale_version_shows_the_message_and_changes_nothing(browser, opp):
    client = browser("rep1")
    client.post(reverse("opportunities:move", args=[opp.pk]), {"stage": "proposal", "version": opp.version}, **HTMX)
    stale = client.post(reverse("opportunities:move", args=[opp.pk]),
                        {"stage": "commit", "version": opp.version}, **HTMX)
    assert 'data-testid="board-error"' in html(stale)
    assert fresh(opp).stage == "proposal"


def test_moving_to_an_unknown_stage_is_refused(browser, opp):
    response = browser("rep1").post(reverse("opportunities:move", args=[opp.pk]),
                                    {"stage": "nowhere", "version": opp.version}, **HTMX)
    assert 'data-testid="board-error"' in html(response)
    assert fresh(opp).stage == "qualified" and fresh(opp).version == opp.version


def test_move_without_htmx_redirects_back_to_the_board(browser, opp):
    response = browser("rep1").post(reverse("opportunities:move", args=[opp.pk]),
                                    {"stage": "proposal", "version": opp.version})
    assert response.status_code == 302 and response["Location"] == reverse("opportunities:board")
    assert fresh(opp).stage == "proposal"


# --- list: filters, sorting, htmx partial, query count ---

def numbers(response):
    page = html(response)
    return [n for n in Opportunity.objects.values_list("number", flat=True) if f'data-testid="row-{n}"' in page]


def test_list_filters(browser, org):
    rep = org["rep1"]
    small = factories.opportunity(rep, title="小额运维服务", estimated_amount="1000.00", stage="discovery")
    big = factories.opportunity(rep, title="大型监控平台", estimated_amount="9000000.00", stage="commit",
                                expected_close_date=TODAY + timedelta(days=300))
    energy = factories.opportunity(rep, industry="finance", region="310000")
    client = browser("rep1")
    url = reverse("opportunities:list")
    assert numbers(client.get(url, {"q": "监控平台"})) == [big.number]
    assert numbers(client.get(url, {"q": big.number})) == [big.number]
    assert numbers(client.get(url, {"stage": "discovery"})) == [small.number]
    assert numbers(client.get(url, {"amount_min": "5000000"})) == [big.number]
    assert set(numbers(client.get(url, {"amount_max": "5000000"}))) == {small.number, energy.number}
    assert numbers(client.get(url, {"close_from": str(TODAY + timedelta(days=200))})) == [big.number]
    assert numbers(client.get(url, {"industry": "finance", "region": "310000"})) == [energy.number]
    assert numbers(client.get(url, {"owner": org["rep1b"].pk})) == []
    assert len(numbers(client.get(url, {"department": org["rep1"].department_id}))) == 3
    assert numbers(client.get(url, {"department": org["rep2"].department_id})) == []
    assert len(numbers(client.get(url, {"status": "tracking"}))) == 3
    assert numbers(client.get(url, {"status": "closed"})) == []


def test_list_sorts_by_amount(browser, org):
    a = factories.opportunity(org["rep1"], estimated_amount="300.00")
    b = factories.opportunity(org["rep1"], estimated_amount="100.00")
    c = factories.opportunity(org["rep1"], estimated_amount="200.00")
    client = browser("rep1")
    url = reverse("opportunities:list")
    assert numbers_in_order(client.get(url, {"ordering": "estimated_amount"})) == [b.number, c.number, a.number]
    assert numbers_in_order(client.get(url, {"ordering": "-estimated_amount"})) == [a.number, c.number, b.number]


def numbers_in_order(response):
    page = html(response)
    found = [(page.index(f'data-testid="row-{n}"'), n) for n in Opportunity.objects.values_list("number", flat=True)
             if f'data-testid="row-{n}"' in page]
    return [n for _i, n in sorted(found)]


def test_bad_filter_values_are_ignored_with_a_message(browser, opp):
    response = browser("rep1").get(reverse("opportunities:list"), {"amount_min": "abc", "close_to": "someday"})
    assert response.status_code == 200
    assert numbers(response) == [opp.number]
    assert 'data-field-error="amount_min"' in html(response)


def test_htmx_filter_request_gets_only_the_table(browser, opp):
    client = browser("rep1")
    partial = html(client.get(reverse("opportunities:list"), {"q": opp.number}, **HTMX))
    assert partial.startswith('<div id="opportunity-table"') and "<html" not in partial and opp.number in partial
    boosted = html(client.get(reverse("opportunities:list"), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true"))
    assert "<html" in boosted


def make_opportunities(org, n):
    for i in range(n):
        owner = org["rep1"] if i % 2 else org["rep1b"]
        factories.opportunity(owner, member_ids=[org["rep1"].pk] if owner != org["rep1"] else [],
                              industry="energy" if i % 3 else "finance")


def list_queries(client, django_assert_max_num_queries, limit=10):
    client.get(reverse("opportunities:list"))  # warm the session
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(reverse("opportunities:list"), {"status": "tracking", "ordering": "-estimated_amount"})
    assert response.status_code == 200
    return len(captured), response


def test_list_page_query_count_is_pinned(browser, org, django_assert_max_num_queries):
    # A page is its ids, then their rows (core.paging); a department head costs one query more than a rep (the
    # ids of his departments, for the visibility rule).
    make_opportunities(org, 30)
    _count, response = list_queries(browser("head1"), django_assert_max_num_queries, limit=11)
    assert len(numbers(response)) == 30


def test_list_page_query_count_does_not_grow_with_rows(browser, org, django_assert_max_num_queries):
    make_opportunities(org, 2)
    few, _response = list_queries(browser("rep1"), django_assert_max_num_queries)
    make_opportunities(org, 30)
    many, response = list_queries(browser("rep1"), django_assert_max_num_queries)
    assert many == few and len(numbers(response)) == 32


def test_board_query_count_does_not_grow_with_cards(browser, org, django_assert_max_num_queries):
    for _ in range(20):
        factories.opportunity(org["rep1b"], member_ids=[org["rep1"].pk])
    client = browser("market1")
    client.get(reverse("opportunities:board"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("opportunities:board")).status_code == 200


# --- follow-ups due and the conversion queue ---

def test_due_page_lists_only_open_opportunities_whose_follow_up_is_due(browser, org):
    from opsmon.opportunities import services
    due = factories.opportunity(org["rep1"])
    later = factories.opportunity(org["rep1"])
    services.follow_up_add(actor=org["rep1"], opportunity=due, happened_on=TODAY - timedelta(days=5), kind="call",
                           note="a", next_date=TODAY - timedelta(days=1))
    services.follow_up_add(actor=org["rep1"], opportunity=later, happened_on=TODAY, kind="call", note="b",
                           next_date=TODAY + timedelta(days=5))
    response = browser("rep1").get(reverse("opportunities:due"))
    assert response.status_code == 200 and numbers(response) == [due.number]


def test_queue_is_for_department_heads(browser, opp):
    assert browser("rep1").get(reverse("opportunities:queue")).status_code == 403


def test_head_decides_from_the_queue_and_returns_to_it(browser, opp, org):
    from opsmon.opportunities import services
    services.opportunity_request_conversion(actor=org["rep1"], opportunity=opp, comment="请批")
    other = factories.opportunity(org["rep2"])
    services.opportunity_request_conversion(actor=org["rep2"], opportunity=other, comment="请批")
    client = browser("head1")
    page = html(client.get(reverse("opportunities:queue")))
    assert opp.number in page and other.number not in page
    queue = reverse("opportunities:queue")
    refused = client.post(reverse("opportunities:keep_tracking", args=[opp.pk]),
                          {"keep_tracking-comment": "", "next": queue})
    assert refused.status_code == 302 and refused["Location"] == queue
    assert fresh(opp).status == "conversion_requested"
    response = client.post(reverse("opportunities:convert", args=[opp.pk]), {"convert-comment": "", "next": queue})
    assert response.status_code == 302 and response["Location"] == queue
    assert fresh(opp).status == "converted"
    assert "queue-empty" in html(client.get(queue))


def test_next_outside_the_site_is_ignored(browser, opp):
    response = browser("head1").post(reverse("opportunities:convert", args=[opp.pk]),
                                     {"next": "https://evil.example/"})
    assert response["Location"] == reverse("opportunities:detail", args=[opp.pk])
