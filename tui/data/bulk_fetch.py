"""Fetching the full texts of many articles ahead of time, for reading offline (`newsdeck fetch`).

The core is `fetch_articles`, an async function a benchmark can call too. Each
URL is looked up in the text store first: a readable text is "from cache", a
failure stored less than its back-off ago is skipped (`fetch_tally.backoff`). The rest are
fetched newest first, at most `jobs` at once and at most `per_host` at once
at a host (the host of the article's URL; a redirect elsewhere still counts
against it). A 429 or 503 with `Retry-After` holds that host for the time it
asks (capped), then the page is asked again, at most `RETRIES` times. Every
outcome, failures too, is kept through the `TextStore`, one row per page,
written by one thread in order, so a run cut short leaves only whole rows.

By default only public addresses are fetched, at every hop
(`public_addresses.PublicAddresses`).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.data.extract import Extracted, extract_page
from tui.data.fetch import Limits, Outcome, fetch_page, make_client
from tui.data.fetch_tally import (
    Failure,
    Progress,
    Tally,
    failed_recently,
)
from tui.data.public_addresses import PublicAddresses, Resolver
from tui.data.sanitize import visible
from tui.data.text_store import StoredText, StoreUnavailable, TextStore
from tui.data.urls import is_web_url

if TYPE_CHECKING:
    import httpx

    from tui.data.model import Article

MAX_RETRY_WAIT = 120.0
RETRIES = 2
EXTRACTORS = 2
"""Threads extracting text: trafilatura holds the interpreter most of the time, more would not help."""
_LOOKUP_BATCH = 256
DEFAULT_LIMITS = Limits()


def select_urls(articles: Iterable[Article], limit: int | None = None) -> list[str]:
    """The articles' http and https URLs, each once, in the order given (the index's: newest first)."""
    found: dict[str, None] = {}
    for article in articles:
        url = article.url
        if url not in found and is_web_url(url):
            found[url] = None
            if limit is not None and len(found) >= limit:
                break
    return list(found)


# Scheduling ------------------------------------------------------------------------


@dataclass(slots=True)
class _Job:
    url: str
    host: str
    attempt: int = 0


class _Schedule:
    """Which page next: in the order given, at most `per_host` at once at a host, none at a held host."""

    def __init__(self, jobs: Iterable[_Job], per_host: int) -> None:
        self._queues: dict[str, deque[_Job]] = {}
        for job in jobs:
            self._queues.setdefault(job.host, deque()).append(job)
        self._per_host = per_host
        self._active: Counter[str] = Counter()
        self._held: dict[str, float] = {}
        self._pending = sum(len(queue) for queue in self._queues.values())
        self._running = 0
        self._changed = asyncio.Event()

    def _pick(self, now: float) -> _Job | None:
        # Hosts passed over are busy or held, at most `jobs` plus the held ones: a short scan.
        for host, queue in self._queues.items():
            if self._active[host] >= self._per_host or self._held.get(host, 0.0) > now:
                continue
            job = queue.popleft()
            if not queue:
                del self._queues[host]
            self._active[host] += 1
            self._pending -= 1
            self._running += 1
            return job
        return None

    async def take(self) -> _Job | None:
        """The next page to ask for (its host's slot taken), or None when nothing is left."""
        while True:
            now = time.monotonic()
            job = self._pick(now)
            if job is not None:
                return job
            if self._pending == 0 and self._running == 0:
                return None
            holds = [until for host, until in self._held.items() if host in self._queues and until > now]
            changed = self._changed
            with suppress(TimeoutError):  # a hold is over
                await asyncio.wait_for(changed.wait(), min(holds) - now if holds else None)

    def finished(self, job: _Job, retry_in: float | None = None) -> None:
        """The request for `job` is over; with `retry_in`, it is asked again after holding its host."""
        self._active[job.host] -= 1
        self._running -= 1
        if retry_in is not None:
            until = time.monotonic() + retry_in
            self._held[job.host] = max(self._held.get(job.host, 0.0), until)
            job.attempt += 1
            self._queues.setdefault(job.host, deque()).appendleft(job)
            self._pending += 1
        self._changed.set()
        self._changed = asyncio.Event()


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _look_up(store: TextStore, urls: Sequence[str]) -> list[StoredText | None]:
    return [store.get(url) for url in urls]


def _extract(body: bytes, url: str) -> Extracted | None:
    try:
        return extract_page(body, url)
    except Exception:
        # One page the extractor chokes on is a page with nothing readable, not the end of the run.
        return None


class _Run:
    def __init__(
        self,
        store: TextStore,
        tally: Tally,
        *,
        limits: Limits,
        check: PublicAddresses | None,
        max_retry_wait: float,
        on_progress: Progress | None,
    ) -> None:
        self.store = store
        self.tally = tally
        self.limits = limits
        self.check = check
        self.max_retry_wait = max_retry_wait
        self.on_progress = on_progress
        # One writer thread: rows are written one at a time and in order, never concurrently.
        self.store_thread = ThreadPoolExecutor(1, thread_name_prefix="newsdeck-store")
        self.extractors = ThreadPoolExecutor(EXTRACTORS, thread_name_prefix="newsdeck-extract")

    def progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.tally)

    async def to_ask(self, urls: Sequence[str], retry_failed: bool, stop: asyncio.Event | None) -> list[_Job]:
        """The URLs to ask for; those readable or failed recently are counted and left out."""
        loop = asyncio.get_running_loop()
        jobs: list[_Job] = []
        for start in range(0, len(urls), _LOOKUP_BATCH):
            if stop is not None and stop.is_set():
                self.tally.stopped = True
                break
            batch = urls[start : start + _LOOKUP_BATCH]
            kept = await loop.run_in_executor(self.store_thread, _look_up, self.store, batch)
            now = time.time()
            for url, stored in zip(batch, kept, strict=True):
                if stored is not None and stored.readable:
                    self.tally.cached += 1
                elif stored is not None and not retry_failed and failed_recently(stored, now):
                    self.tally.skipped += 1
                else:
                    jobs.append(_Job(url, _host(url)))
            self.progress()
        return jobs

    async def work(self, client: httpx.AsyncClient, schedule: _Schedule) -> None:
        import httpx

        while (job := await schedule.take()) is not None:
            if self.tally.fetching_since is None:
                self.tally.fetching_since = time.monotonic()
            try:
                outcome = await fetch_page(client, job.url, limits=self.limits, check_address=self.check)
            except httpx.HTTPError as error:
                # An answer httpx cannot decode (a broken gzip body): the server's fault, said so.
                message = f"{visible(job.host)} sent an answer that could not be read ({visible(error)})."
                outcome = Outcome("http-error", job.url, message=message)
            except BaseException:
                schedule.finished(job)
                raise
            wait = self._retry_wait(outcome, job)
            schedule.finished(job, wait)
            if wait is not None:
                self.tally.retries += 1
                continue
            extracted = None
            if outcome.ok:
                loop = asyncio.get_running_loop()
                extracted = await loop.run_in_executor(
                    self.extractors, _extract, outcome.body, outcome.final_url or outcome.url
                )
            await self._keep(outcome, extracted)

    def _retry_wait(self, outcome: Outcome, job: _Job) -> float | None:
        if outcome.retry_after is None or job.attempt >= RETRIES:
            return None
        return min(outcome.retry_after, self.max_retry_wait)

    async def _keep(self, outcome: Outcome, extracted: Extracted | None) -> None:
        loop = asyncio.get_running_loop()
        writing = loop.run_in_executor(self.store_thread, self.store.put, outcome, extracted)
        try:
            stored = await asyncio.shield(writing)
        except asyncio.CancelledError:
            # Stopped while the row is written: it is kept, so it is counted before stopping.
            with suppress(StoreUnavailable):
                self._count(outcome, await writing)
            raise
        self._count(outcome, stored)

    def _count(self, outcome: Outcome, stored: StoredText) -> None:
        tally = self.tally
        if stored.readable:
            tally.fetched += 1
        else:
            tally.failed[stored.outcome] += 1
            if stored.outcome == "http-error" and outcome.status is not None:
                tally.statuses[outcome.status] += 1
            # The reader's hint for a page that is not HTML names its key; here it would puzzle.
            message = stored.message.replace(": o opens it.", ".")
            tally.failures.append(Failure(visible(outcome.url), stored.outcome, outcome.status, message))
        self.progress()

    def close(self) -> None:
        if self.check is not None:
            self.check.close()
        # A page still being extracted is dropped; every row handed to the writer is written.
        self.extractors.shutdown(wait=False, cancel_futures=True)
        self.store_thread.shutdown(wait=True)


