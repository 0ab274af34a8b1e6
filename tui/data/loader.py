"""Loading a seed directory: find files, reuse or parse them, merge duplicates, index.

The app (in a worker thread) and `newsdeck check` both call
`load_directory`, so they always agree on what a directory holds. Unchanged
files come from the cache; the rest are parsed on every core. While that
goes on, `on_partial` receives partial results so the list can show the
first articles long before the last file is read. A warm start reads the
saved index instead (`warm`): `on_saved` receives it, whole, at once, and
the directory is then checked for changes before the final result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.data.cache import CacheUnavailable, FileResult, cache_path_for, open_for_loading
from tui.data.index import ArticleIndex
from tui.data.load_result import LoadError, LoadResult, Partial, Progress, SkippedFile
from tui.data.metadata import load_metadata, metadata_stamp
from tui.data.model import Article
from tui.data.records import BadRecord, Decoder
from tui.data.sanitize import visible
from tui.data.scan import FoundFile, iter_article_files
from tui.data.snapshot import FIRST_PAGE, BadSnapshot, Snapshot, snapshot_path
from tui.data.warm import FileTally, SavedLoad, index_of, keep_words, open_saved, save_snapshot

if TYPE_CHECKING:
    from tui.data.extras import ArticleExtras

_SAVE_EVERY = 5000


def check_directory(root: Path) -> None:
    """Raise LoadError with a one-line reason if `root` cannot be loaded."""
    shown = visible(root)
    try:
        if not root.exists():
            raise LoadError(f"no such directory: {shown}")
        if not root.is_dir():
            raise LoadError(f"not a directory: {shown}")
        with os.scandir(root):
            pass
    except PermissionError:
        raise LoadError(f"cannot read directory {shown}: permission denied") from None
    except OSError as error:
        raise LoadError(f"cannot read directory {shown}: {visible(error.strerror or error)}") from None


def merge_duplicates(articles: list[Article]) -> tuple[list[Article], int]:
    """One article per URL: the most complete copy, then the first path.

    Decided by content and path alone, never by arrival order, so parallel
    and serial loading keep the same copy.
    """
    kept: dict[str, Article] = {}
    unique: list[Article] = []
    for article in articles:
        url = article.url
        if not url:
            unique.append(article)
            continue
        best = kept.get(url)
        if best is None or (article.completeness, best.path) > (best.completeness, article.path):
            kept[url] = article
    merged = unique + list(kept.values())
    return merged, len(articles) - len(merged)


class _Schedule:
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


def load_directory(
    root: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    use_cache: bool = True,
    workers: int | None = None,
    on_partial: Partial | None = None,
    on_saved: Partial | None = None,
    summary_only: bool = False,
) -> LoadResult:
    """Read every article below `root`; files that are not articles are reported.

    With the cache, a saved index that still matches the directory is the
    result (`on_saved` sees it before the directory is checked); otherwise the
    files are read, unchanged ones from the cache, and a new index is saved.
    With `summary_only` (`check` without a search), articles in a saved index
    that still holds are not even decoded unless the index is asked for.
    """
    started = time.perf_counter()
    root_path = Path(root).expanduser()
    check_directory(root_path)
    notices: list[str] = []
    saved_at = snapshot_path(cache_path_for(root_path)) if use_cache else None
    saved = open_saved(saved_at, notices) if saved_at is not None else None
    if saved is not None:
        snapshot = saved.snapshot
        index: ArticleIndex | Callable[[], ArticleIndex] = partial(_saved_index, saved)
        if on_partial is not None:
            _newest_first(root_path, snapshot, on_partial)
        if not summary_only:
            try:
                index = index_of(snapshot)
                keep_words(index, saved.path, snapshot.identity)
            except BadSnapshot:
                notices.append("The saved index was damaged; the articles were read from the cache instead.")
                saved = None
    if saved is not None:
        shown = LoadResult(
            root=root_path,
            index_source=index,
            summary_source=snapshot.summary,
            skipped=[SkippedFile(path, reason) for path, reason in snapshot.skipped],
            duplicates=snapshot.duplicates,
            seconds=time.perf_counter() - started,
            from_cache=len(snapshot.files.paths),
            checking=True,
        )
        if on_saved is not None:
            on_saved(shown)
        if saved.still_current(root_path, cancelled):
            return replace(shown, checking=False, seconds=time.perf_counter() - started)
        # The saved result stays on screen until the new one is whole.
        on_partial = None
    return _load_files(
        root_path,
        started,
        notices,
        progress=progress,
        cancelled=cancelled,
        use_cache=use_cache,
        workers=workers,
        on_partial=on_partial,
        saved_at=saved_at,
    )


def _load_files(
    root_path: Path,
    started: float,
    notices: list[str],
    *,
    progress: Progress | None,
    cancelled: Callable[[], bool],
    use_cache: bool,
    workers: int | None,
    on_partial: Partial | None,
    saved_at: Path | None,
) -> LoadResult:
    # Parsing brings in the YAML reader: a warm start that finds nothing changed never needs it.
    from tui.data.parallel import parse_files

    skipped: list[SkippedFile] = []

    def skip(path: str, reason: str) -> None:
        # The one place skipped files are recorded: names and reasons are made safe to show here.
        skipped.append(SkippedFile(visible(path), visible(reason)))

    stamp = metadata_stamp(root_path)
    metadata = load_metadata(root_path)
    for path, reason in metadata.problems:
        skip(path, reason)
    cache, cached = open_for_loading(root_path, notices) if use_cache else (None, {})

    decoder = Decoder(metadata)
    articles: list[Article] = []
    seen = 0
    fresh: list[FileResult] = []
    counts = {"done": 0, "from_cache": 0}
    scanning = True
    schedule = _Schedule()
    tally = FileTally([], {}, [])

    def scan_skip(path: str, reason: str) -> None:
        tally.scan_problems.append((visible(path), visible(reason)))
        skip(path, reason)

    def result(complete: bool) -> LoadResult:
        unique, duplicates = merge_duplicates(articles)
        return LoadResult(
            root=root_path,
            index_source=ArticleIndex(unique, metadata),
            skipped=sorted(skipped, key=lambda item: item.path),
            duplicates=duplicates,
            seconds=time.perf_counter() - started,
            complete=complete,
            from_cache=counts["from_cache"],
            notices=list(notices),
        )

    def report() -> None:
        # While the folders are still being walked, the total is not known (0).
        if progress is not None:
            progress(counts["done"], 0 if scanning else seen)
        finishing = not scanning and counts["done"] >= seen
        if on_partial is not None and not finishing and schedule.due(len(articles)):
            on_partial(result(complete=False))

    def take_from_cache(found: FoundFile) -> bool:
        hit = cached.pop(found.relative, None)
        if hit is None or (hit.size, hit.mtime_ns) != (found.size, found.mtime_ns):
            return False
        if hit.payload is None:
            skip(found.relative, hit.skip_reason or "skipped")
        else:
            try:
                articles.append(decoder.decode(found.relative, hit.payload))
            except BadRecord:  # a row that is not as written: parse the file instead
                return False
        tally.stamps[found.relative] = (hit.size, hit.mtime_ns)
        return True

    def misses() -> Iterator[FoundFile]:
        """Files to parse; unchanged ones are taken from the cache on the way."""
        nonlocal scanning, seen
        for found in iter_article_files(root_path, scan_skip, cancelled):
            seen += 1
            tally.order.append(found.relative)
            if not take_from_cache(found):
                yield found
                continue
            counts["done"] += 1
            counts["from_cache"] += 1
            if counts["done"] % 1024 == 0:
                if cancelled():
                    return
                report()
        scanning = False

    def save(final: bool) -> None:
        nonlocal cache
        if cache is None:
            return
        try:
            cacheable = [row for row in fresh if row.size >= 0]
            # Deleted files are known only once every folder has been walked.
            cache.update(cacheable, cached.keys() if final else ())
        except CacheUnavailable as error:
            notices.append(f"The article cache was not updated: {error}.")
            cache.close()
            cache = None
        fresh.clear()

    for chunk in parse_files(misses(), workers=workers, cancelled=cancelled):
        for parsed in chunk:
            found = parsed.found
            tally.stamps[found.relative] = (parsed.size, parsed.mtime_ns)
            if parsed.payload is None:
                reason = visible(parsed.skip_reason or "skipped")
                fresh.append(FileResult(found.relative, parsed.size, parsed.mtime_ns, None, reason))
                skip(found.relative, reason)
                continue
            fresh.append(FileResult(found.relative, parsed.size, parsed.mtime_ns, parsed.payload, None))
            try:
                articles.append(decoder.decode_fresh(found.relative, parsed.payload))
            except (ValueError, TypeError) as error:  # a bug of ours, not the file's
                skip(found.relative, f"could not be read back after parsing ({type(error).__name__})")
                tally.stamps[found.relative] = (-1, -1)
        counts["done"] += len(chunk)
        if len(fresh) >= _SAVE_EVERY:
            # Saved as it goes, so quitting half-way through a first load keeps what was read.
            save(final=False)
        report()
    if cancelled():
        save(final=False)
        if cache is not None:
            cache.close()
        # Nobody will look at this result: do not spend seconds indexing it.
        return LoadResult(root=root_path, index_source=ArticleIndex(()), complete=False)
    scanning = False
    if progress is not None:
        progress(counts["done"], seen)
    save(final=True)
    if cache is None or saved_at is None:
        return result(complete=True)
    cache.close()
    final = result(complete=True)
    problem = save_snapshot(
        saved_at,
        final.index,
        tally,
        skipped=[(item.path, item.reason) for item in final.skipped],
        duplicates=final.duplicates,
        metadata=metadata,
        metadata_stamp=stamp,
    )
    if problem is not None:
        final.notices.append(problem)
    return final


def _newest_first(root: Path, snapshot: Snapshot, on_partial: Partial) -> None:
    """The newest articles of a large saved index, listed while the rest are decoded."""
    if snapshot.summary.size <= FIRST_PAGE:
        return
    try:
        page = ArticleIndex(snapshot.first_page(), snapshot.metadata, presorted=True)
    except BadSnapshot:
        return  # the whole index will say so, or be refused
    on_partial(LoadResult(root=root, index_source=page, complete=False, summary_source=snapshot.summary))


def _saved_index(saved: SavedLoad) -> ArticleIndex:
    try:
        index = index_of(saved.snapshot)
    except BadSnapshot:
        raise LoadError("the saved index is damaged: run newsdeck again to read the articles") from None
    keep_words(index, saved.path, saved.snapshot.identity)
    return index


def read_article_extras(root: Path, article: Article) -> ArticleExtras:
    """The article's body and related items, read from its file now."""
    # With the YAML reader they need: imported when the first article is shown, not to start.
    from tui.data.extras import ArticleExtras, read_extras
    from tui.data.parallel import read_bounded
    from tui.data.parse import MAX_FILE_BYTES, too_large

    if not article.has_body and not article.related_size:
        return ArticleExtras()
    try:
        with open(root / article.path, "rb") as handle:
            data, info = read_bounded(handle)
    except OSError as error:
        return ArticleExtras(problem=f"the file could not be read again: {visible(error.strerror or error)}")
    if info.st_size > MAX_FILE_BYTES:
        return ArticleExtras(problem=too_large(info.st_size).reason)
    return read_extras(data)
