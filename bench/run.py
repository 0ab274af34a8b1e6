"""newsdeck's benchmark: load times, first paint, interaction latency, memory.

    python bench/run.py                      # 1,000, 14,000 and 100,000 articles
    python bench/run.py --sizes 1000 14000   # a quicker run
    python bench/run.py --peer               # side by side with newsboat (peer.py)
    python bench/run.py --reader             # reader mode and `newsdeck fetch` (reader_mode.py)
    python bench/run.py --live               # live reload (live.py)
    python bench/run.py --similar            # more like this (more_like_this.py)
    python bench/run.py --over-time          # the sparkline on a topic switch (over_time.py)

Seed directories are generated once under --workdir (see generate.py) and
reused. Every figure is measured in a fresh process. The files sit in the
operating system's page cache for the floor and for newsdeck alike.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR_VERSION = "1"
DEFAULT_SIZES = (1000, 14000, 100000)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# Measurements, each run in its own process -------------------------------------


def measure_load(directory: str) -> dict[str, float]:
    """One load_directory call: seconds, and resident bytes per article after it."""
    import gc

    from tui.data.loader import load_directory

    gc.collect()
    before = _rss_bytes()
    started = time.perf_counter()
    result = load_directory(directory)
    seconds = time.perf_counter() - started
    gc.collect()
    after = _rss_bytes()
    return {
        "seconds": seconds,
        "articles": len(result.index),
        "from_cache": result.from_cache,
        "bytes_per_article": (after - before) / max(1, len(result.index)),
    }


# Typed a key at a time, as a reader would: every prefix is one search.
SEARCHES = (
    "kalo mi",
    '"ne ru"',
    "ka -lo",
    'topic:"subject 03" vi',
    "provider:site12.example",
    "after:2020-01-01 de",
)


def measure_search(directory: str) -> dict[str, float]:
    """Building the word index, then the time of each keystroke of SEARCHES."""
    import gc

    from tui.data.loader import load_directory
    from tui.data.search import find, parse_query

    index = load_directory(directory).index
    started = time.perf_counter()
    index.search_index()
    build = time.perf_counter() - started
    gc.freeze()  # as the app does once loaded (see MainScreen._search_index_ready)
    keystrokes = []
    for text in SEARCHES:
        for end in range(1, len(text) + 1):
            started = time.perf_counter()
            find(index, parse_query(text[:end], typing=True))
            keystrokes.append(time.perf_counter() - started)
    keystrokes.sort()
    return {
        "build": build,
        "median": statistics.median(keystrokes),
        "p95": keystrokes[int(len(keystrokes) * 0.95)],
        "max": keystrokes[-1],
    }


async def _measure_app(directory: str) -> dict[str, float]:
    from bench.measure import pilot_overhead
    from tui.app import NewsDeckApp
    from tui.screens.main import MainScreen
    from tui.widgets.article_list import ArticleList

    started = time.perf_counter()
    app = NewsDeckApp(Path(directory))
    figures: dict[str, float] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        while not isinstance(app.screen, MainScreen) or not app.screen.query_one(ArticleList).row_count:
            await pilot.pause(0.005)
        figures["first_paint"] = time.perf_counter() - started
        # Interactive: a key pressed now moves the list while loading goes on.
        # (Pilot's press() would wait for the app to be idle, i.e. loaded.)
        articles = app.screen.query_one(ArticleList)
        before = articles.cursor
        key_started = time.perf_counter()
        app.simulate_key("down")
        while articles.cursor == before and time.perf_counter() - key_started < 30:
            await asyncio.sleep(0.002)
        figures["key_while_loading"] = time.perf_counter() - key_started
        while app.screen.result is None or not app.screen.result.complete:
            await pilot.pause(0.01)
        figures["loaded"] = time.perf_counter() - started
        await pilot.press("home")
        # Pilot's own round trip (press, wait, repaint) is the same at every
        # size; a key bound to nothing measures it, and it is taken off.
        overhead = await pilot_overhead(pilot)
        switches = []
        for _ in range(3):
            for key in ("1", "2", "3", "4", "5", "0"):
                key_started = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                switches.append(time.perf_counter() - key_started)
        scrolls = []
        for key in ["pagedown"] * 15 + ["down"] * 15 + ["end", "home"]:
            key_started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            scrolls.append(time.perf_counter() - key_started)
        figures["topic_switch"] = max(0.0, statistics.median(switches) - overhead)
        figures["scroll"] = max(0.0, statistics.median(scrolls) - overhead)
        figures["pilot_overhead"] = overhead
        await pilot.press("q")
    figures["peak_rss"] = _peak_rss_bytes()
    return figures


def measure_app(directory: str) -> dict[str, float]:
    return asyncio.run(_measure_app(directory))


def _run_measurement(kind: str, directory: Path, cache_dir: Path) -> dict[str, float]:
    sys.path.insert(0, str(REPO))
    from bench.measure import measure_in_process

    return measure_in_process(__file__, [kind, str(directory)], cache_dir)


def _floor(directory: Path) -> float:
    completed = subprocess.run(
        [sys.executable, str(HERE / "floor.py"), str(directory)], capture_output=True, text=True, check=True
    )
    return float(completed.stdout.split()[0])


def _seed(workdir: Path, size: int) -> Path:
    directory = workdir / f"seed-{size}"
    marker = directory / ".generated"
    if marker.is_file() and marker.read_text() == f"{GENERATOR_VERSION} {size}":
        return directory
    shutil.rmtree(directory, ignore_errors=True)
    sys.path.insert(0, str(REPO))
    from bench.generate import generate

    print(f"  generating {size:,} articles…", file=sys.stderr)
    generate(
        directory, size, corpus=Path(os.environ.get("NEWSDECK_CORPUS", REPO.parent / "shared" / "corpus"))
    )
    marker.write_text(f"{GENERATOR_VERSION} {size}")
    return directory


def benchmark(size: int, workdir: Path) -> dict[str, float]:
    directory = _seed(workdir, size)
    print(f"  {size:,}: floor…", file=sys.stderr)
    floor = _floor(directory)
    with tempfile.TemporaryDirectory(prefix="newsdeck-bench-cache-") as cache:
        cache_dir = Path(cache)
        print(f"  {size:,}: cold load, warm load, app cold, app warm…", file=sys.stderr)
        cold = _run_measurement("load", directory, cache_dir)
        warm = _run_measurement("load", directory, cache_dir)
        shutil.rmtree(cache_dir)
        cache_dir.mkdir()
        app_cold = _run_measurement("app", directory, cache_dir)
        app_warm = _run_measurement("app", directory, cache_dir)
    return {
        "size": size,
        "floor": floor,
        "cold": cold["seconds"],
        "warm": warm["seconds"],
        "first_paint_cold": app_cold["first_paint"],
        "first_paint_warm": app_warm["first_paint"],
        "interactive_warm": app_warm["first_paint"] + app_warm["key_while_loading"],
        "topic_switch": app_warm["topic_switch"],
        "scroll": app_warm["scroll"],
        "peak_rss": max(app_cold["peak_rss"], app_warm["peak_rss"]),
        "bytes_per_article": warm["bytes_per_article"],
    }


def _table(rows: list[dict[str, float]]) -> str:
    base = rows[0]
    header = (
        "| articles | floor | cold load | warm load | first paint cold / warm | keys work (warm) "
        "| topic switch | scroll | peak RSS | memory per article |"
    )
    lines = [header, "|" + "---|" * 10]
    for row in rows:
        lines.append(
            f"| {row['size']:,} | {row['floor']:.2f} s "
            f"| {row['cold']:.2f} s (**{row['cold'] / row['floor']:.2f}×** floor) "
            f"| {row['warm']:.2f} s (**{row['warm'] / row['floor']:.3f}×** floor) "
            f"| {row['first_paint_cold']:.2f} s / {row['first_paint_warm']:.2f} s "
            f"| {row['interactive_warm']:.2f} s "
            f"| {row['topic_switch'] * 1000:.1f} ms ({row['topic_switch'] / base['topic_switch']:.2f}×) "
            f"| {row['scroll'] * 1000:.1f} ms ({row['scroll'] / base['scroll']:.2f}×) "
            f"| {row['peak_rss'] / 1e6:.0f} MB | {row['bytes_per_article'] / 1000:.2f} KB |"
        )
    return "\n".join(lines)


def _search(size: int, workdir: Path) -> dict[str, float]:
    directory = _seed(workdir, size)
    print(f"  {size:,}: search…", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="newsdeck-bench-cache-") as cache:
        return _run_measurement("search", directory, Path(cache))


def _search_table(rows: list[tuple[int, dict[str, float]]]) -> str:
    lines = [
        "| articles | word index built in | search per keystroke: median | 95th percentile | slowest |",
        "|---|---|---|---|---|",
    ]
    for size, row in rows:
        lines.append(
            f"| {size:,} | {row['build']:.2f} s | {row['median'] * 1000:.1f} ms "
            f"| {row['p95'] * 1000:.1f} ms | {row['max'] * 1000:.1f} ms |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdeck-bench")
    parser.add_argument("--search-only", action="store_true", help="only the search table")
    parser.add_argument(
        "--peer",
        action="store_true",
        help="only newsdeck side by side with newsboat, in tmux (see bench/peer.py)",
    )
    parser.add_argument(
        "--live", action="store_true", help="only live reload: a file to its row, keys in a burst (live.py)"
    )
    parser.add_argument(
        "--over-time",
        action="store_true",
        help="only the sparkline's cost on a topic switch, with and without it (over_time.py)",
    )
    parser.add_argument(
        "--reader",
        action="store_true",
        help="only reader mode: extraction, a kept story, newsdeck fetch (see bench/reader_mode.py)",
    )
    parser.add_argument(
        "--similar",
        action="store_true",
        help="only more like this: latency per article shown (see bench/more_like_this.py)",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="repetitions of each --peer or --reader figure (at least 3)"
    )
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        kind, directory = options.measure
        measure = {"load": measure_load, "app": measure_app, "search": measure_search}[kind]
        print(json.dumps(measure(directory)))
        return
    if options.peer:
        sys.path.insert(0, str(REPO))
        from bench.peer import run as run_peer

        run_peer(options.sizes, options.workdir, _seed, repeats=options.repeats)
        return
    # The benchmarks of one feature each, at 1,000 and 100,000 articles unless sizes are given.
    features = {
        "live": ("live", "live-reload", False),
        "similar": ("more_like_this", "more-like-this", False),
        "over_time": ("over_time", "over-time", True),
    }
    for flag, (module, name, repeated) in features.items():
        if not getattr(options, flag):
            continue
        sys.path.insert(0, str(REPO))
        run_feature = importlib.import_module(f"bench.{module}").run
        sizes = options.sizes if options.sizes != list(DEFAULT_SIZES) else [1000, 100000]
        runs = f", medians of {options.repeats} runs" if repeated else ""
        print(
            f"newsdeck {name} benchmark, {date.today()}, {os.cpu_count()} cores{runs}, "
            f"Python {platform.python_version()}"
        )
        print()
        extra = (options.repeats,) if repeated else ()
        print(run_feature(sizes, lambda size: _seed(options.workdir, size), *extra))
        return
    if options.reader:
        sys.path.insert(0, str(REPO))
        from bench.reader_mode import run as run_reader

        print(
            f"newsdeck reader-mode benchmark, {date.today()}, {os.cpu_count()} cores, medians of "
            f"{options.repeats} runs, Python {platform.python_version()}"
        )
        print()
        print(run_reader(options.repeats))
        return
    if options.search_only:
        print(_search_table([(size, _search(size, options.workdir)) for size in options.sizes]))
        return
    rows = [benchmark(size, options.workdir) for size in options.sizes]
    searches = [(size, _search(size, options.workdir)) for size in options.sizes]
    print(
        f"newsdeck benchmark, {date.today()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        "ratios in brackets: times to the floor, latencies to the smallest size"
    )
    print()
    print(_table(rows))
    print()
    print(_search_table(searches))


if __name__ == "__main__":
    main()
