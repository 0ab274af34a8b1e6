"""`newsdeck fetch DIR`: the full texts of many articles fetched ahead of time, for reading offline.

The work is `tui.data.bulk_fetch`'s; this is the command around it: which
articles (`--topic`, `--search`, `--limit`), a progress line on stderr when it
is a terminal, ctrl+c, and the summary (`--json` for scripts). Nothing from
the network or the seed files reaches the terminal unless through `visible`;
the progress line holds only numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TextIO

from tui.data.bulk_fetch import fetch_articles, select_urls
from tui.data.fetch_tally import FAILURE_WORDS, LONG_BACKOFF, SHORT_BACKOFF, Tally
from tui.data.index import Selection
from tui.data.loader import LoadError, load_directory
from tui.data.sanitize import visible
from tui.data.search import find, parse_query
from tui.data.text_store import StoreUnavailable, TextStore
from tui.data.wording import plural

EXIT_DONE = 0
EXIT_STORE = 1
EXIT_USAGE = 2
EXIT_STOPPED = 130
MAX_JOBS = 64
FAILURES_LISTED = 10
"""Failures listed by URL in the text summary (`--json` lists them all)."""
REDRAW_SECONDS = 0.1
TICK_SECONDS = 0.5


class _Usage(Exception):
    """What was asked cannot be done as asked (exit code 2)."""


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _jobs(text: str) -> int:
    value = _count(text)
    if value > MAX_JOBS:
        raise argparse.ArgumentTypeError(f"at most {MAX_JOBS}, not {value}")
    return value


def fetch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdeck fetch",
        description=(
            "Fetch the full texts of DIR's articles now, to read them later offline (r in the reader). "
            "Texts already kept are not fetched again, nor pages that failed recently "
            f"(offline, timeouts, 429 and 5xx for {SHORT_BACKOFF / 3600:g} hour, "
            f"other failures for {LONG_BACKOFF / 3600:g} hours)."
        ),
        epilog="Exit codes: 0 when it ran (failures are in the summary), 1 when the stored texts "
        "cannot be written, 2 for a usage error or a directory that cannot be read, 130 after ctrl+c.",
    )
    parser.add_argument("directory", metavar="DIR", help="seed directory of articles")
    parser.add_argument("--topic", metavar="NAME", help="only the articles of this topic")
    parser.add_argument(
        "--search", metavar="QUERY", help="only the articles this search finds (see the README)"
    )
    parser.add_argument(
        "--limit", metavar="N", type=_count, help="only the newest N articles of those chosen"
    )
    parser.add_argument(
        "--jobs",
        metavar="N",
        type=_jobs,
        default=8,
        help="at most N pages asked at once (default 8; 2 a host)",
    )
    parser.add_argument(
        "--retry-failed", action="store_true", help="ask again for pages that failed recently"
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="also fetch from loopback, private and link-local addresses (refused by default)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    return parser


def _say(message: str) -> None:
    print(f"newsdeck: {visible(message)}", file=sys.stderr)


def run_fetch(arguments: Sequence[str]) -> int:
    options = fetch_parser().parse_args(arguments)
    try:
        root, urls = _chosen_urls(options)
    except (LoadError, _Usage) as error:
        _say(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("stopped before any page was fetched.")
        return EXIT_STOPPED
    try:
        store = TextStore.open()
    except StoreUnavailable as error:
        _say(str(error))
        return EXIT_STORE
    line = ProgressLine(sys.stderr) if sys.stderr.isatty() else None
    tally = asyncio.run(_fetch(urls, store, options, line))
    store.close()
    if line is not None:
        line.clear()
    if options.json:
        text = json.dumps(json_report(tally, root, store.path), ensure_ascii=False, indent=2)
    else:
        text = summary_text(tally, root, store.path)
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # `newsdeck fetch DIR | head`: the reader left early, which is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if tally.problem:
        _say(tally.problem)
        return EXIT_STORE
    return EXIT_STOPPED if tally.stopped else EXIT_DONE


def _chosen_urls(options: argparse.Namespace) -> tuple[Path, list[str]]:
    """The directory read, and the URLs of the articles asked for, newest first."""
    result = load_directory(options.directory)
    for notice in result.notices:
        _say(notice)
    index = result.index
    selection = Selection()
    if options.topic is not None:
        key = index.find_topic(options.topic)
        if key is None:
            raise _Usage(f"no topic named “{options.topic}” ('newsdeck check DIR' lists the topics)")
        selection = Selection(frozenset({key}))
    if options.search is None:
        view = index.select(selection)
    else:
        query = parse_query(options.search, typing=True)
        view = find(index, query, selection)
        for problem in query.problems:
            _say(f"search: {problem}")
    return result.root, select_urls(view, options.limit)


async def _fetch(
    urls: list[str], store: TextStore, options: argparse.Namespace, line: ProgressLine | None
) -> Tally:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def interrupted() -> None:
        stop.set()
        if line is not None:
            line.stopping = True
        # A second ctrl+c is not waited on: it interrupts at once, as usual.
        loop.remove_signal_handler(signal.SIGINT)

    # Without signal handlers (Windows) ctrl+c interrupts as usual, without a summary.
    with suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, interrupted)
    # Redrawn now and then, not only as pages come: the estimate moves while a slow site is waited on.
    ticking = asyncio.create_task(line.tick()) if line is not None else None
    try:
        return await fetch_articles(
            urls,
            store,
            jobs=options.jobs,
            allow_private=options.allow_private,
            retry_failed=options.retry_failed,
            on_progress=line.update if line is not None else None,
            stop=stop,
        )
    finally:
        if ticking is not None:
            ticking.cancel()
        with suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)


# The progress line -----------------------------------------------------------------

_SHORT = {
    "offline": "offline",
    "timeout": "timeout",
    "http-error": "http",
    "too-many-redirects": "redirects",
    "not-web": "not web",
    "not-a-page": "not page",
    "too-large": "too large",
    "nothing-readable": "empty",
    "refused": "refused",
}


def eta_seconds(tally: Tally, now: float) -> float | None:
    """Seconds left at the rate pages have been answered so far, once there is a rate."""
    if tally.fetching_since is None or tally.asked < 1 or now <= tally.fetching_since:
        return None
    rate = tally.asked / (now - tally.fetching_since)
    return max(0, tally.total - tally.done) / rate


def _clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def progress_text(tally: Tally, width: int, now: float, *, stopping: bool = False) -> str:
    """One line of numbers only, at most `width - 1` characters (a full line would wrap the cursor)."""
    done, total = tally.done, tally.total
    counts = [f"{tally.fetched:,} fetched", f"{tally.cached:,} from cache"]
    if tally.skipped:
        counts.append(f"{tally.skipped:,} skipped")
    if tally.failed:
        reasons = ", ".join(
            f"{_SHORT.get(kind, 'other')} {count:,}" for kind, count in tally.failed.most_common()
        )
        counts.append(f"{tally.failed_total:,} failed ({reasons})")
    eta = eta_seconds(tally, now)
    tail = "stopping…" if stopping else f"ETA {_clock(eta)}" if eta is not None else "ETA –"
    # The estimate before the counts: what a narrow terminal cuts off is the detail of failures.
    numbers = f" {done:,}/{total:,} · {tail} · {' · '.join(counts)}"
    bar_width = max(10, min(30, width - len(numbers) - 3))
    filled = bar_width * done // total if total else bar_width
    text = f"[{'#' * filled}{'.' * (bar_width - filled)}]{numbers}"
    return text[: max(1, width - 1)]


class ProgressLine:
    """The progress line on a terminal: one line, redrawn in place, at most ten times a second."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._drawn_at: float | None = None
        self._last: Tally | None = None
        self.stopping = False

    def update(self, tally: Tally) -> None:
        self._last = tally
        now = self._clock()
        if self._drawn_at is not None and now - self._drawn_at < REDRAW_SECONDS and tally.done < tally.total:
            return
        self._draw(tally, now)

    async def tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            if self._last is not None:
                self._draw(self._last, self._clock())

    def _draw(self, tally: Tally, now: float) -> None:
        self._drawn_at = now
        width = shutil.get_terminal_size((80, 24)).columns
        self._write(f"\r{progress_text(tally, width, now, stopping=self.stopping)}\x1b[K")

    def clear(self) -> None:
        if self._drawn_at is not None:
            self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        try:
            self._stream.write(text)
            self._stream.flush()
        except OSError:
            pass  # a terminal gone is no reason to stop fetching


