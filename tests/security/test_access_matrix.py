"""The access matrix through real HTTP (issue 8, part 1).

1. Coverage: every operation of the OpenAPI document and every URL pattern has rows in access_matrix.py, and every
   row names a route that exists: a new route without a row fails here, listing it.
2. Zero leaks: on one data set (world.py) each actor's lists, exports, insights, inbox and notifications hold none
   of the records outside his scope (by number, in JSON, xlsx and HTML alike) and all of those inside it; the
   figures count exactly his records; filters (department, owner, a searched number) never widen his scope.
3. The matrix: every row sent as its actor (API: bearer token; web: a logged-in session with its CSRF token),
   answers compared with the expected outcomes, all mismatches reported together as one table. The details,
   timelines, files, versions, reviews and Word documents of records outside the scope are its HIDDEN rows;
   the lists' contents are checked (2.) on the matrix's own answers.

One live server and one data set serve the whole run: the figures are checked before the matrix's rows create
anything; the records the rows create (drafts, bids, follow-ups) are none of the data set's and change no scope.
`ACCESS_MATRIX_DUMP=file` writes every row with its answer (status, error code, seconds).
"""

import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from conftest import Http
from opsmon.accounts.services import token_issue
from opsmon.api import api

from . import access_matrix as m
from .world import PDF, build, empty_workbook

API_PREFIX = "/api/v1"


# --- 1. coverage ----------------------------------------------------------------------------------------------------

def api_operations() -> set[str]:
    schema = api.get_openapi_schema(path_prefix=API_PREFIX)
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def web_patterns() -> list[tuple[str, str]]:
    """(URL pattern name, route) of every pattern, recursively; an unnamed one goes by its route."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                found.append((f"{namespace}:{p.name}" if namespace and p.name else (p.name or route), route))
    walk(get_resolver().url_patterns)
    return found


def _api_route_of(route: str) -> str:
    """A URL pattern of the API namespace as an OpenAPI path ("api/v1/bids/<bid_id>" → "/api/v1/bids/{bid_id}")."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def coverage_problems() -> list[str]:
    operations = api_operations()
    openapi_paths = {op.split(" ", 1)[1] for op in operations}
    problems = [f"API operation without rows: {op}" for op in sorted(operations - set(m.API))]
    problems += [f"API row for no operation: {op}" for op in sorted(set(m.API) - operations)]
    patterns = web_patterns()
    for name, route in sorted(set(patterns)):
        if name.startswith("api:") and _api_route_of(route) in openapi_paths:
            continue  # an operation of the OpenAPI document (same view, same URL): its rows are in m.API
        if name not in m.WEB:
            problems.append(f"web URL pattern without rows: {name} ({route})")
    names = {name for name, _route in patterns}
    problems += [f"web row for no URL pattern: {name}" for name in sorted(set(m.WEB) - names)]
    return problems


def test_every_route_has_rows():
    problems = coverage_problems()
    assert not problems, "\n".join(problems)
    rows = m.resolve()
    assert {r.route for r in rows if r.surface == "api"} == set(m.API)
    assert {r.route for r in rows if r.surface == "web"} == set(m.WEB)


# --- the run --------------------------------------------------------------------------------------------------------

class Clients:
    """Per actor: an API client with a bearer token and a browser session; anonymous ones for `anon`; and a spare
    token each for the row that revokes one."""

    def __init__(self, base: str, org):
        self.base = base
        self.api, self.web, self.spare_tokens = {}, {}, {}
        for name in m.ACTORS:
            self.api[name] = self._token_client(token_issue(user=org[name])[0])
            self.spare_tokens[name] = token_issue(user=org[name])[0]  # for the row that revokes a token
            browser = Http(base)
            assert browser.login_session(name).status_code == 302, name
            self.web[name] = browser
        self.api[m.ANON] = Http(base)
        self.web[m.ANON] = self._anonymous_browser()

    def _token_client(self, token: str) -> Http:
        client = Http(self.base)
        client.token = token
        return client

    def _anonymous_browser(self) -> Http:
        browser = Http(self.base)
        browser.get("/login/")  # the CSRF cookie, so a POST is judged by the view and not refused by the middleware
        return browser

    def throwaway(self, surface: str, actor: str) -> Http:
        """A token or session of the actor's made for one row (the row ends it)."""
        if actor == m.ANON:
            return Http(self.base) if surface == "api" else self._anonymous_browser()
        if surface == "api":
            return self._token_client(self.spare_tokens[actor])
        browser = Http(self.base)
        browser.login_session(actor)
        return browser


