"""Plots of articles over time: one series with a period cursor, or one line per topic or provider."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from plotext import _utility as plotext_utility  # type: ignore[import-untyped]
from textual.app import RenderResult
from textual.binding import Binding
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from tui.data.sanitize import visible
from tui.data.timeline import Periods
from tui.data.wording import plural


def _in_order(data: Sequence[object]) -> list[object]:
    return list(dict.fromkeys(data))


# plotext drops repeated points and ticks through a set: string hashes are salted per process, so
# which line was drawn on top and where tick labels landed changed from one run to the next. Its
# own commented-out alternative keeps the first of each, in order: the same plot every time.
plotext_utility.no_duplicates = _in_order

_COLORS = ("cyan", "orange", "green", "magenta", "blue", "red", "yellow")
# Tick labels are ten characters wide: fewer ticks than this fit badly.
_CELLS_PER_TICK = 14


def period_name(periods: Periods, number: int) -> str:
    """A day as 2026-03-01, a week as "week of 2026-02-23"."""
    start = periods.start(number).isoformat()
    return start if periods.length == 1 else f"week of {start}"


def _ticks(periods: Periods, width: int) -> tuple[list[float], list[str]]:
    """Dates at a few evenly spaced periods (plotext would label them 0, 1, 2…)."""
    count = len(periods)
    if count == 0:
        return [], []
    wanted = max(2, min(count, max(1, width) // _CELLS_PER_TICK))
    numbers = sorted({round(step * (count - 1) / max(1, wanted - 1)) for step in range(wanted)})
    return [float(number) for number in numbers], [periods.start(number).isoformat() for number in numbers]


def _whole_ticks(plot: PlotextPlot, highest: int) -> None:
    # Articles come whole: "3.3 articles" on the axis would read as a measurement.
    top = max(1, highest)
    ticks = sorted({0, top // 2, top})
    plot.plt.yticks([float(tick) for tick in ticks], [f"{tick:,}" for tick in ticks])
    plot.plt.ylim(0, top)


def _frame(plot: PlotextPlot, title: str) -> None:
    plt = plot.plt
    plt.clear_figure()
    # A name from a file may hold escape codes: the plot is read back through ANSI, never markup.
    plt.title(visible(title))


class _SizedPlot(PlotextPlot):
    """A plot built afresh each time it is drawn, at the size it is drawn at."""

    def redraw(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        # How many dates fit under the axis depends on the width.
        self._build()
        return super().render()

    def _build(self) -> None:
        raise NotImplementedError


class PeriodPlot(_SizedPlot, can_focus=True):
    """Articles per period; left and right move a cursor over the periods, shown by a line."""

    BINDINGS = [
        Binding(
            "left",
            "move(-1)",
            "Earlier",
            tooltip="On the statistics screen's plot: the period before",
            id="newsdeck.period-earlier",
        ),
        Binding(
            "right",
            "move(1)",
            "Later",
            tooltip="On the statistics screen's plot: the period after",
            id="newsdeck.period-later",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "A month earlier",
            show=False,
            tooltip="On the statistics screen's plot: 30 days (13 weeks) before",
            id="newsdeck.period-page-earlier",
        ),
        Binding(
            "pagedown",
            "page(1)",
            "A month later",
            show=False,
            tooltip="On the statistics screen's plot: 30 days (13 weeks) after",
            id="newsdeck.period-page-later",
        ),
        Binding(
            "home",
            "move(-1_000_000)",
            "First",
            show=False,
            tooltip="On the statistics screen's plot: the first period",
            id="newsdeck.period-first",
        ),
        Binding(
            "end",
            "move(1_000_000)",
            "Last",
            show=False,
            tooltip="On the statistics screen's plot: the newest period",
            id="newsdeck.period-last",
        ),
    ]

    periods: reactive[Periods] = reactive(Periods, init=False)
    cursor: reactive[int] = reactive(0, init=False)
    """The period under the cursor (the newest when the periods change)."""

    def show(self, periods: Periods, at: date | None = None) -> None:
        """Plot `periods` with the cursor on the period holding day `at` (default: the newest)."""
        self.set_reactive(PeriodPlot.periods, periods)
        cursor = len(periods) - 1
        if at is not None and periods.first is not None:
            cursor = min(max(0, (at - periods.first).days // periods.length), len(periods) - 1)
        self.set_reactive(PeriodPlot.cursor, max(0, cursor))
        self.redraw()

    @property
    def period(self) -> tuple[date, date] | None:
        """The days of the period under the cursor: its first and the day after its last."""
        if not self.periods.counts:
            return None
        return self.periods.bounds(self.cursor)

    def action_move(self, step: int) -> None:
        if self.periods.counts:
            self.cursor = min(max(0, self.cursor + step), len(self.periods) - 1)

    def action_page(self, direction: int) -> None:
        # Years of days one key at a time are hundreds of presses: a month (a quarter of weeks).
        self.action_move(direction * (30 if self.periods.length == 1 else 13))

    def watch_cursor(self) -> None:
        self.redraw()

    def _build(self) -> None:
        periods, cursor = self.periods, self.cursor
        unit = "day" if periods.length == 1 else "week"
        if not periods.counts:
            _frame(self, f"Articles per {unit}: no dated articles")
            return
        count = periods.counts[cursor]
        _frame(self, f"Articles per {unit} · {period_name(periods, cursor)}: {plural(count, 'article')}")
        plt = self.plt
        numbers = list(range(len(periods)))
        plt.plot(numbers, list(periods.counts), color="cyan")
        plt.vline(cursor, color="red")
        plt.scatter([cursor], [count], color="red", marker="●")
        plt.xticks(*_ticks(periods, self.size.width))
        _whole_ticks(self, max(periods.counts))


_LEGEND_ROWS = 14
"""The smallest plot height at which the legend of five lines leaves room for them."""


class SeriesPlot(_SizedPlot):
    """A line per topic or provider over the same periods."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[str, Sequence[tuple[str, int, Periods]], Periods] = ("", (), Periods())

    def show(self, title: str, series: Sequence[tuple[str, int, Periods]], span: Periods) -> None:
        """Draw each (name, articles, per day) of `series` over the periods of `span`."""
        self._shown = (title, series, span)
        self.redraw()

    def _build(self) -> None:
        title, series, span = self._shown
        if span.first is None or not series:
            _frame(self, f"{title}: no dated articles" if title else "")
            return
        _frame(self, title)
        plt = self.plt
        numbers = list(range(len(span)))
        highest = 0
        for number, (name, total, periods) in enumerate(series):
            counts = periods.weekly() if span.length == 7 else periods
            aligned = counts.aligned(span.first, len(span))
            # A legend is a row per line: in a small plot it would cover the lines it names.
            label = visible(f"{name} ({total:,})") if self.size.height >= _LEGEND_ROWS else None
            plt.plot(numbers, list(aligned.counts), color=_COLORS[number % len(_COLORS)], label=label)
            highest = max(highest, *aligned.counts)
        plt.xticks(*_ticks(span, self.size.width))
        _whole_ticks(self, highest)
