"""A folder the system cannot watch is polled instead, and the user is told; if polling fails too, ctrl+r."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import watchfiles
from conftest import ArticleWriter, article_text

from tui.data.watch import watch_directory


def refusing(native: bool, polling: bool) -> Any:
    """watchfiles.watch, but the system's own watching (and maybe polling) fails as on a full inotify."""
    real = watchfiles.watch

    def watch(*paths: Any, force_polling: bool | None = None, **options: Any) -> Iterator[Any]:
        if (native and not force_polling) or (polling and force_polling):
            raise OSError(28, "OS file watch limit reached")
        return real(*paths, force_polling=force_polling, **options)  # type: ignore[no-any-return]

    return watch


def run_watcher(root: Path, stop: threading.Event) -> tuple[queue.Queue[str], threading.Thread]:
    said: queue.Queue[str] = queue.Queue()

    def changed(count: int) -> None:
        said.put(f"changed {count}")

    thread = threading.Thread(
        target=watch_directory, args=(root, changed, stop, said.put), kwargs={"debounce_ms": 50}, daemon=True
    )
    thread.start()
    return said, thread


def test_a_folder_that_cannot_be_watched_is_polled_and_the_user_told(
    monkeypatch: pytest.MonkeyPatch, write_article: ArticleWriter, seed: Path
) -> None:
    write_article("a.md")
    monkeypatch.setattr(watchfiles, "watch", refusing(native=True, polling=False))
    stop = threading.Event()
    said, thread = run_watcher(seed, stop)
    try:
        problem = said.get(timeout=30)
        assert problem == (
            "The folder cannot be watched ([Errno 28] OS file watch limit reached): "
            "it is checked every second instead."
        )
        # A file written before the poller's first look is no change to it: write until one is seen.
        for number in range(10):
            (seed / f"b{number}.md").write_text(article_text(f"Arrived while polled {number}"), "utf-8")
            try:
                heard = said.get(timeout=3)
                break
            except queue.Empty:
                continue
        assert heard.startswith("changed ")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_when_polling_fails_too_ctrl_r_is_the_way(monkeypatch: pytest.MonkeyPatch, seed: Path) -> None:
    monkeypatch.setattr(watchfiles, "watch", refusing(native=True, polling=True))
    stop = threading.Event()
    said, thread = run_watcher(seed, stop)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert said.get_nowait().endswith("it is checked every second instead.")
    assert said.get_nowait() == (
        "The folder cannot be watched ([Errno 28] OS file watch limit reached): "
        "press ctrl+r to read it again."
    )
