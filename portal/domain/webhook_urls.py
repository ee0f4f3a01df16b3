"""Which addresses a webhook may be sent to (pure: no network, no Flask).

The portal posts to whatever an admin registers, so a careless (or stolen) admin account
must not turn it into a way to reach the firm's own network: only https, and never a
loopback, private, link-local or otherwise non-public address. Host names are checked by
what they resolve to, at registration and again before each post (portal.core.webhooks).
`allow_private` is the development setting that lifts both rules, for a local receiver.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

SCHEME = "scheme"
HOST = "host"
PRIVATE = "private"

LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".localdomain")


def host_of(url: str) -> str:
    """The URL's host name or address, lower-case, without brackets ('' if it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_public_address(address: str) -> bool:
    """True for a globally routable IP address (not loopback, private, link-local, reserved …)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def url_problem(url: str, allow_private: bool = False) -> str | None:
    """What is wrong with `url` as a webhook address before any look-up: SCHEME, HOST, PRIVATE, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return HOST
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        return SCHEME
    host = host_of(url)
    if not host or parts.username or parts.password:
        return HOST
    if allow_private:
        return None
    if host == LOCAL_NAMES[0] or host.endswith(LOCAL_NAMES[1:]):
        return PRIVATE
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: judged by what it resolves to
    return None if is_public_address(host) else PRIVATE


def resolved_problem(addresses: Iterable[str]) -> str | None:
    """HOST if the name resolved to nothing, PRIVATE if to any non-public address, else None."""
    found = list(addresses)
    if not found:
        return HOST
    return None if all(is_public_address(address) for address in found) else PRIVATE
