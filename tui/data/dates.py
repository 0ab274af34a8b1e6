"""Reading publication dates in the many shapes real files use."""

from __future__ import annotations

import math
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
)
# Epoch numbers larger than this are taken as milliseconds.
_MAX_EPOCH_SECONDS = 100_000_000_000


def _timestamp(moment: datetime) -> float | None:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def parse_published(value: object) -> float | None:
    """A UTC POSIX timestamp for `value`, or None when it is not a date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return _timestamp(datetime(value.year, value.month, value.day))
    if isinstance(value, int | float):
        if abs(value) > _MAX_EPOCH_SECONDS * 1000:
            return None  # also keeps a 400-digit integer from overflowing a float
        seconds = value / 1000 if abs(value) > _MAX_EPOCH_SECONDS else float(value)
        if not math.isfinite(seconds) or abs(seconds) > _MAX_EPOCH_SECONDS:
            return None
        return seconds
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        return _timestamp(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _timestamp(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _FORMATS:
        try:
            return _timestamp(datetime.strptime(text, pattern))
        except ValueError:
            continue
    return None


def format_local(timestamp: float | None) -> str:
    """`YYYY-MM-DD HH:MM` in the user's local time zone; blank when undated."""
    if timestamp is None:
        return ""
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):
        return ""
