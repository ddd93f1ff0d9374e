"""The access matrix (issue 8, part 1): for every route of the API and every page of the web, who may do what to
which record. `resolve()` expands this file into one explicit row per (route, actor, relation) → expected outcome;
`test_access_matrix.py` sends every row through real HTTP and fails on any row that answers otherwise, and on any
route (OpenAPI operation or URL pattern) that has no row.

Outcomes
    OK      authorised: 2xx or 3xx, or 409/422 because the record's state or the body is not acceptable (the request
            got past authorisation; the records of the data set are all in final states, see world.py)
    DENIED  403: the actor sees the record but may not do this
    HIDDEN  404: the record is outside the actor's scope; its existence is not disclosed
    LOGIN   anonymous: 401 from the API, a redirect to the login page from the web
    INLINE  refused on the page itself: the opportunity board answers a refused move with the board (302) and the
            reason on it, asserted by the module's own tests. The matrix checks this row for visibility (404 for
            everyone outside the scope); the API rows carry the 403.

Relations (of an actor to a record chain of world.py: A rep1's with rep1b in the team, B rep2's, C rep1b's)
    own         the actor owns the record                   team        he is in the opportunity's team
    same_dept   it belongs to his department (a colleague's) other_dept  it belongs to the other sales department
    reviewer    he decides a review step of the contract, or is the project's technical lead
    none        no relation (the see-all roles, the assistant, a reviewer of other contracts)
    -           routes without a record (lists, creation, admin pages); self/other for one's own notifications
                and import jobs

Decisions where DOMAIN.md is ambiguous (each is also a comment next to the cells it decides)
  D1  The technical lead sees the bids of his project (bid "reviewer" cell ok): DOMAIN gives him "the projects
      assigned to him (and their opportunity, read-only)"; the bid is that project's bidding task, and the
      bid module and the insights (test_bonds_scope) define it so. Read-only: every bid action is 403.
  D2  The bid assistant registers bids only on opportunities he can see (issue 21, item 11: registering one he
      could not see showed him its title and customer), so bid_register is 404 for him on a chain he does not
      otherwise see, like the opportunity, its project and its contracts.
  D3  The admin keeps bonds (bond_keep ok): bids.rules.keeps_bonds names him; keeping the money trail is
      record keeping, not one of the business approvals DOMAIN withholds from him. He decides nothing else.
  D4  Authorisation before state: a visible record whose action the actor may not take answers 403 even when its
      state would refuse the action too (API.md lists both; the 403 says "never", the 409 "not now"). The matrix
      found one route that answered 409 instead (uploading to a closed or voided bid); fixed in
      opsmon/bids/services/documents.py.
  D5  Marking someone else's notification read (API) answers 404, exactly as for an id that does not exist
      (issue 21, item 10): it discloses nothing and changes nothing, like the web's "open".
  D6  The API's own documentation (openapi.json, /docs) is public: it holds no record. The API root is no page
      (ninja answers 404 to everyone).
  D7  Customers are company-wide master data (DOMAIN glossary, customers.selectors): every signed-in user reads
      every customer; only the owner, his department head, the market head and the admin edit one.
  D8  Opportunities are created by any signed-in user who belongs to a department: DOMAIN lists the sales rep as
      the one who does it, not as the only one who may (the service checks only the department).
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

OK, DENIED, HIDDEN, LOGIN, INLINE = "ok", "403", "404", "login", "inline"
OUTCOMES = {OK, DENIED, HIDDEN, LOGIN, INLINE}

ACTORS = ["admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1",
          "ceo1"]  # ceo1: the executive (issue 20 item 15) reads everything and decides nothing; matrix_executive.py
ANON = "anon"

# Each actor's relation to each chain of world.py.
RELATIONS = {
    "admin":      {"A": "none",       "B": "none",       "C": "none"},
    "market1":    {"A": "none",       "B": "none",       "C": "none"},
    "head1":      {"A": "same_dept",  "B": "other_dept", "C": "same_dept"},
    "head2":      {"A": "other_dept", "B": "same_dept",  "C": "other_dept"},
    "rep1":       {"A": "own",        "B": "other_dept", "C": "same_dept"},
    "rep1b":      {"A": "team",       "B": "other_dept", "C": "own"},
    "rep2":       {"A": "other_dept", "B": "own",        "C": "other_dept"},
    "lead1":      {"A": "reviewer",   "B": "none",       "C": "none"},
    "assistant1": {"A": "none",       "B": "none",       "C": "none"},
    "finance1":   {"A": "reviewer",   "B": "reviewer",   "C": "none"},
    "legal1":     {"A": "reviewer",   "B": "none",       "C": "none"},
    "ceo1":       {"A": "none",       "B": "none",       "C": "none"},
}

# The policies of the routes that act on a record: one column each, one line per (actor, relation) with the chain
# its requests go to. Two tables of the same lines (the sales records, then the deals), so they stay readable.
#   opp     read an opportunity (detail, timeline, follow-ups)  opp_ed  edit it, log follow-ups (team and head)
#   opp_tm  ask for conversion (owner and team)                 opp_hd  convert, keep tracking, close, reopen (head)
#   proj    read a project and its review                       prj_hd  assign the lead, approve, send back, reject
#   prj_ld  write and submit the review (the assigned lead)     prj_own rename, route, cancel (owner or head)
#   cust    read the chain's customer (D7)                      cust_ed edit it (owner, his head, market, admin)
SALES = """
actor      relation   chain | opp  opp_ed opp_tm opp_hd proj prj_hd prj_ld prj_own cust cust_ed
admin      none       A     | ok   403    403    403    ok   403    403    403     ok   ok
market1    none       A     | ok   403    403    403    ok   403    403    403     ok   ok
head1      same_dept  A     | ok   ok     403    ok     ok   ok     403    ok      ok   ok
head1      other_dept B     | 404  404    404    404    404  404    404    404     ok   403
head2      same_dept  B     | ok   ok     403    ok     ok   ok     403    ok      ok   ok
head2      other_dept A     | 404  404    404    404    404  404    404    404     ok   403
rep1       own        A     | ok   ok     ok     403    ok   403    403    ok      ok   ok
rep1       same_dept  C     | 404  404    404    404    404  404    404    404     ok   403
rep1       other_dept B     | 404  404    404    404    404  404    404    404     ok   403
rep1b      team       A     | ok   ok     ok     403    ok   403    403    403     ok   403
rep1b      own        C     | ok   ok     ok     403    ok   403    403    ok      ok   ok
rep1b      other_dept B     | 404  404    404    404    404  404    404    404     ok   403
rep2       own        B     | ok   ok     ok     403    ok   403    403    ok      ok   ok
rep2       other_dept A     | 404  404    404    404    404  404    404    404     ok   403
lead1      reviewer   A     | ok   403    403    403    ok   403    ok     403     ok   403
lead1      none       B     | 404  404    404    404    404  404    404    404     ok   403
assistant1 none       A     | 404  404    404    404    404  404    404    404     ok   403
finance1   reviewer   A     | 404  404    404    404    404  404    404    404     ok   403
finance1   none       C     | 404  404    404    404    404  404    404    404     ok   403
legal1     reviewer   A     | 404  404    404    404    404  404    404    404     ok   403
legal1     none       B     | 404  404    404    404    404  404    404    404     ok   403
ceo1       none       A     | ok   403    403    403    ok   403    403    403     ok   403
"""
#   bid     read a bid, its files, bonds, opening and summary   bid_wk  analysis, documents, preparation, submission,
#   bid_res opening, result, summary, close, the contract               abandoning, tender intake (team, head,
#           (owner or head)                                             assistant)
#   bond    plan and keep bonds (assistant, admin: D3)          bid_reg register a bid on the chain's opportunity
#   ctr     read a contract, its reviews, files, versions       ctr_ed  edit a draft, attach files (team, head)
#   ctr_mng submit, sign, archive, terminate, amend (owner,     ctr_dec decide the step (its deciders only, never
#           head)                                                       the owner)
#   ctr_new draft a contract on the chain's opportunity
DEALS = """
actor      relation   chain | bid  bid_wk bid_res bond bid_reg ctr  ctr_ed ctr_mng ctr_dec ctr_new
admin      none       A     | ok   403    403     ok   403     ok   403    403     403     403
market1    none       A     | ok   403    403     403  403     ok   403    403     403     403
head1      same_dept  A     | ok   ok     ok      403  ok      ok   ok     ok      403     ok
head1      other_dept B     | 404  404    404     404  404     404  404    404     404     404
head2      same_dept  B     | ok   ok     ok      403  ok      ok   ok     ok      403     ok
head2      other_dept A     | 404  404    404     404  404     404  404    404     404     404
rep1       own        A     | ok   ok     ok      403  ok      ok   ok     ok      403     ok
rep1       same_dept  C     | 404  404    404     404  404     404  404    404     404     404
rep1       other_dept B     | 404  404    404     404  404     404  404    404     404     404
rep1b      team       A     | ok   ok     403     403  ok      ok   ok     403     403     ok
rep1b      own        C     | ok   ok     ok      403  ok      ok   ok     ok      403     ok
rep1b      other_dept B     | 404  404    404     404  404     404  404    404     404     404
rep2       own        B     | ok   ok     ok      403  ok      ok   ok     ok      403     ok
rep2       other_dept A     | 404  404    404     404  404     404  404    404     404     404
lead1      reviewer   A     | ok   403    403     403  403     ok   403    403     403     403
lead1      none       B     | 404  404    404     404  404     404  404    404     404     404
assistant1 none       A     | ok   ok     403     ok   404     404  404    404     404     404
finance1   reviewer   A     | ok   403    403     403  404     ok   403    403     ok      404
finance1   none       C     | 404  404    404     404  404     ok   403    403     403     404
legal1     reviewer   A     | ok   403    403     403  404     ok   403    403     403     404
legal1     none       B     | 404  404    404     404  404     404  404    404     404     404
ceo1       none       A     | ok   403    403     403  403     ok   403    403     403     403
"""
# Reads are checked on every line. An action (any method but GET) is checked on every line but those that only
# mirror another line in the other sales department: same role, same relation, the same cells in both tables
# (asserted below). Who sees what is thus checked in both departments, for every read; what a role may do to what
# it sees, once per role and relation. (A refused web action re-renders the whole record page, some 30 queries:
# the mirrors would cost a fifth of the run and check nothing the other lines do not.)
MIRRORS = {("head2", "same_dept"): ("head1", "same_dept"), ("head2", "other_dept"): ("head1", "other_dept"),
           ("rep2", "own"): ("rep1", "own"), ("rep2", "other_dept"): ("rep1", "other_dept"),
           ("rep1b", "other_dept"): ("rep1", "other_dept")}
# Notes on cells: lead1/reviewer bid ok is D1; finance1 and legal1 read the bid behind the contract they decide
# (issue 22: a reviewer sees what he decides on) and may do nothing on it; assistant1 bid_reg 404 is D2; admin
# bond ok is D3. ctr_dec is the
# finance step of A and B (finance1 decided it: ok, refused as already decided) and the only step of C (head1's):
# the owner is refused (403 own_contract), every other visible actor is not a decider (403). The "reviewer" of B
# for finance1 (the small route) is covered by his A line: the same cells.

# Policies of the routes without a record: actor → outcome (anonymous included).
SIGNED_IN = {**dict.fromkeys(ACTORS, OK), ANON: LOGIN}
PUBLIC = {**dict.fromkeys(ACTORS, OK), ANON: OK}
# The API's documents (D6): the same for everyone; one signed-in row and the anonymous one (the OpenAPI document
# takes a second to build). The API root is no page: 404 for everyone.
DOCUMENT = {"rep1": OK, ANON: OK}
NOWHERE = {"rep1": HIDDEN, ANON: HIDDEN}
ADMIN_ONLY = {**dict.fromkeys(ACTORS, DENIED), "admin": OK, ANON: LOGIN}
HEADS = {**dict.fromkeys(ACTORS, DENIED), "head1": OK, "head2": OK, ANON: LOGIN}
DRAFTERS = {**dict.fromkeys(ACTORS, DENIED), **dict.fromkeys(("head1", "head2", "rep1", "rep1b", "rep2"), OK),
            ANON: LOGIN}
# Who records customers and opportunities (D8): everyone signed in but a read-only role (the executive, issue 20).
RECORDERS = {**SIGNED_IN, "ceo1": DENIED}
POLICIES = {"signed_in": SIGNED_IN, "recorders": RECORDERS, "public": PUBLIC, "admin": ADMIN_ONLY, "heads": HEADS,
            "drafters": DRAFTERS,
            "document": DOCUMENT, "nowhere": NOWHERE}

# Routes on one's own records (notifications, import jobs): "self" is one of his own, "other" someone else's.
OWN_ONLY = {"self": OK, "other": HIDDEN}


def _parse_grid(text: str) -> tuple[list[tuple[str, str, str]], dict[str, dict[tuple[str, str], str]]]:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    columns = lines[0].split("|")[1].split()
    keys, grid = [], {c: {} for c in columns}
    for line in lines[1:]:
        left, right = line.split("|")
        actor, relation, chain = left.split()
        cells = right.split()
        assert len(cells) == len(columns), line
        assert RELATIONS[actor][chain] == relation, line
        keys.append((actor, relation, chain))
        for column, cell in zip(columns, cells, strict=True):
            grid[column][(actor, relation)] = {"ok": OK, "403": DENIED, "404": HIDDEN}[cell]
    return keys, grid


RECORD_ROWS, COLUMNS = _parse_grid(SALES)
_deal_rows, _deal_columns = _parse_grid(DEALS)
assert _deal_rows == RECORD_ROWS
COLUMNS.update(_deal_columns)
assert all(cells[line] == cells[mirrored] for line, mirrored in MIRRORS.items() for cells in COLUMNS.values())
ACTION_LINES = tuple((actor, relation) for actor, relation, _chain in RECORD_ROWS if (actor, relation) not in MIRRORS)


def inline(column: str) -> dict[tuple[str, str], str]:
    """A column whose 403s the web page shows inline (see INLINE)."""
    return {key: INLINE if outcome == DENIED else outcome for key, outcome in COLUMNS[column].items()}


# --- bodies -------------------------------------------------------------------------------------------------------

def today() -> str:
    return timezone.localdate().isoformat()


def soon() -> str:
    return (timezone.now() + timedelta(days=20)).isoformat()


TENDER_TEXT = ("某市智慧水务平台建设项目公开招标公告。项目编号：ZB-2026-001。招标人：某市水务集团有限公司。"
               "投标截止时间：2026年12月30日 09:30。预算金额：人民币120万元。")
PDF_FILE = "pdf"      # a files spec: {"field": PDF_FILE} uploads world.PDF
XLSX_FILE = "xlsx"    # the header-only import workbook


@dataclass(frozen=True)
class Route:
    """One route's rows: `target` "chain" (a record of each chain, `policy` a column of SALES or DEALS, or a dict
    like one), "-" (no record, `policy` a POLICIES name) or "own" (one's own record or another's).
    `args` maps the route's path parameters to the data set's ids (the API's parameter names are those ids);
    `body(ids)` is the JSON (API) or form (web) body, `files` the uploads; `lines` names the (actor, relation)
    lines of a chain route (default: all for a GET, ACTION_LINES for an action); `throwaway` sends the row with
    a token or session made for it alone (it ends them); `check(row, response)` adds a condition on an OK
    answer."""

    target: str
    policy: str | dict
    method: str = "GET"
    args: dict = field(default_factory=dict)
    body: Callable | None = None
    files: dict | None = None
    query: dict | None = None
    overrides: dict = field(default_factory=dict)
    lines: tuple | None = None
    throwaway: bool = False
    check: Callable | None = None
    note: str = ""


def chain(policy, **kw) -> Route:
    return Route("chain", policy, **kw)


def nothing(policy, **kw) -> Route:
    return Route("-", policy, **kw)


def own(**kw) -> Route:
    return Route("own", OWN_ONLY, **kw)


def post(route: Route, body=None, files=None, **kw) -> Route:
    return replace(route, method="POST", body=body, files=files, **kw)


COMMENT = {"comment": "矩阵"}
REASON = {"reason": "矩阵"}

# --- the API: "METHOD path" as the OpenAPI document names it ------------------------------------------------------

API = {
    # accounts
    "POST /api/v1/auth/token": nothing("public", body=lambda i: {"username": i["username"], "password": i["password"]}),
    "DELETE /api/v1/auth/token": nothing("signed_in", throwaway=True, note="revokes a token made for the row"),
    "GET /api/v1/me": nothing("signed_in"),
    "GET /api/v1/ui/resources": nothing("signed_in"),
    "GET /api/v1/departments": nothing("signed_in"),
    "POST /api/v1/departments": nothing("admin", body=lambda i: {"name": f"矩阵部门-{i['username']}"}),
    "PATCH /api/v1/departments/{department_id}": nothing("admin", body=lambda i: {"order": 7}),
    "GET /api/v1/users": nothing("signed_in", note="names only, the admin gets full records"),
    "POST /api/v1/users": nothing("admin", body=lambda i: {"username": f"mx-{i['username']}",
                                                            "password": "Matrix-Pass-2026!", "roles": []}),
    "GET /api/v1/users/{user_id}": nothing("signed_in"),
    "PATCH /api/v1/users/{user_id}": nothing("admin", body=lambda i: {"phone": "010-66668888"}),
    # codes
    "GET /api/v1/codes/{table}": nothing("signed_in"),
    "POST /api/v1/codes/{table}": nothing("admin", body=lambda i: {"code": f"mx_{i['username']}", "label_zh": "矩阵",
                                                                    "label_en": "Matrix", "order": 999}),
    "PATCH /api/v1/codes/{table}/{code}": nothing("admin", body=lambda i: {"label_en": i["code_label_en"]}),
    # customers (D7)
    "GET /api/v1/customers": nothing("signed_in"),
    "POST /api/v1/customers": nothing("recorders", body=lambda i: {"name": f"矩阵新客户{i['username']}有限公司",
                                                                     "customer_type": "soe"}),
    "GET /api/v1/customers/{customer_id}": chain("cust"),
    "PATCH /api/v1/customers/{customer_id}": chain("cust_ed", body=lambda i: {"version": 1, "address": "矩阵路 1 号"}),
    # opportunities
    "GET /api/v1/opportunities": nothing("signed_in"),
    "POST /api/v1/opportunities": nothing("recorders", note="D8", body=lambda i: {
        "title": "矩阵新商机", "customer_id": i["A"]["customer_id"], "estimated_amount": "1000.00",
        "expected_close_date": today()}),
    "GET /api/v1/opportunities/export.xlsx": nothing("signed_in"),
    "GET /api/v1/opportunities/import-template.xlsx": nothing("signed_in"),
    "POST /api/v1/opportunities/import": nothing("recorders", files={"file": XLSX_FILE}),
    "GET /api/v1/opportunities/import-jobs/{job_id}": own(),
    "GET /api/v1/jobs/{job_id}": own(),
    # the world's jobs are imports, which make no file: 404 to everyone; an export's download is core/tests/test_jobs
    "GET /api/v1/jobs/{job_id}/download": own(overrides={"self": HIDDEN}),
    "GET /api/v1/opportunities/{opportunity_id}": chain("opp"),
    "PATCH /api/v1/opportunities/{opportunity_id}": chain("opp_ed", body=lambda i: {"version": 1,
                                                                                      "description": "矩阵"}),
    "GET /api/v1/opportunities/{opportunity_id}/timeline": chain("opp"),
    "GET /api/v1/opportunities/{opportunity_id}/follow-ups": chain("opp"),
    "POST /api/v1/opportunities/{opportunity_id}/follow-ups": chain("opp_ed", body=lambda i: {
        "happened_at": today(), "kind": "visit", "note": "矩阵跟进"}),
    "POST /api/v1/opportunities/{opportunity_id}/request-conversion": chain("opp_tm", body=lambda i: COMMENT),
    "POST /api/v1/opportunities/{opportunity_id}/convert": chain("opp_hd", body=lambda i: {}),
    "POST /api/v1/opportunities/{opportunity_id}/keep-tracking": chain("opp_hd", body=lambda i: COMMENT),
    "POST /api/v1/opportunities/{opportunity_id}/close": chain("opp_hd", body=lambda i: {"reason": "lost"}),
    "POST /api/v1/opportunities/{opportunity_id}/reopen": chain("opp_hd", body=lambda i: {}),
    # projects
    "GET /api/v1/projects": nothing("signed_in"),
    "GET /api/v1/projects/{project_id}": chain("proj"),
    "PATCH /api/v1/projects/{project_id}": chain("prj_own", body=lambda i: {"version": 1, "title": "矩阵"}),
    "GET /api/v1/projects/{project_id}/timeline": chain("proj"),
    "POST /api/v1/projects/{project_id}/assign-lead": chain("prj_hd", body=lambda i: {"tech_lead_id": i["lead1"]}),
    "GET /api/v1/projects/{project_id}/feasibility": chain("proj"),
    "PUT /api/v1/projects/{project_id}/feasibility": chain("prj_ld", body=lambda i: {
        "technical_assessment": "矩阵", "conclusion": "feasible"}),
    "POST /api/v1/projects/{project_id}/submit-feasibility": chain("prj_ld"),
    "POST /api/v1/projects/{project_id}/approve": chain("prj_hd", body=lambda i: {}),
    "POST /api/v1/projects/{project_id}/send-back": chain("prj_hd", body=lambda i: COMMENT),
    "POST /api/v1/projects/{project_id}/reject": chain("prj_hd", body=lambda i: COMMENT),
    "POST /api/v1/projects/{project_id}/cancel": chain("prj_own", body=lambda i: REASON),
    "POST /api/v1/projects/{project_id}/route": chain("prj_own", body=lambda i: {"to": "bidding"}),
    # inbox and notifications
    "GET /api/v1/inbox": nothing("signed_in"),
    "GET /api/v1/notifications": nothing("signed_in"),
    "POST /api/v1/notifications/{notification_id}/read": own(note="D5"),
    "POST /api/v1/notifications/read-all": nothing("signed_in"),
    # issue 23: one's own notification settings and calendar link
    "GET /api/v1/me/notification-settings": nothing("signed_in"),
    "PUT /api/v1/me/notification-settings": nothing("signed_in", body=lambda i: {"language": "zh-hans"}),
    "GET /api/v1/me/calendar-feed": nothing("signed_in"),
    "POST /api/v1/me/calendar-feed": nothing("signed_in"),
    "DELETE /api/v1/me/calendar-feed": nothing("signed_in"),
    # integrations
    "GET /api/v1/integrations/webhooks": nothing("admin"),
    "POST /api/v1/integrations/webhooks": nothing("admin", body=lambda i: {
        "name": f"矩阵-{i['username']}", "url": "http://127.0.0.1:9/mx", "secret": "0123456789abcdef-matrix",
        "events": ["contract.signed"], "active": False}),
    "PATCH /api/v1/integrations/webhooks/{endpoint_id}": nothing("admin", body=lambda i: {"active": False}),
    "GET /api/v1/integrations/deliveries": nothing("admin"),
    # bids
    "GET /api/v1/bids": nothing("signed_in"),
    "POST /api/v1/bids": chain("bid_reg", body=lambda i: {"opportunity_id": i["opportunity_id"]},
                               note="the chain's opportunity in the body; D2"),
    "GET /api/v1/bids/{bid_id}": chain("bid"),
    "PATCH /api/v1/bids/{bid_id}": chain("bid_wk", body=lambda i: {"version": 1, "title": "矩阵"}),
    "GET /api/v1/bids/{bid_id}/timeline": chain("bid"),
    "PUT /api/v1/bids/{bid_id}/tender-analysis": chain("bid_wk", body=lambda i: {"risks": "矩阵"}),
    "GET /api/v1/bids/{bid_id}/documents": chain("bid"),
    "POST /api/v1/bids/{bid_id}/documents": chain("bid_wk", body=lambda i: {"kind": "result"},
                                                  files={"file": PDF_FILE}, note="D4; the assistant may add the "
                                                  "result notice to a closed bid (201), the team gets 409"),
    "GET /api/v1/bids/documents/{doc_id}/download": chain("bid"),
    "POST /api/v1/bids/{bid_id}/start-preparation": chain("bid_wk"),
    "POST /api/v1/bids/{bid_id}/submit": chain("bid_wk"),
    "POST /api/v1/bids/{bid_id}/mark-won": chain("bid_res"),
    "POST /api/v1/bids/{bid_id}/mark-lost": chain("bid_res"),
    "POST /api/v1/bids/{bid_id}/close": chain("bid_res"),
    "POST /api/v1/bids/{bid_id}/abandon": chain("bid_wk", body=lambda i: REASON),
    "PUT /api/v1/bids/{bid_id}/opening": chain("bid_res", body=lambda i: {
        "opened_at": soon(), "winner": "甲公司", "entries": [
            {"bidder": "甲公司", "price": "1000.00", "rank": 1}, {"bidder": "我方", "price": "1100.00", "rank": 2,
                                                                "is_us": True}]}),
    "GET /api/v1/bids/{bid_id}/opening": chain("bid"),
    "PUT /api/v1/bids/{bid_id}/summary": chain("bid_res", body=lambda i: {
        "person_days": 1, "cost": "100.00", "outcome_reason": "矩阵", "lessons": "矩阵"}),
    "GET /api/v1/bids/{bid_id}/summary": chain("bid"),
    "GET /api/v1/bids/{bid_id}/summary.docx": chain("bid"),
    "POST /api/v1/bids/{bid_id}/create-contract": chain("bid_res"),
    "GET /api/v1/bids/{bid_id}/bonds": chain("bid"),
    "POST /api/v1/bids/{bid_id}/bonds": chain("bond", body=lambda i: {"kind": "bid", "amount": "1000.00",
                                                                      "method": "bank_transfer"}),
    "POST /api/v1/bids/{bid_id}/tender-analysis/extract": chain("bid_wk", body=lambda i: {"text": TENDER_TEXT},
                                                                note="a text, else 422 before authorisation"),
    "POST /api/v1/bids/{bid_id}/tender-analysis/apply": chain("bid_wk", body=lambda i: {
        "version": 1, "values": {"tenderer": "矩阵招标人"}}),
    # bonds
    "GET /api/v1/bonds": nothing("signed_in"),
    "GET /api/v1/bonds/export.xlsx": nothing("signed_in"),
    "POST /api/v1/bonds/{bond_id}/pay": chain("bond", body=lambda i: {"paid_on": today(), "reference": "MX"}),
    "POST /api/v1/bonds/{bond_id}/refund": chain("bond", body=lambda i: {"refunded_on": today(), "amount": "1.00"}),
    "POST /api/v1/bonds/{bond_id}/forfeit": chain("bond", body=lambda i: REASON),
    "POST /api/v1/bonds/{bond_id}/convert-to-performance": chain("bond"),
    # contracts
    "GET /api/v1/contracts": nothing("signed_in"),
    "POST /api/v1/contracts": chain("ctr_new", body=lambda i: {
        "opportunity_id": i["opportunity_id"], "title": "矩阵草稿", "contract_type": "system_integration",
        "amount": "1000.00"}, note="the chain's opportunity in the body"),
    "GET /api/v1/contracts/export.xlsx": nothing("signed_in"),
    "GET /api/v1/contracts/{contract_id}": chain("ctr"),
    "PATCH /api/v1/contracts/{contract_id}": chain("ctr_ed", body=lambda i: {"version": 1, "title": "矩阵"}),
    "GET /api/v1/contracts/{contract_id}/timeline": chain("ctr"),
    "POST /api/v1/contracts/{contract_id}/submit-review": chain("ctr_mng"),
    "GET /api/v1/contracts/{contract_id}/reviews": chain("ctr"),
    "POST /api/v1/contracts/{contract_id}/reviews/{step_id}/approve": chain("ctr_dec", body=lambda i: {}),
    "POST /api/v1/contracts/{contract_id}/reviews/{step_id}/reject": chain("ctr_dec", body=lambda i: COMMENT,
                                                                           note="a comment, else 422 first"),
    "GET /api/v1/contracts/{contract_id}/review-sheet.docx": chain("ctr"),
    "POST /api/v1/contracts/{contract_id}/sign": chain("ctr_mng", body=lambda i: {"signed_on": today()},
                                                       files={"signed_copy": PDF_FILE}),
    "POST /api/v1/contracts/{contract_id}/archive": chain("ctr_mng"),
    "POST /api/v1/contracts/{contract_id}/terminate": chain("ctr_mng", body=lambda i: REASON),
    "GET /api/v1/contracts/{contract_id}/attachments": chain("ctr"),
    "POST /api/v1/contracts/{contract_id}/attachments": chain("ctr_ed", files={"file": PDF_FILE}),
    "GET /api/v1/contracts/attachments/{attachment_id}/download": chain("ctr"),
    "GET /api/v1/contracts/{contract_id}/amendments": chain("ctr"),
    "POST /api/v1/contracts/{contract_id}/amendments": chain("ctr_mng", body=lambda i: {
        "changes": {"terms": "矩阵变更"}, "reason": "矩阵"}),
    "GET /api/v1/contracts/{contract_id}/versions": chain("ctr"),
    "GET /api/v1/review-routes": nothing("admin"),
    "POST /api/v1/review-routes": nothing("admin", body=lambda i: {
        "name": f"矩阵路线-{i['username']}", "contract_type": "technical_service", "min_amount": "0", "active": False,
        "steps": [{"kind": "management", "decider_kind": "owner_head"}]}),
    "PUT /api/v1/review-routes/{route_id}": nothing("admin", body=lambda i: i["spare_route"]),
    # insights: every figure is scoped to the viewer (the zero-leak checks compare the numbers)
    "GET /api/v1/insights/funnel": nothing("signed_in"),
    "GET /api/v1/insights/win-rate": nothing("signed_in"),
    "GET /api/v1/insights/pipeline": nothing("signed_in"),
    "GET /api/v1/insights/bonds": nothing("signed_in"),
    "GET /api/v1/insights/deadlines": nothing("signed_in"),
    "GET /api/v1/insights/signed-by-month": nothing("signed_in"),
    "GET /api/v1/insights/export.xlsx": nothing("signed_in"),
    "GET /api/v1/insights/{figure}/export.xlsx": nothing("signed_in"),
}

# --- the web: URL pattern names ------------------------------------------------------------------------------------
# Names in the "api" namespace are the API's operations (same view, same URL) and are covered by API above; the
# three that are not operations are here. Django's static files and admin site are not installed (no URL patterns).

PK = {"pk": "opportunity_id"}
PROJECT, BID, BOND, CONTRACT = {"pk": "project_id"}, {"pk": "bid_id"}, {"pk": "bond_id"}, {"pk": "contract_id"}
STEP = {"pk": "contract_id", "step_id": "step_id"}


def opp_action(column, body):
    return post(chain(column, args=PK), body=body)


def proj_action(column, body=None):
    return post(chain(column, args=PROJECT), body=body)


def bid_action(column, body=None, files=None, args=BID, note=""):
    return post(chain(column, args=args, note=note), body=body, files=files)


def contract_action(column, body=None, files=None, args=CONTRACT):
    return post(chain(column, args=args), body=body, files=files)


def no_milestones(prefix=""):
    return {f"{prefix}milestones-TOTAL_FORMS": "0", f"{prefix}milestones-INITIAL_FORMS": "0"}


WEB = {
    # shell
    "home": nothing("signed_in"),
    "login": nothing("public", note="a signed-in user is sent home (302)"),
    "logout": post(nothing("public"), throwaway=True, note="POST only; ends a session made for the row"),
    "healthz": nothing("public"),
    "set_language": post(nothing("public"), body=lambda i: {"language": "zh-hans", "next": "/"}),
    "api:openapi-json": nothing("document", note="D6"),
    "api:openapi-view": nothing("document", note="D6"),
    "api:api-root": nothing("nowhere", note="D6: ninja's root answers 404"),
    # opportunities
    "opportunities:list": nothing("signed_in"),
    "opportunities:board": nothing("signed_in"),
    "opportunities:due": nothing("signed_in"),
    "opportunities:queue": nothing("heads"),
    "opportunities:create": nothing("recorders", note="D8; the executive gets no form (issue 20)"),
    "opportunities:detail": chain("opp", args=PK),
    "opportunities:edit": chain("opp_ed", args=PK),
    "opportunities:move": post(chain(inline("opp_ed"), args=PK), body=lambda i: {"stage": "proposal",
                                                                                   "version": "1"},
                               note="the board shows the refusal (302 and a message): INLINE"),
    "opportunities:follow_up": opp_action("opp_ed", lambda i: {
        "follow_up-happened_on": today(), "follow_up-kind": "visit", "follow_up-note": "矩阵跟进"}),
    "opportunities:request_conversion": opp_action("opp_tm", lambda i: {"request_conversion-comment": "矩阵"}),
    "opportunities:convert": opp_action("opp_hd", lambda i: {"convert-comment": ""}),
    "opportunities:keep_tracking": opp_action("opp_hd", lambda i: {"keep_tracking-comment": "矩阵"}),
    "opportunities:close": opp_action("opp_hd", lambda i: {"close-reason": "lost"}),
    "opportunities:reopen": opp_action("opp_hd", lambda i: {"reopen-comment": ""}),
    "opportunities:export": nothing("signed_in"),
    "opportunities:import_template": nothing("signed_in"),
    "opportunities:import": nothing("signed_in"),
    "opportunities:import_job": own(args={"pk": "job_id"}),
    "job": own(args={"pk": "job_id"}),
    "job_download": own(args={"pk": "job_id"}, overrides={"self": HIDDEN}),
    # customers (D7)
    "customers:list": nothing("signed_in"),
    "customers:create": nothing("recorders"),
    "customers:detail": chain("cust", args={"pk": "customer_id"}),
    "customers:edit": chain("cust_ed", args={"pk": "customer_id"}),
    # projects
    "projects:list": nothing("signed_in"),
    "projects:detail": chain("proj", args=PROJECT),
    "projects:assign_lead": proj_action("prj_hd", lambda i: {"tech_lead": str(i["lead1"])}),
    "projects:feasibility_save": proj_action("prj_ld", lambda i: {"technical_assessment": "矩阵",
                                                                     "implementation_assessment": "矩阵"}),
    "projects:feasibility_submit": proj_action("prj_ld"),
    "projects:approve": proj_action("prj_hd", lambda i: {"comment": ""}),
    "projects:send_back": proj_action("prj_hd", lambda i: COMMENT),
    "projects:reject": proj_action("prj_hd", lambda i: COMMENT),
    "projects:route": proj_action("prj_own", lambda i: {"to": "bidding", "confirmed": "on"}),
    "projects:cancel": proj_action("prj_own", lambda i: REASON),
    # bids
    "bids:list": nothing("signed_in"),
    "bids:register": nothing("signed_in", note="the form; registering itself is POST /api/v1/bids"),
    "bids:detail": chain("bid", args=BID),
    "bids:analysis": bid_action("bid_wk", lambda i: {"version": "1", "risks": "矩阵"}),
    "bids:intake": chain("bid_wk", args=BID),
    "bids:intake_read": bid_action("bid_wk", lambda i: {"text": TENDER_TEXT}),
    "bids:intake_apply": bid_action("bid_wk", lambda i: {"text": TENDER_TEXT, "version": "1"}),
    "bids:start_preparation": bid_action("bid_wk"),
    "bids:submit": bid_action("bid_wk"),
    "bids:mark_won": bid_action("bid_res"),
    "bids:mark_lost": bid_action("bid_res"),
    "bids:close": bid_action("bid_res"),
    "bids:abandon": bid_action("bid_wk", lambda i: {"abandon-reason": "矩阵"}),
    "bids:create_contract": bid_action("bid_res"),
    "bids:document_upload": bid_action("bid_wk", lambda i: {"kind": "result"}, {"file": PDF_FILE},
                                       note="a closed bid's form takes only the result notice (else 400)"),
    "bids:document_download": chain("bid", args={"pk": "doc_id"}),
    "bids:document_preview": chain("bid", args={"pk": "doc_id"}),
    "bids:opening": bid_action("bid_res", lambda i: {"opening-opened_at": "", "entries-TOTAL_FORMS": "0",
                                                     "entries-INITIAL_FORMS": "0"}),
    "bids:summary": bid_action("bid_res", lambda i: {"person_days": "1", "cost": "100", "outcome_reason": "矩阵",
                                                     "lessons": "矩阵"}),
    "bids:summary_docx": chain("bid", args=BID),
    "bids:bond_create": bid_action("bond", lambda i: {"bond-kind": "bid", "bond-amount": "1000",
                                                      "bond-currency": "CNY", "bond-method": "bank_transfer"}),
    "bids:bond_register": nothing("signed_in"),
    "bids:bond_export": nothing("signed_in"),
    "bids:bond_pay": bid_action("bond", args=BOND),
    "bids:bond_refund": bid_action("bond", args=BOND),
    "bids:bond_forfeit": bid_action("bond", args=BOND),
    "bids:bond_convert": bid_action("bond", args=BOND),
    # contracts
    "contracts:list": nothing("signed_in"),
    "contracts:export": nothing("signed_in"),
    "contracts:create": nothing("drafters"),
    "contracts:detail": chain("ctr", args=CONTRACT),
    "contracts:edit": contract_action("ctr_ed", lambda i: {"version": "1", "title": "矩阵", **no_milestones()}),
    "contracts:attachment_upload": contract_action("ctr_ed", files={"file": PDF_FILE}),
    "contracts:attachment_download": chain("ctr", args={"pk": "attachment_id"}),
    "contracts:attachment_preview": chain("ctr", args={"pk": "attachment_id"}),
    "contracts:submit": contract_action("ctr_mng"),
    "contracts:approve": contract_action("ctr_dec", lambda i: {"decide-comment": ""}, args=STEP),
    "contracts:reject": contract_action("ctr_dec", lambda i: {"decide-comment": "矩阵"}, args=STEP),
    "contracts:sign": contract_action("ctr_mng", lambda i: {"sign-signed_on": today()}, {"sign-signed_copy": PDF_FILE}),
    "contracts:archive": contract_action("ctr_mng"),
    "contracts:terminate": contract_action("ctr_mng", lambda i: {"terminate-reason": "矩阵"}),
    "contracts:amend": contract_action("ctr_mng", lambda i: {"amend-reason": "矩阵", "amend-terms": "矩阵变更",
                                                             **no_milestones("amend-")}),
    "contracts:versions": chain("ctr", args=CONTRACT),
    "contracts:review_sheet": chain("ctr", args=CONTRACT),
    "approvals:route_list": nothing("admin"),
    "approvals:route_create": nothing("admin"),
    "approvals:route_edit": nothing("admin", args={"pk": "route_id"}),
    # inbox and notifications
    "notifications:inbox": nothing("signed_in"),
    "notifications:list": nothing("signed_in"),
    "notifications:read_all": post(nothing("signed_in")),
    "notifications:open": post(own(args={"pk": "notification_id"})),
    # issue 23: notification settings, calendar link (the feed itself answers only its key: 404 for any other),
    # group robots and the outbox (admin), directory mappings (admin), members who left the directory (heads)
    "notifications:preferences": nothing("signed_in"),
    "calendars:settings": nothing("signed_in"),
    "calendars:create": post(nothing("signed_in")),
    "calendars:revoke": post(nothing("signed_in")),
    "calendars:feed": nothing("nowhere", args={"key": "calendar_key"}),
    "notifications:robot_list": nothing("admin"),
    "notifications:robot_create": nothing("admin"),
    "notifications:robot_edit": nothing("admin", args={"pk": "robot_id"}),
    "notifications:robot_test": post(nothing("admin", args={"pk": "robot_id"})),
    "notifications:outbox": nothing("admin"),
    "notifications:outbox_retry": post(nothing("admin", args={"pk": "outgoing_id"})),
    "directory:mapping_list": nothing("admin"),
    "directory:department_mapping_create": nothing("admin"),
    "directory:department_mapping_edit": nothing("admin", args={"pk": "dept_mapping_id"}),
    "directory:department_mapping_delete": post(nothing("admin", args={"pk": "dept_mapping_spare_id"})),
    "directory:role_mapping_create": nothing("admin"),
    "directory:role_mapping_edit": nothing("admin", args={"pk": "role_mapping_id"}),
    "directory:role_mapping_delete": post(nothing("admin", args={"pk": "role_mapping_spare_id"})),
    "directory:departed": nothing("heads", overrides={"admin": OK}),
    # insights
    "insights:dashboard": nothing("signed_in"),
    "insights:funnel_stage": nothing("signed_in", args={"stage": "stage"}),
    # administration
    "accounts:user_list": nothing("admin"),
    "accounts:user_create": nothing("admin"),
    "accounts:user_edit": nothing("admin", args={"pk": "user_id"}),
    "accounts:department_list": nothing("admin"),
    "accounts:department_create": nothing("admin"),
    "accounts:department_edit": nothing("admin", args={"pk": "department_id"}),
    "codes:table_list": nothing("admin"),
    "codes:table_detail": nothing("admin", args={"table": "table"}),
    "codes:item_create": nothing("admin", args={"table": "table"}),
    "codes:item_edit": nothing("admin", args={"table": "table", "code": "code"}),
    "integrations:endpoint_list": nothing("admin"),
    "integrations:endpoint_create": nothing("admin"),
    "integrations:endpoint_edit": nothing("admin", args={"pk": "endpoint_id"}),
    "integrations:delivery_list": nothing("admin"),
}


# --- the resolved table ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    surface: str        # api | web
    route: str          # "METHOD /api/v1/..." or the URL pattern name
    actor: str
    relation: str
    chain: str          # A | B | C for a record; "" for none; the owner's name for "own" routes
    expected: str
    spec: Route

    @property
    def method(self) -> str:
        return self.route.split()[0] if self.surface == "api" else self.spec.method

    def __str__(self) -> str:
        target = f" {self.chain}" if self.chain else ""
        return f"{self.surface} {self.route} | {self.actor} {self.relation}{target} → {self.expected}"


def _expand(surface: str, name: str, spec: Route) -> list[Row]:
    rows = []
    method = name.split()[0] if surface == "api" else spec.method
    if spec.target == "chain":
        cells = COLUMNS[spec.policy] if isinstance(spec.policy, str) else spec.policy
        lines = spec.lines if spec.lines is not None else ACTION_LINES if method != "GET" else None
        for actor, relation, chain_ in RECORD_ROWS:
            if lines is not None and (actor, relation) not in lines:
                continue
            expected = spec.overrides.get((actor, relation), cells[(actor, relation)])
            rows.append(Row(surface, name, actor, relation, chain_, expected, spec))
        rows.append(Row(surface, name, ANON, "-", "A", LOGIN, spec))
    elif spec.target == "-":
        policy = POLICIES[spec.policy]
        for actor in [a for a in [*ACTORS, ANON] if a in policy]:
            rows.append(Row(surface, name, actor, "-", "", spec.overrides.get(actor, policy[actor]), spec))
    else:  # own: one of his own records, and one of someone else's
        cells = {**spec.policy, **spec.overrides}
        for actor in ACTORS:
            rows.append(Row(surface, name, actor, "self", actor, cells["self"], spec))
            other = "rep2" if actor == "rep1" else "rep1"
            rows.append(Row(surface, name, actor, "other", other, cells["other"], spec))
        rows.append(Row(surface, name, ANON, "-", "rep1", LOGIN, spec))
    for row in rows:
        assert row.expected in OUTCOMES, row
    return rows


def _parts() -> None:
    """Add the rows of each `matrix_<module>.py` beside this file (each defines API and/or WEB dicts written with
    this module's helpers), so modules built side by side each keep their rows in their own file."""
    for found in sorted(Path(__file__).parent.glob("matrix_*.py")):
        part = importlib.import_module(f"tests.security.{found.stem}")
        for table, extra in ((API, getattr(part, "API", {})), (WEB, getattr(part, "WEB", {}))):
            clash = set(table) & set(extra)
            assert not clash, f"{found.name} repeats rows: {clash}"
            table.update(extra)


def resolve() -> list[Row]:
    """Every row of the matrix, API first, in the order of the tables above."""
    rows = []
    for name, spec in API.items():
        rows += _expand("api", name, spec)
    for name, spec in WEB.items():
        rows += _expand("web", name, spec)
    return rows


def read_column(kind: str) -> str:
    """The column that says who sees a record of `kind` (the zero-leak checks use the same cells)."""
    return {"opportunity": "opp", "project": "proj", "bid": "bid", "bond": "bid", "contract": "ctr"}[kind]


def sees(actor: str, kind: str, chain_: str) -> bool:
    """Whether `actor` may see the records of `kind` of `chain_`, by the read column of its kind."""
    return COLUMNS[read_column(kind)][(actor, RELATIONS[actor][chain_])] == OK


_parts()  # last: the parts import this module's helpers

if __name__ == "__main__":  # python -m tests.security.access_matrix: the resolved table, one row a line
    for resolved in resolve():
        print(resolved)
