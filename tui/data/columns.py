"""Articles held as columns, each made into an `Article` only when it is asked for.

A warm start reads 100,000 articles from the saved index, but the list shows
a screenful: making every `Article` object up front cost a third of a second
and tens of megabytes that most sessions never use. `ArticleColumns` is a
read-only sequence of articles over one list per field; the index reads the
columns it needs (topics, providers, dates) directly.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import fields
from itertools import accumulate
from operator import add
from typing import Any, TypeVar, overload

from tui.data.model import Article

FIELD_NAMES = [field.name for field in fields(Article)]


T = TypeVar("T")


class LazySequence(Sequence[T]):
    """A read-only sequence whose items are made when asked for: subclasses give `_at`."""

    __slots__ = ()

    def _at(self, position: int) -> T:
        raise NotImplementedError

    def __iter__(self) -> Iterator[T]:
        # Sequence's own goes through __getitem__ and its checks for each item: several times slower.
        return map(self._at, range(len(self)))

    @overload
    def __getitem__(self, item: int) -> T: ...
    @overload
    def __getitem__(self, item: slice) -> Sequence[T]: ...
    def __getitem__(self, item: int | slice) -> T | Sequence[T]:
        if isinstance(item, slice):
            return [self._at(position) for position in range(*item.indices(len(self)))]
        size = len(self)
        if item < 0:
            item += size
        if not 0 <= item < size:
            raise IndexError("position out of range")
        return self._at(item)


class ArticleColumns(LazySequence[Article]):
    """`columns` holds one sequence per `Article` field, in declaration order, all of one length."""

    __slots__ = ("_columns", "_complete", "_lock", "_made", "_named")

    def __init__(self, columns: list[Sequence[Any]]) -> None:
        if len(columns) != len(FIELD_NAMES):
            raise ValueError("one column per Article field")
        self._columns = columns
        self._named = dict(zip(FIELD_NAMES, columns, strict=True))
        self._made: list[Article | None] = [None] * len(columns[0])
        # The list draws on the UI thread while workers read too: one object per article, always.
        self._lock = threading.Lock()
        self._complete = False

    def column(self, name: str) -> Sequence[Any]:
        """Every article's value of the field `name`, in order, without making the articles."""
        return self._named[name]

    def __len__(self) -> int:
        return len(self._made)

    def _at(self, position: int) -> Article:
        made = self._made[position]
        if made is None:
            with self._lock:
                made = self._made[position]
                if made is None:
                    made = Article(*(column[position] for column in self._columns))
                    self._made[position] = made
        return made

    def __eq__(self, other: object) -> bool:
        # Equal to any sequence of the same articles, as the tuple an index otherwise holds is.
        if isinstance(other, ArticleColumns | tuple | list):
            pairs = zip(self, other, strict=False)
            return len(self) == len(other) and all(mine == theirs for mine, theirs in pairs)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[Article]:
        # Going through all of them: make the rest in one go, which is several times quicker.
        if not self._complete:
            # Made outside the lock (the columns never change): the list drawing a row on the
            # UI thread meanwhile must not wait the second this takes at 100,000 articles.
            every: list[Article | None] = list(map(Article, *self._columns))
            with self._lock:
                if not self._complete:
                    for position, made in enumerate(self._made):
                        if made is not None:
                            every[position] = made  # one object per article, always
                    self._made = every
                    self._complete = True
        return iter(self._made)  # type: ignore[arg-type]


class TextColumn(LazySequence[str]):
    """Many short texts kept as one UTF-8 buffer: each is decoded when asked for.

    A hundred thousand excerpts as string objects cost their header each on top
    of their text; here the column costs its bytes and an offset per text.
    """

    __slots__ = ("_data", "_ends", "_separator")

    def __init__(self, data: bytes, separator: bytes, count: int) -> None:
        """`data` holds `count` texts joined by `separator` (one byte no text holds)."""
        self._data = data
        self._separator = separator
        ends: array[int] = array("Q")
        if count:
            # Where each text ends: its length plus those before it and their separators.
            lengths = map(len, data.split(separator))
            ends.extend(map(add, accumulate(lengths), range(count + 1)))
        if len(ends) != count:
            raise ValueError("not that many texts")
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        if not self._ends:
            return iter(())
        # One split of the buffer rather than a slice per text.
        return (text.decode("utf-8", "surrogateescape") for text in self._data.split(self._separator))

    def lengths_in_bytes(self) -> Iterator[int]:
        start = 0
        for end in self._ends:
            yield end - start
            start = end + 1

    def _at(self, position: int) -> str:
        end = self._ends[position]
        start = self._ends[position - 1] + 1 if position else 0
        return self._data[start:end].decode("utf-8", "surrogateescape")
