"""The saved index's articles as columns: one section per field, checked as a whole.

Each text field of every article is one UTF-8 section joined by NUL (which
no text `sanitize` passes, nor any file name, holds); numbers are arrays;
providers and lists of topics are indexes into shared tables. Reading checks
each column at once (safe text, ranges, table indexes, paths that stay below
the seed directory) and refuses anything `records.Decoder` would refuse.
"""

from __future__ import annotations

import json
import math
import sys
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import accumulate
from typing import Any, TypeVar

from tui.data.columns import ArticleColumns, LazySequence, TextColumn
from tui.data.dates import in_range
from tui.data.fields import MAX_IMAGES, MAX_TOPICS
from tui.data.model import Article, ImageLink, Provider
from tui.data.sanitize import is_safe_block, is_safe_line


class BadSnapshot(Exception):
    """Not a snapshot this version wrote, or damaged: load the per-file way instead."""


_NONE_INT = -(1 << 63)
"""Stands for a missing integer: records refuse this value, so it cannot be a real one."""
SEP = "\x00"
"""Joins a text column: no text `sanitize` lets through holds it, nor does any file name."""
_MAX_TABLE = 1_000_000
T = TypeVar("T")
Buffer = bytes | memoryview


_FIELDS = [field for field in fields(Article) if field.name != "path"]
_KEPT_AS_STRINGS = {"original_url", "web_url"}
"""The index looks articles up by their links: these are string objects anyway."""


def text_section(values: Sequence[str]) -> bytes:
    return SEP.join(values).encode("utf-8", "surrogateescape")


def read_text(data: Buffer, count: int, *, block: bool = False) -> list[str]:
    try:
        joined = str(data, "utf-8")
    except UnicodeDecodeError:
        raise BadSnapshot("text") from None
    safe = is_safe_block(joined.replace(SEP, "\n")) if block else is_safe_line(joined.replace(SEP, " "))
    values = joined.split(SEP) if count else []
    if not safe or len(values) != count or (count == 0 and joined):
        raise BadSnapshot("text column")
    return values


_ASCII_IN_LINE = bytes([0, *range(0x20, 0x7F)])
"""The ASCII a line of text may hold (and the separator): `sanitize.is_safe_line` for ASCII."""
_ASCII_IN_BLOCK = _ASCII_IN_LINE + b"\t\n"


def read_text_column(data: Buffer, count: int, *, block: bool = False) -> TextColumn:
    """As `read_text`, kept as bytes (see `TextColumn`): for texts not needed as string objects."""
    data = bytes(data)
    if data.isascii():
        # Most columns are plain ASCII: checked byte-wise, never decoded as a whole.
        safe = not data.translate(None, _ASCII_IN_BLOCK if block else _ASCII_IN_LINE)
    else:
        try:
            joined = str(data, "utf-8")
        except UnicodeDecodeError:
            raise BadSnapshot("text") from None
        safe = is_safe_block(joined.replace(SEP, "\n")) if block else is_safe_line(joined.replace(SEP, " "))
        del joined
    if not safe:
        raise BadSnapshot("text column")
    try:
        return TextColumn(data, SEP.encode(), count)
    except ValueError:
        raise BadSnapshot("text column") from None


def _sized(column: array[Any], data: Buffer, count: int) -> None:
    if len(data) != count * column.itemsize:
        raise BadSnapshot("number column")
    column.frombytes(data)


def read_ints(kind: str, data: Buffer, count: int) -> array[int]:
    column: array[int] = array(kind)
    _sized(column, data, count)
    return column


def _floats(data: Buffer, count: int) -> array[float]:
    column: array[float] = array("d")
    _sized(column, data, count)
    return column


def _table_index(data: Buffer, count: int, table_size: int) -> array[int]:
    column = read_ints("I", data, count)
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


