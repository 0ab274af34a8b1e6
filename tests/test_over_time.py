"""Over time: per-day and per-week counts, the list's sparkline and the statistics screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded, status
from textual.pilot import Pilot
from textual.widgets import OptionList

from tui.app import NewsDeckApp
from tui.data.index import ArticleIndex
from tui.data.model import Article, Provider
from tui.data.search import find, parse_query
from tui.data.timeline import (
    Periods,
    busiest_days,
    count_days,
    per_day,
    per_provider,
    per_topic,
    period_query,
    top_providers,
)
from tui.screens.statistics import StatisticsScreen
from tui.widgets.day_sparkline import DaySparkline, stretched
from tui.widgets.period_plot import PeriodPlot

SnapCompare = Callable[..., bool]


def stamp(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def article(number: int, published: str | None, provider: str = "Alpha", topics: tuple[str, ...] = ("x",)):
    return Article(
        path=f"a{number}.md",
        title=f"Story {number}",
        published=stamp(published) if published else None,
        provider=Provider(provider, f"{provider.casefold()}.example"),
        topics=topics,
    )


@pytest.fixture
def index() -> ArticleIndex:
    return ArticleIndex(
        [
            article(1, "2024-03-01T23:59:00", "Alpha", ("Space",)),
            article(2, "2024-03-02T00:01:00", "Beta", ("Space", "Sport")),
            article(3, "2024-03-02T12:00:00", "Alpha", ("Sport",)),
            article(4, "2024-03-05T08:00:00", "Alpha", ("Space",)),
            article(5, "2024-03-11T08:00:00", "Gamma", ("Sport",)),
            article(6, None, "Beta", ("Space",)),
        ]
    )


def test_minutes_either_side_of_midnight_fall_on_two_days_and_undated_are_left_out() -> None:
    days = count_days([stamp("2024-03-01T23:59:00"), stamp("2024-03-02T00:01:00"), None])
    assert days == Periods(date(2024, 3, 1), (1, 1))
    assert count_days([None, None]) == Periods()


def test_per_day_of_a_view_counts_empty_days_as_nought(index: ArticleIndex) -> None:
    everything = per_day(index.view(), index)
    assert everything.first == date(2024, 3, 1)
    assert everything.counts == (1, 2, 0, 0, 1, 0, 0, 0, 0, 0, 1)
    assert everything.total == 5  # the undated article is counted nowhere
    space = per_day(index.view(index.find_topic("space")), index)
    assert space == Periods(date(2024, 3, 1), (1, 1, 0, 0, 1))
    # Another order gives the same counts.
    assert per_day(index.ordered(index.view(index.find_topic("space")), "oldest"), index) == space
    assert per_day(index.ordered(index.view(), "rank"), index) == everything


def test_the_same_counts_as_counting_every_article(index: ArticleIndex) -> None:
    for view in (index.view(), index.view("sport"), find(index, parse_query("provider:alpha"))):
        expected = count_days(view[row].published for row in range(len(view)))
        assert per_day(view, index) == expected


def test_last_days_keeps_the_newest_days(index: ArticleIndex) -> None:
    assert per_day(index.view(), index, last_days=3) == Periods(date(2024, 3, 9), (0, 0, 1))


def test_weeks_run_monday_to_sunday(index: ArticleIndex) -> None:
    weeks = per_day(index.view(), index).weekly()
    # 2024-03-01 is a Friday: its week began on Monday 26 February.
    assert weeks == Periods(date(2024, 2, 26), (3, 1, 1), 7)
    assert weeks.bounds(1) == (date(2024, 3, 4), date(2024, 3, 11))


def test_busiest_days_most_first_then_the_later(index: ArticleIndex) -> None:
    days = per_day(index.view(), index)
    assert busiest_days(days, 3) == [(date(2024, 3, 2), 2), (date(2024, 3, 11), 1), (date(2024, 3, 5), 1)]
    assert busiest_days(Periods(), 3) == []


def test_top_providers_and_the_series_per_topic_and_provider(index: ArticleIndex) -> None:
    assert top_providers(index.view(), index) == [("Alpha", 3), ("Beta", 2), ("Gamma", 1)]
    topics = per_topic(index.view(), index)
    assert [(name, total) for name, total, _ in topics] == [("Space", 3), ("Sport", 3)]
    providers = per_provider(index.view(), index, top=2)
    assert [(name, total) for name, total, _ in providers] == [("Alpha", 3), ("Beta", 1)]
    assert providers[0][2] == Periods(date(2024, 3, 1), (1, 1, 0, 0, 1))


def test_a_period_becomes_after_and_before_in_the_query() -> None:
    start, end = date(2024, 3, 4), date(2024, 3, 11)
    assert period_query("", start, end) == "after:2024-03-04 before:2024-03-11"
    assert period_query("rocket after:2020-01-01 BEFORE:2021-01-01", start, end) == (
        "rocket after:2024-03-04 before:2024-03-11"
    )


def test_the_sparkline_spreads_a_few_days_over_its_width() -> None:
    assert stretched([1, 2], 4) == [1, 1, 2, 2]
    assert stretched(list(range(10)), 4) == list(range(10))


@pytest.fixture
def dated_seed(write_article: ArticleWriter, seed: Path) -> Path:
    days = {
        "Space": ["2024-03-01", "2024-03-01", "2024-03-01", "2024-03-03"],
        "Sport": ["2024-03-02", "2024-03-04", "2024-03-04"],
    }
    number = 0
    for topic, published in days.items():
        for day in published:
            number += 1
            write_article(
                f"{topic.casefold()}-{number}.md",
                title=f"{topic} rocket {number}" if topic == "Space" else f"{topic} story {number}",
                url=f"https://news.example/{number}",
                published=f"{day}T10:00:00Z",
                topics=[topic],
            )
    write_article("undated.md", title="Undated rocket", url="https://news.example/u", published=None)
    return seed


def spark(pilot: Pilot[None]) -> DaySparkline:
    return pilot.app.screen.query_one(DaySparkline)


async def test_the_sparkline_follows_a_topic_switch_and_a_search(dated_seed: Path) -> None:
    app = NewsDeckApp(dated_seed)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        assert spark(pilot).days == Periods(date(2024, 3, 1), (3, 1, 1, 2))
        await pilot.press("2")  # the second topic of the sidebar: Sport
        await pilot.pause()
        assert "Sport" in status(screen)
        assert spark(pilot).days == Periods(date(2024, 3, 2), (1, 0, 2))
        await pilot.press("0", "slash", *"rocket", "enter")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert spark(pilot).days == Periods(date(2024, 3, 1), (3, 0, 1))
        assert "2024-03-01 to 2024-03-03" in str(spark(pilot).tooltip)


async def test_statistics_narrow_the_list_to_the_period_under_the_cursor(dated_seed: Path) -> None:
    app = NewsDeckApp(dated_seed)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("S")
        statistics = app.screen
        assert isinstance(statistics, StatisticsScreen)
        await statistics.workers.wait_for_complete()
        await pilot.pause()
        plot = statistics.query_one(PeriodPlot)
        assert plot.period == (date(2024, 3, 4), date(2024, 3, 5))  # the newest day first
        await pilot.press("left", "left", "left")
        assert plot.period == (date(2024, 3, 1), date(2024, 3, 2))
        await pilot.press("right_square_bracket")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert screen.spec.query == "after:2024-03-01 before:2024-03-02"
        shown = screen.listing.view.articles if screen.listing else []
        titles = sorted(article.title for article in shown)
        assert titles == ["Space rocket 1", "Space rocket 2", "Space rocket 3"]
        assert "3 articles" in status(screen)


async def test_home_end_and_pages_move_the_period_cursor_far(
    write_article: ArticleWriter, seed: Path
) -> None:
    # A year and a half of days: one key a day would be hundreds of presses.
    for number, day in enumerate(["2023-01-02", "2023-06-15", "2024-06-30"]):
        write_article(
            f"{number}.md",
            title=f"Story {number}",
            url=f"https://n.example/{number}",
            published=f"{day}T10:00:00Z",
        )
    app = NewsDeckApp(seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("S")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        plot = app.screen.query_one(PeriodPlot)
        assert plot.period == (date(2024, 6, 30), date(2024, 7, 1))
        await pilot.press("home")
        assert plot.period == (date(2023, 1, 2), date(2023, 1, 3))
        await pilot.press("pagedown", "pagedown")
        assert plot.period == (date(2023, 3, 3), date(2023, 3, 4))
        await pilot.press("end", "pageup")
        assert plot.period == (date(2024, 5, 31), date(2024, 6, 1))
        await pilot.press("w", "home", "pagedown")
        assert plot.period == (date(2023, 4, 3), date(2023, 4, 10))  # 13 weeks on from 2 January


async def test_weeks_and_escape(dated_seed: Path) -> None:
    app = NewsDeckApp(dated_seed)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("S")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("w")
        plot = app.screen.query_one(PeriodPlot)
        # Friday 1 March 2024 to Monday 4 March: two weeks, the cursor on the newer.
        assert plot.periods == Periods(date(2024, 2, 26), (5, 2), 7)
        assert plot.period == (date(2024, 3, 4), date(2024, 3, 11))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.spec.query == ""


async def _open_statistics(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.app.screen.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("S")
    await pilot.app.screen.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("left", "left")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
@pytest.mark.usefixtures("without_toasts")
def test_statistics_screen_snapshot(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    # The demo's articles are made up with fixed dates: the same plot on every run.
    assert snap_compare(NewsDeckApp(None), terminal_size=size, run_before=_open_statistics)


async def test_the_palette_opens_the_statistics_and_says_which_keys_narrow_the_list(dated_seed: Path) -> None:
    app = NewsDeckApp(dated_seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p", *"statistics")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        hits = app.screen.query_one(OptionList)
        shown = [
            str(getattr(hits.get_option_at_index(n).prompt, "plain", "")) for n in range(hits.option_count)
        ]
        # Brackets in the help are text, not markup that swallows them.
        assert any("[ or ] lists a period" in text for text in shown), shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StatisticsScreen)
