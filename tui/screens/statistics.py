"""The statistics screen: the view that was shown, over time, per topic and per provider.

It counts the view it was opened on, in a worker (a second or so at 100,000 articles), and
gives back a query: the main screen's search narrowed to the period under the plot's cursor.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from tui.data.index import ArticleIndex, ArticleView
from tui.data.sanitize import visible
from tui.data.timeline import Overview, busiest_days, overview, period_query
from tui.data.wording import plural
from tui.widgets.period_plot import PeriodPlot, SeriesPlot

TOP = 5
"""Topics and providers drawn as lines: more would be colours nobody can tell apart."""


class StatisticsScreen(Screen[str | None]):
    """Dismissed with the query that narrows the list to a period, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "dismiss",
            "Close",
            tooltip="Close the statistics screen",
            id="newsdeck.close-statistics",
        ),
        Binding(
            "w",
            "weeks",
            "Days/weeks",
            tooltip="On the statistics screen: articles per day or per week",
            id="newsdeck.statistics-weeks",
        ),
        Binding(
            "left_square_bracket,right_square_bracket,enter",
            "narrow",
            "List this period",
            tooltip="On the statistics screen: list only the period under the cursor (after: before:)",
            id="newsdeck.narrow-to-period",
        ),
    ]

    def __init__(self, index: ArticleIndex, view: ArticleView, label: str, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.view = view
        self.label = label
        self.search = query
        self.counted: Overview | None = None
        self.weekly = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="stats-title", markup=False)
        with Horizontal(id="stats-body"):
            with Vertical(id="stats-plots"):
                yield PeriodPlot(id="stats-periods")
                with Horizontal(id="stats-split"):
                    yield SeriesPlot(id="stats-topics")
                    yield SeriesPlot(id="stats-providers")
            with Vertical(id="stats-side"):
                yield Static(id="stats-top-providers", markup=False)
                yield Static(id="stats-busiest", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        self._title(f"{self.label}: counting {plural(len(self.view), 'article')}…")
        self.query_one(PeriodPlot).focus()
        self._count()

    def _title(self, text: str) -> None:
        # Topic and provider names are data: a Text is never read as markup.
        self.query_one("#stats-title", Static).update(Text(visible(text)))

    @work(thread=True, group="statistics", exit_on_error=False, description="Counting articles over time")
    def _count(self) -> None:
        counted = overview(self.view, self.index, TOP)
        self.app.call_from_thread(self._counted, counted)

    @on(Worker.StateChanged)
    def _on_worker(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group == "statistics":
            self._title(f"{self.label}: counting failed ({event.worker.error})")

    def _counted(self, counted: Overview) -> None:
        self.counted = counted
        dated = counted.articles - counted.undated
        undated = f", {counted.undated:,} undated (not counted)" if counted.undated else ""
        search = f" · Search: {self.search}" if self.search.strip() else ""
        self._title(f"{self.label}{search}: {plural(dated, 'dated article')}{undated}")
        self._draw()

    def _draw(self, keep_cursor: bool = False) -> None:
        counted = self.counted
        if counted is None:
            return
        plot = self.query_one(PeriodPlot)
        at = plot.period[0] if keep_cursor and plot.period else None
        span = counted.days.weekly() if self.weekly else counted.days
        plot.show(span, at)
        self.query_one("#stats-topics", SeriesPlot).show("Top topics", counted.topics, span)
        self.query_one("#stats-providers", SeriesPlot).show("Top providers", counted.providers, span)
        top = Text("Top providers\n", style="bold")
        for name, articles in counted.top_providers:
            top.append(f"{articles:>7,}  ")
            top.append(visible(name))
            top.append("\n")
        self.query_one("#stats-top-providers", Static).update(top)
        unit = "weeks" if self.weekly else "days"
        busiest = Text(f"Busiest {unit}\n", style="bold")
        for start, articles in busiest_days(span, 8):
            busiest.append(f"{articles:>7,}  {start.isoformat()}\n")
        self.query_one("#stats-busiest", Static).update(busiest)

    def action_weeks(self) -> None:
        self.weekly = not self.weekly
        self._draw(keep_cursor=True)

    def action_narrow(self) -> None:
        period = self.query_one(PeriodPlot).period
        if period is None:
            self.notify("There are no dated articles to narrow the list to.", severity="warning")
            return
        self.dismiss(period_query(self.search, *period))
