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