def encode_columns(articles: Sequence[Article]) -> Iterator[bytes]:
    """The articles' fields, one section each (images take four), made one at a time as they
    are written, then the providers and topic lists they share, as JSON."""
    providers: dict[Provider, int] = {}
    topic_sets: dict[tuple[str, ...], int] = {}
    yield text_section([article.path for article in articles])
    for field in _FIELDS:
        values = [getattr(article, field.name) for article in articles]
        kind = str(field.type)
        if kind == "str":
            yield text_section(values)
        elif kind == "float | None":
            yield array("d", (math.nan if value is None else value for value in values)).tobytes()
        elif kind in ("int", "int | None"):
            yield _integers(values)
        elif kind == "bool":
            yield bytes(values)
        elif kind == "Provider":
            yield _indexes(providers, values)
        elif kind == "tuple[str, ...]":
            yield _indexes(topic_sets, values)
        elif kind == "tuple[ImageLink, ...]":
            images = [image for value in values for image in value]
            yield array("I", (len(value) for value in values)).tobytes()
            yield text_section([image.url for image in images])
            yield _integers([image.width for image in images])
            yield _integers([image.height for image in images])
        else:  # pragma: no cover - a new field type fails the first test that writes a snapshot
            raise TypeError(f"Article.{field.name} has a type snapshots cannot store: {kind}")
    tables = {
        "providers": [[provider.name, provider.domain] for provider in providers],
        "topic_sets": [list(topics) for topics in topic_sets],
    }
    yield json.dumps(tables).encode()


def line_value(value: object) -> str:
    if not isinstance(value, str) or not is_safe_line(value):
        raise BadSnapshot("table text")
    return value


def read_tables(tables: object) -> _Tables:
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
        name, domain = (sys.intern(line_value(value)) for value in entry)
        checked_providers.append(Provider(name, domain))
    if not all(type(entry) is list and len(entry) <= MAX_TOPICS for entry in topic_sets):
        raise BadSnapshot("topics")
    # Tens of thousands of names: checked together, as one line of text would be.
    every_name = [name for entry in topic_sets for name in entry]
    if not all(type(name) is str for name in every_name) or not is_safe_line(" ".join(every_name)):
        raise BadSnapshot("topics")
    checked_topics = [tuple(map(sys.intern, entry)) for entry in topic_sets]
    if any(len(names) > 1 and len(set(map(str.casefold, names))) != len(names) for names in checked_topics):
        raise BadSnapshot("topics")  # parsing keeps one of each
    return _Tables(checked_providers, checked_topics)


def _has_bad_path(joined: str) -> bool:
    """An absolute path, or an empty, `.` or `..` part: nothing the scan gives."""
    parts = f"\x00{joined.replace('/', SEP)}\x00"
    return "\x00\x00" in parts or "\x00.\x00" in parts or "\x00..\x00" in parts


def read_paths(data: Buffer, count: int) -> list[str]:
    joined = str(data, "utf-8", "surrogateescape")
    if count == 0:
        if joined:
            raise BadSnapshot("paths")
        return []
    if _has_bad_path(joined):
        raise BadSnapshot("paths")
    paths = joined.split(SEP)
    if len(paths) != count:
        raise BadSnapshot("paths")
    return paths


class _ImageGroups(LazySequence[tuple[ImageLink, ...]]):
    """Each article's images, made when the article is: most articles are never shown."""

    def __init__(self, counts: array[int], urls: TextColumn, widths: array[int], heights: array[int]) -> None:
        self._starts = array("Q", accumulate(counts, initial=0))
        self._urls, self._widths, self._heights = urls, widths, heights

    def __len__(self) -> int:
        return len(self._starts) - 1

    def _image(self, at: int) -> ImageLink:
        width, height = self._widths[at], self._heights[at]
        return ImageLink(
            self._urls[at], None if width == _NONE_INT else width, None if height == _NONE_INT else height
        )

    def _at(self, position: int) -> tuple[ImageLink, ...]:
        return tuple(map(self._image, range(self._starts[position], self._starts[position + 1])))

    def __iter__(self) -> Iterator[tuple[ImageLink, ...]]:
        # All of them (a reload after a warm start): a pass over each column, not a lookup per image.
        none = _NONE_INT
        images = [
            ImageLink(url, None if width == none else width, None if height == none else height)
            for url, width, height in zip(self._urls, self._widths, self._heights, strict=True)
        ]
        starts = self._starts
        return (tuple(images[starts[at] : starts[at + 1]]) for at in range(len(starts) - 1))


