"""The desktop client against the live server, as its users work: a sales rep and a department head walk an
opportunity to its conversion, a reviewer approves a contract step, refusals land on their fields, a stale edit
keeps the user's text, the server goes away and comes back, a token expires mid-action, and a resource the client
has never heard of appears because the server describes it."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
import requests
from opsmon_desk.dialogs import LoginDialog
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.django_db(transaction=True)


def customer(org, name="福州某某能源有限公司"):
    from opsmon.customers.services import customer_create

    return customer_create(actor=org["rep1"], name=name, customer_type="soe", industry="energy", region="350000")


def opportunity(org, title="配网监控平台二期", owner="rep1"):
    from opsmon.opportunities.services import opportunity_create

    return opportunity_create(actor=org[owner], title=title, customer_id=customer(org).pk,
                              estimated_amount="880000.00", expected_close_date=date.today() + timedelta(days=60))


def nav_titles(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_a_large_export_waits_for_the_servers_job_then_saves_the_file(desk, org, settings, tmp_path):
    """Above EXPORT_JOB_ROWS the server answers 202 and writes the file in its task worker; the client waits."""
    from opsmon.opportunities.services import opportunity_create

    client = customer(org).pk
    numbers = {opportunity_create(actor=org["rep1"], title=f"大导出{n}", customer_id=client,
                                  estimated_amount="1000.00", expected_close_date=date.today() + timedelta(days=60)
                                  ).number for n in range(3)}
    settings.EXPORT_JOB_ROWS = 2
    listing = desk("rep1").list_view("opportunities")
    exported = listing.export_to(tmp_path / "opportunities.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.read_bytes())).active
    assert numbers <= {c.value for row in sheet.iter_rows() for c in row}


def test_rep_creates_and_requests_conversion_and_the_head_converts(desk, org, live_server, tmp_path, qtbot):
    customer(org)
    head = desk("head1", poll_ms=300)                                 # the head's inbox polls meanwhile
    inbox = head.show_page("inbox")
    assert inbox.seen is not None and head.notifications == []
    rep = desk("rep1")
    assert nav_titles(rep)[:2] == ["我的待办", "辅助决策"]
    assert {"客户", "商机", "立项项目", "投标", "保证金", "合同"} <= set(nav_titles(rep))
    # the token is kept in the private file (no keyring here)
    assert (tmp_path / "config" / "rep1" / "tokens.json").stat().st_mode & 0o777 == 0o600

    listing = rep.list_view("opportunities")
    dialog = listing.create()
    qtbot.addWidget(dialog)
    dialog.inputs["title"].set_value("桌面端新建：变电站智能巡检")
    dialog.inputs["customer_id"].set_text("福州某某能源")
    dialog.inputs["estimated_amount"].set_value("1250000.00")
    dialog.inputs["expected_close_date"].set_value((date.today() + timedelta(days=90)).isoformat())
    dialog.inputs["stage"].set_text("方案")
    assert dialog.submit(), dialog.message.text()
    record = next(iter(rep.records.values()))
    number = record.record["number"]
    assert number.startswith("SJ-") and record.record["estimated_amount"] == "1250000.00"
    assert "request_conversion" in record.buttons and "convert" not in record.buttons

    # the list finds it by search; paging says how many
    listing.search.setText("变电站智能巡检")
    assert listing.first_page() and [r["number"] for r in listing.rows] == [number]
    assert "共 1 条" in listing.status.text()

    follow_up = record.open_action("add_follow_up")
    follow_up.inputs["kind"].set_text("拜访")
    follow_up.inputs["note"].set_value("与客户信息中心交流了巡检需求。")
    assert follow_up.submit(), follow_up.message.text()
    assert record.related_rows("follow_ups")[0]["note"] == "与客户信息中心交流了巡检需求。"

    request = record.open_action("request_conversion")
    request.inputs["comment"].set_value("客户预算已落实，申请转立项。")
    assert request.submit(), request.message.text()
    assert record.record["status"] == "conversion_requested" and record.status.text() == "待转立项"
    assert "request_conversion" not in record.buttons

    # export of the list through the server's .xlsx endpoint, with the same filters
    exported = listing.export_to(tmp_path / "opportunities.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.read_bytes())).active
    assert number in {c.value for row in sheet.iter_rows() for c in row}

    token = rep.session.api.token
    rep.logout()
    assert requests.get(live_server.url + "/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                        timeout=10).status_code == 401

    # the new item reached the head's inbox by polling, with a tray notification; clicking it opens the record
    qtbot.waitUntil(lambda: any(number in text for _, text in head.notifications), timeout=10_000)
    assert head.notifications[-1][0] == "审批转立项申请"
    head._tray_clicked()
    assert ("opportunities", record.record["id"]) in head.records
    head.records[("opportunities", record.record["id"])].close()
    row = next(i for i, item in enumerate(inbox.items) if item["title"].startswith(number))
    inbox.open_row(row)                                               # double-click in the inbox
    window = head.records[("opportunities", record.record["id"])]
    assert {"convert", "keep_tracking", "close"} <= set(window.buttons)
    convert = window.open_action("convert")
    convert.inputs["comment"].set_value("同意转立项。")
    assert convert.submit(), convert.message.text()
    assert window.record["status"] == "converted" and window.record["project_id"]
    assert window.buttons.keys().isdisjoint({"convert", "keep_tracking"})


def test_a_reviewer_approves_the_head_sees_the_figures_and_the_assistant_pays_a_bond(desk, demo, live_server,
                                                                                    tmp_path):
    reviewer = desk("finance1")
    inbox = reviewer.show_page("inbox")
    row = next(i for i, item in enumerate(inbox.items) if "银行核心系统运维可视化" in item["title"])
    inbox.open_row(row)
    window = next(w for (name, _), w in reviewer.records.items() if name == "contracts")
    steps = window.related_rows("reviews")
    assert [s["status"] for s in steps][:2] == ["approved", "current"]
    assert window.values["current_step.kind.label"] == "财务评审"
    assert "approve" in window.buttons and "reject" in window.buttons and "edit" not in window.buttons
    approve = window.open_action("approve")
    approve.inputs["comment"].set_value("付款条件合理，同意。")
    assert approve.submit(), approve.message.text()
    assert window.values["current_step.kind.label"] == "法务评审"
    assert "approve" not in window.buttons
    decided = [s for s in window.related_rows("reviews") if s["kind"]["code"] == "finance"][0]
    assert decided["status"] == "approved" and decided["deciders"][0]["comment"] == "付款条件合理，同意。"

    # the department head's dashboard draws the same numbers the API answers him
    head = desk("head1")
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {head.session.api.token}"
    dashboard = head.show_page("dashboard")
    funnel = api.get(live_server.url + "/api/v1/insights/funnel", timeout=30).json()
    win = api.get(live_server.url + "/api/v1/insights/win-rate", timeout=30).json()
    bonds = api.get(live_server.url + "/api/v1/insights/bonds", timeout=30).json()
    assert dashboard.funnel.data == [(s["label"], float(s["count"])) for s in funnel["stages"]]
    assert dashboard.funnel_amount.data == [(s["label"], float(s["amount"])) for s in funnel["stages"]]
    assert dashboard.win_rate.data == [(r["label"], float(r["win_rate"] or 0))
                                       for r in win["dimensions"]["department"]]
    assert dashboard.bonds.data == [(f"{r['kind_label']} · {r['status_label']}", float(r["amount"]))
                                    for r in bonds["by_status"]]
    assert any(v > 0 for _, v in dashboard.funnel.data) and dashboard.bonds.data
    assert f"{float(win['total']['win_rate']):.1f}%" in dashboard.headline.text()

    # (on the same demo data, which takes a while to load) the bid assistant pays a bond and files a tender
    # document, then downloads it to open it
    assistant = desk("assistant1")
    bonds = assistant.list_view("bonds")
    bonds.set_filter("status", "planned")
    assert bonds.first_page() and bonds.rows
    bonds.open_row(0)
    bond = assistant.records[("bonds", bonds.rows[0]["id"])]
    assert "pay" in bond.buttons
    pay = bond.open_action("pay")
    pay.inputs["paid_on"].set_value(date.today().isoformat())
    pay.inputs["reference"].set_value("HX-DESK-001")
    assert pay.submit(), pay.message.text()
    assert bond.record["status"] == "paid" and bond.record["reference"] == "HX-DESK-001"
    assert "pay" not in bond.buttons

    bids = assistant.list_view("bids")
    bids.search.setText("配电自动化主站运维监控平台")
    assert bids.first_page()
    row = next(i for i, r in enumerate(bids.rows) if r["status"] == "preparing")
    bids.open_row(row)
    bid = assistant.records[("bids", bids.rows[row]["id"])]
    pdf = tmp_path / "招标文件.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
                    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    upload = bid.open_action("upload_document")
    upload.inputs["kind"].set_value("tender")
    upload.inputs["file"].set_value(str(pdf))
    assert upload.submit(), upload.message.text()
    documents = bid.related_rows("documents")
    assert [d["name"] for d in documents] == ["招标文件.pdf"]
    downloaded = bid.download("documents", 0)
    assert downloaded.read_bytes() == pdf.read_bytes()


def test_a_refusal_lands_on_its_field_and_a_stale_edit_keeps_the_users_text(desk, org, live_server):
    record = opportunity(org)
    rep = desk("rep1")
    window = rep.open_record("opportunities", {"id": record.pk})
    edit = window.open_action("edit")
    assert edit.inputs["title"].value() == "配网监控平台二期"        # starts from the record
    edit.inputs["title"].set_value("配网监控平台二期（扩容）")
    edit.inputs["estimated_amount"].set_value("-5")
    assert not edit.submit()
    assert edit.error_text("estimated_amount")                        # the refusal, next to its field
    assert edit.error_text("title") == ""
    assert edit.inputs["title"].value() == "配网监控平台二期（扩容）"  # nothing typed is lost
    assert edit.isVisible() or not edit.result()

    # meanwhile someone else saves the record
    other = requests.patch(live_server.url + f"/api/v1/opportunities/{record.pk}", timeout=30,
                           headers={"Authorization": f"Bearer {rep.session.api.token}"},
                           json={"version": window.record["version"], "description": "别人刚改过的描述"})
    assert other.status_code == 200, other.text
    edit.inputs["estimated_amount"].set_value("990000.00")
    assert not edit.submit()
    assert edit.conflict.isVisibleTo(edit)
    assert edit.inputs["title"].value() == "配网监控平台二期（扩容）"
    rows = {row[0]: row[1:] for row in edit.conflict_rows()}
    assert rows["标题"] == ("配网监控平台二期（扩容）", "配网监控平台二期")
    assert rows["描述"] == ("—", "别人刚改过的描述")
    assert edit.keep_my_changes(), edit.message.text()
    assert window.record["title"] == "配网监控平台二期（扩容）"
    assert window.record["estimated_amount"] == "990000.00"
    assert window.record["description"] == "别人刚改过的描述"        # only the user's changes were sent


def test_the_server_goes_away_and_comes_back_and_nothing_typed_is_lost(desk, org, proxy, qtbot):
    record = opportunity(org)
    rep = desk("rep1", server=proxy.url)
    window = rep.open_record("opportunities", {"id": record.pk})
    dialog = window.open_action("add_follow_up")
    dialog.show()
    dialog.inputs["kind"].set_text("电话")
    dialog.inputs["note"].set_value("电话确认了招标时间。")
    assert window.buttons and all(b.isEnabled() for b in window.buttons.values())

    proxy.stop()                                                      # the server is gone
    assert not dialog.submit()
    assert rep.banner.isVisible() and "无法连接服务器" in rep.banner_text.text()
    assert not any(b.isEnabled() for b in window.buttons.values())
    assert not dialog.ok.isEnabled() and "保留" in dialog.message.text()
    assert dialog.inputs["note"].value() == "电话确认了招标时间。"
    qtbot.wait(700)                                                   # it keeps trying, with growing pauses
    assert rep.retry_index >= 2 and rep.banner.isVisible()

    proxy.start()                                                     # and it is back
    qtbot.waitUntil(lambda: not rep.banner.isVisible(), timeout=10_000)
    assert all(b.isEnabled() for b in window.buttons.values()) and dialog.ok.isEnabled()
    assert dialog.inputs["note"].value() == "电话确认了招标时间。"
    assert dialog.submit(), dialog.message.text()
    assert [f["note"] for f in window.related_rows("follow_ups")] == ["电话确认了招标时间。"]


def test_an_expired_token_asks_to_log_in_again_and_finishes_the_action(desk, org, live_server, qtbot):
    record = opportunity(org)
    rep = desk("rep1")
    window = rep.open_record("opportunities", {"id": record.pk})
    request = window.open_action("request_conversion")
    request.inputs["comment"].set_value("客户已确认预算。")
    revoked = requests.delete(live_server.url + "/api/v1/auth/token", timeout=30,
                              headers={"Authorization": f"Bearer {rep.session.api.token}"})
    assert revoked.status_code == 204
    asked = []

    def log_in_again():
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()),
                      None)
        if dialog is None:
            QTimer.singleShot(50, log_in_again)
            return
        asked.append(dialog.username.text())
        dialog.password.setText("opsmon-demo")
        dialog.attempt()

    QTimer.singleShot(50, log_in_again)
    assert request.submit(), request.message.text()
    assert asked == ["rep1"]
    assert window.record["status"] == "conversion_requested"


def test_a_resource_the_client_has_never_heard_of_appears_from_the_description(desk, org):
    from opsmon.core import ui

    ui.register(ui.Resource(
        name="people_directory", path="/users", title="人员名录", item_title="人员", record_type="person",
        number_field="username", title_field="display_name", status_field="", order=5,
        columns=(ui.Field("username", "用户名"), ui.Field("display_name", "姓名")),
        filters=(ui.Field("role", "角色", "choice", choices=(("reviewer", "评审人"), ("tech_lead", "技术负责人"))),),
        sections=(ui.Section("人员", (ui.Field("username", "用户名"), ui.Field("display_name", "姓名"),
                                      ui.Field("email", "电子邮箱"))),)))
    try:
        admin = desk("admin")
        assert "人员名录" in nav_titles(admin)
        people = admin.list_view("people_directory")
        assert people.table.horizontalHeaderItem(1).text() == "姓名"
        people.set_filter("role", "reviewer")
        assert people.first_page()
        assert sorted(r["username"] for r in people.rows) == ["finance1", "legal1"]
        people.open_row(0)
        person = admin.records[("people_directory", people.rows[0]["id"])]
        assert person.values["email"].endswith("@example.com")
    finally:
        ui.unregister("people_directory")

    english = desk("rep1", language="en")
    assert nav_titles(english)[:3] == ["Inbox", "Dashboard", "Customers"]
    assert "人员名录" not in nav_titles(english)


def test_a_project_from_lead_to_contract_review(desk, org):
    from opsmon.contracts.services import route_save
    from opsmon.opportunities.services import opportunity_convert, opportunity_request_conversion

    route_save(actor=org["admin"], name="小额合同评审", min_amount="0",
               steps=[{"kind": "finance", "decider_kind": "users", "users": [org["finance1"].pk]}])
    record = opportunity(org)
    opportunity_request_conversion(actor=org["rep1"], opportunity=record, comment="申请转立项。")
    _, project = opportunity_convert(actor=org["head1"], opportunity=record, comment="")

    head = desk("head1")
    window = head.open_record("projects", {"id": project.pk})
    assert window.record["status"] == "awaiting_lead"
    assign = window.open_action("assign_lead")
    assign.inputs["tech_lead_id"].set_text("赵磊")                    # the user picker offers tech leads
    assert assign.submit(), assign.message.text()
    assert window.values["tech_lead.display_name"] == "赵磊"

    lead = desk("lead1")
    window = lead.open_record("projects", {"id": project.pk})
    review = window.open_action("save_feasibility")
    review.inputs["technical_assessment"].set_value("技术方案成熟，可复用现有监控平台。")
    review.inputs["implementation_assessment"].set_value("实施周期约四个月。")
    review.inputs["risks"].set_value("客户机房改造进度。")
    review.inputs["estimated_effort_days"].set_value("120")
    review.inputs["conclusion"].set_value("feasible")
    assert review.submit(), review.message.text()
    again = window.open_action("save_feasibility")                    # the saved draft comes back
    assert again.inputs["technical_assessment"].value() == "技术方案成熟，可复用现有监控平台。"
    submit = window.open_action("submit_feasibility")
    assert submit.specs == [] and submit.submit(), submit.message.text()
    assert window.record["status"] == "pending_approval"

    window = head.open_record("projects", {"id": project.pk})
    approve = window.open_action("approve")
    approve.inputs["comment"].set_value("同意。")
    assert approve.submit(), approve.message.text()
    assert {"route_bidding", "route_contract_review", "route_implementation"} <= set(window.buttons)

    rep = desk("rep1")
    window = rep.open_record("projects", {"id": project.pk})
    route = window.open_action("route_contract_review")
    assert route.specs == [] and route.submit(), route.message.text()
    assert window.record["status"] == "contract_review"

    contracts = rep.list_view("contracts")
    assert contracts.first_page()
    contracts.open_row(next(i for i, r in enumerate(contracts.rows) if r["status"] == "drafting"))
    contract = next(w for (name, _), w in rep.records.items() if name == "contracts")
    early = contract.open_action("submit_review")
    assert not early.submit()                                          # the server says what is missing
    assert "contract_type" in early.message.text() and "milestones" in early.message.text()
    edit = contract.open_action("edit")
    edit.inputs["contract_type"].set_text("技术服务")
    edit.inputs["amount"].set_value("880000.00")
    edit.inputs["start_on"].set_value(date.today().isoformat())
    edit.inputs["end_on"].set_value((date.today() + timedelta(days=365)).isoformat())
    edit.inputs["milestones"].add_row({"name": "预付款", "condition": "合同签订后 15 日内", "percentage": "30"})
    edit.inputs["milestones"].add_row({"name": "验收款", "condition": "验收合格后", "percentage": "70"})
    assert edit.submit(), edit.message.text() + str({n: edit.error_text(n) for n in edit.inputs})
    assert [m["name"] for m in contract.related_rows("milestones")] == ["预付款", "验收款"]
    submit = contract.open_action("submit_review")
    assert submit.submit(), submit.message.text()
    assert contract.record["status"] == "in_review" and contract.values["current_step.kind.label"] == "财务评审"
