"""The saved index: one file per seed directory, for a warm start in one read.

A warm start used to rebuild the index article by article from the cache's
rows. The snapshot holds the loaded result itself in two parts: first the
counts, every file with its size and modification time, what was skipped and
why and the `_data` definitions (all that `check` and the check for changes
need), then the articles in index order as columns (`article_columns`), read
a section at a time. The directory is then checked in the background
(`SavedLoad.still_current`); any difference sends loading the per-file way.

Like the cache it is never trusted more than the files it stands for: the
version of the record layout and parsing code (`RECORD_VERSION`) and each
part's length and checksum are checked, and every column for its type,
range and safe text (the checks `records.Decoder` makes, done column-wide),
so a torn, truncated, damaged or foreign file is refused (`BadSnapshot`)
and loading goes the per-file way. Written to a temporary file and renamed,
so a reader never sees half of one.
"""

from __future__ import annotations

import json
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.data.article_columns import (
    SEP,
    BadSnapshot,
    decode_columns,
    encode_columns,
    line_value,
    read_ints,
    text_section,
)
from tui.data.columns import TextColumn
from tui.data.index import Facet, IndexSummary
from tui.data.metadata import Metadata
from tui.data.model import Article
from tui.data.records import RECORD_VERSION
from tui.data.section_file import Damaged, Part, read_start, write_parts

MAGIC = b"newsdeck-index\x00\x00"
FIRST_PAGE = 256
"""How many of the newest articles are kept apart, to be listed while the rest are read."""


def _layout_version() -> int:
    """Changes with this file and with the code whose results it stores (the index's facets)."""
    from tui.data import article_columns, index, metadata

    sources = b""
    for module in (sys.modules[__name__], article_columns, index, metadata):
        try:
            sources += Path(module.__file__ or "").read_bytes()
        except OSError:  # installed without sources: the record version still covers the fields
            sources += module.__name__.encode()
    return zlib.crc32(sources)


FORMAT = _layout_version()
_HEADER = struct.Struct("<II")  # format, record version


@dataclass(slots=True)
class FileList:
    """Every article file found, in scan order, as loading saw it."""

    paths: Sequence[str]
    sizes: array[int]
    mtimes: array[int]
    """-1 for a file that was being written as it was read: it never matches, so it is read again."""
    scan_problems: list[tuple[str, str]]
    """Folders or files the scan could not look at, with why: a change there is a change too."""

    def matches(self, found: Iterable[tuple[str, int, int]], scan_problems: list[tuple[str, str]]) -> bool:
        """Is `found` (taken as it comes, stopping at the first difference) this list exactly?

        `scan_problems` is compared once `found` is exhausted: the scan fills it as it goes.
        """
        paths, sizes, mtimes = self.paths, self.sizes, self.mtimes
        count = 0
        for count, entry in enumerate(found, 1):
            at = count - 1
            if at >= len(paths) or entry != (paths[at], sizes[at], mtimes[at]):
                return False
        return count == len(paths) and scan_problems == self.scan_problems


@dataclass(slots=True)
class _Columns:
    """Where the article sections are, decoded only when the articles are wanted."""

    path: Path
    count: int


@dataclass(slots=True)
class _FirstPage:
    sections: list[bytes]
    count: int


@dataclass(slots=True)
class Snapshot:
    articles: Sequence[Article]
    """In index order (newest first), duplicates already merged; see `load_articles`."""
    summary: IndexSummary
    """What the sidebar counts: `check` needs nothing more."""
    files: FileList
    skipped: list[tuple[str, str]]
    """(path, reason), both safe to show."""
    duplicates: int
    metadata: Metadata
    metadata_stamp: list[list[object]]
    """The `_data` definition files as (path, size, modification time): a change means a fresh load."""
    identity: int = 0
    """The payload's checksum: other saved files (the word index) name the snapshot they belong to."""
    _columns: _Columns | None = None
    _first_page: _FirstPage | None = None

    def first_page(self) -> Sequence[Article]:
        """The newest articles (a screenful and more), decoded on their own; BadSnapshot."""
        page = self._first_page
        if page is None:
            return self.articles[:FIRST_PAGE]
        return decode_columns(iter(page.sections), page.count)

    def load_articles(self) -> Sequence[Article]:
        """The articles; a snapshot read from disk decodes and checks them now (BadSnapshot)."""
        pending = self._columns
        if pending is not None:
            sections = _articles_part(pending.path, self.identity)
            articles = decode_columns(sections, pending.count)
            self.articles, self._columns = articles, None
        return self.articles


# The file ----------------------------------------------------------------------------------


def snapshot_path(cache_file: Path) -> Path:
    return cache_file.with_suffix(".index")


def write_snapshot(path: Path, snapshot: Snapshot) -> int:
    """Write `snapshot` atomically; returns its identity. Raises OSError."""
    articles = snapshot.articles
    files = snapshot.files
    meta = {
        "articles": len(articles),
        "files": len(files.paths),
        "duplicates": snapshot.duplicates,
        "skipped": snapshot.skipped,
        "scan_problems": files.scan_problems,
        "metadata": {
            "topic_names": snapshot.metadata.topic_names,
            "provider_names": snapshot.metadata.provider_names,
            "provider_domains": snapshot.metadata.provider_domains,
            "problems": snapshot.metadata.problems,
        },
        "metadata_stamp": snapshot.metadata_stamp,
        "summary": {
            "size": snapshot.summary.size,
            "topics": [[facet.key, facet.name, facet.count] for facet in snapshot.summary.topics],
            "providers": [[facet.key, facet.name, facet.count] for facet in snapshot.summary.providers],
        },
    }
    # Three parts: what `check` and the check for changes read; the newest articles, shown
    # before the rest are decoded; then all the articles.
    meta["first_page"] = {"count": min(len(articles), FIRST_PAGE)}
    page, columns = encode_columns(articles[:FIRST_PAGE]), encode_columns(articles)
    head = [json.dumps(meta).encode(), text_section(files.paths), files.sizes.tobytes()]
    head.append(files.mtimes.tobytes())
    checksums = write_parts(path, MAGIC + _HEADER.pack(FORMAT, RECORD_VERSION), [head, page, columns])
    return _identity(*checksums)


