"""Fetching an article's web page with httpx, within limits, for reader mode.

Every request has connect and read timeouts, a clear user agent and a body
cap enforced while the body streams in, not after. Redirects are followed
here, hop by hop, so that each address is checked before it is asked for:
only `http` and `https`, at most `Limits.redirects` hops. Only HTML is
kept. Whatever happens is an `Outcome` with its own wording for the reader;
nothing here raises for a network reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from tui.data.sanitize import visible
from tui.data.urls import is_web_url

if TYPE_CHECKING:
    import httpx

PROJECT_URL = "https://github.com/newsdeck/newsdeck"
PAGE_TYPES = ("text/html", "application/xhtml+xml")
IMAGE_TYPES = ("image/",)
"""A prefix ending in `/` accepts every type under it."""
_REDIRECTS = (301, 302, 303, 307, 308)
_BUSY = (429, 503)
"""Answers that may say when to ask again (`Retry-After`)."""


@dataclass(frozen=True, slots=True)
class Limits:
    connect_seconds: float = 10.0
    read_seconds: float = 10.0
    redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024


IMAGE_LIMITS = Limits(max_bytes=10 * 1024 * 1024)

AddressCheck = Callable[[str], Awaitable[str | None]]
"""Asked before each hop with its address: a reason to refuse it (said to the reader), or None."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What asking for a page gave. `kind` is one of the KINDS; `message` says it for the reader."""

    kind: str
    url: str
    final_url: str = ""
    status: int | None = None
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    message: str = ""
    retry_after: float | None = None
    """For a 429 or 503: the seconds its `Retry-After` asks to wait (0 for a date passed), if it says."""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


KINDS = (
    "ok",
    "not-modified",
    "offline",
    "timeout",
    "http-error",
    "too-many-redirects",
    "not-web",
    "not-a-page",
    "too-large",
    "refused",
)


@functools.cache
def user_agent() -> str:
    import tui  # its version is looked up in the installed metadata: once is enough

    return f"newsdeck/{tui.__version__} (+{PROJECT_URL})"


async def open_client(limits: Limits = Limits()) -> httpx.AsyncClient:
    """`make_client`, made in a thread: the first one imports httpx and its HTTP/2 stack.

    That is tens of milliseconds on a quiet machine, but seconds while another thread of
    the reader is busy (finding stories, building the word index), and on the event loop
    it would stall every key for as long.
    """
    return await asyncio.to_thread(_client_ready, limits)


def _client_ready(limits: Limits) -> httpx.AsyncClient:
    client = make_client(limits)
    # Imported on a client's first connection otherwise, on the event loop (a module of
    # httpcore's own: if a version moves it, it is imported there as before).
    with contextlib.suppress(ImportError):
        from httpcore._backends import anyio  # noqa: F401
    return client


