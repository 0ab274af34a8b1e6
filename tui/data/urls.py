"""Which links newsdeck is willing to hand to a browser."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tui.data.sanitize import is_safe_line

WEB_SCHEMES = frozenset({"http", "https"})
# `\s` in a text pattern is exactly the characters `str.isspace` accepts.
_SPACE = re.compile(r"\s")
# A link of the plainest form (scheme, host name, maybe a port, then printable ASCII):
# what `urlsplit` would take apart as an http(s) link with a host, known without it.
# (Not `(?i)`: case-insensitive, "ſ" would match "s".)
_PLAIN_WEB_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9.-]+(?::[0-9]*)?(?:[/?#][\x21-\x7e]*)?")


def is_web_url(url: str) -> bool:
    """True only for absolute http(s) URLs with a host: never javascript:, file:, data:…

    Nor one holding a control character or a space anywhere (a link decoded from
    `%1B` carries a live escape), which no browser needs and no terminal should get.
    """
    if _PLAIN_WEB_URL.fullmatch(url):
        return True
    if not is_safe_line(url) or _SPACE.search(url.strip()):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def web_url_problem(url: str) -> str:
    """Why `url` is not a link newsdeck opens, in words ("" when it is one)."""
    text = url.strip()
    if not text:
        return "it is empty"
    if _SPACE.search(text):
        return "it has spaces in it"
    if not is_safe_line(text):
        return "it holds control characters"
    try:
        parts = urlsplit(text)
    except ValueError:
        return "it is not a valid address"
    if not parts.scheme:
        return "it has no scheme (http:// or https://)"
    if parts.scheme.lower() not in WEB_SCHEMES:
        return f"it is a {parts.scheme.lower()}: link, not a web page"
    if not parts.netloc:
        return "it has no host name"
    return ""
