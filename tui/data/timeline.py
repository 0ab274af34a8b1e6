"""Articles over time: counts per day and per week of a view, per topic and per provider, the busiest
days and the top providers.

Days are local calendar days, the days `after:` and `before:` of a search mean, so a period
picked on a plot becomes a query that lists exactly the articles counted. Undated articles are
counted nowhere.

The sparkline asks on every change of view, so counting a view never visits its articles: the
index is newest first, each day's articles are one run of positions (found once per index, by
bisection over the dates), and a view's count for a day is where its sorted positions meet the
ends of that run. The per-topic and per-provider series do visit every article: they are for the
statistics screen, which counts in a worker.
"""

from __future__ import annotations

import re
import time
import weakref
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui.data.index import ArticleIndex, ArticleView


@dataclass(frozen=True, slots=True)
class Periods:
    """Articles per period over consecutive periods of `length` days from `first`; empty ones are 0."""

    first: date | None = None
    counts: tuple[int, ...] = ()
    length: int = 1
    """1: days; 7: weeks starting on Monday."""

    def __len__(self) -> int:
        return len(self.counts)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def start(self, number: int) -> date:
        """The first day of period `number`."""
        assert self.first is not None
        return self.first + timedelta(days=number * self.length)

    def bounds(self, number: int) -> tuple[date, date]:
        """The first day of period `number` and the day after its last."""
        start = self.start(number)
        return start, start + timedelta(days=self.length)

    def weekly(self) -> Periods:
        """These day counts as weeks, Monday to Sunday."""
        if self.length == 7 or self.first is None:
            return self
        monday = self.first - timedelta(days=self.first.weekday())
        offset = (self.first - monday).days
        weeks = [0] * ((offset + len(self.counts) + 6) // 7)
        for number, count in enumerate(self.counts):
            weeks[(offset + number) // 7] += count
        return Periods(monday, tuple(weeks), 7)

    def aligned(self, first: date, size: int) -> Periods:
        """These counts over `size` periods from `first` (same length), 0 where there were none."""
        if self.first is None:
            return Periods(first, (0,) * size, self.length)
        shift = (self.first - first).days // self.length
        counts = [0] * size
        for number, count in enumerate(self.counts):
            if 0 <= number + shift < size:
                counts[number + shift] = count
        return Periods(first, tuple(counts), self.length)


def local_day(timestamp: float) -> date | None:
    """The local calendar day of a UTC timestamp (None where the platform cannot say)."""
    try:
        return date.fromtimestamp(timestamp)
    except (OverflowError, OSError, ValueError):
        return None


def _midnight(day: date) -> float:
    # As `after:` reads a day: local midnight, whatever the offset that day.
    return time.mktime(day.timetuple())


def count_days(published: Iterable[float | None]) -> Periods:
    """Articles per local day for any list of publication times; None (undated) is left out."""
    days = Counter(day for stamp in published if stamp is not None and (day := local_day(stamp)))
    if not days:
        return Periods()
    first, last = min(days), max(days)
    size = (last - first).days + 1
    return Periods(first, tuple(days.get(first + timedelta(days=n), 0) for n in range(size)))


def busiest_days(periods: Periods, count: int = 5) -> list[tuple[date, int]]:
    """The `count` periods with most articles (the later first among equals), none of them empty."""
    ranked = sorted(
        ((periods.start(number), articles) for number, articles in enumerate(periods.counts) if articles),
        key=lambda pair: (-pair[1], -pair[0].toordinal()),
    )
    return ranked[:count]


def _negated(value: float | None) -> float:
    return -(value or 0.0)  # only dated positions are searched


def _is_undated(value: float | None) -> bool:
    return value is None


class Timeline:
    """Where each local day's articles stand in one index (newest day first)."""

    def __init__(self, index: ArticleIndex) -> None:
        published: Sequence[float | None] = index.values_of("published")
        # Undated articles are last in the index: the dated ones are one run from 0.
        self.dated = bisect_left(published, True, key=_is_undated)
        self.days: list[int] = []
        """Ordinals of the days with articles, newest first."""
        self.starts: list[int] = []
        """Position of each day's first article; one more entry: where the dated articles end."""
        position = 0
        while position < self.dated:
            stamp = published[position]
            assert stamp is not None
            day = local_day(stamp)
            if day is None:  # a date the platform's calendar cannot place: its own run, on no day
                position += 1
                continue
            # The first position published before this day's midnight: the newer ones are this day's.
            end = bisect_right(published, -_midnight(day), position, self.dated, key=_negated)
            self.days.append(day.toordinal())
            self.starts.append(position)
            position = max(end, position + 1)
        self.starts.append(self.dated)
        self._size = len(published)

    def day_at(self, position: int) -> int | None:
        """The day ordinal of the article at index `position`; None when undated."""
        if position >= self.dated or not self.days:
            return None
        return self.days[max(0, bisect_right(self.starts, position) - 1)]

    def per_day(self, view: ArticleView, last_days: int | None = None) -> Periods:
        """Articles of `view` per day; with `last_days`, only those ending on its newest day."""
        count = len(view)
        if view.is_ordered:
            rows: Sequence[int] = range(count)
            key: Callable[[int], int] | None = view.position_at
        else:
            # Another order (oldest first, by rank): the counts do not depend on it.
            rows, key = sorted(view.position_at(row) for row in range(count)), None

        def rows_before(position: int, low: int = 0) -> int:
            # A day holds a few of the view's rows: galloping from the last end finds the next in a
            # few steps, where bisecting all the rows would read positions through `key` some 17 times.
            step = 1
            while low + step < count and (rows[low + step] if key is None else key(low + step)) < position:
                low, step = low + step, step * 2
            return bisect_left(rows, position, low, min(count, low + step + 1), key=key)

        dated_rows = rows_before(self.dated)
        if dated_rows == 0:
            return Periods()
        newest_position = rows[0] if key is None else key(0)
        oldest_position = rows[dated_rows - 1] if key is None else key(dated_rows - 1)
        newest, oldest = self.day_at(newest_position), self.day_at(oldest_position)
        if newest is None or oldest is None:
            return Periods()
        first = oldest if last_days is None else max(oldest, newest - last_days + 1)
        counts = [0] * (newest - first + 1)
        whole = count == self._size  # every article: the runs are the counts
        number = max(0, bisect_right(self.starts, newest_position) - 1)
        low = rows_before(self.starts[number])
        while number < len(self.days) and self.days[number] >= first:
            end = self.starts[number + 1]
            high = end if whole else rows_before(end, low)
            counts[self.days[number] - first] = high - low
            low, number = high, number + 1
        return Periods(date.fromordinal(first), tuple(counts))


_TIMELINES: weakref.WeakKeyDictionary[ArticleIndex, Timeline] = weakref.WeakKeyDictionary()


def timeline_of(index: ArticleIndex) -> Timeline:
    """The index's timeline, made once (a few milliseconds at 100,000 articles)."""
    found = _TIMELINES.get(index)
    if found is None:
        found = _TIMELINES[index] = Timeline(index)
    return found


def per_day(view: ArticleView, index: ArticleIndex, last_days: int | None = None) -> Periods:
    """Articles of `view` (over `index`) per local day; see `Timeline.per_day`."""
    return timeline_of(index).per_day(view, last_days)


def _split(
    view: ArticleView, index: ArticleIndex, keys_at: Callable[[int], Iterable[str]], top: int
) -> list[tuple[str, int, Periods]]:
    """(key, articles, per day) for the `top` keys with most dated articles in `view`."""
    timeline = timeline_of(index)
    days: dict[str, Counter[int]] = {}
    for row in range(len(view)):
        position = view.position_at(row)
        day = timeline.day_at(position)
        if day is None:
            continue
        for key in keys_at(position):
            found = days.get(key)
            if found is None:
                found = days[key] = Counter()
            found[day] += 1
    totals = sorted(((sum(c.values()), key) for key, c in days.items()), key=lambda pair: (-pair[0], pair[1]))
    result = []
    for total, key in totals[:top]:
        counted = days[key]
        first, last = min(counted), max(counted)
        counts = tuple(counted.get(day, 0) for day in range(first, last + 1))
        result.append((key, total, Periods(date.fromordinal(first), counts)))
    return result


def per_topic(view: ArticleView, index: ArticleIndex, top: int = 5) -> list[tuple[str, int, Periods]]:
    """(topic name, dated articles, per day) for the `top` topics of `view`, most articles first."""
    found = _split(view, index, index.topic_keys_at, top)
    names = {facet.key: facet.name for facet in index.topics}
    return [(names.get(key, key), total, periods) for key, total, periods in found]


def per_provider(view: ArticleView, index: ArticleIndex, top: int = 5) -> list[tuple[str, int, Periods]]:
    """(provider name, dated articles, per day) for the `top` providers of `view`, most articles first."""
    found = _split(view, index, lambda position: (index.provider_key_at(position),), top)
    return [(index.provider_name(key), total, periods) for key, total, periods in found]


def top_providers(view: ArticleView, index: ArticleIndex, count: int = 10) -> list[tuple[str, int]]:
    """The providers with most articles in `view` (dated or not), by name, most first."""
    counted = Counter(index.provider_key_at(view.position_at(row)) for row in range(len(view)))
    ranked = sorted(counted.items(), key=lambda pair: (-pair[1], index.provider_name(pair[0]).casefold()))
    return [(index.provider_name(key), articles) for key, articles in ranked[:count]]


_DATE_TERM = re.compile(r'(?<!\S)(?:after|before):(?:"[^"]*"?|\S*)\s*', re.IGNORECASE)


def period_query(query: str, start: date, end: date) -> str:
    """`query` narrowed to the days from `start` to before `end`: its own `after:`/`before:` replaced."""
    rest = _DATE_TERM.sub("", query).strip()
    period = f"after:{start.isoformat()} before:{end.isoformat()}"
    return f"{rest} {period}" if rest else period


@dataclass(frozen=True, slots=True)
class Overview:
    """All the statistics screen shows of one view."""

    days: Periods
    topics: list[tuple[str, int, Periods]]
    providers: list[tuple[str, int, Periods]]
    top_providers: list[tuple[str, int]]
    articles: int
    undated: int


def overview(view: ArticleView, index: ArticleIndex, top: int = 5) -> Overview:
    """Count everything the statistics screen shows (a second or so at 100,000 articles)."""
    days = per_day(view, index)
    return Overview(
        days=days,
        topics=per_topic(view, index, top),
        providers=per_provider(view, index, top),
        top_providers=top_providers(view, index),
        articles=len(view),
        undated=len(view) - days.total,
    )
