"""What a bulk fetch counts (`Tally`), how it words each failure, and when a failure may be asked again.

A failure is kept with its time, and the page is not asked again before its
back-off has passed: an hour for what may pass soon (offline, a timeout, a 429
or a 5xx answer), a day for the rest (a 404, not a web page, nothing readable).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from tui.data.text_store import NOTHING_READABLE, StoredText

SHORT_BACKOFF = 3600.0
"""Seconds a failure that may pass soon is not asked again: offline, timeout, 429 and 5xx."""
LONG_BACKOFF = 86400.0
"""Seconds for every other failure (404, not a web page, nothing readable…)."""

FAILURE_WORDS = {
    "offline": "offline or name not found",
    "timeout": "timed out",
    "http-error": "HTTP error",
    "too-many-redirects": "too many redirects",
    "not-web": "redirected to an address that is not http or https",
    "not-a-page": "not a web page",
    "too-large": "too large",
    NOTHING_READABLE: "nothing readable extracted",
    "refused": "refused (private address)",
}
"""Each failure, in the words of the summary."""

_ANSWERED = re.compile(r"\banswered (\d{3})\b")


class Failure(NamedTuple):
    url: str
    reason: str
    """A key of FAILURE_WORDS."""
    status: int | None
    message: str


@dataclass(slots=True)
class Tally:
    """What a bulk fetch has done so far, and in the end."""

    total: int = 0
    fetched: int = 0
    cached: int = 0
    """Already readable in the store: not asked again."""
    skipped: int = 0
    """Failed less than its back-off ago: not asked again (`retry_failed` asks)."""
    failed: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    """HTTP errors by status."""
    failures: list[Failure] = field(default_factory=list)
    retries: int = 0
    """Pages asked again after a `Retry-After`."""
    stopped: bool = False
    problem: str = ""
    """Why the run ended early when the store could not be written ("" otherwise)."""
    started: float = field(default_factory=time.monotonic)
    fetching_since: float | None = None
    """When the first page was asked for (the rate for an estimate starts there)."""
    seconds: float = 0.0

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    @property
    def asked(self) -> int:
        """Pages asked for and finished with: fetched or failed."""
        return self.fetched + self.failed_total

    @property
    def done(self) -> int:
        return self.asked + self.cached + self.skipped


Progress = Callable[[Tally], None]


def backoff(stored: StoredText) -> float:
    """Seconds a stored failure is not asked again."""
    if stored.outcome == "refused":
        return 0.0  # decided here, not by the site, and costs no request: decided afresh each run
    if stored.outcome in ("offline", "timeout"):
        return SHORT_BACKOFF
    if stored.outcome == "http-error":
        # The store keeps no status; fetch's message names it ("… answered 503 …").
        match = _ANSWERED.search(stored.message)
        status = int(match.group(1)) if match else None
        return SHORT_BACKOFF if status is None or status == 429 or status >= 500 else LONG_BACKOFF
    return LONG_BACKOFF


def failed_recently(stored: StoredText, now: float) -> bool:
    # A time ahead of the clock (the clock was set back) is not trusted to hold a page back.
    return not stored.readable and 0.0 <= now - stored.fetched_at < backoff(stored)
