"""Reader mode's figures: extracting a page, showing a kept story, and `newsdeck fetch` throughput.

    python bench/run.py --reader

Each beside its floor, measured in the same run:
- extraction (trafilatura) per page, median and 95th percentile, against
  parsing the same HTML with lxml alone (what any extractor must do first);
- a kept story on screen after `r` (headless app), against reading its row
  from SQLite;
- `newsdeck fetch` in pages per second with 8 jobs against a local server
  (four loopback addresses, 2 requests each at most, 50 ms a response),
  against plain downloads of the same pages at the same concurrency.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.measure import measure_in_process, pilot_overhead  # noqa: E402
from bench.pages import page  # noqa: E402

PAGES = 60
FETCHED = 200
LATENCY = 0.05
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")


def _quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_extraction() -> dict[str, float]:
    from lxml import html as lxml_html

    from tui.data.extract import extract_page

    bodies = [page(number) for number in range(PAGES)]
    extract_page(bodies[0], "https://news.example/0")  # imports and first-use set-up aside
    extracting, parsing = [], []
    for number, body in enumerate(bodies):
        started = time.perf_counter()
        lxml_html.document_fromstring(body)
        parsing.append(time.perf_counter() - started)
        started = time.perf_counter()
        extract_page(body, f"https://news.example/{number}")
        extracting.append(time.perf_counter() - started)
    median, p95 = _quantiles(extracting)
    floor_median, floor_p95 = _quantiles(parsing)
    return {
        "page_kb_median": statistics.median(len(body) for body in bodies) / 1024,
        "extract_median": median,
        "extract_p95": p95,
        "parse_median": floor_median,
        "parse_p95": floor_p95,
    }


async def _measure_cached_story(directory: str) -> dict[str, float]:
    from textual.widgets import Markdown

    from tui.app import NewsDeckApp
    from tui.data.text_store import TextStore
    from tui.widgets.article_detail import ArticleDetail

    store = TextStore.open()
    reads = []
    for number in range(21):
        started = time.perf_counter()
        store.get(f"https://news.example/kept/{number % 2}")
        reads.append(time.perf_counter() - started)
    store.close()
    app = NewsDeckApp(Path(directory))
    shown = []
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.screen.workers.wait_for_complete()
        detail = app.screen.query_one(ArticleDetail)
        overhead = await pilot_overhead(pilot)
        for number in range(10):
            # Another kept story each time (the one before is laid out already: no work left).
            await pilot.press("down" if number % 2 else "up")
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("r")
            while not (
                detail.query("#full-text-body")
                and detail.query_one("#full-text-body", Markdown).display
                and detail.query_one("#full-text-body", Markdown).source
            ):
                await pilot.pause(0.001)
            shown.append(time.perf_counter() - started)
            await pilot.press("r")  # the summary again
            await pilot.pause()
    return {
        "story_median": max(0.0, statistics.median(shown) - overhead),
        "row_median": statistics.median(reads),
    }


def measure_cached_story(directory: str) -> dict[str, float]:
    return asyncio.run(_measure_cached_story(directory))


def _kept_story_seed(workdir: Path) -> Path:
    """Two articles whose stories are already kept, in the cache folder the measuring process uses."""
    from tui.data.extract import extract_page
    from tui.data.fetch import Outcome
    from tui.data.text_store import TextStore, store_path

    directory = workdir / "reader-seed"
    directory.mkdir(parents=True, exist_ok=True)
    store = TextStore.open(store_path(workdir / "cache"))
    for number in range(2):
        url = f"https://news.example/kept/{number}"
        (directory / f"kept-{number}.md").write_text(
            f'---\ntitle: "Kept story {number}"\noriginalUrl: "{url}"\n'
            f'publishedDateTime: "2026-12-0{number + 1}T10:00:00Z"\n---\n'
        )
        body = page(7 + number)
        store.put(Outcome("ok", url, final_url=url, status=200, body=body), extract_page(body, url))
    store.close()
    return directory


# `newsdeck fetch` against a local server -------------------------------------------


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(LATENCY)  # a server's answer time, so that concurrency matters
        number = int(self.path.rsplit("/", 1)[-1] or 0)
        body = page(number % PAGES)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@contextmanager
def _servers() -> Iterator[list[str]]:
    servers = [ThreadingHTTPServer((host, 0), _Pages) for host in HOSTS]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield [
            f"http://{host}:{server.server_address[1]}" for host, server in zip(HOSTS, servers, strict=True)
        ]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _urls(bases: list[str]) -> list[str]:
    return [f"{bases[number % len(bases)]}/story/{number}" for number in range(FETCHED)]


async def _downloads(urls: list[str]) -> float:
    """The floor: the same pages downloaded, 8 at once and 2 per host, nothing extracted or kept."""
    from tui.data.fetch import fetch_page, make_client

    overall = asyncio.Semaphore(8)
    hosts = {url.split("/")[2]: asyncio.Semaphore(2) for url in urls}
    async with make_client() as client:

        async def one(url: str) -> None:
            async with overall, hosts[url.split("/")[2]]:
                await fetch_page(client, url)

        started = time.perf_counter()
        await asyncio.gather(*(one(url) for url in urls))
    return time.perf_counter() - started


def measure_fetch(cache: str) -> dict[str, float]:
    from tui.data.bulk_fetch import fetch_articles
    from tui.data.text_store import TextStore, store_path

    with _servers() as bases:
        urls = _urls(bases)
        floor = asyncio.run(_downloads(urls))
        store = TextStore.open(store_path(Path(cache)))
        started = time.perf_counter()
        tally = asyncio.run(fetch_articles(urls, store, jobs=8, allow_private=True))
        seconds = time.perf_counter() - started
        store.close()
    if tally.fetched != len(urls):
        raise SystemExit(f"only {tally.fetched} of {len(urls)} pages fetched: {tally}")
    return {"fetch_seconds": seconds, "download_seconds": floor, "pages": len(urls)}


# Running each in its own process ---------------------------------------------------


def _measure(kind: str, argument: str, cache: Path) -> dict[str, float]:
    return measure_in_process(__file__, [kind, argument], cache)


def run(repeats: int = 3) -> str:
    """Every figure `repeats` times, each in a fresh process; the table of medians (Markdown)."""
    rows: dict[str, list[float]] = {}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="newsdeck-reader-bench-") as work:
            workdir = Path(work)
            os.environ["NEWSDECK_CACHE_DIR"] = str(workdir / "cache")
            seed = _kept_story_seed(workdir)
            figures = {
                **_measure("extraction", "-", workdir / "cache"),
                **_measure("story", str(seed), workdir / "cache"),
                **_measure("fetch", str(workdir / "fetch-cache"), workdir / "fetch-cache"),
            }
        for name, value in figures.items():
            if isinstance(value, int | float):
                rows.setdefault(name, []).append(float(value))
    median = {name: statistics.median(values) for name, values in rows.items()}
    pages_per_second = median["pages"] / median["fetch_seconds"]
    floor_per_second = median["pages"] / median["download_seconds"]
    ms = 1000.0
    return "\n".join(
        [
            "| figure | newsdeck | floor | ratio |",
            "|---|---:|---:|---:|",
            f"| extraction per page, median ({median['page_kb_median']:.0f} KB pages) "
            f"| {median['extract_median'] * ms:.0f} ms | {median['parse_median'] * ms:.1f} ms (lxml parse) "
            f"| {median['extract_median'] / median['parse_median']:.1f}× |",
            f"| extraction per page, 95th percentile | {median['extract_p95'] * ms:.0f} ms "
            f"| {median['parse_p95'] * ms:.1f} ms | {median['extract_p95'] / median['parse_p95']:.1f}× |",
            f"| kept story on screen after `r` | {median['story_median'] * ms:.0f} ms "
            f"| {median['row_median'] * ms:.2f} ms (its SQLite row) "
            f"| {median['story_median'] / median['row_median']:.0f}× |",
            f"| `newsdeck fetch`, 8 jobs, {int(median['pages'])} pages, {LATENCY * ms:.0f} ms server "
            f"| {pages_per_second:.1f} pages/s | {floor_per_second:.1f} pages/s (downloads only) "
            f"| {floor_per_second / pages_per_second:.1f}× |",
        ]
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        kind, argument = sys.argv[2], sys.argv[3]
        if kind == "extraction":
            print(json.dumps(measure_extraction()))
        elif kind == "story":
            print(json.dumps(measure_cached_story(argument)))
        else:
            print(json.dumps(measure_fetch(argument)))
        return
    print(run())


if __name__ == "__main__":
    main()
