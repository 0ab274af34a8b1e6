"""The saved index: one file per seed directory, for a warm start in one read.

A warm start used to rebuild the index article by article from the cache's
rows. The snapshot holds the loaded result itself (the articles in index
order as columns, the string tables they share, every file with its size and
modification time, what was skipped and why, the `_data` definitions) and is
read back in one go, then checked against the directory in the background
(`FileList.matches`); any difference sends loading down the per-file path.

Like the cache it is never trusted more than the files it stands for: a
length, a checksum and the version of the record layout and parsing code
(`RECORD_VERSION`) come first, and every column is checked for its type,
range and safe text (the checks `records.Decoder` makes, done column-wide),
so a torn, truncated, damaged or foreign file is refused (`BadSnapshot`)
and loading goes the per-file way. Written to a temporary file and renamed,
so a reader never sees half of one.
"""

from __future__ import annotations

import json
import math
import os
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, fields
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from tui.data.dates import in_range
from tui.data.fields import MAX_IMAGES, MAX_TOPICS
from tui.data.index import Facet, IndexSummary
from tui.data.metadata import Metadata
from tui.data.model import Article, ImageLink, Provider
from tui.data.records import RECORD_VERSION
from tui.data.sanitize import is_safe_block, is_safe_line

MAGIC = b"newsdeck-index\x00\x00"


def _layout_version() -> int:
    """Changes with this file and with the code whose results it stores (the index's facets)."""
    from tui.data import index, metadata

    sources = b""
    for module in (sys.modules[__name__], index, metadata):
        try:
            sources += Path(module.__file__ or "").read_bytes()
        except OSError:  # installed without sources: the record version still covers the fields
            sources += module.__name__.encode()
    return zlib.crc32(sources)


FORMAT = _layout_version()
_HEADER = struct.Struct("<IIIQ")  # format, record version, checksum of the payload, payload length
_LENGTH = struct.Struct("<Q")
_NONE_INT = -(1 << 63)
"""Stands for a missing integer: records refuse this value, so it cannot be a real one."""
_SEP = "\x00"
"""Joins a text column: no text `sanitize` lets through holds it, nor does any file name."""
_MAX_TABLE = 1_000_000
T = TypeVar("T")


class BadSnapshot(Exception):
    """Not a snapshot this version wrote, or damaged: load the per-file way instead."""


@dataclass(slots=True)
class FileList:
    """Every article file found, in scan order, as loading saw it."""

    paths: list[str]
    sizes: array[int]
    mtimes: array[int]
    """-1 for a file that was being written as it was read: it never matches, so it is read again."""
    scan_problems: list[tuple[str, str]]
    """Folders or files the scan could not look at, with why: a change there is a change too."""

    def matches(self, found: Sequence[tuple[str, int, int]], scan_problems: list[tuple[str, str]]) -> bool:
        return (
            scan_problems == self.scan_problems
            and len(found) == len(self.paths)
            and all(
                entry == (path, size, mtime)
                for entry, path, size, mtime in zip(found, self.paths, self.sizes, self.mtimes, strict=True)
            )
        )


@dataclass(slots=True)
class _Columns:
    """The article sections as read, decoded only when the articles are wanted."""

    sections: list[memoryview]
    count: int
    tables: object


@dataclass(slots=True)
class Snapshot:
    articles: list[Article]
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

    def load_articles(self) -> list[Article]:
        """The articles; a snapshot read from disk decodes and checks them now (BadSnapshot)."""
        pending = self._columns
        if pending is not None:
            articles = _decode_columns(pending.sections, pending.count, _read_tables(pending.tables))
            if not _newest_first(articles):
                raise BadSnapshot("order")
            known = set(self.files.paths)
            if len(known) != len(self.files.paths) or not all(article.path in known for article in articles):
                raise BadSnapshot("articles of files not listed")
            self.articles, self._columns = articles, None
        return self.articles


# Columns ---------------------------------------------------------------------------------

_FIELDS = [field for field in fields(Article) if field.name != "path"]


def _text(values: Sequence[str]) -> bytes:
    return _SEP.join(values).encode("utf-8", "surrogateescape")


