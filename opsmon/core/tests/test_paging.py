"""Lists count exactly up to a cap and then say "more than": the API's count_exact and the list page's wording."""

import pytest
from django.urls import reverse
from django.utils import translation

from opsmon.accounts.models import User
from opsmon.core import paging
from opsmon.opportunities.tests import factories


def test_capped_count_is_exact_up_to_the_cap_and_says_so_beyond(org):
    users = User.objects.all()
    total = users.count()
    assert paging.capped_count(users, cap=total) == (total, True)
    assert paging.capped_count(users, cap=total - 1) == (total - 1, False)
    assert paging.capped_count(users.none(), cap=3) == (0, True)


@pytest.mark.django_db(transaction=True)
def test_api_list_reports_a_capped_count_and_still_serves_the_pages_past_it(http, org, monkeypatch):
    for _ in range(5):
        factories.opportunity(org["rep1"])
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    rep = http("rep1")
    first = rep.get("/api/v1/opportunities?page_size=2").json()
    assert (first["count"], first["count_exact"], len(first["items"])) == (3, False, 2)
    last = rep.get("/api/v1/opportunities?page_size=2&page=3").json()
    assert len(last["items"]) == 1  # the fifth row, past the cap
    narrowed = rep.get(f"/api/v1/opportunities?page_size=2&q={first['items'][0]['number']}").json()
    assert (narrowed["count"], narrowed["count_exact"]) == (1, True)
    other = http("rep2").get("/api/v1/opportunities").json()  # the cap counts only what the actor sees
    assert (other["count"], other["count_exact"]) == (0, True)


def test_list_page_says_more_than_the_cap(browser, org, monkeypatch):
    for _ in range(4):
        factories.opportunity(org["rep1"])
    client = browser("rep1")
    with translation.override("en"):
        assert "4 opportunities" in client.get(reverse("opportunities:list"), HTTP_ACCEPT_LANGUAGE="en").text
        monkeypatch.setattr(paging, "COUNT_CAP", 3)
        page = client.get(reverse("opportunities:list"), HTTP_ACCEPT_LANGUAGE="en").text
    assert "More than 3 opportunities" in page and "4 opportunities" not in page
