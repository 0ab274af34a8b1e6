"""Live reload's figures: a file written to its row on screen, and keys during a burst of files.

    python bench/run.py --live                 # 1,000 and 100,000 articles
    python bench/run.py --live --sizes 1000

Each size runs in a fresh process with a warm cache (the directory read once
before), the app headless at 160x50 (Pilot). A new article, newest of all, is
written, and the time until it is the list's first row is taken (median of 3).
Then 5,000 files are written at once into a sub-folder while `down` is
pressed every 50 ms: each key's time until the cursor moved is taken, until
every new article is listed. The floor beside them is the watcher itself:
the time until watchfiles reports the file (its batching delay included).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BURST = 5000


def _article(title: str, published: str, number: int) -> str:
    return (
        f'---\ntitle: "{title}"\noriginalUrl: "https://live.example/{number}"\n'
        f'publishedDateTime: "{published}"\nprovider: {{name: Live Wire, domain: live.example}}\n'
        "topics: [Live]\n---\n"
    )


def _watcher_floor(directory: Path) -> float:
    """Seconds from a file written to watchfiles reporting it, with newsdeck's debounce."""
    from tui.data.watch import watch_directory

    stop = threading.Event()
    seen = threading.Event()
    thread = threading.Thread(
        target=watch_directory, args=(directory, lambda _count: seen.set(), stop, print), daemon=True
    )
    thread.start()
    time.sleep(1.0)  # the watch is set up
    started = time.perf_counter()
    (directory / "floor-probe.md").write_text(_article("Probe", "2099-01-01T00:00:00Z", 0))
    seen.wait(30)
    seconds = time.perf_counter() - started
    stop.set()
    (directory / "floor-probe.md").unlink()
    return seconds


def _settled(screen: object) -> bool:
    result = getattr(screen, "result", None)
    if result is None or not result.complete or result.checking:
        return False
    return not getattr(screen, "reloading", "")


async def _measure(directory: Path) -> dict[str, float]:
    from tui.app import NewsDeckApp
    from tui.data.loader import load_directory
    from tui.widgets.article_list import ArticleList

    load_directory(directory)  # a warm cache, as a reader's would be
    folder = directory / "live-bench"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    figures: dict[str, float] = {"floor": _watcher_floor(folder)}
    app = NewsDeckApp(directory)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = app.screen
        # A warm start shows the saved index while it checks the folder: time files only after that.
        while not _settled(screen):
            await pilot.pause(0.05)
            screen = app.screen
        await pilot.pause(1.0)
        articles = screen.query_one(ArticleList)
        shown = []
        for number in range(3):
            title = f"Live story {number}"
            started = time.perf_counter()
            (folder / f"live-{number}.md").write_text(
                _article(title, f"2099-01-0{number + 1}T00:00:00Z", number)
            )
            while not articles.articles or articles.articles[0].title != title:
                await asyncio.sleep(0.005)
            shown.append(time.perf_counter() - started)
            await pilot.pause(0.5)
        figures["file_to_row"] = statistics.median(shown)
        total = len(articles.articles)

        def burst() -> None:
            for number in range(BURST):
                (folder / f"burst-{number:05d}.md").write_text(
                    _article(f"Burst {number}", "2001-01-01T00:00:00Z", 100 + number)
                )

        writer = threading.Thread(target=burst)
        started = time.perf_counter()
        writer.start()
        keys = []
        while len(articles.articles) < total + BURST and time.perf_counter() - started < 600:
            before = articles.cursor
            pressed = time.perf_counter()
            app.simulate_key("down" if before == 0 else "up")
            while articles.cursor == before and time.perf_counter() - pressed < 30:
                await asyncio.sleep(0.001)
            keys.append(time.perf_counter() - pressed)
            await asyncio.sleep(0.05)
        writer.join()
        figures["burst_listed"] = time.perf_counter() - started
        keys.sort()
        figures["key_median"] = statistics.median(keys)
        figures["key_p95"] = keys[int(len(keys) * 0.95)]
        figures["key_max"] = keys[-1]
        figures["articles"] = float(total)
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def run(sizes: list[int], seed: object) -> str:
    sys.path.insert(0, str(REPO))
    from bench.measure import measure_in_process

    rows = []
    for size in sizes:
        directory = seed(size)  # type: ignore[operator]
        print(f"  {size:,}: live reload…", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="newsdeck-live-bench-") as cache:
            rows.append((size, measure_in_process(__file__, [str(directory)], Path(cache))))
    ms = 1000.0
    lines = [
        "| articles | file written → its row on screen | watcher alone (floor) "
        "| 5,000 files: all listed after | keys during the burst: median / 95th / slowest |",
        "|---|---:|---:|---:|---|",
    ]
    for size, figures in rows:
        lines.append(
            f"| {size:,} | {figures['file_to_row'] * ms:.0f} ms | {figures['floor'] * ms:.0f} ms "
            f"| {figures['burst_listed']:.1f} s | {figures['key_median'] * ms:.0f} / "
            f"{figures['key_p95'] * ms:.0f} / {figures['key_max'] * ms:.0f} ms |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(asyncio.run(_measure(Path(sys.argv[2])))))
