"""Articles per day of the list shown, as a sparkline above it."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.reactive import reactive
from textual.widgets import Sparkline

from tui.data.timeline import Periods, busiest_days, per_day
from tui.data.wording import plural
from tui.widgets.article_list import Listing

SPARK_DAYS = 365
"""The sparkline's span ends on the view's newest day: one stray old date must not flatten the rest."""


def stretched(counts: Sequence[int], width: int) -> list[int]:
    """`counts` spread over `width` cells, so a few days fill the line rather than its left end.

    More days than cells are left as they are: the sparkline shows the busiest day of each cell.
    """
    if not counts or len(counts) >= width:
        return list(counts)
    return [counts[cell * len(counts) // width] for cell in range(width)]


def describe(days: Periods) -> str:
    if days.first is None:
        return "No dated articles in this list"
    last = days.start(len(days) - 1)
    busiest = busiest_days(days, 1)
    peak = f"; busiest {busiest[0][0].isoformat()} ({plural(busiest[0][1], 'article')})" if busiest else ""
    return f"Articles per day, {days.first.isoformat()} to {last.isoformat()}{peak}"


class DaySparkline(Sparkline):
    """Follows the listing the screen binds to it; undated articles are not counted."""

    listing: reactive[Listing | None] = reactive(None, init=False, always_update=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__([], id=id, classes=classes)
        self.days = Periods()

    def watch_listing(self, listing: Listing | None) -> None:
        if listing is None:
            return
        view = listing.view
        # Grouped by story, a row stands for several articles: the articles are what is counted.
        articles = view.stories.every if view.stories is not None else view.articles
        self.days = per_day(articles, view.index, SPARK_DAYS)
        self.tooltip = describe(self.days)
        self._spread()

    def on_resize(self, event: events.Resize) -> None:
        self._spread()

    def _spread(self) -> None:
        data = stretched(self.days.counts, self.size.width)
        # A single value is drawn as a full bar; no data is the flat line a single day deserves.
        self.data = data if len(data) > 1 else []
