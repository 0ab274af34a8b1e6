"""Layout snapshots of the demo at the two sizes people use most."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text
from textual.pilot import Pilot

from tui.app import NewsDeckApp

SnapCompare = Callable[..., bool]

# Snapshots show the layout: notices time out on their own and are not drawn.
pytestmark = pytest.mark.usefixtures("without_toasts")


async def _settled(pilot: Pilot[None]) -> None:
    """Every job done, those started by others too: the word index, then "More like this" found."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _wait_for_load(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.app.screen.workers.wait_for_complete()
    await _settled(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_demo_layout(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(NewsDeckApp(None), terminal_size=size, run_before=_wait_for_load)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_demo_filtered_with_related_focused(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _wait_for_load(pilot)
        await pilot.press("3", "down", "down", "tab", "tab")
        await _settled(pilot)

    assert snap_compare(NewsDeckApp(None), terminal_size=size, run_before=run_before)


def test_help_screen(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _wait_for_load(pilot)
        await pilot.press("question_mark")

    assert snap_compare(NewsDeckApp(None), terminal_size=(80, 24), run_before=run_before)


def test_broken_files_are_listed(
    snap_compare: SnapCompare, write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("good.md", content=article_text("A [bold]literal[/bold] headline \x1b[31m"))
    write_article("empty.md", content="")
    write_article("latin1.md", content=b"---\ntitle: caf\xe9\n---\n")
    write_article("list.md", content="---\n- a\n- b\n---\n")
    write_article("untitled.md", content="---\nexcerpt: no title\n---\n")
    monkeypatch.chdir(seed.parent)

    async def run_before(pilot: Pilot[None]) -> None:
        await _wait_for_load(pilot)
        await pilot.press("exclamation_mark")

    assert snap_compare(NewsDeckApp(Path("seed")), terminal_size=(80, 24), run_before=run_before)


def test_search_marks_matches(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _wait_for_load(pilot)
        await pilot.press("slash", *"night trains", "enter")
        await _settled(pilot)

    assert snap_compare(NewsDeckApp(None), terminal_size=(120, 30), run_before=run_before)


def test_read_and_starred_marks(snap_compare: SnapCompare) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _wait_for_load(pilot)
        # The first read, the second starred, the third read and starred; the fourth unread.
        await pilot.press("m", "down", "asterisk", "down", "m", "asterisk", "down")
        await _settled(pilot)
        await pilot.pause()

    assert snap_compare(NewsDeckApp(None), terminal_size=(120, 30), run_before=run_before)