def make_client(limits: Limits = Limits()) -> httpx.AsyncClient:
    """One client for many requests: pooled connections, our user agent, our timeouts."""
    import httpx

    timeout = httpx.Timeout(limits.read_seconds, connect=limits.connect_seconds)
    return httpx.AsyncClient(
        headers={"User-Agent": user_agent(), "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
        timeout=timeout,
        http2=True,  # where the server offers it over TLS; HTTP/1.1 otherwise
        follow_redirects=False,  # followed here, each address checked first
    )


def _host(url: str) -> str:
    try:
        return visible(urlsplit(url).hostname or url)
    except ValueError:
        return visible(url)


async def fetch_page(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    limits: Limits = Limits(),
    accept: tuple[str, ...] = PAGE_TYPES,
    check_address: AddressCheck | None = None,
) -> Outcome:
    """The page at `url` (conditionally, given validators from an earlier fetch).

    `accept` names the content types kept (`image/` for any image); `check_address`, when
    given, may refuse any hop, the first included (the bulk fetch keeps to public addresses).
    """
    import httpx

    if not is_web_url(url):
        return Outcome("not-web", url, message="Only http and https addresses are fetched.")
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    try:
        for _ in range(limits.redirects + 1):
            if check_address is not None and (refusal := await check_address(current)) is not None:
                return Outcome("refused", url, final_url=current, message=refusal)
            async with client.stream("GET", current, headers=headers) as response:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    target = urljoin(current, response.headers["location"])
                    if not is_web_url(target):
                        scheme = visible(urlsplit(target).scheme or "unknown") if ":" in target else "unknown"
                        return Outcome("not-web", url, message=f"Refused a redirect to a {scheme}: address.")
                    current = target
                    continue
                return await _answer(response, url, current, limits, accept)
        return Outcome(
            "too-many-redirects", url, message=f"Too many redirects (more than {limits.redirects})."
        )
    except httpx.TimeoutException:
        return Outcome("timeout", url, final_url=current, message=f"{_host(current)} did not answer in time.")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        # httpx reads a redirect's address before handing the response over: one it cannot
        # even parse (`javascript:…`) fails there, and is refused like any other.
        return Outcome(
            "not-web",
            url,
            final_url=current,
            message="Refused a redirect to an address that is not a web page's.",
        )
    except httpx.TransportError as error:
        return Outcome("offline", url, final_url=current, message=_unreachable(current, error))
    except httpx.DecodingError:
        return Outcome(
            "http-error",
            url,
            final_url=current,
            message=f"{_host(current)} sent a page that could not be decoded (broken compression).",
        )
    except httpx.HTTPError as error:  # any other way a request can fail is still only an outcome
        return Outcome("http-error", url, final_url=current, message=f"{_host(current)}: {visible(error)}.")


def retry_after(value: str, now: float | None = None) -> float | None:
    """A `Retry-After` value in seconds from `now`: a number of seconds or an HTTP date; None if neither."""
    import email.utils
    import time
    from datetime import UTC

    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT, whether or not it says so
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _accepted(kind: str, accept: tuple[str, ...]) -> bool:
    return any(kind.startswith(wanted) if wanted.endswith("/") else kind == wanted for wanted in accept)


async def _answer(
    response: httpx.Response, url: str, final: str, limits: Limits, accept: tuple[str, ...]
) -> Outcome:
    status = response.status_code
    if status == 304:
        return Outcome("not-modified", url, final_url=final, status=status)
    if status >= 400:
        phrase = visible(response.reason_phrase or "")
        return Outcome(
            "http-error",
            url,
            final_url=final,
            status=status,
            message=f"{_host(final)} answered {status} {phrase}.",
            retry_after=retry_after(response.headers.get("retry-after", "")) if status in _BUSY else None,
        )
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not _accepted(kind, accept):
        shown = visible(kind or "no content type")
        message = f"Not {_noun(accept)} ({shown})" + (": o opens it." if accept == PAGE_TYPES else ".")
        return Outcome("not-a-page", url, final_url=final, status=status, message=message)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        return _too_large(url, final, limits, accept)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            return _too_large(url, final, limits, accept)  # leaving the block closes the connection
        chunks.append(chunk)
    return Outcome(
        "ok",
        url,
        final_url=final,
        status=status,
        body=b"".join(chunks),
        etag=visible(response.headers.get("etag", "")),
        last_modified=visible(response.headers.get("last-modified", "")),
    )


_NAME_NOT_FOUND = ("name or service not known", "nodename nor servname", "name resolution", "getaddrinfo")


def _unreachable(url: str, error: Exception) -> str:
    """Offline, or the name not found, said plainly; anything else with the system's reason."""
    reason = str(error)
    if any(words in reason.lower() for words in _NAME_NOT_FOUND):
        return f"Could not find {_host(url)}: its name has no address (offline, or a mistyped link?)."
    if not reason or reason.lower().startswith(("all connection attempts failed", "[errno 111]")):
        # httpx's words for "nothing answered" say nothing to a reader: say what it may mean.
        return f"Could not reach {_host(url)}: nothing answered (offline, or the site is down?)."
    return f"Could not reach {_host(url)}: {visible(reason)}."


def _noun(accept: tuple[str, ...]) -> str:
    return "a web page" if accept == PAGE_TYPES else "an image" if accept == IMAGE_TYPES else "as asked"


def _too_large(url: str, final: str, limits: Limits, accept: tuple[str, ...]) -> Outcome:
    megabytes = limits.max_bytes / (1024 * 1024)
    what = "page" if accept == PAGE_TYPES else "image" if accept == IMAGE_TYPES else "answer"
    return Outcome("too-large", url, final_url=final, message=f"The {what} is larger than {megabytes:g} MB.")
