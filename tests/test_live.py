"""The folder is watched: files added, changed and deleted while newsdeck is open show by themselves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text, loaded

from tui.app import NewsDeckApp
from tui.data.watch import counts
from tui.screens.main import MainScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList


def titles(screen: MainScreen) -> list[str]:
    return [article.title for article in screen.query_one(ArticleList).articles]


async def until(pilot: object, screen: MainScreen, condition: Callable[[], bool]) -> None:
    """Let the app work until `condition` holds: the watcher's batch, then the reading, then the list."""
    for _ in range(600):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        if condition() and screen.result is not None and screen.result.complete and not screen.reloading:
            return
    raise AssertionError(f"never happened; the list: {titles(screen)[:5]}")


async def test_added_changed_and_deleted_files_show_by_themselves(
    write_article: ArticleWriter, seed: Path, notices: list[str]
) -> None:
    write_article("a.md", title="First", url="https://n.example/a", published="2024-03-01T10:00:00Z")
    write_article("b.md", title="Second", url="https://n.example/b", published="2024-03-02T10:00:00Z")
    write_article("c.md", title="Third", url="https://n.example/c", published="2024-03-03T10:00:00Z")
    app = NewsDeckApp(seed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("j")  # on "Second"
        write_article(
            "d.md",
            title="Fourth",
            url="https://n.example/d",
            published="2024-03-04T10:00:00Z",
            topics=["Election"],
        )
        await until(pilot, screen, lambda: "Fourth" in titles(screen))
        assert titles(screen) == ["Fourth", "Third", "Second", "First"]
        assert screen.query_one(ArticleDetail).article.title == "Second"  # type: ignore[union-attr]
        assert "1 new article in Election" in notices
        write_article(
            "b.md", title="Second, corrected", url="https://n.example/b", published="2024-03-02T10:00:00Z"
        )
        await until(pilot, screen, lambda: "Second, corrected" in titles(screen))
        (seed / "b.md").unlink()  # the reader's article goes: the one now in its place is shown
        await until(pilot, screen, lambda: len(titles(screen)) == 3)
        assert "1 article gone" in notices
        assert screen.query_one(ArticleDetail).article.title == "First"  # type: ignore[union-attr]


async def test_a_burst_of_files_is_read_in_a_few_goes(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="Before", url="https://n.example/a")
    reads: list[str] = []
    real = MainScreen.read_again

    def counted(self: MainScreen, why: str) -> None:
        if not self.reloading:
            reads.append(why)
        real(self, why)

    monkeypatch.setattr(MainScreen, "read_again", counted)
    app = NewsDeckApp(seed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        burst = seed / "burst"
        burst.mkdir()
        for number in range(2000):
            (burst / f"n{number:04d}.md").write_text(
                article_text(f"Burst {number}", url=f"https://n.example/burst/{number}"), encoding="utf-8"
            )
        await until(pilot, screen, lambda: len(titles(screen)) == 2001)
        assert 1 <= len(reads) <= 6, reads


def test_only_article_files_and_definitions_count(tmp_path: Path) -> None:
    assert counts(tmp_path, str(tmp_path / "a" / "story.md"))
    assert counts(tmp_path, str(tmp_path / "_data" / "topics.yml"))
    assert not counts(tmp_path, str(tmp_path / ".git" / "index"))
    assert not counts(tmp_path, str(tmp_path / "notes.pdf"))
    assert not counts(tmp_path, "/elsewhere/story.md")


async def test_no_watch_reads_only_when_asked(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="First", url="https://n.example/a")
    app = NewsDeckApp(seed, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        write_article("b.md", title="Added", url="https://n.example/b", published="2024-03-09T10:00:00Z")
        await pilot.press("ctrl+r")
        screen = await loaded(pilot)
        assert "Added" in titles(screen)
