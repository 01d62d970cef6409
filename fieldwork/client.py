"""The client's address: who is on the other end of a request, as far as the trusted proxies say.

The public channel's rate limits count attempts by it. It reads the same settings as django-axes
(sign-in protection), so both see the same address behind the same proxies.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from ipware import get_client_ip


def client_address(request) -> str:
    """The client's address, found the way django-axes finds it (through the trusted proxies only).

    An IPv6 client usually holds a whole /64, so it is counted per /64 network.
    """
    address, _routable = get_client_ip(
        request,
        proxy_order=getattr(settings, "AXES_IPWARE_PROXY_ORDER", "left-most"),
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        proxy_trusted_ips=getattr(settings, "AXES_IPWARE_PROXY_TRUSTED_IPS", None),
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
