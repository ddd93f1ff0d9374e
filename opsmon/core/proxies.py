"""The real client address behind trusted proxies (issue 19).

Behind nginx every request arrives from nginx's own address. The client's address is then the last entry of
`X-Forwarded-For` that was not added by a proxy we trust (`TRUSTED_PROXIES`: addresses or networks, comma-separated).
A header sent by anyone else is ignored, so a client cannot choose the address his login failures are counted
against. `TrustedProxyMiddleware` (first in MIDDLEWARE when TRUSTED_PROXIES is set) puts that address into
`REMOTE_ADDR`, so login throttling (axes), the audit log and everything else see the client, never the proxy; the
peer's own address stays in `request.META["OPSMON_PEER_ADDR"]`. Without TRUSTED_PROXIES nothing changes.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in networks)


def real_client_address(remote_addr: str, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The client's address: `remote_addr` unless it is a trusted proxy; then, walking `X-Forwarded-For` from the
    right (the entry our own proxy added), the first address that is not a trusted proxy itself."""
    networks = _networks(tuple(trusted))
    if not networks or not forwarded_for or not _trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    client = remote_addr
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop.strip("[]"))
        except ValueError:
            break  # garbage in the header: stop at the last address we could vouch for
        client = hop.strip("[]")
        if not _trusted(client, networks):
            break
    return client


def client_ip(request) -> str:
    """AXES_CLIENT_IP_CALLABLE: the address the middleware settled on (REMOTE_ADDR), computed here too so a request
    that did not pass through the middleware (axes is also called from the token endpoint) gets the same answer."""
    if "OPSMON_PEER_ADDR" in request.META:
        return request.META.get("REMOTE_ADDR", "")
    return real_client_address(request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR"),
                               tuple(getattr(settings, "TRUSTED_PROXIES", ())))


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        peer = request.META.get("REMOTE_ADDR", "")
        if "OPSMON_PEER_ADDR" not in request.META:
            request.META["OPSMON_PEER_ADDR"] = peer
            request.META["REMOTE_ADDR"] = real_client_address(
                peer, request.META.get("HTTP_X_FORWARDED_FOR"), tuple(settings.TRUSTED_PROXIES))
        return self.get_response(request)
