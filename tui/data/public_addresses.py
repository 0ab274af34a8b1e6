"""Keeping a bulk fetch to public addresses: an `AddressCheck` for `fetch_page`.

Each hop's host name is resolved and refused when any of its addresses is
loopback, private, link-local, multicast, reserved or unspecified (IP
literals too), so a hostile seed file cannot make newsdeck probe the
user's own network. A name that cannot be resolved is not refused: it is
raised as the connection error httpx would give, and told as offline.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from typing import NamedTuple
from urllib.parse import urlsplit

from tui.data.sanitize import visible

Resolver = Callable[[str], Awaitable[list[str]]]
"""A host name to its addresses (the system's lookup, or a test's)."""
PUBLIC_ONLY = "only public addresses are fetched in bulk; --allow-private allows others"


def address_kind(address: str) -> str | None:
    """What keeps `address` from being public ("loopback", "private"…), or None for a public one."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (`fe80::1%eth0`) aside
    except ValueError:
        return "unreadable"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind, matches in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),  # before private, which Python's tables say 240/4 is too
        ("private", ip.is_private),
        ("non-public", not ip.is_global),  # shared address space (100.64/10) and the like
    ):
        if matches:
            return kind
    return None


async def _system_resolver(host: str) -> list[str]:
    loop = asyncio.get_running_loop()
    found = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in found]


class _Unresolved(NamedTuple):
    timed_out: bool
    reason: str


class PublicAddresses:
    """An `AddressCheck` for `fetch_page` refusing any host with an address that is not public.

    Each host is resolved once a run. A name that cannot be resolved is raised as the
    connection error httpx would have given, so that it is told as offline, not refused.
    The known limit: httpx resolves the name again to connect, so a name whose answer
    changes between the two (DNS rebinding) is not caught.
    """

    def __init__(self, timeout: float, resolve: Resolver | None = None) -> None:
        self._timeout = timeout
        self._resolve = resolve or _system_resolver
        self._verdicts: dict[str, asyncio.Task[str | _Unresolved | None]] = {}

    async def __call__(self, url: str) -> str | None:
        import httpx

        try:
            host = urlsplit(url).hostname
        except ValueError:
            return None  # not a web address: fetch_page refuses it in its own words
        if not host:
            return None
        task = self._verdicts.get(host)
        if task is None:
            task = self._verdicts[host] = asyncio.ensure_future(self._verdict(host))
        # Shielded: one caller stopped must not cancel the answer others wait for.
        verdict = await asyncio.shield(task)
        if isinstance(verdict, _Unresolved):
            if verdict.timed_out:
                raise httpx.ConnectTimeout(verdict.reason)
            raise httpx.ConnectError(verdict.reason)
        return verdict

    async def _verdict(self, host: str) -> str | _Unresolved | None:
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
            addresses = [host]
        except ValueError:
            try:
                addresses = await asyncio.wait_for(self._resolve(host), self._timeout)
            except TimeoutError:
                return _Unresolved(True, f"looking up {host} took too long")
            except (OSError, UnicodeError) as error:
                # socket.gaierror says "Name or service not known": fetch's wording for it follows.
                return _Unresolved(False, str(error) or "name resolution failed")
        for address in addresses:
            kind = address_kind(address)
            if kind is not None:
                where = f"a {kind} address" if address == host else f"at {visible(address)}, a {kind} address"
                return f"Refused {visible(host)}: {where} ({PUBLIC_ONLY})."
        return None

    def close(self) -> None:
        for task in self._verdicts.values():
            task.cancel()
