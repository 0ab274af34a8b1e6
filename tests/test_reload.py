"""ctrl+r (or f5) reads the directory again: new and deleted files show, the cursor stays put."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded, status

import tui.data.loader
from tui.app import NewsDeckApp
from tui.screens.main import MainScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList


def titles(screen: MainScreen) -> list[str]:
    return [article.title for article in screen.query_one(ArticleList).articles]


def shown(screen: MainScreen) -> str:
    article = screen.query_one(ArticleDetail).article
    return article.title if article is not None else ""


async def reload(pilot: object, key: str = "ctrl+r") -> MainScreen:
    await pilot.press(key)  # type: ignore[attr-defined]
    return await loaded(pilot)  # type: ignore[arg-type]


async def test_a_reload_shows_new_and_deleted_files_and_keeps_the_cursor(
    write_article: ArticleWriter, seed: Path, notices: list[str]
) -> None:
    write_article("a.md", title="Older story", url="https://n.example/a", published="2024-03-01T10:00:00Z")
    write_article("b.md", title="Middle story", url="https://n.example/b", published="2024-03-02T10:00:00Z")
    app = NewsDeckApp(seed, watch=False)  # only the reloads asked for
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("j")
        assert shown(screen) == "Older story"
        write_article(
            "c.md", title="Newest story", url="https://n.example/c", published="2024-03-03T10:00:00Z"
        )
        screen = await reload(pilot)
        assert titles(screen) == ["Newest story", "Middle story", "Older story"]
        assert shown(screen) == "Older story"  # the reader's article, not the row number
        assert notices[-1] == "1 new article"
        (seed / "b.md").unlink()
        screen = await reload(pilot, "f5")
        assert titles(screen) == ["Newest story", "Older story"] and shown(screen) == "Older story"
        assert notices[-1] == "1 article gone"
        screen = await reload(pilot)
        assert notices[-1] == "nothing new, nothing gone"
        assert status(screen).startswith("All articles: 2 articles")


async def test_a_failed_reload_keeps_what_was_read(
    write_article: ArticleWriter, seed: Path, notices: list[str]
) -> None:
    write_article("a.md", title="Still here", url="https://n.example/a")
    app = NewsDeckApp(seed, watch=False)  # only the reloads asked for
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        shutil.rmtree(seed)
        screen = await reload(pilot)
        assert titles(screen) == ["Still here"]
        assert any(notice.startswith("Cannot open") for notice in notices)


async def test_the_demo_has_nothing_to_reload(notices: list[str]) -> None:
    app = NewsDeckApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+r")
        assert "nothing to reload" in notices[-1]


async def test_the_saved_index_is_written_once_the_result_is_shown_and_a_failure_said_once(
    write_article: ArticleWriter, seed: Path, notices: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="Older story", url="https://n.example/a", published="2024-03-01T10:00:00Z")
    app = NewsDeckApp(seed, watch=False)
    on_screen_when_saved: list[bool] = []

    def failing(path: Path, index: object, *args: object, **kwargs: object) -> str:
        on_screen_when_saved.append(app.screen.result.index is index)  # type: ignore[attr-defined]
        return "The saved index could not be written (No space left on device)."

    monkeypatch.setattr(tui.data.loader, "save_snapshot", failing)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert on_screen_when_saved == [True]
        assert notices.count("The saved index could not be written (No space left on device).") == 1
        write_article(
            "b.md", title="Newer story", url="https://n.example/b", published="2024-03-02T10:00:00Z"
        )
        screen = await reload(pilot)
        assert titles(screen) == ["Newer story", "Older story"]
        assert on_screen_when_saved == [True, True]
        # Said once, not again at every reload while it goes on failing.
        assert notices.count("The saved index could not be written (No space left on device).") == 1


async def test_after_a_reload_search_is_prepared_once_the_folder_is_quiet_or_at_once_to_search(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.screens.loading.SEARCH_AFTER_QUIET_SECONDS", 1.0)
    write_article("a.md", title="Older story", url="https://n.example/a", published="2024-03-01T10:00:00Z")
    app = NewsDeckApp(seed, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert screen.index is not None and screen.index.search_ready  # a first load: at once
        write_article("b.md", title="Newer story", url="https://n.example/b")
        screen = await reload(pilot)
        assert screen.index is not None and not screen.index.search_ready
        await pilot.pause(1.5)
        await loaded(pilot)
        assert screen.index.search_ready
        monkeypatch.setattr("tui.screens.loading.SEARCH_AFTER_QUIET_SECONDS", 60.0)
        write_article("c.md", title="Newest story", url="https://n.example/c")
        screen = await reload(pilot)
        assert screen.index is not None and not screen.index.search_ready
        await pilot.press("slash")
        await loaded(pilot)
        assert screen.index.search_ready
