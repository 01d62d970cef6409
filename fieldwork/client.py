"""The client's address: who is on the other end of a request, as far as the trusted proxies say.

One function for every use: django-axes (sign-in protection) calls it through AXES_CLIENT_IP_CALLABLE,
and the public channel's rate limits count by it.

Behind N trusted proxies (settings.TRUSTED_PROXY_COUNT; nginx alone is 1) each proxy appends the
address it saw to X-Forwarded-For, so the Nth entry from the right is the address the outermost
trusted proxy saw. Entries to its left were written by the client or by proxies nobody vouches for,
and are ignored. With no trusted proxy the header is ignored altogether and the peer (REMOTE_ADDR)
is the client.

django-ipware is not used here: it ranks candidates by kind of address and reads proxy counts as
"proxies in the header", so the address it returns behind nginx is not simply the entry nginx wrote.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's address as the trusted proxies saw it; None when there is none (no peer address).

    If the header is shorter than the number of trusted proxies, or the entry at that place is not an
    address, the request did not come through them as configured, and the peer is taken instead: one
    shared address, so a misconfiguration makes limits stricter, never looser.

    An IPv6 client usually holds a whole /64, so it is counted per /64: the network's first address
    stands for it ("2001:db8:1:2::"), still an address, as django-axes stores it.
    """
    peer = request.META.get("REMOTE_ADDR") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    chosen = peer
    if count > 0:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(entries) >= count and _parse(entries[-count]) is not None:
            chosen = entries[-count]
    parsed = _parse(chosen)
    if parsed is None:
        return None
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy may write it: bare, "1.2.3.4:port" or "[v6]:port"; None if it is none."""
    value = value.strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None  # a zone ("fe80::1%eth0") names a link on some machine, not a client
    return address
