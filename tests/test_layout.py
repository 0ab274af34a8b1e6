"""Layout at every size: titles get the room, the footer keeps q and ?, keys do what they say."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded

from tui.app import NewsDeckApp
from tui.screens.main import MainScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.topic_sidebar import TopicSidebar

TITLE = "Senate passes the long-awaited infrastructure bill after a night of tense debate"  # 80


@pytest.fixture
def news(write_article: ArticleWriter, seed: Path) -> Path:
    for number in range(30):
        write_article(
            f"n{number:02d}.md",
            title=f"{TITLE} {number}" if number else TITLE,
            url=f"https://n.example/{number}",
            topics=["Politics", "Economy"] if number % 2 else ["Politics"],
            provider="Associated Press" if number % 3 else "Reuters",
            # The plain headline is the newest: the first row.
            published=f"2024-03-{1 + number % 28:02d}T10:00:00Z" if number else "2024-04-01T10:00:00Z",
        )
    return seed


async def title_cells(app: NewsDeckApp, pilot: object, width: int, height: int = 30) -> int:
    await pilot.resize_terminal(width, height)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return app.screen.query_one(ArticleList).title_width


async def test_the_title_column_never_shrinks_as_the_window_grows(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(60, 30)) as pilot:
        await loaded(pilot)
        widths = sorted({*range(60, 251, 10), 89, 90, 91, 109, 110, 111, 119, 120, 121, 194, 195, 196, 250})
        cells = [await title_cells(app, pilot, width) for width in widths]
        assert cells == sorted(cells), dict(zip(widths, cells, strict=True))
        assert cells[0] >= 29  # 60 columns (three flag cells: unread, starred, full text kept)
        assert dict(zip(widths, cells, strict=True))[160] >= 80  # a whole headline at 160


async def test_at_160_columns_a_typical_title_is_shown_whole(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert TITLE in screen.query_one(ArticleList).render_line(0).text


async def test_under_110_columns_the_sidebar_hides_until_t(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await loaded(pilot)
        sidebar = screen.query_one(TopicSidebar)
        assert not sidebar.display or sidebar.region.width == 0
        await pilot.press("t")
        assert sidebar.region.width > 0 and sidebar.has_focus
        await pilot.press("down", "down", "enter")  # a topic: back to the list, sidebar hidden
        assert isinstance(app.focused, ArticleList)
        assert sidebar.region.width == 0


def footer_keys(app: NewsDeckApp) -> dict[str, bool]:
    """Footer keys by key, and whether each is drawn whole: inside the window, clear of the palette key."""
    keys = list(app.screen.query("FooterKey"))
    edge = app.screen.size.width
    for key in keys:
        if key.has_class("-command-palette"):
            edge = min(edge, key.region.x)
    shown = {}
    for key in keys:
        if key.has_class("-command-palette"):
            continue
        region = key.region
        shown[str(getattr(key, "key", ""))] = region.width > 0 and region.right <= edge
    return shown


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 30)])
async def test_q_and_help_stay_in_the_footer(news: Path, size: tuple[int, int]) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        # The list; the sidebar on All articles, a topic and a provider; back to the list
        # (enter on All articles); full-window; back.
        for keys in ((), ("t",), ("down", "down"), ("end",), ("home", "enter"), ("enter",), ("escape",)):
            await pilot.press(*keys)
            await pilot.pause()
            footer = footer_keys(app)
            assert footer.get("q") and footer.get("question_mark"), (keys, footer)


async def test_n_in_the_full_window_article_shows_the_next_unread_there(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(pilot)
        assert isinstance(screen, MainScreen)
        await pilot.press("enter")
        assert screen.maximized is not None
        first = screen.current
        await pilot.press("m", "n")
        assert screen.maximized is not None, "n left the full-window article"
        assert screen.current is not first


async def test_space_stays_in_the_sidebar_everywhere_and_the_footer_names_it(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(pilot)
        sidebar = screen.query_one(TopicSidebar)
        await pilot.press("t", "space")  # on All articles
        assert sidebar.has_focus
        await pilot.press("down", "space")  # Starred
        assert sidebar.has_focus
        await pilot.press("down", "space")  # a topic
        assert sidebar.has_focus
        assert sidebar.border_subtitle == "space: add or remove"
        await pilot.press("end")  # a provider
        await pilot.pause()
        assert sidebar.border_subtitle == "space: choose or drop"
        descriptions = {str(getattr(k, "description", "")) for k in app.screen.query("FooterKey")}
        assert "Toggle topic" not in descriptions  # what space does is said under the sidebar


def _luminance(color: object) -> float:
    red, green, blue = (channel / 255 for channel in color.triplet)  # type: ignore[attr-defined]

    def linear(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(one: object, other: object) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_muted_text_is_readable_in_every_built_in_theme(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(pilot)
        articles, sidebar = screen.query_one(ArticleList), screen.query_one(TopicSidebar)
        checked = 0
        for theme in sorted(app.available_themes):
            if theme.startswith("ansi"):
                continue  # the terminal's own colours
            app.theme = theme
            await pilot.pause()
            for widget, part in ((articles, "article-list--date"), (sidebar, "topic-sidebar--count")):
                muted, base = widget.part_style(part), widget.rich_style
                assert _contrast(muted.color, base.bgcolor) >= 3.0, (theme, part, muted.color)
                # Muted means quieter than the text, never brighter.
                assert _contrast(muted.color, base.bgcolor) < _contrast(base.color, base.bgcolor) + 0.5, theme
            checked += 1
        assert checked >= 15


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_notices_leave_the_status_line_and_related_items_in_sight(
    news: Path, size: tuple[int, int]
) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await loaded(pilot)
        app.notify("A notice that takes some room on the screen", timeout=30)
        for _ in range(100):
            await pilot.pause()
            toasts = list(app.screen.query("Toast"))
            if toasts and toasts[0].region.width:
                break
        assert toasts
        status_bar = screen.query_one("#status-bar").region
        related = screen.query_one("#related").region
        for toast in toasts:
            assert not toast.region.overlaps(status_bar)
            assert not toast.region.overlaps(related)
