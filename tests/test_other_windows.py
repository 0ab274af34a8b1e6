"""Marks made in another newsdeck window show here within a second, and this window's unsaved ones stay."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ArticleWriter, loaded

from tui.app import NewsDeckApp
from tui.data.state import StateStore, state_path
from tui.widgets.article_list import ArticleList


def test_a_store_sees_another_ones_writes_and_keeps_its_own_unsaved_marks(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    here = StateStore(path, background=False)
    there = StateStore(path, background=False)
    assert not here.changed_elsewhere()
    here.set("https://n.example/a", read=True)  # not written yet
    there.set("https://n.example/b", starred=True)
    there.flush()
    assert here.changed_elsewhere()
    assert here.get("https://n.example/a").read and here.get("https://n.example/b").starred
    assert not here.changed_elsewhere()  # nothing new since
    here.flush()
    assert not here.changed_elsewhere()  # its own writes are not another window's
    here.close()
    there.close()


async def test_a_star_given_in_another_window_shows_here(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Shared story", url="https://n.example/a")
    app = NewsDeckApp(seed)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert screen.marks is not None and not screen.marks.starred_count
        other_window = (
            "from tui.data.state import StateStore\n"
            "store = StateStore()\n"
            "store.set('https://n.example/a', starred=True)\n"
            "store.close()\n"
        )
        subprocess.run([sys.executable, "-c", other_window], check=True, timeout=60)
        assert state_path().is_file()
        for _ in range(400):  # the app looks once a second; wait for what it shows, not for a time
            await pilot.pause(0.01)
            if screen.marks is not None and screen.marks.starred_count:
                break
        assert screen.marks is not None and screen.marks.starred_count == 1
        row = screen.query_one(ArticleList).render_line(0).text
        assert "★" in row[:3]
