"""The opportunity list API answers any page with a fixed number of queries (no N+1), pinned here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsmon.accounts.services import token_issue
from opsmon.opportunities.services import opportunity_convert
from opsmon.opportunities.tests.factories import opportunity

# A bearer token: the token with its user, department and roles (one query), then the page. A session adds its
# own read and save and reads the user with his roles (accounts.backends). A department head's list asks one more
# (the ids of his departments). Code labels are this process's copy (core.versions), read by the first request.
MAX_QUERIES = 5
SESSION_MAX_QUERIES = 8


def statements(captured) -> list[str]:
    """The SQL a request runs, without the savepoints the test's own transaction wraps the session save in
    (outside a test that save is a plain UPDATE in its own transaction)."""
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


@pytest.fixture
def many(org):
    """210 opportunities of 销售一部: some with a team, some converted."""
    rep1, rep1b, head1 = org["rep1"], org["rep1b"], org["head1"]
    made = []
    for i in range(210):
        owner = rep1 if i % 3 else rep1b
        made.append(opportunity(owner, member_ids=[rep1b.pk if owner == rep1 else rep1.pk] if i % 4 == 0 else [],
                                industry="energy", region="110000", source="visit"))
    for o in made[:30]:
        opportunity_convert(actor=head1, opportunity=o)
    return made


def test_opportunity_list_api_needs_at_most_eight_queries_whatever_the_page_size(client, org, many):
    for username in ("rep1", "head1", "market1"):
        client.force_login(org[username])
        client.get("/api/v1/opportunities?page_size=1")  # the process's first read of the code labels
        for page_size in (1, 50, 200):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/v1/opportunities?page_size={page_size}&ordering=-created_at")
            assert response.status_code == 200, response.content
            body = response.json()
            assert len(body["items"]) == min(page_size, body["count"]) and body["count"] >= 140
            assert len(statements(queries)) <= SESSION_MAX_QUERIES, (username, page_size, statements(queries))


def test_filtered_list_with_a_bearer_token_stays_within_the_limit(client, org, many):
    key, _ = token_issue(user=org["rep1"])
    # The first request reads the code labels and notes the token's use (at most every 5 minutes).
    client.get("/api/v1/opportunities?page_size=1", headers={"Authorization": f"Bearer {key}"})
    for page_size in (1, 50, 200):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/opportunities?page_size={page_size}&status=tracking&industry=energy"
                                  "&q=%E9%A1%B9%E7%9B%AE&amount_min=1000&ordering=-estimated_amount",
                                  headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200, response.content
        assert response.json()["count"] > 0
        assert len(statements(queries)) <= MAX_QUERIES, (page_size, statements(queries))
