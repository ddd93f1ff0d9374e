"""One visibility path (issue 15, item 2): for every demo user, over real HTTP, the records of each list API (all
its pages) are exactly the records whose detail answers 200 (every other record of the database answers 404),
and exactly the records the dashboards count: the insights scopes hold the same ids, and the funnel's stages and
the win rate count them over a period that covers every date of the data."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db.models import Max, Min
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.accounts.viewer import request_scope, viewer_of
from opsmon.bids.choices import BidStatus
from opsmon.bids.models import Bid
from opsmon.contracts.models import Contract
from opsmon.demo import LOADERS
from opsmon.insights import scope
from opsmon.opportunities.models import Opportunity
from opsmon.projects.models import Project

RESOURCES = {  # API path: (model, the insights scope)
    "opportunities": (Opportunity, scope.opportunities),
    "projects": (Project, scope.projects),
    "bids": (Bid, scope.bids),
    "contracts": (Contract, scope.contracts),
}
PAGE_SIZE = 5  # small, so every list runs over several pages


@pytest.fixture
def demo(org):
    for loader in LOADERS[1:]:
        loader()
    for model, _scope in RESOURCES.values():
        assert model.objects.exists(), model.__name__
    return org


def listed(client, resource: str) -> list[int]:
    """The ids of every page of the list API."""
    ids, page = [], 1
    while True:
        response = client.get(f"/api/v1/{resource}", params={"page": page, "page_size": PAGE_SIZE})
        assert response.status_code == 200, (resource, response.text)
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        if not body["items"] or len(ids) >= body["count"]:
            assert body["count_exact"] and body["count"] == len(ids), (resource, body["count"], len(ids))
            return ids
        page += 1


def period() -> dict:
    """from/to covering every creation, signing and result date of the demo records."""
    dates = [timezone.localdate()]
    for model, field in ((Contract, "signed_on"), (Bid, "result_known_on")):
        found = model.objects.aggregate(first=Min(field), last=Max(field))
        dates += [d for d in found.values() if d is not None]
    for model, _scope in RESOURCES.values():
        found = model.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
        dates += [timezone.localtime(d).date() for d in found.values()]
    return {"from": (min(dates) - timedelta(days=1)).isoformat(), "to": (max(dates) + timedelta(days=1)).isoformat()}


def currencies() -> set[str]:
    return {c for model, _scope in RESOURCES.values() for c in model.objects.values_list("currency", flat=True)}


def dashboard_counts(client, dates: dict) -> dict[str, int]:
    """{stage: count} of the funnel and the win rate's finished bids, summed over every currency of the data."""
    counts: dict[str, int] = {}
    for currency in sorted(currencies()):
        params = {**dates, "currency": currency}
        response = client.get("/api/v1/insights/funnel", params=params)
        assert response.status_code == 200, response.text
        for stage in response.json()["stages"]:
            counts[stage["stage"]] = counts.get(stage["stage"], 0) + stage["count"]
        response = client.get("/api/v1/insights/win-rate", params=params)
        assert response.status_code == 200, response.text
        counts["finished"] = counts.get("finished", 0) + response.json()["total"]["finished"]
    return counts


def answers_of(client, everything: dict, missing: int, dates: dict) -> dict:
    """What one user's client is told: each list's ids, each record's detail status, the funnel's counts."""
    out = {"dashboards": dashboard_counts(client, dates)}
    for resource in RESOURCES:
        out[resource] = (listed(client, resource),
                         {pk: client.get(f"/api/v1/{resource}/{pk}").status_code
                          for pk in sorted(everything[resource]) + [missing]})
    return out


def test_lists_details_and_dashboards_agree_for_every_demo_user(demo, http):
    everything = {resource: set(model.objects.values_list("pk", flat=True))
                  for resource, (model, _scope) in RESOURCES.items()}
    missing = max(pk for ids in everything.values() for pk in ids) + 1000
    dates = period()
    # People only: an outside system's account has no password and is confined to the status route
    # (opsmon/integrations/tests/test_scope.py).
    users = list(User.objects.filter(is_active=True).exclude(groups__name="integration").order_by("username"))
    # Read only, so the users' requests run side by side (each answer waits on the network more than it works).
    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        told = list(pool.map(lambda user: answers_of(http(user.username), everything, missing, dates), users))
    seen_somewhere = {resource: set() for resource in RESOURCES}
    for user, answers in zip(users, told, strict=True):
        ids = {}
        for resource, (_model, dashboard) in RESOURCES.items():
            in_list, details = answers[resource]
            assert len(in_list) == len(set(in_list)), (user.username, resource, "a record listed twice")
            ids[resource] = set(in_list)
            seen_somewhere[resource] |= ids[resource]
            # Detail: 200 for exactly the listed ids, 404 for every other record (and for one that does not exist).
            assert {pk for pk, status in details.items() if status == 200} == ids[resource], (user.username,
                                                                                               resource)
            assert {status for pk, status in details.items() if pk not in ids[resource]} == {404}, (
                user.username, resource, details)
            # The dashboards' scope (insights) holds the same records.
            assert set(dashboard(user).values_list("pk", flat=True)) == ids[resource], (user.username, resource)
        # The dashboards count them: every record was created in the period, the won bids and signed contracts
        # reached that stage in it, the finished bids' results became known in it.
        expected = {
            "opportunities": len(ids["opportunities"]),
            "projects": len(ids["projects"]),
            "bids": len(ids["bids"]),
            "won": Bid.objects.filter(pk__in=ids["bids"], status=BidStatus.WON,
                                      result_known_on__isnull=False).count(),
            "contracts": Contract.objects.filter(pk__in=ids["contracts"], signed_on__isnull=False).count(),
            "finished": Bid.objects.filter(pk__in=ids["bids"], result_known_on__isnull=False, status__in=[
                BidStatus.WON, BidStatus.LOST, BidStatus.ABANDONED]).count(),
        }
        assert answers["dashboards"] == expected, user.username
    # Not trivially everything or nothing: the see-all roles list every record, a sales rep fewer.
    assert seen_somewhere == everything
    rep2 = users[[u.username for u in users].index("rep2")]
    assert 0 < len(scope.opportunities(rep2)) < len(everything["opportunities"])


def test_the_viewer_is_resolved_once_per_request_and_nothing_sticks_to_the_user(org, django_assert_num_queries):
    head = User.objects.get(username="head1")
    head.roles  # noqa: B018 - the user's own groups, read once by the model
    before = set(vars(head))
    with django_assert_num_queries(1):  # his departments, in one query, each time outside a request
        viewer = viewer_of(head)
    assert viewer.head_departments and viewer.department_path and viewer.has_role("dept_head")
    for figure in RESOURCES.values():
        figure[1](head).count()
    assert viewer_of(viewer) is viewer
    with request_scope(), django_assert_num_queries(1):
        assert viewer_of(head) == viewer and viewer_of(head) is viewer_of(head)
    assert set(vars(head)) == before  # nothing written on the user object
    head.is_active = False
    assert not viewer_of(head).is_active and not scope.opportunities(head).exists()
