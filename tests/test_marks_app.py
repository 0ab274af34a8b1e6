"""Read and starred marks in the reader, driven from the keyboard (Textual's Pilot)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded, status
from textual.pilot import Pilot

from tui.app import NewsDeckApp
from tui.data.state import ENV_STATE_DIR, StateStore, state_path
from tui.screens.confirm import ConfirmScreen
from tui.screens.main import MainScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList
from tui.widgets.topic_sidebar import TopicSidebar


@pytest.fixture
def news(write_article: ArticleWriter, seed: Path) -> Path:
    """Five stories, newest first: 0 (Space), 1 (Space), 2 (Climate), 3 (Space), 4 (Climate)."""
    for number, topic in enumerate(["Space", "Space", "Climate", "Space", "Climate"]):
        write_article(
            f"{number}.md",
            title=f"Story {number}",
            url=f"https://m.example/{number}",
            published=f"2024-03-0{9 - number}T09:00:00Z",
            topics=[topic],
        )
    return seed


async def ready(pilot: Pilot[None]) -> MainScreen:
    screen = await loaded(pilot)
    assert screen.marks is not None
    return screen


def flags(screen: MainScreen) -> list[str]:
    """Each row as the reader sees it: '●' unread, '★' starred, '≡' full text kept; then the title."""
    articles = screen.query_one(ArticleList)
    rows = [articles.render_row(row, 60, articles.rich_style).text for row in range(articles.row_count)]
    return [(row[:3].replace(" ", "") + row[3:].split("  ")[0]) for row in rows]


def sidebar_counts(screen: MainScreen) -> dict[str, str]:
    sidebar = screen.query_one(TopicSidebar)
    return {entry.name: sidebar.counter(entry).plain for entry in sidebar.rows}


async def test_marks_show_and_survive_a_restart(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        assert flags(screen)[:2] == ["●Story 0", "●Story 1"]
        await pilot.press("m")  # Story 0 read
        await pilot.press("down", "asterisk")  # Story 1 starred
        await pilot.press("down", "f")  # Story 2 starred, with the other key
        await pilot.press("f")  # and unstarred again
        assert flags(screen) == ["Story 0", "●★Story 1", "●Story 2", "●Story 3", "●Story 4"]
        assert sidebar_counts(screen)["All articles"] == "4/5"
        assert sidebar_counts(screen)["★ Starred"] == "1"
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        assert flags(screen) == ["Story 0", "●★Story 1", "●Story 2", "●Story 3", "●Story 4"]
        counts = sidebar_counts(screen)
        assert (counts["All articles"], counts["Space"], counts["Climate"]) == ("4/5", "2/3", "2/2")
        assert "(4 unread)" in status(screen)


async def test_an_article_shown_for_a_second_becomes_read(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.screens.marking.READ_AFTER_SECONDS", 1.0)
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.pause(0.5)
        assert flags(screen)[0] == "●Story 0"  # not yet a second
        await pilot.pause(0.8)
        assert flags(screen)[0] == "Story 0"
        await pilot.press("down", "down")  # passing over Story 1 quickly
        await pilot.pause(1.3)
        assert screen.query_one(ArticleDetail).article.title == "Story 2"  # type: ignore[union-attr]
        assert flags(screen)[1:3] == ["●Story 1", "Story 2"]


async def test_choosing_topics_or_searching_is_not_reading(
    news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        monkeypatch.setattr("tui.screens.marking.READ_AFTER_SECONDS", 1.0)
        await pilot.press("down", "t")  # Story 1 shown, then straight to the sidebar
        await pilot.pause(1.5)
        assert flags(screen)[1] == "●Story 1"
        await pilot.press("slash")
        await pilot.pause(1.5)
        assert flags(screen)[1] == "●Story 1"
        await pilot.press("escape")  # back on the list: now it counts
        await pilot.pause(1.5)
        assert flags(screen)[1] == "Story 1"


async def test_opening_in_the_browser_marks_read(news: Path) -> None:
    app = NewsDeckApp(news)
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.press("down", "o")
        assert opened == ["https://m.example/1"]
        assert flags(screen)[1] == "Story 1"


async def test_n_and_shift_n_jump_between_unread(news: Path, notices: list[str]) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        articles = screen.query_one(ArticleList)
        await pilot.press("down", "m", "down", "m")  # Stories 1 and 2 read
        await pilot.press("home", "m")  # Story 0 read: cursor at the top
        await pilot.press("n")
        assert articles.current.title == "Story 3"  # type: ignore[union-attr]
        await pilot.press("n")
        assert articles.current.title == "Story 4"  # type: ignore[union-attr]
        await pilot.press("n")  # none below: stays, says so
        assert articles.current.title == "Story 4"  # type: ignore[union-attr]
        assert any("No unread article below" in notice for notice in notices)
        await pilot.press("N")
        assert articles.current.title == "Story 3"  # type: ignore[union-attr]


async def test_starred_entry_lists_starred_articles(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.press("down", "asterisk", "down", "down", "asterisk")  # Stories 1 and 3
        await pilot.press("t", "down", "enter")  # the Starred entry
        assert [a.title for a in screen.query_one(ArticleList).articles] == ["Story 1", "Story 3"]
        assert status(screen).startswith("Starred: 2 articles")
        await pilot.press("0")
        assert len(screen.query_one(ArticleList).articles) == 5


async def test_u_hides_read_articles(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.press("m", "down", "down", "m")  # Stories 0 and 2 read
        await pilot.press("u")
        assert [a.title for a in screen.query_one(ArticleList).articles] == ["Story 1", "Story 3", "Story 4"]
        assert "unread only" in status(screen)
        await pilot.press("u")
        assert len(screen.query_one(ArticleList).articles) == 5


async def test_mark_all_read_asks_first_when_more_than_a_screenful(
    write_article: ArticleWriter, seed: Path
) -> None:
    for number in range(80):
        write_article(f"{number:02}.md", title=f"Item {number:02}", url=f"https://many.example/{number}")
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.press("M")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing changes
        assert screen.marks is not None and screen.marks.unread_total >= 79
        await pilot.press("M")
        await pilot.press("y")
        assert screen.marks.unread_total == 0
        assert sidebar_counts(screen)["All articles"] == "0/80"


async def test_mark_all_read_on_a_short_list_just_does_it(news: Path) -> None:
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.press("2", "M")  # Climate: two articles
        assert not isinstance(app.screen, ConfirmScreen)
        assert sidebar_counts(screen)["Climate"] == "0/2"
        assert sidebar_counts(screen)["Space"].startswith(("2/3", "3/3"))


async def test_a_damaged_marks_file_is_set_aside_with_a_notice(news: Path, notices: list[str]) -> None:
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00garbage, not SQLite" * 100)
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        assert any("was damaged" in notice for notice in notices)
        await pilot.press("m")
        assert flags(screen)[0] == "Story 0"
    assert [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    store = StateStore(path, background=False)
    assert store.get("https://m.example/0").read
    store.close()


async def test_unsaveable_marks_leave_the_reader_working(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notices: list[str]
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv(ENV_STATE_DIR, str(blocker / "state"))
    app = NewsDeckApp(news)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.pause()
        assert any("not being saved" in notice for notice in notices)
        assert "marks not saved" in status(screen)
        await pilot.press("m", "down", "asterisk")
        assert flags(screen)[:2] == ["Story 0", "●★Story 1"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_two_newsdeck_windows_at_once_keep_both_sets_of_marks(news: Path) -> None:
    from terminal import Terminal

    # Both windows open before either marks anything, and both quit afterwards.
    first, second = Terminal([str(news)]), Terminal([str(news)])
    try:
        for window in (first, second):
            assert window.read(30, until=b"(5 unread)")
        # Marks made on arrival, before the second it takes to count as read by itself.
        first.type(b"jjm")  # Story 2 read
        second.type(b"j*")  # Story 1 starred
        first.type(b"jm")  # Story 3 read
        second.type(b"jjj*")  # Story 4 starred
        for window in (first, second):
            window.read(1.0)
            assert window.quit() == 0
    finally:
        first.close()
        second.close()
    store = StateStore(state_path(), background=False)
    try:
        assert store.get("https://m.example/2").read and store.get("https://m.example/3").read
        assert store.get("https://m.example/1").starred and store.get("https://m.example/4").starred
    finally:
        store.close()
