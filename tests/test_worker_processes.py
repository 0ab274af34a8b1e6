"""Parsing worker processes never outlive newsdeck, and a warm start starts none."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text

import tui.data.parallel as parallel
from tui.data.cache import ENV_CACHE_DIR
from tui.data.loader import load_directory

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def processes() -> dict[int, tuple[int, str]]:
    """Every process on the machine: pid -> (parent pid, command line)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\x00", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        found[int(entry)] = (parent, command)
    return found


def descendants(pid: int) -> set[int]:
    table = processes()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, (parent, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def wait_until(condition: object, watching: int, timeout: float = 60.0) -> bool:
    """Check `condition` each time process `watching` ends or 20 ms pass, until it holds.

    The process table has no notification for a process starting; a process
    ending does (its pidfd turns readable), so waiting on the watched process
    returns at once when it ends early.
    """
    deadline = time.monotonic() + timeout
    with _pidfd(watching) as handle:
        while time.monotonic() < deadline:
            if condition():  # type: ignore[operator]
                return True
            select.select([handle] if handle is not None else [], [], [], 0.02)
    return False


@contextmanager
def _pidfd(pid: int) -> Iterator[int | None]:
    try:
        handle: int | None = os.pidfd_open(pid)
    except OSError:  # already gone
        handle = None
    try:
        yield handle
    finally:
        if handle is not None:
            os.close(handle)


def wait_gone(pids: set[int], timeout: float = 30.0) -> set[int]:
    """Wait for each process to end (pidfds turn readable); the ones still running after `timeout`."""
    left = set()
    deadline = time.monotonic() + timeout
    for pid in pids:
        with _pidfd(pid) as handle:
            if (
                handle is not None
                and not select.select([handle], [], [], max(0.0, deadline - time.monotonic()))[0]
            ):
                left.add(pid)
    return left


@pytest.fixture
def big_seed(tmp_path: Path) -> Path:
    """Enough work that the worker processes are busy when we strike."""
    seed = tmp_path / "big"
    seed.mkdir()
    related = "related:\n" + "".join(f'  - title: "R {n}"\n    webUrl: "https://r/{n}"\n' for n in range(20))
    for number in range(6000):
        text = article_text(
            f"Story {number}", url=f"https://n.example/{number}", topics=["A", "B"], extra=related
        )
        (seed / f"n{number:05d}.md").write_text(text, encoding="utf-8")
    return seed


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    yield {
        **os.environ,
        ENV_CACHE_DIR: str(tmp_path / "cache"),
        "NEWSDECK_STATE_DIR": str(tmp_path / "state"),
    }


def workers_of(pid: int) -> set[int]:
    """Child processes of newsdeck (whatever they are: any is a worker or a helper of one)."""
    return descendants(pid)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_a_cold_check_leaves_no_process_behind(
    big_seed: Path, environment: dict[str, str], how: signal.Signals
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "check", str(big_seed), "--no-cache"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: len(workers_of(process.pid)) >= 2, process.pid), "no workers started"
        everyone = descendants(process.pid)
        process.send_signal(how)
        process.wait(timeout=30)
        left = wait_gone(everyone)
        assert not left, f"left running: {[processes().get(pid) for pid in left]}"
    finally:
        process.kill()
        process.wait()


def test_killing_the_reader_while_it_loads_leaves_no_process_behind(
    big_seed: Path, environment: dict[str, str]
) -> None:
    from terminal import Terminal

    terminal = Terminal([str(big_seed)], environment)
    try:
        pid = terminal.process.pid
        assert wait_until(lambda: (terminal.read(0.02) or True) and len(workers_of(pid)) >= 2, pid)
        everyone = descendants(pid)
        os.kill(pid, signal.SIGKILL)
        terminal.process.wait(timeout=30)
        assert not wait_gone(everyone)
    finally:
        terminal.close()


def test_sigterm_quits_the_reader_cleanly(
    seed: Path, write_article: ArticleWriter, environment: dict[str, str]
) -> None:
    from terminal import Terminal

    write_article("a.md", title="Calm story", url="https://a.example/1")
    terminal = Terminal([str(seed)], environment)
    try:
        assert terminal.read(30, until=b"Calm story")
        terminal.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        while terminal.process.poll() is None and time.monotonic() < deadline:
            terminal.read(0.2)
        assert terminal.process.poll() == 0
        # The terminal was handed back: the alternate screen is left.
        assert b"\x1b[?1049l" in terminal.screen
    finally:
        terminal.close()
    assert b"Traceback" not in terminal.screen


def test_a_warm_start_starts_no_worker(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "cache"))
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 10)
    for number in range(50):
        write_article(f"n{number:02d}.md", title=f"Story {number}", url=f"https://n.example/{number}")
    started: list[int] = []
    real = parallel._start_workers

    def counting(count: int) -> list[parallel._Worker]:
        started.append(count)
        return real(count)

    monkeypatch.setattr(parallel, "_start_workers", counting)
    cold = load_directory(seed, workers=2)
    assert started == [2] and len(cold.index) == 50
    started.clear()
    warm = load_directory(seed, workers=2)
    assert started == [] and warm.from_cache == 50
