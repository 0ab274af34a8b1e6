"""Parsing many files on every core.

Worker processes (`parse_worker`) read and parse chunks of files and send
back compact records (see `records`), the same bytes the cache stores, so a
fresh parse and a cache hit reach the index by one path. Small jobs stay
in-process: starting interpreters costs more than it saves below a few
hundred files, and a warm start, with nothing to parse, starts none.

The workers are plain child processes joined to this one by pipes, not a
multiprocessing pool: they need no helper process, and they end when this
process closes their pipe or dies, however it dies.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from io import FileIO
from itertools import islice
from typing import BinaryIO

from tui.data.front_matter import SkipFile
from tui.data.parse import MAX_FILE_BYTES, parse_article, too_large
from tui.data.records import encode
from tui.data.scan import FoundFile

PARALLEL_THRESHOLD = 400
CHUNK_FILES = 128
_SERIAL_CHUNK_FILES = 32
_QUEUED_PER_WORKER = 2


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


def read_bounded(handle: BinaryIO) -> tuple[bytes, os.stat_result]:
    """An open file's bytes (at most MAX_FILE_BYTES + 1 of them) and its status.

    No more memory is asked for than the file holds: `read(MAX_FILE_BYTES + 1)`
    would set aside 64 MB for every file, however small. Nothing is read of a
    file over the limit.
    """
    info = os.fstat(handle.fileno())
    if info.st_size > MAX_FILE_BYTES:
        return b"", info
    data = handle.read(info.st_size + 1)
    if info.st_size < len(data) <= MAX_FILE_BYTES:  # it grew meanwhile: read on, to the limit
        data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    return data, info


def _read_upto(handle: FileIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the file (what a buffered `read(size)` gives)."""
    data = handle.read(size) or b""
    while 0 < len(data) < size:
        more = handle.read(size - len(data))
        if not more:
            break
        data += more
    return data


