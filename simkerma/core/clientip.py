"""The client's address, read through the trusted reverse proxies only.

Behind a TLS proxy every connection comes from the proxy, so REMOTE_ADDR alone would make
one client of the whole world. X-Forwarded-For cannot be taken as it is either: a client
may send any value in it. The address is read from the right-hand end of the forwarding
chain, skipping only hops the deployment trusts:

- SIMKERMA_TRUSTED_PROXY_COUNT = n: exactly n proxies stand in front of the server, so the
  client is the n-th address from the right of X-Forwarded-For + REMOTE_ADDR;
- SIMKERMA_TRUSTED_PROXIES = addresses or networks: hops from these are skipped from the
  right, and the first address not among them is the client.

With neither set (the default), the address is REMOTE_ADDR and X-Forwarded-For is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    parsed = ipaddress.ip_address(address)
    return any(parsed in network for network in networks)


def forwarding_chain(request: HttpRequest) -> list[str]:
    """X-Forwarded-For then REMOTE_ADDR, oldest hop first; a malformed entry ends the chain there."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "unknown"
    chain: list[str] = []
    for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(","):
        if entry.strip():
            chain.append(_valid(entry) or "")
    # Anything left of a malformed entry cannot be trusted to be in order.
    if "" in chain:
        chain = chain[len(chain) - chain[::-1].index("") :]
    return [*chain, remote]


def client_address(request: HttpRequest) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "unknown"
    count = int(settings.SIMKERMA_TRUSTED_PROXY_COUNT or 0)
    proxies = tuple(settings.SIMKERMA_TRUSTED_PROXIES or ())
    if count <= 0 and not proxies:
        return remote
    chain = forwarding_chain(request)
    if count > 0:
        return chain[max(0, len(chain) - 1 - count)]
    networks = _networks(proxies)
    for address in reversed(chain):
        if address == "unknown" or not _trusted(address, networks):
            return address
    return chain[0]


def axes_client_address(request: HttpRequest) -> str | None:
    """django-axes asks with the request it was given, which may be missing META in odd callers.

    Its logs keep the address in an IP address column (PostgreSQL's inet refuses anything else), so a
    client without a readable address (a Unix-socket proxy, a login made by code) is logged as None.
    """
    if not hasattr(request, "META"):
        return None
    address = client_address(request)
    return None if address == "unknown" else address
