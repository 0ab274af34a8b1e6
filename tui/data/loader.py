"""Loading a seed directory: find files, reuse or parse them, merge duplicates, index.

The app (in a worker thread) and `newsdeck check` both call
`load_directory`, so they always agree on what a directory holds. Unchanged
files come from the cache; the rest are parsed on every core. While that
goes on, `on_partial` receives partial results so the list can show the
first articles long before the last file is read. A warm start reads the
saved index instead (`warm`): `on_saved` receives it, whole, at once, and
the directory is then checked for changes before the final result. Reading
it again (`previous`) takes unchanged files' articles from the last result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.data.cache import (
    CachedFile,
    CacheUnavailable,
    FileResult,
    cache_path_for,
    open_for_loading,
    open_for_lookups,
)
from tui.data.duplicates import merge_duplicates
from tui.data.index import ArticleIndex
from tui.data.load_result import (
    FileOutcomes,
    LoadError,
    LoadResult,
    Partial,
    PartialSchedule,
    Progress,
    SkippedFile,
)
from tui.data.metadata import load_metadata, metadata_stamp
from tui.data.model import Article
from tui.data.records import BadRecord, Decoder
from tui.data.sanitize import visible
from tui.data.scan import FoundFile, article_entries
from tui.data.snapshot import BadSnapshot, snapshot_path
from tui.data.warm import (
    FileTally,
    file_outcomes,
    index_of,
    keep_words,
    newest_first,
    open_saved,
    save_snapshot,
    saved_index,
)

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
    previous: FileOutcomes | None = None,
    defer_save: bool = False,
) -> LoadResult:
    """Read every article below `root`; files that are not articles are reported.

    With the cache, a saved index that still matches the directory is the
    result (`on_saved` sees it before the directory is checked); otherwise the
    files are read, unchanged ones from the cache, and a new index is saved.
    With `summary_only` (`check` without a search), articles in a saved index
    that still holds are not even decoded unless the index is asked for.

    `previous` (a complete result's `reuse`) is for reading the directory again:
    files unchanged since give the articles they gave then, and only the others
    are looked up in the cache or parsed; the saved index is not read, and no
    partial results are handed out. With `defer_save` the new saved index is
    not written here: the result's `pending_save` writes it, once it is shown.
    """
    started = time.perf_counter()
    root_path = Path(root).expanduser()
    check_directory(root_path)
    notices: list[str] = []
    saved_at = snapshot_path(cache_path_for(root_path)) if use_cache else None
    saved = open_saved(saved_at, notices) if saved_at is not None and previous is None else None
    if previous is not None:
        # What was read before stays on screen until the new result is whole.
        on_partial = None
    if saved is not None:
        snapshot = saved.snapshot
        index: ArticleIndex | Callable[[], ArticleIndex] = partial(saved_index, saved)
        if on_partial is not None:
            newest_first(root_path, snapshot, on_partial)
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
            reuse_source=(
                partial(file_outcomes, snapshot.files, snapshot.metadata_stamp, index)
                if isinstance(index, ArticleIndex)
                else None
            ),
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
        previous=previous,
        defer_save=defer_save,
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
    previous: FileOutcomes | None,
    defer_save: bool,
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
    # Articles are decoded against the definitions: when those changed, nothing is reused.
    reuse = previous if previous is not None and previous.metadata_stamp == stamp else None
    cached: dict[str, CachedFile] = {}
    if not use_cache:
        cache = None
    elif reuse is None:
        cache, cached = open_for_loading(root_path, notices)
    else:
        # Reading every row would cost seconds at 100,000 files when a handful changed.
        cache = open_for_lookups(root_path, notices)

    decoder = Decoder(metadata)
    articles: list[Article] = []
    outcomes: dict[str, Article | str] = {}
    seen = 0
    fresh: list[FileResult] = []
    counts = {"done": 0, "from_cache": 0}
    scanning = True
    schedule = PartialSchedule()
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

    def from_cache(relative: str, size: int, mtime_ns: int) -> Article | str | None:
        hit = cached.pop(relative, None) if reuse is None else row(relative)
        if hit is None or (hit.size, hit.mtime_ns) != (size, mtime_ns):
            return None
        if hit.payload is None:
            return hit.skip_reason or "skipped"
        try:
            return decoder.decode(relative, hit.payload)
        except BadRecord:  # a row that is not as written: parse the file instead
            return None

    def row(relative: str) -> CachedFile | None:
        nonlocal cache
        if cache is None:
            return None
        try:
            return cache.row(relative)
        except CacheUnavailable as error:
            notices.append(f"Loading without the article cache: {error}.")
            cache.close()
            cache = None
            return None

    def misses() -> Iterator[FoundFile]:
        """Files to parse; unchanged ones are taken from the previous load or the cache on the way."""
        nonlocal scanning, seen
        # Every file of a reload goes through this loop: what it needs is bound here.
        stamps_before = reuse.stamps if reuse is not None else {}
        before = reuse.outcomes if reuse is not None else {}
        order, stamps = tally.order, tally.stamps
        for path, relative, size, mtime_ns in article_entries(root_path, scan_skip, cancelled):
            seen += 1
            order.append(relative)
            stamp = stamps_before.get(relative)
            unchanged = stamp is not None and stamp[0] == size and stamp[1] == mtime_ns
            outcome = before.get(relative) if unchanged else None
            if outcome is None:
                outcome = from_cache(relative, size, mtime_ns)
                if outcome is None:
                    yield FoundFile(path, relative, size, mtime_ns)
                    continue
            if isinstance(outcome, str):
                skip(relative, outcome)
            else:
                articles.append(outcome)
            outcomes[relative] = outcome
            # Unchanged, the previous load's tuple serves: no new object per file.
            stamps[relative] = stamp if unchanged and stamp is not None else (size, mtime_ns)
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
            gone: list[str] = list(cached.keys()) if final else []
            if final and reuse is not None:
                gone += [path for path in reuse.stamps if path not in tally.stamps]
            cache.update(cacheable, gone)
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
                outcomes[found.relative] = reason
                continue
            fresh.append(FileResult(found.relative, parsed.size, parsed.mtime_ns, parsed.payload, None))
            try:
                article = decoder.decode_fresh(found.relative, parsed.payload)
                articles.append(article)
                outcomes[found.relative] = article
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
    final = result(complete=True)
    final.reuse_source = FileOutcomes(stamp, tally.stamps, outcomes)
    if cache is None or saved_at is None:
        return final
    cache.close()
    write = partial(
        save_snapshot,
        saved_at,
        final.index,
        tally,
        skipped=[(item.path, item.reason) for item in final.skipped],
        duplicates=final.duplicates,
        metadata=metadata,
        metadata_stamp=stamp,
    )
    if defer_save:
        final.pending_save = write
    elif (problem := write()) is not None:
        final.notices.append(problem)
    return final


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
