"""Every background job that fails says so, and quitting never waits on another newsdeck."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded, status

from tui.app import NewsDeckApp
from tui.data.state import ENV_STATE_DIR, StateStore, state_path
from tui.screens.main import MainScreen


@pytest.fixture
def news(write_article: ArticleWriter, seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_STATE_DIR, str(tmp_path / "state"))
    write_article("a.md", title="Rocket lands", url="https://a.example/1", topics=["Space"])
    write_article("b.md", title="Comet seen", url="https://a.example/2", topics=["Space"])
    return seed


async def test_a_failed_search_index_says_so_and_does_not_wait_for_ever(
    news: Path, monkeypatch: pytest.MonkeyPatch, notices: list[str]
) -> None:
    from tui.data.index import ArticleIndex

    def broken(self: ArticleIndex) -> object:
        raise MemoryError("out of memory")

    monkeypatch.setattr(ArticleIndex, "search_index", broken)
    app = NewsDeckApp(news)
    async with app.run_test(size=(120, 30)) as pilot:
        # The build starts once loading ends (it would fail `loaded`'s wait): watch for its notice.
        for _ in range(2000):
            if any("Preparing search failed" in notice for notice in notices):
                break
            await pilot.pause()
        assert any("Preparing search failed" in notice for notice in notices)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("slash", *"rock")
        assert "preparing search" not in status(screen)
        assert "search is not available" in status(screen)


async def test_marks_that_cannot_be_opened_say_so(
    news: Path, monkeypatch: pytest.MonkeyPatch, notices: list[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(StateStore, "__init__", broken)
    app = NewsDeckApp(news)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(pilot)
        assert any("Opening the read marks failed" in notice for notice in notices)
        notices.clear()
        await pilot.press("m")
        assert notices and "still loading" not in notices[-1]
        assert "not available" in notices[-1]
        assert "marks not saved" in status(screen)


async def test_quitting_does_not_wait_for_a_marks_file_held_by_another_newsdeck(news: Path) -> None:
    app = NewsDeckApp(news)
    holder: sqlite3.Connection | None = None
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(pilot)
        assert isinstance(screen, MainScreen)
        await pilot.press("m")  # a mark waiting to be written (Comet seen: first by title)
        holder = sqlite3.connect(state_path(), timeout=0, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another newsdeck, in the middle of a write
        started = time.perf_counter()
        await pilot.press("q")
    assert time.perf_counter() - started < 1.5
    assert app.closing_stores, "the pending mark was handed to a background writer"
    holder.execute("COMMIT")
    holder.close()
    for store, thread in app.closing_stores:
        thread.join(timeout=30)
        assert store.recovery_file is None
    with sqlite3.connect(state_path()) as connection:
        assert connection.execute("SELECT id FROM marks WHERE read").fetchall() == [("https://a.example/2",)]


async def test_a_failed_read_of_an_articles_file_says_so(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch, notices: list[str]
) -> None:
    import tui.widgets.article_detail as detail

    def broken(root: Path, article: object) -> object:
        raise OSError("the disk went away")

    monkeypatch.setattr(detail, "read_article_extras", broken)
    write_article("a.md", title="With a body", url="https://a.example/1", body="Some words.\n")
    app = NewsDeckApp(seed)
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(2000):
            if any("Reading this article's file failed" in notice for notice in notices):
                break
            await pilot.pause()
        assert any("Reading this article's file failed: the disk went away" in n for n in notices)


async def test_o_on_an_article_whose_link_is_broken_says_what_is_wrong(
    write_article: ArticleWriter, seed: Path, notices: list[str]
) -> None:
    write_article("a.md", content='---\ntitle: "Broken link"\noriginalUrl: "htp//broken link"\n---\n')
    app = NewsDeckApp(seed)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        assert notices[-1] == "originalUrl “htp//broken link” is not a web address: it has spaces in it"


def test_a_web_link_wins_over_one_that_is_not() -> None:
    from tui.data.model import Article

    both = Article(path="a.md", title="T", original_url="javascript:alert(1)", web_url="https://w.example/1")
    assert both.url == "https://w.example/1"
    assert Article(path="a.md", title="T", original_url="https://o.example/1", web_url="https://w").url == (
        "https://o.example/1"
    )
    assert Article(path="a.md", title="T", original_url="javascript:x").url == "javascript:x"