async def fetch_articles(
    urls: Sequence[str],
    store: TextStore,
    *,
    jobs: int = 8,
    per_host: int = 2,
    allow_private: bool = False,
    retry_failed: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    on_progress: Progress | None = None,
    stop: asyncio.Event | None = None,
    max_retry_wait: float = MAX_RETRY_WAIT,
    resolve: Resolver | None = None,
) -> Tally:
    """Fetch and keep the texts of `urls` (see the module's docstring); what was done, counted.

    Setting `stop` ends the run promptly: requests under way are dropped, rows being
    written are finished, and the tally says `stopped`. A store that cannot be written
    ends it too, with `problem` saying why. `resolve` replaces the system's name lookup.
    """
    if jobs < 1 or per_host < 1:
        raise ValueError("jobs and per_host must be at least 1")
    tally = Tally(total=len(urls))
    check = None if allow_private else PublicAddresses(limits.connect_seconds, resolve)
    run = _Run(
        store, tally, limits=limits, check=check, max_retry_wait=max_retry_wait, on_progress=on_progress
    )
    try:
        to_ask = await run.to_ask(urls, retry_failed, stop)
        if to_ask and not tally.stopped:
            await _fetch_all(run, to_ask, jobs, per_host, stop)
    except StoreUnavailable as error:
        tally.problem = str(error)
    finally:
        run.close()
        tally.seconds = time.monotonic() - tally.started
    return tally


async def _fetch_all(
    run: _Run, to_ask: list[_Job], jobs: int, per_host: int, stop: asyncio.Event | None
) -> None:
    schedule = _Schedule(to_ask, per_host)
    async with make_client(run.limits) as client:
        workers = {asyncio.create_task(run.work(client, schedule)) for _ in range(min(jobs, len(to_ask)))}
        stopping = asyncio.create_task(stop.wait()) if stop is not None else None
        remaining = set(workers)
        try:
            while remaining:
                watched: set[asyncio.Task[object]] = {*remaining, *([stopping] if stopping else [])}
                done, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
                remaining -= done
                if stopping in done:
                    run.tally.stopped = True
                    break
                if any(not task.cancelled() and task.exception() is not None for task in done):
                    break
        finally:
            for task in remaining:
                task.cancel()
            if stopping is not None:
                stopping.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
    for task in workers:
        if not task.cancelled() and (error := task.exception()) is not None:
            raise error
