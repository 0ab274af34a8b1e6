"""`S`: the statistics screen over the view shown; the period chosen there becomes the search."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message

from tui.data.view_text import selection_label
from tui.screens.reader import ReaderScreen

STATISTICS_COMMAND = "Statistics: articles over time, per topic and per provider"


class ShowStatistics(Message):
    """The palette's statistics command."""


class StatisticsPart(ReaderScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "S",
            "statistics",
            "Statistics",
            show=False,
            tooltip="Statistics of the list: articles per day or week, per topic and provider, busiest days",
            id="newsdeck.statistics",
        ),
    ]

    def action_statistics(self) -> None:
        listing = self.listing
        if listing is None or self.index is None:
            self.notify("The articles are still being read.", timeout=3)
            return
        # Imported here: plotting is not needed to start.
        from tui.screens.statistics import StatisticsScreen

        view = listing.view
        label = selection_label(view.index, view.spec.selection)
        # Grouped by story, every article of each story counts, not one row each.
        articles = view.stories.every if view.stories is not None else view.articles
        screen = StatisticsScreen(view.index, articles, label, view.spec.query)
        self.app.push_screen(screen, self._narrow_to_period)

    @on(ShowStatistics)
    def on_show_statistics(self) -> None:
        self.action_statistics()

    def _narrow_to_period(self, query: str | None) -> None:
        if query is not None:
            self.search_for(query)
