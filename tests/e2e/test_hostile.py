"""Hostile text everywhere: script and event-handler payloads put into every main text field through the services
render as inert text on every list and detail page that shows them: no dialog, no injected element, the payload
visible as the characters it is."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.accounts import services as accounts
from opsmon.accounts.models import Department
from opsmon.bids import services as bids
from opsmon.bids.models import Bid
from opsmon.bids.tests.factories import ENTRIES_WON
from opsmon.codes import selectors as codes
from opsmon.codes import services as code_services
from opsmon.contracts import selectors as contract_selectors
from opsmon.contracts import services as contracts
from opsmon.contracts.tests.factories import PDF, decide_all, routes, signed_copy, terms
from opsmon.notifications.services import notify
from opsmon.opportunities import services as opportunities
from opsmon.opportunities.tests.factories import customer
from opsmon.projects import services as projects

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def script(tag):
    return f"<script>alert('{tag}')</script>"


def img(tag):
    return f"<img src=x onerror=alert('{tag}')>"


def hostile(tag):
    """Both payloads, labelled so the test can tell which field it sees."""
    return f"{tag}:{script(tag)}{img(tag)}"


# Elements a payload would have created had it been rendered as markup (the app itself has no inline script).
INJECTED = """() => document.querySelectorAll(
    'img[src="x"], img[onerror], script:not([src]):not([type="application/json"]), [onerror], [onload]').length"""


def build(org):
    """Every main text field filled with a payload, through the services; returns the records to visit."""
    admin, rep, head, lead = org["admin"], org["rep1"], org["head1"], org["lead1"]
    routes(org)
    code_services.item_update(actor=admin, item=codes.item_get(table="industry", code="energy"),
                              label_zh=img("code"), label_en=img("code"))
    dept = Department.objects.get(name="销售一部")
    accounts.department_update(actor=admin, department=dept, name=hostile("dept"))
    accounts.user_update(actor=admin, user=rep, display_name=hostile("user"))
    rep.refresh_from_db()
    cust = customer(rep, name=hostile("customer"), address=hostile("address"))
    opp = opportunities.opportunity_create(
        actor=rep, title=hostile("opp"), customer_id=cust.pk, estimated_amount="1250000.00",
        expected_close_date=timezone.localdate() + timedelta(days=60), stage="qualified", industry="energy",
        description=hostile("desc"))
    opportunities.follow_up_add(actor=rep, opportunity=opp, happened_on=timezone.localdate(), kind="visit",
                                note=hostile("note"), next_step=hostile("step"), next_date=timezone.localdate())
    _, project = opportunities.opportunity_convert(actor=head, opportunity=opp, comment=hostile("convert"))
    project = projects.project_update(actor=rep, project=project, version=project.version, title=hostile("proj"))
    project = projects.project_assign_lead(actor=head, project=project, tech_lead=lead)
    projects.feasibility_save(actor=lead, project=project, technical_assessment=hostile("tech"),
                              implementation_assessment=hostile("impl"), risks=hostile("risk"),
                              estimated_effort_days="10", conclusion="feasible")
    project = projects.project_submit_feasibility(actor=lead, project=project)
    project = projects.project_approve(actor=head, project=project, comment=hostile("approve"))
    bid = Bid.objects.get(pk=projects.project_route(actor=rep, project=project, to="bidding")["bid_id"])
    now = timezone.now()
    bid = bids.tender_analysis_save(
        actor=rep, bid=bid, tenderer=hostile("tenderer"), agency=hostile("agency"), tender_no=img("no"),
        tender_method="open_tender", estimated_price="1200000", submission_deadline=now + timedelta(days=5),
        opening_at=now + timedelta(days=5), qualification_requirements=hostile("qual"), risks=hostile("brisk"),
        decision="bid", decision_reason=hostile("why"))
    bids.document_upload(actor=rep, bid=bid, kind="tender", upload=SimpleUploadedFile(img("file") + ".pdf", PDF))
    bid = bids.bid_submit(actor=rep, bid=bids.bid_start_preparation(actor=rep, bid=bid), now=now)
    entries = [dict(e) for e in ENTRIES_WON]
    entries[1]["bidder"] = hostile("rival")
    bid = bids.opening_record(actor=rep, bid=bid, opened_at=now, entries=entries, winner=entries[0]["bidder"])
    bid = bids.bid_mark_won(actor=rep, bid=bid)
    bids.summary_save(actor=rep, bid=bid, person_days=3, cost="1000", outcome_reason=hostile("outcome"),
                      lessons=hostile("lessons"), bond_note=hostile("bondnote"))
    milestones = [{"name": hostile("ms1"), "condition": hostile("cond"), "percentage": "30"},
                  {"name": hostile("ms2"), "due_on": timezone.localdate() + timedelta(days=90), "percentage": "70"}]
    contract = contracts.contract_create(actor=rep, opportunity=opp, **terms(
        title=hostile("contract"), terms=hostile("terms"), milestones=milestones))
    contract = contracts.contract_submit(actor=rep, contract=contract)
    step = contract_selectors.current_step(contract)
    decider = step.deciders.select_related("user").first().user
    contract = contracts.step_decide(actor=decider, contract=contract, step_id=step.pk, decision="reject",
                                     comment=hostile("reject"))
    contract = decide_all(contracts.contract_submit(actor=rep, contract=contract))
    contract = contracts.contract_sign(actor=rep, contract=contract, signed_on=timezone.localdate(),
                                       signed_copy=signed_copy(name=img("signed") + ".pdf"))
    contracts.amendment_propose(actor=rep, contract=contract, changes={"terms": hostile("terms2")},
                                reason=hostile("amend"))
    tracking = opportunities.opportunity_create(  # an open one, for the board and the follow-ups due
        actor=rep, title=hostile("open"), customer_id=cust.pk, estimated_amount="1000.00",
        expected_close_date=timezone.localdate() + timedelta(days=60), stage="qualified")
    opportunities.follow_up_add(actor=rep, opportunity=tracking, happened_on=timezone.localdate(), kind="visit",
                                note=hostile("note2"), next_step=hostile("step2"), next_date=timezone.localdate())
    notify([admin], text=hostile("notice"), url="/")
    return {"customer": cust.pk, "opportunity": opp.pk, "project": project.pk, "bid": bid.pk,
            "contract": contract.pk}


def test_hostile_text_renders_inert_on_every_page(page, login, live_server, org):
    ids = build(org)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = {  # path: tags whose whole payload must be visible as text
        "/customers/": ["customer"],
        f"/customers/{ids['customer']}/": ["customer", "address"],
        "/opportunities/": ["opp", "customer"],
        "/opportunities/board/": ["open"],
        f"/opportunities/{ids['opportunity']}/": ["opp", "desc", "note", "step", "customer", "user", "dept"],
        "/projects/": ["proj"],
        f"/projects/{ids['project']}/": ["proj", "tech", "impl", "risk"],
        "/bids/": ["proj"],
        f"/bids/{ids['bid']}/": ["tenderer", "agency", "qual", "brisk", "why", "rival", "outcome", "lessons",
                                 "bondnote"],
        "/bonds/": [],
        "/contracts/": ["contract"],
        f"/contracts/{ids['contract']}/": ["contract", "terms", "ms1", "ms2", "cond", "amend", "reject"],
        f"/contracts/{ids['contract']}/versions/": ["terms"],
        "/inbox/": [],
        "/notifications/": ["notice"],
        "/admin/users/": ["user"],
        "/admin/departments/": ["dept"],
        "/admin/codes/industry/": [],
        "/insights/": [],
        "/insights/funnel/qualified/": [],
    }
    seen = {}

    def visit(path, tags):
        page.goto(live_server.url + path)
        if path.startswith("/insights/"):  # its figures arrive by fetch() after the load
            page.wait_for_load_state("networkidle")
        assert page.evaluate(INJECTED) == 0, path
        seen[path] = text = page.locator("body").inner_text()
        missing = [tag for tag in tags if hostile(tag) not in text]
        assert not missing, (path, missing)

    login("admin")
    for path, tags in pages.items():
        visit(path, tags)
    assert img("code") in seen["/admin/codes/industry/"] and img("code") in seen[f"/customers/{ids['customer']}/"]
    assert img("file") + ".pdf" in seen[f"/bids/{ids['bid']}/"]
    page.context.clear_cookies()
    login("rep1")  # the owner's own pages: his name in the header, his follow-ups due, his inbox
    for path, tags in {"/": ["user"], "/opportunities/due/": ["open"], "/inbox/": ["open"]}.items():
        visit(path, tags)
    assert dialogs == []