def context(world, row: m.Row) -> dict:
    """The ids a row's path and body take: the common ones, the row's chain, the row's own record."""
    ids = {**world.common}
    if row.spec.target == "chain":
        ids.update(world.ids[row.chain])
    elif row.spec.target == "own":
        ids["notification_id"] = world.notifications[row.chain]
        ids["job_id"] = world.jobs[row.chain]
    ids["username"] = row.actor if row.actor != m.ANON else "rep1"
    ids["password"] = "opsmon-demo"
    ids["A"] = world.ids["A"]
    return ids


def path_of(row: m.Row, ids: dict) -> str:
    if row.surface == "api":
        template = row.route.split(" ", 1)[1]
        return re.sub(r"\{(\w+)\}", lambda match: str(ids[match.group(1)]), template)
    return reverse(row.route, kwargs={arg: ids[key] for arg, key in row.spec.args.items()})


FILES = {m.PDF_FILE: ("矩阵.pdf", PDF, "application/pdf")}


def send(clients: Clients, row: m.Row, ids: dict, workbook: bytes):
    spec = row.spec
    client = clients.throwaway(row.surface, row.actor) if spec.throwaway else \
        (clients.api if row.surface == "api" else clients.web)[row.actor]
    kwargs = {}
    body = spec.body(ids) if spec.body else None
    files = {name: FILES[kind] if kind != m.XLSX_FILE else ("矩阵.xlsx", workbook, "application/octet-stream")
             for name, kind in (spec.files or {}).items()}
    if files:
        kwargs = {"data": body or {}, "files": files}
    elif body is not None:
        kwargs = {"json": body} if row.surface == "api" else {"data": body}
    return client.request(row.method, path_of(row, ids), params=spec.query, **kwargs)


def outcome_of(row: m.Row, response) -> str:
    status = response.status_code
    if status == 401:
        return m.LOGIN
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", "")).path
        return m.LOGIN if target == reverse("login") and row.route != "logout" else m.OK
    if 200 <= status < 300 or status in (409, 422):
        return m.OK
    if status == 403 and row.actor == m.ANON and row.surface == "api":
        return m.LOGIN  # without a token ninja checks the absent session's CSRF first (403 csrf_failed)
    return {403: m.DENIED, 404: m.HIDDEN}.get(status, str(status))


def matches(expected: str, observed: str) -> bool:
    return observed == expected or (expected == m.INLINE and observed == m.OK)


def for_each_actor(work, actors) -> list:
    """`work(actor)` for every actor; the results in the actors' order. On PostgreSQL two actors at a time: the
    database plans and runs one request's queries in its own process while the server here renders another's
    (SQLite runs in this process and would only queue its writers)."""
    if connection.vendor != "postgresql":
        return [work(actor) for actor in actors]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(work, actors))


def run_matrix(clients: Clients, world) -> tuple[list[str], list[str], int]:
    """Every row, each actor's in the order of the tables: the mismatches as lines of a table diff, and what the
    lists among them show that they should not (or miss)."""
    rows = m.resolve()
    workbook = empty_workbook()

    def run(actor):
        mismatches, leaks, answers = [], [], []
        for row in (r for r in rows if r.actor == actor):
            response = send(clients, row, context(world, row), workbook)
            observed = outcome_of(row, response)
            answers.append(f"{row}\t{response.status_code}{_error_code(response)}\t{response.elapsed.total_seconds()}")
            listed = LISTS.get((row.surface, row.route))
            if listed and response.status_code == 200:
                leaks += scan(world.records, actor, f"{row.surface} {response.request.path_url}",
                              text_of(response), *listed)
            problem = ""
            if not matches(row.expected, observed):
                problem = f"got {observed} ({response.status_code})"
            elif observed == m.OK and row.spec.check:
                problem = row.spec.check(row, response)
            if problem:
                mismatches.append(f"{row}  ✗ {problem}{_error_code(response)}")
        return mismatches, leaks, answers

    results = for_each_actor(run, [*m.ACTORS, m.ANON])
    if os.environ.get("ACCESS_MATRIX_DUMP"):  # the resolved table with every answer, for reading or diffing
        answers = [line for _m, _l, lines in results for line in lines]
        Path(os.environ["ACCESS_MATRIX_DUMP"]).write_text("\n".join(answers) + "\n", encoding="utf-8")
    mismatches = [line for lines, _l, _a in results for line in lines]
    return mismatches, [line for _m, lines, _a in results for line in lines], len(rows)