def _looked_up(table: Sequence[T], data: Buffer, count: int) -> list[T]:
    return list(map(table.__getitem__, _table_index(data, count, len(table))))


def decode_columns(sections: Iterator[bytes], count: int) -> ArticleColumns:
    """The articles `encode_columns` wrote, checked; BadSnapshot for anything else."""
    taken = sections
    columns: list[Sequence[object]] = [read_paths(next(taken), count)]
    shared: dict[int, Buffer] = {}  # providers and topics: looked up once the tables are read
    for field in _FIELDS:
        kind = str(field.type)
        data = next(taken)
        if kind == "str" and field.name in _KEPT_AS_STRINGS:
            values: Sequence[object] = read_text(data, count)
        elif kind == "str":
            texts = read_text_column(data, count, block=field.metadata.get("text") == "block")
            if field.name == "title" and 0 in texts.lengths_in_bytes():
                raise BadSnapshot("untitled article")
            values = texts
        elif kind == "float | None":
            values = _dates(_floats(data, count))
        elif kind in ("int", "int | None"):
            integers = read_ints("q", data, count)
            if field.metadata.get("count") and count and min(integers) < 0:
                raise BadSnapshot("count")
            values = integers if kind == "int" else _Missing(integers, _NONE_INT)
            if kind == "int" and _NONE_INT in integers:
                raise BadSnapshot("integer")
        elif kind == "bool":
            if len(data) != count or bytes(data).translate(None, b"\x00\x01"):
                raise BadSnapshot("flag")
            values = _Flags(bytes(data))
        elif kind in ("Provider", "tuple[str, ...]"):
            shared[len(columns)] = data
            values = ()
        else:  # images: counts, then urls, widths and heights of all images in a row
            counts = read_ints("I", data, count)
            total = sum(counts)
            if count and max(counts) > MAX_IMAGES:
                raise BadSnapshot("images")
            urls = read_text_column(next(taken), total)
            values = _ImageGroups(
                counts, urls, read_ints("q", next(taken), total), read_ints("q", next(taken), total)
            )
        columns.append(values)
    try:
        tables = read_tables(json.loads(next(taken)))
    except (ValueError, RecursionError, StopIteration):
        raise BadSnapshot("tables") from None
    if next(taken, None) is not None:
        raise BadSnapshot("layout")
    names = ["path", *(field.name for field in _FIELDS)]
    for at, indexes in shared.items():
        table: Sequence[object] = tables.providers if names[at] == "provider" else tables.topic_sets
        columns[at] = _looked_up(table, indexes, count)
    original, web = names.index("original_url"), names.index("web_url")
    # Most articles link to one page twice: one string then serves both.
    pairs = zip(columns[original], columns[web], strict=True)
    columns[web] = [first if first == second else second for first, second in pairs]
    return ArticleColumns(columns)


def _dates(dates: array[float]) -> _Missing[float]:
    """The dates column, checked: in range, newest first, undated (NaN) last, as the index keeps them."""
    dated = [value for value in dates if value == value]  # NaN is the one value unequal to itself
    if dated and not (in_range(min(dated)) and in_range(max(dated))):
        raise BadSnapshot("date")
    # Sorting what is already in order costs one pass; anything else is not as written.
    if dated != sorted(dated, reverse=True) or any(value == value for value in dates[len(dated) :]):
        raise BadSnapshot("order")
    return _Missing(dates, math.nan)


class _Missing(LazySequence[T | None]):
    """An array standing in for optional values: `missing` there is None here."""

    __slots__ = ("_missing", "_values")

    def __init__(self, values: array[Any], missing: T) -> None:
        self._values, self._missing = values, missing

    def __len__(self) -> int:
        return len(self._values)

    def _at(self, position: int) -> T | None:
        value = self._values[position]
        # NaN marks a missing date: it is not equal even to itself.
        return None if value == self._missing or value != value else value


class _Flags(LazySequence[bool]):
    __slots__ = ("_bytes",)

    def __init__(self, flags: bytes) -> None:
        self._bytes = flags

    def __len__(self) -> int:
        return len(self._bytes)

    def _at(self, position: int) -> bool:
        return self._bytes[position] == 1
