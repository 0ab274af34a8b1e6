"""What loading a seed directory gives, and how it reports as it goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.data.index import ArticleIndex, IndexSummary

Progress = Callable[[int, int], None]
"""Called with (files done, files in all) as loading goes on; 0 in all while still counting."""


class LoadError(Exception):
    """The seed directory itself cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file that was not loaded. Both fields are safe to show (see `sanitize.visible`)."""

    path: str
    reason: str


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

    @property
    def index(self) -> ArticleIndex:
        if not isinstance(self.index_source, ArticleIndex):
            self.index_source = self.index_source()
        return self.index_source

    @property
    def summary(self) -> IndexSummary:
        return self.summary_source or self.index.summary


Partial = Callable[[LoadResult], None]