def _error_code(response) -> str:
    if response.headers.get("Content-Type", "").startswith("application/json"):
        try:
            return f" {response.json().get('error', {}).get('code', '')}"
        except (ValueError, AttributeError):
            return ""
    return ""


# --- 2. zero leaks --------------------------------------------------------------------------------------------------

def xlsx_text(content: bytes) -> str:
    book = load_workbook(BytesIO(content), read_only=True)
    return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)


def text_of(response) -> str:
    kind = response.headers.get("Content-Type", "")
    if "spreadsheetml" in kind:
        return xlsx_text(response.content)
    if kind.startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.text


def present(number: str, text: str) -> bool:
    return re.search(re.escape(number) + r"(?!\d)", text) is not None


# The lists, exports and figures whose content the matrix checks on its own answers (the actor's row of the route):
# route → (kinds whose numbers are looked for, must every record of those kinds he sees be there). The numbers
# are the data set's; what the matrix's rows create meanwhile (drafts, bids) is no record of it and is ignored.
LISTS = {
    ("api", "GET /api/v1/opportunities"): (("opportunity",), True),
    ("api", "GET /api/v1/opportunities/export.xlsx"): (("opportunity",), True),
    ("api", "GET /api/v1/projects"): (("project",), True),
    ("api", "GET /api/v1/bids"): (("bid",), True),
    ("api", "GET /api/v1/bonds"): (("bond",), True),
    ("api", "GET /api/v1/bonds/export.xlsx"): (("bond",), True),
    ("api", "GET /api/v1/contracts"): (("contract",), True),
    ("api", "GET /api/v1/contracts/export.xlsx"): (("contract",), True),
    ("api", "GET /api/v1/insights/deadlines"): (("bid", "contract"), False),
    ("api", "GET /api/v1/insights/bonds"): (("bond",), False),
    ("api", "GET /api/v1/insights/export.xlsx"): (("bid", "contract", "bond"), False),
    ("api", "GET /api/v1/insights/{figure}/export.xlsx"): (("opportunity", "project", "bid", "contract"), False),
    ("api", "GET /api/v1/inbox"): (("opportunity", "project", "bid", "contract"), False),
    ("web", "opportunities:list"): (("opportunity",), True),
    ("web", "opportunities:board"): (("opportunity",), False),
    ("web", "opportunities:due"): (("opportunity",), False),
    ("web", "opportunities:queue"): (("opportunity",), False),
    ("web", "opportunities:export"): (("opportunity",), True),
    ("web", "projects:list"): (("project",), True),
    ("web", "bids:list"): (("bid",), True),
    ("web", "bids:bond_register"): (("bond",), True),
    ("web", "bids:bond_export"): (("bond",), True),
    ("web", "contracts:list"): (("contract",), True),
    ("web", "contracts:export"): (("contract",), True),
    ("web", "notifications:inbox"): (("opportunity", "project", "bid", "contract"), False),
    ("web", "insights:funnel_stage"): (("opportunity",), True),
    # issue 22: the money trail, guarantee letters and resources show the numbers of the records they belong to
    ("api", "GET /api/v1/receivables"): (("contract",), False),
    ("web", "receivables:list"): (("contract",), False),
    ("api", "GET /api/v1/insights/receivables-ageing"): (("contract",), False),
    ("api", "GET /api/v1/guarantee-letters"): (("bid", "contract"), False),
    ("web", "guarantees:list"): (("bid", "contract"), False),
    ("api", "GET /api/v1/insights/resources"): (("project",), False),
}
# Filters narrow, never widen: the lists asked for the other department, a number he may not see, an owner.
FILTERED = {"/api/v1/opportunities": ("opportunity",), "/api/v1/bids": ("bid",), "/api/v1/bonds": ("bond",),
            "/api/v1/contracts": ("contract",), "/api/v1/insights/deadlines": ("bid", "contract"),
            "/api/v1/insights/bonds": ("bond",)}
