"""Who is asking: the reader's IP address, also behind a reverse proxy."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address for rate limits and moderation, or None.

    Behind ``DJANGO_TRUSTED_PROXY_COUNT`` reverse proxies (nginx, a load balancer)
    REMOTE_ADDR is the last proxy; the client is then the address that many hops
    from the right in X-Forwarded-For (entries further left can be forged by the
    client, so they are never used).
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def network_key(ip_address):
    """Who is asking, for limits: an IPv4 address, an IPv6 /64 (one household), or "unknown" (shared).

    An IPv4 address seen through a dual-stack socket (``::ffff:192.0.2.1``) counts as itself.
    """
    try:
        address = ipaddress.ip_address(ip_address or "")
    except ValueError:
        return "unknown"
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