def _read_text(data: memoryview, count: int, *, block: bool = False) -> list[str]:
    try:
        joined = str(data, "utf-8")
    except UnicodeDecodeError:
        raise BadSnapshot("text") from None
    safe = is_safe_block(joined.replace(_SEP, "\n")) if block else is_safe_line(joined.replace(_SEP, " "))
    values = joined.split(_SEP) if count else []
    if not safe or len(values) != count or (count == 0 and joined):
        raise BadSnapshot("text column")
    return values


def _sized(column: array[Any], data: memoryview, count: int) -> None:
    if len(data) != count * column.itemsize:
        raise BadSnapshot("number column")
    column.frombytes(data)


def _ints(kind: str, data: memoryview, count: int) -> array[int]:
    column: array[int] = array(kind)
    _sized(column, data, count)
    return column


def _floats(data: memoryview, count: int) -> array[float]:
    column: array[float] = array("d")
    _sized(column, data, count)
    return column


def _optional_integers(column: array[int]) -> list[int | None]:
    return [None if value == _NONE_INT else value for value in column]


def _table_index(data: memoryview, count: int, table_size: int) -> array[int]:
    column = _ints("I", data, count)
    if count and max(column) >= table_size:
        raise BadSnapshot("table index")
    return column


@dataclass(slots=True)
class _Tables:
    providers: list[Provider]
    topic_sets: list[tuple[str, ...]]


def _integers(values: Sequence[int | None]) -> bytes:
    return array("q", (_NONE_INT if value is None else value for value in values)).tobytes()


def _indexes(table: dict[T, int], values: Sequence[T]) -> bytes:
    """Each value's place in `table`, adding the values met for the first time."""
    return array("I", (table.setdefault(value, len(table)) for value in values)).tobytes()


def _encode_columns(articles: Sequence[Article]) -> tuple[list[bytes], dict[str, object]]:
    """The articles' fields, one section each (images take four); the shared tables as JSON."""
    providers: dict[Provider, int] = {}
    topic_sets: dict[tuple[str, ...], int] = {}
    sections = [_text([article.path for article in articles])]
    for field in _FIELDS:
        values = [getattr(article, field.name) for article in articles]
        kind = str(field.type)
        if kind == "str":
            sections.append(_text(values))
        elif kind == "float | None":
            sections.append(array("d", (math.nan if value is None else value for value in values)).tobytes())
        elif kind in ("int", "int | None"):
            sections.append(_integers(values))
        elif kind == "bool":
            sections.append(bytes(values))
        elif kind == "Provider":
            sections.append(_indexes(providers, values))
        elif kind == "tuple[str, ...]":
            sections.append(_indexes(topic_sets, values))
        elif kind == "tuple[ImageLink, ...]":
            images = [image for value in values for image in value]
            sections += [
                array("I", (len(value) for value in values)).tobytes(),
                _text([image.url for image in images]),
                _integers([image.width for image in images]),
                _integers([image.height for image in images]),
            ]
        else:  # pragma: no cover - a new field type fails the first test that writes a snapshot
            raise TypeError(f"Article.{field.name} has a type snapshots cannot store: {kind}")
    tables: dict[str, object] = {
        "providers": [[provider.name, provider.domain] for provider in providers],
        "topic_sets": [list(topics) for topics in topic_sets],
    }
    return sections, tables


def _line_value(value: object) -> str:
    if not isinstance(value, str) or not is_safe_line(value):
        raise BadSnapshot("table text")
    return value


def _read_tables(tables: object) -> _Tables:
    if not isinstance(tables, dict):
        raise BadSnapshot("tables")
    providers, topic_sets = tables.get("providers"), tables.get("topic_sets")
    if not isinstance(providers, list) or not isinstance(topic_sets, list):
        raise BadSnapshot("tables")
    if len(providers) > _MAX_TABLE or len(topic_sets) > _MAX_TABLE:
        raise BadSnapshot("tables")
    checked_providers = []
    for entry in providers:
        if not isinstance(entry, list) or len(entry) != 2:
            raise BadSnapshot("provider")
        name, domain = (sys.intern(_line_value(value)) for value in entry)
        checked_providers.append(Provider(name, domain))
    checked_topics = []
    for entry in topic_sets:
        if not isinstance(entry, list) or len(entry) > MAX_TOPICS:
            raise BadSnapshot("topics")
        names = tuple(sys.intern(_line_value(name)) for name in entry)
        if len({name.casefold() for name in names}) != len(names):
            raise BadSnapshot("topics")
        checked_topics.append(names)
    return _Tables(checked_providers, checked_topics)