FUNNEL_KINDS = {"opportunities": "opportunity", "projects": "project", "bids": "bid", "won": "bid",
                "contracts": "contract"}


def scan(records, actor: str, label: str, text: str, kinds, include: bool, only: str | None = None) -> list[str]:
    """The records of `kinds` (of chain `only`) that `text` shows though the actor may not see them, and, when
    `include`, those it misses though he may."""
    problems = []
    for r in records:
        if r.kind not in kinds or (only and r.chain != only):
            continue
        seen, shown = m.sees(actor, r.kind, r.chain) and actor not in r.unseen_by, present(r.number, text)
        if shown and not seen:
            problems.append(f"{actor}: {label} shows {r.kind} {r.number} of chain {r.chain}")
        elif include and seen and not shown:
            problems.append(f"{actor}: {label} misses his {r.kind} {r.number} of chain {r.chain}")
    return problems


# actor: (a chain whose bid and contract he may see, a chain whose records he may not see)
CROSS = {"rep1": ("A", "B"), "rep2": ("B", "A"), "rep1b": ("C", "B"), "lead1": ("A", "C"), "head2": ("B", "C")}
STAGE_PREFIX = {"opportunities": "SJ", "projects": "LX", "bids": "TB", "won": "TB", "contracts": "HT"}


def numbers_in(prefix: str, text: str) -> set[str]:
    return set(re.findall(rf"{prefix}-\d{{4}}-\d{{6}}(?!\d)", text))


def check_leaks(clients: Clients, world) -> tuple[list[str], int]:
    records = world.records
    sales = [world.departments["销售一部"], world.departments["销售二部"]]

    def check(actor):
        problems, requests = [], 0

        def get(surface, path, params=None):
            nonlocal requests
            requests += 1
            return (clients.api if surface == "api" else clients.web)[actor].get(path, params=params)

        def look(label, text, kinds, include, only=None):
            problems.extend(scan(records, actor, label, text, kinds, include, only))

        hidden = [r for r in records if r.target and not m.sees(actor, r.kind, r.chain)]
        other_department = sales[1] if m.RELATIONS[actor]["B"] != "same_dept" else sales[0]
        for path, kinds in FILTERED.items():
            variants = [{"department": other_department}]
            variants += [{"q": r.number} for r in hidden if r.kind in kinds][:1]
            if "opportunities" in path or "contracts" in path:
                variants.append({"owner": world.users["rep2" if actor != "rep2" else "rep1"]})
            for params in variants:
                response = get("api", path, params)
                if response.status_code == 200:
                    look(f"api {path}?{params}", text_of(response), kinds, False)
                elif response.status_code != 422:
                    problems.append(f"{actor}: api {path}?{params} answered {response.status_code}")
        # each customer's page lists the visible opportunities of that customer and no other
        for chain_, ids in world.ids.items():
            response = get("web", f"/customers/{ids['customer_id']}/")
            look(f"web /customers/{ids['customer_id']}/", response.text, ("opportunity",), True, only=chain_)
        # the figures count exactly the actor's records: each funnel stage as many as its drill-down list shows
        # (the same queryset by design; the list's numbers are checked above), the opportunities all of his
        funnel = {s["stage"]: s["count"] for s in get("api", "/api/v1/insights/funnel").json()["stages"]}
        for stage, count in funnel.items():
            page = get("web", f"/insights/funnel/{stage}/").text
            look(f"web /insights/funnel/{stage}/", page, (FUNNEL_KINDS[stage],), stage == "opportunities")
            listed = numbers_in(STAGE_PREFIX[stage], page)
            if count != len(listed):
                problems.append(f"{actor}: funnel stage {stage} counts {count}, its list shows {sorted(listed)}")
        mine = sum(1 for r in records if r.kind == "opportunity" and m.sees(actor, "opportunity", r.chain))
        if funnel.get("opportunities") != mine:
            problems.append(f"{actor}: funnel counts {funnel.get('opportunities')} opportunities, he sees {mine}")
        decided = sum(1 for r in records if r.kind == "bid" and r.status in ("won", "lost")
                      and m.sees(actor, "bid", r.chain))
        finished = get("api", "/api/v1/insights/win-rate").json()["total"]["finished"]
        if finished != decided:
            problems.append(f"{actor}: win rate counts {finished} finished bids, he sees {decided}")
        bonds = sum(1 for r in records if r.kind == "bond" and m.sees(actor, "bond", r.chain))
        counted = sum(s["count"] for s in get("api", "/api/v1/insights/bonds").json()["by_status"])
        if counted != bonds:
            problems.append(f"{actor}: bond figures count {counted} bonds, he sees {bonds}")
        signed = sum(1 for r in records if r.kind == "contract" and r.signed and m.sees(actor, "contract", r.chain))
        counted = get("api", "/api/v1/insights/signed-by-month").json()["total"]["count"]
        if counted != signed:
            problems.append(f"{actor}: signed contracts by month count {counted}, he sees {signed}")
        # a record he may not see is 404 when a request names it beside one he may: a tender document read into
        # his bid's analysis, a review step decided on his contract
        if actor in CROSS:
            mine, theirs = world.ids[CROSS[actor][0]], world.ids[CROSS[actor][1]]
            for path, body in ((f"/api/v1/bids/{mine['bid_id']}/tender-analysis/extract",
                                {"document_id": theirs["doc_id"]}),
                               (f"/api/v1/contracts/{mine['contract_id']}/reviews/{theirs['step_id']}/approve", {})):
                requests += 1
                status = clients.api[actor].post(path, json=body).status_code
                if status != 404:
                    problems.append(f"{actor}: {path} naming chain {CROSS[actor][1]}'s record answered {status}")
        # everything in his inbox opens for him; nobody else's notification reaches him
        for item in get("api", "/api/v1/inbox").json()["items"]:
            if get("web", item["url"]).status_code != 200:
                problems.append(f"{actor}: inbox item {item['title']} ({item['url']}) does not open for him")
        for surface, path in (("api", "/api/v1/notifications"), ("web", "/notifications/")):
            text = text_of(get(surface, path))
            if not present_text(f"矩阵通知 {actor}", text):
                problems.append(f"{actor}: {surface} {path} misses his own notification")
            for other in m.ACTORS:
                if other != actor and present_text(f"矩阵通知 {other}", text):
                    problems.append(f"{actor}: {surface} {path} shows {other}'s notification")
        return problems, requests

    results = for_each_actor(check, m.ACTORS)
    return [p for problems, _n in results for p in problems], sum(n for _p, n in results)


