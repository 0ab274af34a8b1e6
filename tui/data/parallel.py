"""Parsing many files on every core.

Each worker process reads and parses a chunk of files and sends back compact
records (see `records`), the same bytes the cache stores, so a fresh parse
and a cache hit reach the index by one path. Small jobs stay in-process:
starting interpreters costs more than it saves below a few hundred files.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from itertools import islice

from tui.data.parse import MAX_FILE_BYTES, SkipFile, parse_article, too_large
from tui.data.records import encode
from tui.data.scan import FoundFile

PARALLEL_THRESHOLD = 400
CHUNK_FILES = 128
_SERIAL_CHUNK_FILES = 32


@dataclass(frozen=True, slots=True)
class ParsedFile:
    found: FoundFile
    payload: bytes | None
    skip_reason: str | None
    size: int = -1
    mtime_ns: int = -1
    """Of the file as it was read (not as scanned): what the cache may trust.
    -1 when the result must not be cached (the file could not be read, or was
    being written just then)."""


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# A file modified this recently may still be being written: parse it, but
# do not let the cache vouch for it.
_SETTLED_SECONDS = 2.0


def parse_file(found: FoundFile) -> ParsedFile:
    if found.size > MAX_FILE_BYTES:
        # Judged from the size alone so a huge file is never read into memory.
        return ParsedFile(found, None, too_large(found.size).reason, found.size, found.mtime_ns)
    try:
        with open(found.path, "rb") as handle:
            info = os.fstat(handle.fileno())
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        # Often passing (permissions, a network share): not cached, tried again next time.
        return ParsedFile(found, None, f"could not be read: {error.strerror or error}")
    settled = time.time_ns() - info.st_mtime_ns > _SETTLED_SECONDS * 1e9
    size, mtime_ns = (info.st_size, info.st_mtime_ns) if settled else (-1, -1)
    try:
        article = parse_article(data, found.relative)
    except SkipFile as error:
        return ParsedFile(found, None, error.reason, size, mtime_ns)
    except Exception as error:  # one file we failed to foresee must not stop the rest
        return ParsedFile(found, None, f"could not be parsed ({type(error).__name__})", size, mtime_ns)
    return ParsedFile(found, encode(article), None, size, mtime_ns)


def parse_chunk(chunk: list[FoundFile]) -> list[ParsedFile]:
    return [parse_file(found) for found in chunk]


def parse_here(chunk: list[FoundFile]) -> list[ParsedFile]:
    """Parse a chunk in this process (small jobs, start-up, a broken pool)."""
    return parse_chunk(chunk)


def prepare() -> None:
    """Start multiprocessing's helper process now, while stderr is still a real file.

    Textual replaces sys.stderr while an app runs, and the helper cannot be
    started then ("bad value(s) in fds_to_keep"); call this before `App.run`.
    """
    from multiprocessing import resource_tracker

    with suppress(OSError, ValueError):
        resource_tracker.ensure_running()


def _quiet_worker() -> None:
    # Workers share the terminal the reader draws on: nothing of theirs may reach it.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def _start_pool(workers: int) -> ProcessPoolExecutor | None:
    try:
        # "spawn": forking a process that runs UI threads can copy a held lock.
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker
        )
    except (OSError, ValueError, RuntimeError):
        return None


def parse_files(
    files: Iterable[FoundFile],
    *,
    workers: int | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[list[ParsedFile]]:
    """Parsed files, a chunk at a time, in no particular order.

    `files` is consumed as it comes (it may be a directory scan still under
    way). The first few hundred files are parsed here, which shows the first
    articles at once; past that, worker processes take over. Once every file
    is handed out, this process also parses queued chunks until the workers'
    first results arrive (they take a moment to start).
    """
    workers = default_workers() if workers is None else workers
    source = iter(files)
    pool: ProcessPoolExecutor | None = None
    pending: dict[Future[list[ParsedFile]], list[FoundFile]] = {}
    seen = 0
    exhausted = False
    pool_answered = False
    try:
        while not exhausted or pending:
            if cancelled():
                return
            if not exhausted:
                wanted = CHUNK_FILES if pool is not None else _SERIAL_CHUNK_FILES
                chunk = list(islice(source, wanted))
                exhausted = len(chunk) < wanted
                seen += len(chunk)
                if pool is None and workers > 1 and seen >= PARALLEL_THRESHOLD:
                    pool = _start_pool(workers)
                    workers = workers if pool is not None else 1
                if chunk and pool is not None:
                    try:
                        pending[pool.submit(parse_chunk, chunk)] = chunk
                    except (OSError, ValueError, RuntimeError):
                        # No worker processes to be had here: go on in this one.
                        pool.shutdown(wait=False, cancel_futures=True)
                        pool, workers = None, 1
                        for stranded in pending:
                            stranded.cancel()
                        for stranded_chunk in pending.values():
                            yield parse_here(stranded_chunk)
                        pending.clear()
                        yield parse_here(chunk)
                elif chunk:
                    yield parse_here(chunk)
                timeout: float | None = 0
            else:
                timeout = 0.2 if pool_answered else 0
            if not pending:
                continue
            finished, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            if not finished and exhausted and not pool_answered:
                # Workers are still starting: parse the last queued chunk here.
                future = next(reversed(pending))
                if future.cancel():
                    yield parse_here(pending.pop(future))
                else:
                    wait(pending, timeout=0.05, return_when=FIRST_COMPLETED)
                continue
            for future in finished:
                pool_answered = True
                chunk = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    # A worker died (killed, out of memory): finish here instead.
                    yield parse_here(chunk)
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
