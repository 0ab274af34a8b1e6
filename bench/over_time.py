"""The sparkline's cost on a topic switch, and the statistics screen's counting.

    python bench/run.py --over-time                 # 1,000 and 100,000 articles
    python bench/run.py --over-time --sizes 1000

Each figure is taken in a fresh process with a warm cache, the app headless at
160x50 (Pilot), as run.py takes its topic switch: keys 1 to 5 and 0, three
times, the median less Pilot's own round trip. "Without" is the same app with
the sparkline's update made a no-op, in the same run, alternating with "with"
so that a busy machine weighs on both alike. The sparkline's own time is what
its update took on each switch (median). "Statistics" is the worker's count of
every article (per day, per topic, per provider, top providers).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


async def _measure(directory: str, with_sparkline: bool) -> dict[str, float]:
    from bench.measure import pilot_overhead
    from tui.app import NewsDeckApp
    from tui.data.timeline import overview
    from tui.screens.main import MainScreen
    from tui.widgets.day_sparkline import DaySparkline

    spent: list[float] = []
    update = DaySparkline.watch_listing

    def timed(self: DaySparkline, listing: object) -> None:
        started = time.perf_counter()
        update(self, listing)  # type: ignore[arg-type]
        spent.append(time.perf_counter() - started)

    DaySparkline.watch_listing = timed if with_sparkline else (lambda self, listing: None)  # type: ignore[method-assign,assignment]
    app = NewsDeckApp(Path(directory))
    figures: dict[str, float] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        while (
            not isinstance(app.screen, MainScreen)
            or app.screen.result is None
            or not app.screen.result.complete
        ):
            await pilot.pause(0.01)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("home")
        overhead = await pilot_overhead(pilot)
        spent.clear()
        switches = []
        for _ in range(3):
            for key in ("1", "2", "3", "4", "5", "0"):
                started = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                switches.append(time.perf_counter() - started)
        figures["topic_switch"] = max(0.0, statistics.median(switches) - overhead)
        figures["sparkline"] = statistics.median(spent) if spent else 0.0
        index = app.screen.index
        assert index is not None
        started = time.perf_counter()
        overview(index.view(), index)
        figures["statistics"] = time.perf_counter() - started
        await pilot.press("q")
    return figures


def measure(directory: str, mode: str) -> dict[str, float]:
    return asyncio.run(_measure(directory, mode == "with"))


def run(sizes: list[int], seed_for: Callable[[int], Path], repeats: int = 3) -> str:
    sys.path.insert(0, str(REPO))
    from bench.measure import measure_in_process

    lines = [
        "| articles | topic switch, no sparkline | with sparkline | sparkline update | statistics count |",
        "|---|---|---|---|---|",
    ]
    base: dict[str, float] = {}
    for size in sizes:
        directory = seed_for(size)
        runs: dict[str, list[dict[str, float]]] = {"without": [], "with": []}
        with tempfile.TemporaryDirectory(prefix="newsdeck-bench-cache-") as cache:
            cache_dir = Path(cache)
            print(f"  {size:,}: warming the cache…", file=sys.stderr)
            measure_in_process(__file__, [str(directory), "with"], cache_dir)
            for number in range(repeats):
                for mode in ("without", "with"):
                    print(f"  {size:,}: {mode} sparkline, run {number + 1}…", file=sys.stderr)
                    runs[mode].append(measure_in_process(__file__, [str(directory), mode], cache_dir))

        def median(mode: str, name: str) -> float:
            return statistics.median(run[name] for run in runs[mode])  # noqa: B023

        row = {
            "without": median("without", "topic_switch"),
            "with": median("with", "topic_switch"),
            "sparkline": median("with", "sparkline"),
            "statistics": median("with", "statistics"),
        }
        base = base or row
        lines.append(
            f"| {size:,} | {row['without'] * 1000:.1f} ms ({row['without'] / base['without']:.2f}×) "
            f"| {row['with'] * 1000:.1f} ms ({row['with'] / base['with']:.2f}×) "
            f"| {row['sparkline'] * 1000:.2f} ms | {row['statistics']:.2f} s |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
