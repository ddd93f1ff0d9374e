"""The integration account admin pages: admin only, accounts through the services, a token shown once."""

import hashlib

import pytest
from django.urls import reverse

from opsmon.accounts.models import ApiToken
from opsmon.integrations.models import IntegrationAccount

from .factories import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def pms(org):
    return account(org)


def pages(acct):
    return [reverse("integrations:account_list"), reverse("integrations:account_create"),
            reverse("integrations:account_detail", args=[acct.pk])]


@pytest.mark.parametrize("username", ["head1", "rep1", "market1", "finance1"])
def test_pages_and_actions_are_403_for_non_admins(browser, pms, username):
    client = browser(username)
    for url in pages(pms):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("integrations:account_token_issue", args=[pms.pk])).status_code == 403
    assert client.post(reverse("integrations:account_create"),
                       {"username": "x1", "display_name": "X"}).status_code == 403
    assert not ApiToken.objects.filter(user=pms.user).exists() and IntegrationAccount.objects.count() == 1


def test_pages_render_for_the_admin(browser, pms):
    client = browser("admin")
    for url in pages(pms):
        assert client.get(url).status_code == 200, url
    assert "项目监控系统" in client.get(reverse("integrations:account_list")).content.decode()
    assert client.get(reverse("integrations:account_detail", args=[999999])).status_code == 404


def test_the_admin_creates_an_account_and_a_refusal_keeps_the_input(browser, org):
    client = browser("admin")
    refused = client.post(reverse("integrations:account_create"), {"username": "Bad Name!", "display_name": "监控"})
    assert refused.status_code == 200 and 'value="监控"' in refused.content.decode()
    assert not IntegrationAccount.objects.exists()
    made = client.post(reverse("integrations:account_create"),
                       {"username": "pms", "display_name": "项目监控系统", "receives_handoffs": "on"})
    acct = IntegrationAccount.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("integrations:account_detail", args=[acct.pk])
    assert acct.user.roles == frozenset({"integration"}) and acct.receives_handoffs


def test_a_token_is_shown_once_stored_hashed_and_revoked(browser, pms):
    client = browser("admin")
    issued = client.post(reverse("integrations:account_token_issue", args=[pms.pk]))
    html = issued.content.decode()
    token = ApiToken.objects.get(user=pms.user)
    key = html.split('data-testid="new-token-key">')[1].split("<")[0]
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash and issued["Cache-Control"] == "no-store"
    assert key not in client.get(reverse("integrations:account_detail", args=[pms.pk])).content.decode()
    assert client.get(reverse("integrations:account_token_issue", args=[pms.pk])).status_code == 405
    revoked = client.post(reverse("integrations:account_token_revoke", args=[pms.pk, token.pk]))
    token.refresh_from_db()
    assert revoked.status_code == 302 and token.revoked_at is not None


def test_the_admin_deactivates_the_account(browser, pms):
    client = browser("admin")
    response = client.post(reverse("integrations:account_detail", args=[pms.pk]),
                           {"display_name": "项目监控系统（停用）", "receives_handoffs": ""})
    pms.refresh_from_db()
    pms.user.refresh_from_db()
    assert response.status_code == 302
    assert (pms.user.is_active, pms.receives_handoffs, pms.display_name) == (False, False, "项目监控系统（停用）")
    refused = client.post(reverse("integrations:account_detail", args=[pms.pk]), {"display_name": ""})
    assert refused.status_code == 422