def _has_bad_path(joined: str) -> bool:
    """An absolute path, or an empty, `.` or `..` part: nothing the scan gives."""
    parts = f"\x00{joined.replace('/', _SEP)}\x00"
    return "\x00\x00" in parts or "\x00.\x00" in parts or "\x00..\x00" in parts


def _read_paths(data: memoryview, count: int) -> list[str]:
    joined = str(data, "utf-8", "surrogateescape")
    if count == 0:
        if joined:
            raise BadSnapshot("paths")
        return []
    if _has_bad_path(joined):
        raise BadSnapshot("paths")
    paths = joined.split(_SEP)
    if len(paths) != count:
        raise BadSnapshot("paths")
    return paths


def _grouped(flat: list[ImageLink], counts: array[int]) -> list[tuple[ImageLink, ...]]:
    """`flat` cut into consecutive tuples of `counts` items; most articles have one image."""
    if len(flat) == len(counts) and (not counts or max(counts) == 1):
        return [(image,) for image in flat]
    groups, start = [], 0
    for size in counts:
        groups.append(tuple(flat[start : start + size]))
        start += size
    return groups


def _decode_columns(sections: list[memoryview], count: int, tables: _Tables) -> list[Article]:
    taken = iter(sections)
    columns: list[Sequence[object]] = [_read_paths(next(taken), count)]
    for field in _FIELDS:
        kind = str(field.type)
        data = next(taken)
        if kind == "str":
            values: Sequence[object] = _read_text(data, count, block=field.metadata.get("text") == "block")
            if field.name == "title" and "" in values:
                raise BadSnapshot("untitled article")
        elif kind == "float | None":
            dates = _floats(data, count)
            if not all(in_range(value) for value in dates if not math.isnan(value)):
                raise BadSnapshot("date")
            values = [None if math.isnan(value) else value for value in dates]
        elif kind in ("int", "int | None"):
            integers = _ints("q", data, count)
            if field.metadata.get("count") and count and min(integers) < 0:
                raise BadSnapshot("count")
            values = integers if kind == "int" else _optional_integers(integers)
            if kind == "int" and _NONE_INT in integers:
                raise BadSnapshot("integer")
        elif kind == "bool":
            if len(data) != count or bytes(data).translate(None, b"\x00\x01"):
                raise BadSnapshot("flag")
            values = [byte == 1 for byte in data]
        elif kind == "Provider":
            values = [tables.providers[i] for i in _table_index(data, count, len(tables.providers))]
        elif kind == "tuple[str, ...]":
            values = [tables.topic_sets[i] for i in _table_index(data, count, len(tables.topic_sets))]
        else:  # images: counts, then urls, widths and heights of all images in a row
            counts = _ints("I", data, count)
            total = sum(counts)
            if count and max(counts) > MAX_IMAGES:
                raise BadSnapshot("images")
            urls = _read_text(next(taken), total)
            widths = _optional_integers(_ints("q", next(taken), total))
            heights = _optional_integers(_ints("q", next(taken), total))
            flat = list(map(ImageLink, urls, widths, heights))
            values = _grouped(flat, counts)
        columns.append(values)
    if next(taken, None) is not None:
        raise BadSnapshot("layout")
    names = ["path", *(field.name for field in _FIELDS)]
    original, web = names.index("original_url"), names.index("web_url")
    # Most articles link to one page twice: one string then serves both.
    pairs = zip(columns[original], columns[web], strict=True)
    columns[web] = [first if first == second else second for first, second in pairs]
    return list(map(Article, *columns))


# The file ----------------------------------------------------------------------------------


def snapshot_path(cache_file: Path) -> Path:
    return cache_file.with_suffix(".index")


