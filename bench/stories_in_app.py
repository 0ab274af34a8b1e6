"""Stories inside the reader: how long after opening they are ready, and the keys meanwhile.

    python bench/stories_in_app.py [--size 100000] [--repeats 3]

Each run opens the reader (Pilot, 160x50) on the benchmark's generated articles with a warm
cache, in a fresh process, and presses `down`/`up` every 50 ms from the first rows on, as a
reader looking through the list would, until the stories are found (the search's word index
is built at the same time). Reported: seconds from opening to the stories and from the end
of loading (when they are asked for) to them, medians over the runs, and the latency of
every key pressed meanwhile (from the key to the list's cursor moving).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACE = 0.05
"""Seconds between keys: a reader holding `down` types faster, one looking about slower."""


async def _measure(directory: str) -> dict[str, object]:
    from tui.app import NewsDeckApp
    from tui.screens.main import MainScreen
    from tui.widgets.article_list import ArticleList

    started = time.perf_counter()
    app = NewsDeckApp(Path(directory))
    latencies: list[float] = []
    slow: list[tuple[float, float]] = []
    async with app.run_test(size=(160, 50)) as pilot:
        while not isinstance(app.screen, MainScreen) or not app.screen.query_one(ArticleList).row_count:
            await pilot.pause(0.005)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        articles = screen.query_one(ArticleList)
        # Pilot's press() waits for the app to be idle: keys are sent as a terminal would.
        loaded = None
        for number in range(100_000):
            if loaded is None and screen.result is not None and screen.result.complete:
                loaded = time.perf_counter() - started
            if screen.stories is not None:
                break
            before = articles.cursor
            pressed = time.perf_counter()
            app.simulate_key("down" if number % 20 < 10 else "up")
            while articles.cursor == before and time.perf_counter() - pressed < 10:
                await asyncio.sleep(0.001)
            latencies.append(time.perf_counter() - pressed)
            if latencies[-1] > 0.1:
                slow.append((round(pressed - started, 2), round(latencies[-1], 3)))
            await asyncio.sleep(max(0.0, PACE - latencies[-1]))
        ready = time.perf_counter() - started
        stories = screen.stories
        await pilot.press("q")
    grouped = stories[1].grouped if stories is not None else 0
    return {
        "ready": ready,
        "loaded": loaded or ready,
        "latencies": latencies,
        "grouped": grouped,
        "slow": slow,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdeck-bench")
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(asyncio.run(_measure(options.measure))))
        return
    sys.path.insert(0, str(REPO))
    from bench.measure import measure_in_process
    from bench.run import _run_measurement, _seed

    directory = _seed(options.workdir, options.size)
    readies: list[float] = []
    after_load: list[float] = []
    latencies: list[float] = []
    slow: list[list[float]] = []
    grouped = 0
    with tempfile.TemporaryDirectory(prefix="newsdeck-stories-app-") as cache:
        _run_measurement("load", directory, Path(cache))  # the warm cache every run opens with
        for run in range(options.repeats):
            print(f"  run {run + 1}…", file=sys.stderr)
            figures = measure_in_process(__file__, [str(directory)], Path(cache))
            readies.append(figures["ready"])
            after_load.append(figures["ready"] - figures["loaded"])
            latencies += figures["latencies"]
            slow += figures["slow"]
            grouped = figures["grouped"]
    latencies.sort()
    print(
        f"newsdeck stories in the reader, {date.today()}, {os.cpu_count()} cores, {options.size:,} articles"
    )
    print()
    each = ", ".join(f"{ready:.1f}" for ready in readies)
    print(f"- ready {statistics.median(readies):.1f} s after opening (median of {len(readies)}: {each})")
    print(f"- of which {statistics.median(after_load):.1f} s after loading ended, when the grouping starts")
    print(f"- {grouped:,} stories of 2 or more")
    if latencies:
        print(
            f"- {len(latencies)} keys meanwhile: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"95th percentile {latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms, "
            f"slowest {latencies[-1] * 1000:.0f} ms"
        )
    if slow:
        print("- keys over 100 ms (seconds after opening, seconds taken): " + ", ".join(map(str, slow)))


if __name__ == "__main__":
    main()