def _read_path(path: str) -> tuple[bytes, os.stat_result]:
    """`read_bounded` of the file at `path`, without the cost of a buffered file object."""
    with open(path, "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        if info.st_size > MAX_FILE_BYTES:
            return b"", info
        data = _read_upto(handle, info.st_size + 1)
        if info.st_size < len(data) <= MAX_FILE_BYTES:  # it grew meanwhile: read on, to the limit
            data += _read_upto(handle, MAX_FILE_BYTES + 1 - len(data))
        return data, info


def parse_file(found: FoundFile) -> ParsedFile:
    if found.size > MAX_FILE_BYTES:
        # Judged from the size alone so a huge file is never read into memory.
        return ParsedFile(found, None, too_large(found.size).reason, found.size, found.mtime_ns)
    try:
        data, info = _read_path(found.path)
    except OSError as error:
        # Often passing (permissions, a network share): not cached, tried again next time.
        return ParsedFile(found, None, f"could not be read: {error.strerror or error}")
    if info.st_size > MAX_FILE_BYTES:  # it grew past the limit since the folder was read
        return ParsedFile(found, None, too_large(info.st_size).reason, info.st_size, info.st_mtime_ns)
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
    """Parse a chunk in this process (small jobs, start-up, a worker that failed)."""
    return parse_chunk(chunk)


# The pipe format. A request is one JSON line: [[path, relative, size, mtime_ns], …].
# The answer has a line per file, in order: "size<TAB>mtime_ns<TAB>A<TAB>record" for
# an article or "…<TAB>S<TAB>reason as a JSON string" for a skip, then a line ".".
_END = b".\n"


def encode_request(chunk: list[FoundFile]) -> bytes:
    # ensure_ascii keeps names that are not UTF-8 (lone surrogates) intact through the pipe.
    return json.dumps([[f.path, f.relative, f.size, f.mtime_ns] for f in chunk]).encode() + b"\n"


def encode_results(results: list[ParsedFile]) -> bytes:
    lines = []
    for parsed in results:
        head = b"%d\t%d\t" % (parsed.size, parsed.mtime_ns)
        if parsed.payload is not None:
            lines.append(head + b"A\t" + parsed.payload + b"\n")
        else:
            lines.append(head + b"S\t" + json.dumps(parsed.skip_reason or "skipped").encode() + b"\n")
    return b"".join(lines) + _END


def decode_results(chunk: list[FoundFile], answer: bytes) -> list[ParsedFile] | None:
    """The results of `chunk` from a worker's answer; None if it is not a whole answer."""
    lines = answer.split(b"\n")
    if len(lines) != len(chunk) + 2 or lines[-2:] != [b".", b""]:
        return None
    results = []
    try:
        for found, line in zip(chunk, lines, strict=False):
            size, mtime_ns, kind, data = line.split(b"\t", 3)
            if kind == b"A":
                results.append(ParsedFile(found, data, None, int(size), int(mtime_ns)))
            else:
                reason = json.loads(data)
                if not isinstance(reason, str):
                    return None
                results.append(ParsedFile(found, None, reason, int(size), int(mtime_ns)))
    except ValueError:
        return None
    return results


class _Worker:
    """One child process and the chunks it has been sent, oldest first."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui.data.parse_worker", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin = self.process.stdin
        self.stdout = self.process.stdout.fileno()
        os.set_blocking(self.stdout, False)
        self.sent: deque[list[FoundFile]] = deque()
        self.answer = bytearray()
        self.answered = False

    def send(self, chunk: list[FoundFile]) -> bool:
        try:
            self.stdin.write(encode_request(chunk))
            self.stdin.flush()
        except (OSError, ValueError):
            return False
        self.sent.append(chunk)
        return True

    def receive(self) -> tuple[list[list[ParsedFile]], bool]:
        """(results of the chunks answered whole so far, whether the worker is still alive)."""
        try:
            data = os.read(self.stdout, 1 << 20)
        except BlockingIOError:
            return [], True
        except OSError:
            data = b""
        if not data:
            return [], False
        self.answer += data
        done: list[list[ParsedFile]] = []
        while self.sent:
            # Chunks are never empty, so an answer always ends in "\n.\n".
            end = self.answer.find(b"\n" + _END)
            if end < 0:
                break
            answer = bytes(self.answer[: end + 1 + len(_END)])
            del self.answer[: end + 1 + len(_END)]
            results = decode_results(self.sent[0], answer)
            if results is None:
                return done, False
            self.sent.popleft()
            self.answered = True
            done.append(results)
        return done, True

    def stop(self) -> None:
        with suppress(OSError, ValueError):
            self.stdin.close()
        # Workers hold nothing worth waiting for: quitting stays instant.
        with suppress(OSError):
            self.process.kill()
        with suppress(OSError, subprocess.TimeoutExpired):
            self.process.wait(timeout=2)
        if self.process.stdout is not None:
            with suppress(OSError, ValueError):
                self.process.stdout.close()


def _start_workers(count: int) -> list[_Worker]:
    workers: list[_Worker] = []
    for _ in range(count):
        try:
            workers.append(_Worker())
        except (OSError, ValueError, subprocess.SubprocessError):
            break  # no processes to be had here: go on with those we have (maybe none)
    return workers


def parse_files(
    files: Iterable[FoundFile],
    *,
    workers: int | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[list[ParsedFile]]:
    """Parsed files, a chunk at a time, in no particular order.

    `files` is consumed as it comes (it may be a directory scan still under
    way). The first few hundred files are parsed here, which shows the first
    articles at once; past that, worker processes take over. While no worker
    has answered yet (they take a moment to start), this process parses
    chunks that are still waiting to be sent, once every file is handed out.
    """
    wanted_workers = default_workers() if workers is None else workers
    source = iter(files)
    pool: list[_Worker] = []
    selector = selectors.DefaultSelector()
    waiting: deque[list[FoundFile]] = deque()
    seen = 0
    exhausted = False
    started = False
    try:
        while not exhausted or waiting or any(worker.sent for worker in pool):
            if cancelled():
                return
            if not exhausted and len(waiting) < max(1, len(pool)) * _QUEUED_PER_WORKER:
                size = CHUNK_FILES if pool else _SERIAL_CHUNK_FILES
                chunk = list(islice(source, size))
                exhausted = len(chunk) < size
                seen += len(chunk)
                if chunk:
                    waiting.append(chunk)
                if not started and wanted_workers > 1 and seen >= PARALLEL_THRESHOLD:
                    started = True
                    pool = _start_workers(wanted_workers)
                    wanted_workers = max(1, len(pool))
                    for worker in pool:
                        selector.register(worker.stdout, selectors.EVENT_READ, worker)
            if not pool:
                while waiting:
                    yield parse_here(waiting.popleft())
                continue
            for worker in pool:
                while waiting and len(worker.sent) < _QUEUED_PER_WORKER:
                    if not worker.send(waiting[0]):
                        break
                    waiting.popleft()
            if exhausted and waiting and not any(worker.answered for worker in pool):
                # Workers are still starting: parse a waiting chunk here meanwhile.
                yield parse_here(waiting.pop())
                continue
            busy = exhausted or len(waiting) >= len(pool) * _QUEUED_PER_WORKER
            for key, _ in selector.select(timeout=0.2 if busy else 0):
                worker = key.data
                results, alive = worker.receive()
                yield from results
                if not alive:
                    # A worker died (killed, out of memory): its chunks are parsed here instead.
                    selector.unregister(worker.stdout)
                    pool.remove(worker)
                    stranded = list(worker.sent)
                    worker.stop()
                    for chunk in stranded:
                        yield parse_here(chunk)
    finally:
        for worker in pool:
            worker.stop()
        selector.close()
