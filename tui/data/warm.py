"""A warm start from the saved index (`snapshot`), and the check that it still holds.

`open_saved` reads the directory's snapshot, if there is a usable one, and
`index_of` makes its index: the loader shows it at once, marked `checking`.
`SavedLoad.still_current` then looks at the directory (the `_data` files and
a stat of every article file, no reading) and says whether that result is
still the truth; when it is not, the loader reads the directory the per-file
way (unchanged files from the cache) and saves a new snapshot.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from tui.data.index import ArticleIndex
from tui.data.load_result import FileOutcomes, LoadError, LoadResult, Partial
from tui.data.metadata import Metadata, metadata_stamp
from tui.data.model import Article
from tui.data.sanitize import visible
from tui.data.scan import file_stamps
from tui.data.snapshot import FIRST_PAGE, BadSnapshot, FileList, Snapshot, read_snapshot, write_snapshot
from tui.data.word_index import BadWords, WordIndex, words_path


@dataclass(slots=True)
class SavedLoad:
    snapshot: Snapshot
    path: Path

    def still_current(self, root: Path, cancelled: Callable[[], bool]) -> bool:
        """Does the directory hold exactly the files, sizes and times the snapshot was made from?"""
        if metadata_stamp(root) != self.snapshot.metadata_stamp:
            return False
        problems: list[tuple[str, str]] = []

        def problem(path: str, reason: str) -> None:
            problems.append((visible(path), visible(reason)))

        same = self.snapshot.files.matches(file_stamps(root, problem, cancelled), problems)
        return same and not cancelled()  # a walk cut short proves nothing


def open_saved(path: Path, notices: list[str]) -> SavedLoad | None:
    """The snapshot at `path`, or None (with a notice when it was damaged rather than absent or old)."""
    try:
        snapshot = read_snapshot(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = visible(error.strerror or error)
        notices.append(f"The saved index could not be read ({reason}); articles read from the cache.")
        return None
    except BadSnapshot as error:
        if str(error) != "another version":
            notices.append("The saved index was damaged; the articles were read from the cache instead.")
        return None
    return SavedLoad(snapshot, path)


def index_of(snapshot: Snapshot) -> ArticleIndex:
    """The index of the snapshot's articles; BadSnapshot if they are not as written."""
    collecting = gc.isenabled()
    # Hundreds of thousands of objects are made here, none of them garbage: the
    # collector would walk them over and over (a third of the time) for nothing.
    gc.disable()
    try:
        return ArticleIndex(snapshot.load_articles(), snapshot.metadata, presorted=True)
    finally:
        if collecting:
            gc.enable()


def newest_first(root: Path, snapshot: Snapshot, on_partial: Partial) -> None:
    """The newest articles of a large saved index, listed while the rest are decoded."""
    if snapshot.summary.size <= FIRST_PAGE:
        return
    try:
        page = ArticleIndex(snapshot.first_page(), snapshot.metadata, presorted=True)
    except BadSnapshot:
        return  # the whole index will say so, or be refused
    on_partial(LoadResult(root=root, index_source=page, complete=False, summary_source=snapshot.summary))


def saved_index(saved: SavedLoad) -> ArticleIndex:
    try:
        index = index_of(saved.snapshot)
    except BadSnapshot:
        raise LoadError("the saved index is damaged: run newsdeck again to read the articles") from None
    keep_words(index, saved.path, saved.snapshot.identity)
    return index


def file_outcomes(files: FileList, stamp: list[list[object]], index: ArticleIndex) -> FileOutcomes:
    """What reading the directory again may reuse after a warm start (`index` is the snapshot's).

    The snapshot keeps no article for a skipped file or a duplicate merged away:
    those have a stamp (so a deleted one leaves the cache) but no outcome, so a
    reload takes them from the cache.
    """
    stamps = dict(zip(files.paths, zip(files.sizes, files.mtimes, strict=True), strict=True))
    # Going through every article makes them all at once, far quicker than one by one.
    outcomes: dict[str, Article | str] = dict(zip(index.values_of("path"), index.articles, strict=True))
    return FileOutcomes(stamp, stamps, outcomes)


@dataclass(slots=True)
class FileTally:
    """What loading saw of each file, for the next snapshot: scan order, and size and time as read."""

    order: list[str]
    stamps: dict[str, tuple[int, int]]
    scan_problems: list[tuple[str, str]]

    def file_list(self) -> FileList:
        sizes: array[int] = array("q")
        mtimes: array[int] = array("q")
        for path in self.order:
            size, mtime = self.stamps.get(path, (-1, -1))
            sizes.append(size)
            mtimes.append(mtime)
        return FileList(list(self.order), sizes, mtimes, list(self.scan_problems))


def save_snapshot(
    path: Path,
    index: ArticleIndex,
    tally: FileTally,
    *,
    skipped: list[tuple[str, str]],
    duplicates: int,
    metadata: Metadata,
    metadata_stamp: list[list[object]],
) -> str | None:
    """Write the snapshot of a complete load; a notice if that failed (the next start reads the cache)."""
    articles: list[Article] = list(index.articles)
    problems = metadata.problems
    snapshot = Snapshot(
        articles=articles,
        summary=index.summary,
        files=tally.file_list(),
        skipped=skipped,
        duplicates=duplicates,
        # Problems name definition files as found; shown as the skipped list shows them.
        metadata=replace(metadata, problems=[(visible(name), visible(why)) for name, why in problems]),
        metadata_stamp=metadata_stamp,
    )
    try:
        identity = write_snapshot(path, snapshot)
    except OSError as error:
        return f"The saved index could not be written ({visible(error.strerror or error)})."
    keep_words(index, path, identity)
    return None


def keep_words(index: ArticleIndex, snapshot_file: Path, identity: int) -> None:
    """Let `index` read its word index saved beside its snapshot, or save the one it builds."""
    index.word_source = partial(_saved_words, words_path(snapshot_file), identity)


def _saved_words(path: Path, identity: int, index: ArticleIndex) -> WordIndex:
    with suppress(OSError, BadWords):
        return WordIndex.read(path, identity, index.articles)
    words = index.build_word_index()
    # Not saved, searching still works: the next start builds it again.
    with suppress(OSError):
        words.write(path, identity)
    return words