# The summary -----------------------------------------------------------------------


def _reasons(tally: Tally) -> list[tuple[str, int, str]]:
    """(reason, count, words) of each failure, most frequent first; HTTP errors with their statuses."""
    found = []
    for reason, count in tally.failed.most_common():
        words = FAILURE_WORDS.get(reason, visible(reason))
        if reason == "http-error" and tally.statuses:
            words += (
                " (" + ", ".join(f"{status}: {n:,}" for status, n in sorted(tally.statuses.items())) + ")"
            )
        found.append((reason, count, words))
    return found


def summary_text(tally: Tally, root: Path, store_path: Path) -> str:
    directory = visible(root)
    if tally.stopped:
        head = f"Stopped (ctrl+c) after {tally.done:,} of {plural(tally.total, 'article')} in {directory}"
    else:
        head = f"{plural(tally.total, 'article')} with a web address in {directory}"
    lines = [
        f"{head} ({tally.seconds:.1f} s)",
        f"  {tally.fetched:>7,}  fetched",
        f"  {tally.cached:>7,}  from cache",
        f"  {tally.skipped:>7,}  skipped, failed recently",
        f"  {tally.failed_total:>7,}  failed" + (":" if tally.failed else ""),
    ]
    lines += [f"    {count:>7,}  {words}" for _, count, words in _reasons(tally)]
    if tally.stopped or tally.problem:
        lines.append(f"  {tally.total - tally.done:>7,}  not asked")
    if tally.retries:
        lines.append(f"  ({plural(tally.retries, 'page')} asked again after the site said to wait)")
    if tally.failures:
        lines += ["", "Failed:"]
        lines += [
            f"  {visible(item.url)}: {visible(item.message)}" for item in tally.failures[:FAILURES_LISTED]
        ]
        if len(tally.failures) > FAILURES_LISTED:
            lines.append(f"  … and {len(tally.failures) - FAILURES_LISTED:,} more (--json lists them all)")
    lines += ["", f"Texts are kept in {visible(store_path)}."]
    if tally.stopped:
        lines.append("What was fetched is kept; run the same command again to go on.")
    return "\n".join(lines)


def json_report(tally: Tally, root: Path, store_path: Path) -> dict[str, object]:
    return {
        "directory": visible(root),
        "articles": tally.total,
        "fetched": tally.fetched,
        "from_cache": tally.cached,
        "skipped_failed_recently": tally.skipped,
        "failed": tally.failed_total,
        "failed_by_reason": {reason: count for reason, count, _ in _reasons(tally)},
        "http_statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
        "failures": [
            {
                "url": visible(item.url),
                "reason": item.reason,
                "status": item.status,
                "message": visible(item.message),
            }
            for item in tally.failures
        ],
        "not_asked": tally.total - tally.done,
        "retries": tally.retries,
        "stopped": tally.stopped,
        "problem": visible(tally.problem),
        "seconds": round(tally.seconds, 3),
        "store": visible(store_path),
    }