def write_snapshot(path: Path, snapshot: Snapshot) -> int:
    """Write `snapshot` atomically; returns its identity. Raises OSError."""
    articles = snapshot.articles
    columns, tables = _encode_columns(articles)
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
        "tables": tables,
        "summary": {
            "size": snapshot.summary.size,
            "topics": [[facet.key, facet.name, facet.count] for facet in snapshot.summary.topics],
            "providers": [[facet.key, facet.name, facet.count] for facet in snapshot.summary.providers],
        },
    }
    sections = [
        json.dumps(meta).encode(),
        _text(files.paths),
        files.sizes.tobytes(),
        files.mtimes.tobytes(),
        *columns,
    ]
    payload = b"".join(_LENGTH.pack(len(section)) + section for section in sections)
    identity = zlib.crc32(payload)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(MAGIC + _HEADER.pack(FORMAT, RECORD_VERSION, identity, len(payload)))
            handle.write(payload)
        os.replace(temporary, path)
    finally:
        with suppress(OSError):
            temporary.unlink()
    return identity


def _sections(payload: bytes) -> list[memoryview]:
    view = memoryview(payload)
    sections, offset = [], 0
    while offset < len(view):
        if offset + _LENGTH.size > len(view):
            raise BadSnapshot("truncated")
        (length,) = _LENGTH.unpack_from(view, offset)
        offset += _LENGTH.size
        if offset + length > len(view):
            raise BadSnapshot("truncated")
        sections.append(view[offset : offset + length])
        offset += length
    return sections


def _pairs(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise BadSnapshot("list")
    pairs = []
    for entry in value:
        if not isinstance(entry, list) or len(entry) != 2:
            raise BadSnapshot("list")
        pairs.append((_line_value(entry[0]), _line_value(entry[1])))
    return pairs


def _names(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BadSnapshot("metadata")
    return {_line_value(key): _line_value(name) for key, name in value.items()}


def _count(value: object) -> int:
    if type(value) is not int or value < 0:
        raise BadSnapshot("count")
    return value


def read_snapshot(path: Path) -> Snapshot:
    """The snapshot at `path`; BadSnapshot unless it is whole, of this version and as written.

    A missing file raises FileNotFoundError, other trouble reading it OSError.
    """
    with open(path, "rb") as handle:
        head = handle.read(len(MAGIC) + _HEADER.size)
        if len(head) != len(MAGIC) + _HEADER.size or not head.startswith(MAGIC):
            raise BadSnapshot("not a snapshot")
        version, record_version, identity, length = _HEADER.unpack_from(head, len(MAGIC))
        if (version, record_version) != (FORMAT, RECORD_VERSION):
            raise BadSnapshot("another version")
        payload = handle.read(length + 1)
    if len(payload) != length or zlib.crc32(payload) != identity:
        raise BadSnapshot("damaged")
    sections = _sections(payload)
    if len(sections) < 4:
        raise BadSnapshot("layout")
    try:
        meta = json.loads(bytes(sections[0]))
    except (ValueError, RecursionError):
        raise BadSnapshot("header") from None
    if not isinstance(meta, dict):
        raise BadSnapshot("header")
    try:
        return _read(meta, sections, identity)
    except (KeyError, TypeError, ValueError) as error:
        raise BadSnapshot(f"header ({type(error).__name__})") from None


def _newest_first(articles: list[Article]) -> bool:
    """The index's order as far as anything relies on it: dates descending, undated last."""
    dates = [article.published for article in articles]
    dated = len(dates) - dates.count(None)
    if None in dates[:dated]:
        return False
    times: list[float] = dates[:dated]  # type: ignore[assignment]
    return all(later >= earlier for later, earlier in pairwise(times))


def _read(meta: dict[str, object], sections: list[memoryview], identity: int) -> Snapshot:
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
    files = FileList(
        _read_paths(sections[1], file_count),
        _ints("q", sections[2], file_count),
        _ints("q", sections[3], file_count),
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
        _columns=_Columns(sections[4:], count, meta["tables"]),
    )


def _facets(value: object) -> tuple[Facet, ...]:
    if not isinstance(value, list):
        raise BadSnapshot("facets")
    facets = []
    for entry in value:
        if not isinstance(entry, list) or len(entry) != 3:
            raise BadSnapshot("facets")
        facets.append(Facet(_line_value(entry[0]), _line_value(entry[1]), _count(entry[2])))
    return tuple(facets)


def _read_summary(value: object) -> IndexSummary:
    if not isinstance(value, dict):
        raise BadSnapshot("summary")
    return IndexSummary(_count(value["size"]), _facets(value["topics"]), _facets(value["providers"]))
