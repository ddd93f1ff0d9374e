"""The client's address behind nginx (issue 19): X-Forwarded-For believed only from TRUSTED_PROXIES, never the
proxy's own address; login throttling and the audit log count against the real client."""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from opsmon.core.proxies import real_client_address

TRUSTED = ("127.0.0.1", "10.0.1.0/24")
PROXY = "127.0.0.1"


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("127.0.0.1", "203.0.113.5", "203.0.113.5"),                      # through our proxy
    ("127.0.0.1", "10.9.9.9, 203.0.113.5", "203.0.113.5"),            # a forged entry before the real one
    ("127.0.0.1", "203.0.113.5, 10.0.1.7", "203.0.113.5"),            # two proxies of ours
    ("127.0.0.1", "10.0.1.7, 10.0.1.8", "10.0.1.7"),                  # only proxies: the farthest
    ("127.0.0.1", "not-an-address, 203.0.113.5", "203.0.113.5"),
    ("127.0.0.1", "203.0.113.5, garbage", "127.0.0.1"),               # unreadable: stop at what we can vouch for
    ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ("198.51.100.7", "203.0.113.5", "198.51.100.7"),                  # not a proxy of ours: header ignored
    ("127.0.0.1", None, "127.0.0.1"),
])
def test_the_client_address(peer, forwarded, expected):
    assert real_client_address(peer, forwarded, TRUSTED) == expected


def test_without_trusted_proxies_the_header_is_never_read():
    assert real_client_address("127.0.0.1", "203.0.113.5", ()) == "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.MIDDLEWARE = ["opsmon.core.proxies.TrustedProxyMiddleware", *settings.MIDDLEWARE]
    return settings


def login(client, password, *, peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/login/", {"username": "rep2", "password": password}, **extra)


def test_failures_through_the_proxy_lock_the_client_not_the_proxy(client, org, behind_nginx, caplog):
    caplog.set_level(logging.INFO, logger="opsmon.audit")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-password", peer=PROXY, forwarded="203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert "login failed user=rep2 ip=203.0.113.5" in caplog.text
    # locked from that client, even with the right password and a forged header in front
    assert login(client, "opsmon-demo", peer=PROXY, forwarded="10.9.9.9, 203.0.113.5").status_code == 429
    # another client of the same proxy is not: the lock is not on the proxy's address
    assert login(client, "opsmon-demo", peer=PROXY, forwarded="203.0.113.6").status_code == 302


def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address(client, org, behind_nginx):
    for i in range(settings.AXES_FAILURE_LIMIT):  # a new forged address each time: all counted against the peer
        login(client, "wrong-password", peer="198.51.100.7", forwarded=f"203.0.113.{i + 10}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    assert login(client, "opsmon-demo", peer="198.51.100.7", forwarded="203.0.113.99").status_code == 429


def test_the_token_endpoint_counts_the_same_address(client, org, behind_nginx):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token", {"username": "rep2", "password": "wrong-password"},
                    content_type="application/json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    locked = client.post("/api/v1/auth/token", {"username": "rep2", "password": "opsmon-demo"},
                         content_type="application/json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
