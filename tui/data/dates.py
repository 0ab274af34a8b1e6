"""Reading publication dates in the many shapes real files use, and writing them.

A date is kept as a UTC POSIX timestamp. Only moments between 2 January of
year 1 and 30 December 9999 (UTC) are dates here: those can be shown in any
time zone and written with a four-digit year. Anything else (year 0 once
shifted to UTC, a 400-digit number) leaves the article undated, with the
reason, so no later step can overflow.
"""

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
# A day inside the representable years at each end: a local time zone may shift by up to a day.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC).timestamp()
LATEST = datetime(9999, 12, 30, 23, 59, 59, tzinfo=UTC).timestamp()
OUT_OF_RANGE = "the date is outside the years 1 to 9999"


class _OutOfRange(Exception):
    pass


def in_range(timestamp: float) -> bool:
    return math.isfinite(timestamp) and EARLIEST <= timestamp <= LATEST


def _timestamp(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        stamp = moment.timestamp()
    except (OverflowError, OSError, ValueError):
        raise _OutOfRange from None
    if not in_range(stamp):
        raise _OutOfRange
    return stamp


def _number(value: float) -> float | None:
    if abs(value) > _MAX_EPOCH_SECONDS * 1000:
        raise _OutOfRange  # before any float(): a 400-digit integer would overflow one
    if not math.isfinite(value):
        return None
    seconds = value / 1000 if abs(value) > _MAX_EPOCH_SECONDS else float(value)
    if not in_range(seconds):
        raise _OutOfRange
    return seconds


def _text(text: str) -> float | None:
    try:
        return _timestamp(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _timestamp(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    for pattern in _FORMATS:
        try:
            return _timestamp(datetime.strptime(text, pattern))
        except ValueError:
            continue
    return None


def read_published(value: object) -> tuple[float | None, str]:
    """(UTC POSIX timestamp or None, why there is none when a value was given)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    try:
        if isinstance(value, bool):
            stamp = None
        elif isinstance(value, datetime):
            stamp = _timestamp(value)
        elif isinstance(value, date):
            stamp = _timestamp(datetime(value.year, value.month, value.day))
        elif isinstance(value, int | float):
            stamp = _number(value)
        elif isinstance(value, str) and len(value.strip()) <= 64:
            stamp = _text(value.strip())
        else:
            stamp = None
    except _OutOfRange:
        return None, OUT_OF_RANGE
    if stamp is None:
        return None, "the date could not be read"
    return stamp, ""


def parse_published(value: object) -> float | None:
    """A UTC POSIX timestamp for `value`, or None when it is not a usable date."""
    return read_published(value)[0]


def _utc(timestamp: float | None) -> datetime | None:
    if timestamp is None or not in_range(timestamp):
        return None
    return datetime.fromtimestamp(timestamp, UTC)


def iso_utc(timestamp: float | None) -> str | None:
    """ISO 8601 in UTC with a four-digit year (`0001-01-02T00:00:00Z`); None when undated."""
    moment = _utc(timestamp)
    if moment is None:
        return None
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def format_local(timestamp: float | None) -> str:
    """`YYYY-MM-DD HH:MM` in the user's local time zone; blank when undated."""
    if timestamp is None or not in_range(timestamp):
        return ""
    try:
        moment = time.localtime(timestamp)
    except (OverflowError, OSError, ValueError):
        return ""
    return (
        f"{moment.tm_year:04d}-{moment.tm_mon:02d}-{moment.tm_mday:02d} "
        f"{moment.tm_hour:02d}:{moment.tm_min:02d}"
    )