def _identity(head: int, page: int, body: int) -> int:
    return head << 32 | (body ^ page)


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise BadSnapshot("list")
    pairs = []
    for entry in value:
        if not isinstance(entry, list) or len(entry) != 2:
            raise BadSnapshot("list")
        pairs.append((line_value(entry[0]), line_value(entry[1])))
    return pairs


def _names(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BadSnapshot("metadata")
    return {line_value(key): line_value(name) for key, name in value.items()}


def _count(value: object) -> int:
    if type(value) is not int or value < 0:
        raise BadSnapshot("count")
    return value


def read_snapshot(path: Path) -> Snapshot:
    """The snapshot at `path`; BadSnapshot unless it is whole, of this version and as written.

    Only the first part is read now (counts, files, definitions); the articles
    are read by `Snapshot.load_articles`, if they are wanted. A missing file
    raises FileNotFoundError, other trouble reading it OSError.
    """
    with open(path, "rb") as handle:
        try:
            if read_start(handle, MAGIC, _HEADER) != (FORMAT, RECORD_VERSION):
                raise BadSnapshot("another version")
            head = Part(handle)
            sections = list(head.sections())
            page = Part(handle)
            page_sections = list(page.sections())
            identity = _identity(head.checksum, page.checksum, Part(handle).checksum)
        except Damaged as error:
            raise BadSnapshot(str(error)) from None
    if len(sections) != 4:
        raise BadSnapshot("layout")
    try:
        meta = json.loads(sections[0])
    except (ValueError, RecursionError):
        raise BadSnapshot("header") from None
    if not isinstance(meta, dict):
        raise BadSnapshot("header")
    try:
        snapshot = _read(meta, sections, identity, path)
        first: dict[str, object] = meta["first_page"]
        snapshot._first_page = _FirstPage(page_sections, _count(first["count"]))
        return snapshot
    except (KeyError, TypeError, ValueError) as error:
        raise BadSnapshot(f"header ({type(error).__name__})") from None


def _articles_part(path: Path, identity: int) -> Iterator[bytes]:
    """The article sections of the snapshot at `path`, if it is still the one with `identity`."""
    with open(path, "rb") as handle:
        try:
            if read_start(handle, MAGIC, _HEADER) != (FORMAT, RECORD_VERSION):
                raise BadSnapshot("another version")
            head = Part(handle)
            head.skip()
            page = Part(handle)
            page.skip()
            body = Part(handle)
            if _identity(head.checksum, page.checksum, body.checksum) != identity:
                raise BadSnapshot("replaced since it was opened")
            yield from body.sections()
        except Damaged as error:
            raise BadSnapshot(str(error)) from None


def _read(meta: dict[str, object], sections: list[bytes], identity: int, path: Path) -> Snapshot:
    count, file_count = _count(meta["articles"]), _count(meta["files"])
    stored: dict[str, object] = meta["metadata"]  # type: ignore[assignment]
    metadata = Metadata(
        topic_names=_names(stored["topic_names"]),
        provider_names=_names(stored["provider_names"]),
        provider_domains=_names(stored["provider_domains"]),
        problems=_pairs(stored["problems"]),
    )
    stamp = meta["metadata_stamp"]
    if not isinstance(stamp, list):
        raise BadSnapshot("metadata stamp")
    try:
        # Compared with what the scan finds, never opened: decoded one at a time as they are.
        paths = TextColumn(sections[1], SEP.encode(), file_count)
    except ValueError:
        raise BadSnapshot("paths") from None
    files = FileList(
        paths,
        read_ints("q", sections[2], file_count),
        read_ints("q", sections[3], file_count),
        _pairs(meta["scan_problems"]),
    )
    summary = _read_summary(meta["summary"])
    if summary.size != count:
        raise BadSnapshot("summary")
    return Snapshot(
        articles=[],
        summary=summary,
        files=files,
        skipped=_pairs(meta["skipped"]),
        duplicates=_count(meta["duplicates"]),
        metadata=metadata,
        metadata_stamp=stamp,
        identity=identity,
        _columns=_Columns(path, count),
    )


def _facets(value: object) -> tuple[Facet, ...]:
    if not isinstance(value, list):
        raise BadSnapshot("facets")
    facets = []
    for entry in value:
        if not isinstance(entry, list) or len(entry) != 3:
            raise BadSnapshot("facets")
        facets.append(Facet(line_value(entry[0]), line_value(entry[1]), _count(entry[2])))
    return tuple(facets)


def _read_summary(value: object) -> IndexSummary:
    if not isinstance(value, dict):
        raise BadSnapshot("summary")
    return IndexSummary(_count(value["size"]), _facets(value["topics"]), _facets(value["providers"]))
