"""More like this: how long finding an article's similar articles takes (`tui.data.similar`).

    python bench/run.py --similar                 # 1,000 and 100,000 articles
    python bench/run.py --similar --sizes 14000

Each size runs in a fresh process over a generated seed directory (see
generate.py), loaded as the app loads it, with the word index ready (the app
asks only once it is). 200 articles drawn at random are each asked once: the
median and the 95th percentile of those times are reported; then the same once
the stories are known (another story counts once); then the same again with a
fetched full text (300 words of the corpus's vocabulary) kept for every article
asked and for 2,000 others, as reader mode leaves them.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERIES = 200
FETCHED_OTHERS = 2000
FETCHED_WORDS = 300


def measure(directory: str) -> dict[str, float]:
    from tui.data.loader import load_directory
    from tui.data.similar import more_like_this

    index = load_directory(directory).index
    index.search_index()
    gc.freeze()  # as the app does once the word index is ready
    rng = random.Random(13)
    size = len(index.articles)
    asked = [rng.randrange(size) for _ in range(QUERIES)]
    figures: dict[str, float] = {"articles": size}
    shown = 0
    times = []
    for position in asked:
        article = index.articles[position]
        started = time.perf_counter()
        found = more_like_this(index, article)
        times.append(time.perf_counter() - started)
        shown += len(found)
    figures.update(_summary("plain", times))
    figures["found_per_article"] = shown / QUERIES
    # As the reader asks once the stories are known: another story counts once.
    from tui.data.stories import find_stories

    story_of = find_stories(index.articles).story_of.__getitem__
    times = [
        time_of(lambda position=position: more_like_this(index, index.articles[position], story_of=story_of))
        for position in asked
    ]
    figures.update(_summary("stories", times))
    # Fetched stories laid over the index, as reader mode and `newsdeck fetch` leave them.
    vocabulary = index.search_index().vocabulary
    others = [rng.randrange(size) for _ in range(FETCHED_OTHERS)]
    index.fetched.add_many(
        (position, " ".join(rng.choices(vocabulary, k=FETCHED_WORDS))) for position in {*asked, *others}
    )
    times = [
        time_of(lambda position=position: more_like_this(index, index.articles[position]))
        for position in asked
    ]
    figures.update(_summary("fetched", times))
    return figures


def time_of(ask: Callable[[], object]) -> float:
    started = time.perf_counter()
    ask()
    return time.perf_counter() - started


def _summary(name: str, times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        f"{name}_median": statistics.median(times),
        f"{name}_p95": times[int(len(times) * 0.95)],
        f"{name}_max": times[-1],
    }


def run(sizes: list[int], seed: Callable[[int], Path]) -> str:
    sys.path.insert(0, str(REPO))
    from bench.measure import measure_sizes

    lines = [
        "| articles | median | 95th percentile | slowest | stories known: median | 95th percentile "
        "| with fetched texts: median | 95th percentile |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, row in measure_sizes(__file__, sizes, seed, "more like this"):
        lines.append(
            f"| {size:,} | {row['plain_median'] * 1000:.1f} ms | {row['plain_p95'] * 1000:.1f} ms "
            f"| {row['plain_max'] * 1000:.1f} ms | {row['stories_median'] * 1000:.1f} ms "
            f"| {row['stories_p95'] * 1000:.1f} ms | {row['fetched_median'] * 1000:.1f} ms "
            f"| {row['fetched_p95'] * 1000:.1f} ms |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2])))
    else:
        sys.exit("run it as: python bench/run.py --similar [--sizes N …]")