def present_text(needle: str, text: str) -> bool:
    return re.search(re.escape(needle) + r"(?!\w)", text) is not None


@pytest.fixture
def quick_server(live_server, monkeypatch, settings):
    """The live server, tuned for thousands of small requests (nothing the access rules depend on):
    - without Nagle's algorithm: its handler writes the headers and the body apart, and the second write would
      wait for the client's delayed ACK (40 ms a request);
    - keeping its database connection between the requests of a client's connection, as PostgreSQL is
      configured to anyway (SQLite reconnects on every request: a third of a small request's time);
    - saving a session only when it changes (the idle timeout's save on every request is a write per page)."""
    from django.core.servers.basehttp import WSGIRequestHandler
    from django.db import connections
    monkeypatch.setattr(WSGIRequestHandler, "disable_nagle_algorithm", True)
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", None)
    settings.SESSION_SAVE_EVERY_REQUEST = False
    return live_server


@pytest.mark.django_db(transaction=True)
def test_access_matrix_and_zero_leaks(quick_server, org):
    live_server = quick_server
    started = time.monotonic()
    world = build(org)
    clients = Clients(live_server.url, org)
    built = time.monotonic()
    leaks, leak_requests = check_leaks(clients, world)
    checked = time.monotonic()
    mismatches, listed, row_count = run_matrix(clients, world)
    leaks += listed
    done = time.monotonic()
    timing = (f"data {built - started:.1f}s, leak checks {leak_requests} requests {checked - built:.1f}s, "
              f"matrix {row_count} rows {done - checked:.1f}s")
    print(timing)
    report = []
    if leaks:
        report += ["ZERO-LEAK FAILURES", *leaks]
    if mismatches:
        report += [f"MATRIX MISMATCHES ({len(mismatches)} of {row_count} rows)", *mismatches]
    assert not report, "\n".join([*report, timing])
