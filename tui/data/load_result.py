"""What loading a seed directory gives, and how it reports as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tui.data.index import ArticleIndex, IndexSummary
from tui.data.model import Article

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) as loading goes on; 0 in all while still counting."""


class LoadError(Exception):
    """The seed directory itself cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file that was not loaded. Both fields are safe to show (see `sanitize.visible`)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class FileOutcomes:
    """What a complete load made of each file, for reading the directory again (`previous`).

    A reload takes a file's outcome as it is while the file's size and modification
    time are still those in `stamps` and the `_data` definitions those of
    `metadata_stamp` (articles are decoded against them). The articles are every
    file's, before duplicates were merged, so a reload merges them as a full load does.
    """

    metadata_stamp: list[list[object]]
    stamps: Mapping[str, tuple[int, int]]
    """Every file the load saw: size and modification time as read, -1 for one being written."""
    outcomes: Mapping[str, Article | str]
    """Each file's article, or why it was skipped (safe to show); files with neither are read again."""


@dataclass(slots=True)
class LoadResult:
    root: Path
    index_source: ArticleIndex | Callable[[], ArticleIndex]
    """The index, or how to build it when first asked (`check` may need only the summary)."""
    skipped: list[SkippedFile] = field(default_factory=list)
    duplicates: int = 0
    seconds: float = 0.0
    complete: bool = True
    """False for the partial results handed out while loading goes on."""
    from_cache: int = 0
    notices: list[str] = field(default_factory=list)
    """Things the user should know that are not about one file (the cache)."""
    checking: bool = False
    """From the saved index, shown while the directory is checked for changes."""
    summary_source: IndexSummary | None = None
    reuse_source: FileOutcomes | Callable[[], FileOutcomes] | None = None
    """What reading the directory again may reuse (complete results only), or how to make it."""
    pending_save: Callable[[], str | None] | None = None
    """Writing the saved index of this result, left to the caller (`defer_save`): a notice if it failed."""

    @property
    def reuse(self) -> FileOutcomes | None:
        """Made when first asked (in the worker that reloads): a warm start's takes a moment."""
        if self.reuse_source is not None and not isinstance(self.reuse_source, FileOutcomes):
            self.reuse_source = self.reuse_source()
        return self.reuse_source

    def write_pending(self) -> str | None:
        """Write the saved index left to the caller, once; a notice for the user if that failed."""
        write, self.pending_save = self.pending_save, None
        return write() if write is not None else None

    @property
    def index(self) -> ArticleIndex:
        if not isinstance(self.index_source, ArticleIndex):
            self.index_source = self.index_source()
        return self.index_source

    @property
    def summary(self) -> IndexSummary:
        return self.summary_source or self.index.summary


Partial = Callable[[LoadResult], None]


class PartialSchedule:
    """When to hand out a partial result: soon at first, then as the count grows.

    Each partial result re-indexes everything read so far, so after the first (which
    is what makes the window useful within a second) they come at most every
    MIN_GAP seconds and then only once the count grew by GROWTH, or after
    MAX_GAP seconds of loading whatever the growth.
    """

    FIRST_AFTER_SECONDS = 0.2
    FIRST_AFTER_ARTICLES = 2000
    GROWTH = 1.6
    MIN_GAP_SECONDS = 2.0
    MAX_GAP_SECONDS = 5.0

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.last_time = 0.0
        self.last_count = 0

    def due(self, count: int) -> bool:
        now = time.perf_counter()
        if count <= self.last_count:
            return False
        if self.last_count == 0:
            due = now - self.started >= self.FIRST_AFTER_SECONDS or count >= self.FIRST_AFTER_ARTICLES
        else:
            gap = now - self.last_time
            due = gap >= self.MAX_GAP_SECONDS or (
                gap >= self.MIN_GAP_SECONDS and count >= self.last_count * self.GROWTH
            )
        if due:
            self.last_time, self.last_count = now, count
        return due
