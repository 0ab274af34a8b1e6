"""Finding the stories: time and memory at each size, beside the floor, each size in a fresh process.

    python bench/stories.py [--sizes 1000 14000 100000] [--repeats 3]

The floor is reading every title and lede into words, which any grouping by words must do;
memory is the peak resident memory added while the stories are found, per article.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _measure(directory: str, repeats: int) -> dict[str, float]:
    from tui.data.loader import load_directory
    from tui.data.stories import find_stories, words_of

    articles = load_directory(directory).index.articles
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, floors = [], []
    grouped = 0
    for _ in range(repeats):
        started = time.perf_counter()
        for article in articles:
            words_of(article.title)
            words_of(article.excerpt[:200])
        floors.append(time.perf_counter() - started)
        started = time.perf_counter()
        grouped = find_stories(articles).grouped
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "articles": float(len(articles)),
        "seconds": statistics.median(times),
        "floor": statistics.median(floors),
        "stories": float(grouped),
        "kb_per_article": (peak - before) / max(1, len(articles)),
    }


def run(sizes: list[int], seed: object, repeats: int) -> str:
    sys.path.insert(0, str(REPO))
    from bench.measure import measure_sizes

    lines = [
        "| articles | finding the stories | floor (words read) | ratio | stories of 2 or more | "
        "peak memory added per article |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size, figures in measure_sizes(__file__, sizes, seed, "stories", [str(repeats)]):  # type: ignore[arg-type]
        lines.append(
            f"| {size:,} | {figures['seconds'] * 1000:,.0f} ms | {figures['floor'] * 1000:,.0f} ms | "
            f"{figures['seconds'] / figures['floor']:.1f}× | {figures['stories']:,.0f} | "
            f"{figures['kb_per_article']:.2f} KB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 14000, 100000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsdeck-bench")
    parser.add_argument("--measure", nargs=2, metavar=("DIR", "REPEATS"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        directory, repeats = options.measure
        print(json.dumps(_measure(directory, int(repeats))))
        return
    sys.path.insert(0, str(REPO))
    from bench.run import _seed

    print(f"newsdeck stories benchmark, {date.today()}, {os.cpu_count()} cores, medians of {options.repeats}")
    print()
    print(run(options.sizes, lambda size: _seed(options.workdir, size), options.repeats))


if __name__ == "__main__":
    main()
