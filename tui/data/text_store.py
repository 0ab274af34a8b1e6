"""Fetched full texts kept in SQLite, so a story read once opens again at once and offline.

One database beside the article caches (`texts.sqlite3` in the cache folder,
`$NEWSDECK_CACHE_DIR` honoured), keyed by the article's URL: the final URL,
when it was fetched, the HTTP validators for a conditional fetch, the outcome
and its message, and for a readable page its title and Markdown. Failures are
kept too, so a bulk fetch need not ask again at once.

Like every store of ours it is never trusted more than what wrote it: a row
is returned only if every value has its type and every text is one `sanitize`
could have produced; anything else is as if absent. A file that is not a
database, or of another shape, is started afresh.
"""

from __future__ import annotations

import math
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from tui.data.cache import cache_directory
from tui.data.extract import Extracted
from tui.data.fetch import KINDS, Outcome
from tui.data.sanitize import is_safe_block, is_safe_line, visible
from tui.data.sqlite_errors import describe, is_damaged

_TABLE = (
    "CREATE TABLE texts (url TEXT PRIMARY KEY, final_url TEXT NOT NULL, fetched_at REAL NOT NULL, "
    "etag TEXT NOT NULL, last_modified TEXT NOT NULL, outcome TEXT NOT NULL, message TEXT NOT NULL, "
    "title TEXT NOT NULL, markdown TEXT NOT NULL, words INTEGER NOT NULL, image TEXT NOT NULL) WITHOUT ROWID"
)
_COLUMNS = "url, final_url, fetched_at, etag, last_modified, outcome, message, title, markdown, words, image"
_VERSION = 2
NOTHING_READABLE = "nothing-readable"
"""The page came, but held no text to read (a paywall, a page drawn by scripts)."""


class StoreUnavailable(Exception):
    """The store cannot be used; the message says why, for the reader."""


@dataclass(frozen=True, slots=True)
class StoredText:
    url: str
    final_url: str
    fetched_at: float
    etag: str
    last_modified: str
    outcome: str
    """One of `fetch.KINDS` (never "not-modified": that keeps what was stored) or NOTHING_READABLE."""
    message: str
    title: str = ""
    markdown: str = ""
    words: int = 0
    image: str = ""
    """The page's main picture, found while extracting (see `Extracted.image`)."""

    @property
    def readable(self) -> bool:
        return self.outcome == "ok" and bool(self.markdown)


def as_stored(outcome: Outcome, extracted: Extracted | None, now: float) -> StoredText:
    """What a fetch gave, as it is kept (or shown, when it cannot be kept)."""
    kind = outcome.kind if outcome.kind != "ok" or extracted is not None else NOTHING_READABLE
    if kind == "not-modified":  # a 304 for a text not kept
        kind = NOTHING_READABLE
    message = outcome.message or (
        "Nothing readable on this page (a paywall, or a page drawn by scripts?)."
        if kind == NOTHING_READABLE
        else ""
    )
    return StoredText(
        outcome.url,
        outcome.final_url,
        now,
        outcome.etag,
        outcome.last_modified,
        kind,
        message,
        extracted.title if extracted else "",
        extracted.markdown if extracted else "",
        extracted.words if extracted else 0,
        extracted.image if extracted else "",
    )


def store_path(directory: Path | None = None) -> Path:
    return (directory or cache_directory()) / "texts.sqlite3"


def _checked(row: tuple[object, ...]) -> StoredText | None:
    url, final_url, fetched_at, etag, last_modified, outcome, message, title, markdown, words, image = row
    lines = (url, final_url, etag, last_modified, outcome, message, title, image)
    if not (
        all(isinstance(value, str) and is_safe_line(value) for value in lines)
        and isinstance(markdown, str)
        and is_safe_block(markdown)
        and isinstance(fetched_at, float)
        and math.isfinite(fetched_at)
        and type(words) is int
        and words >= 0
        and (outcome in KINDS or outcome == NOTHING_READABLE)
        and outcome != "not-modified"
    ):
        return None
    return StoredText(
        url=cast(str, url),
        final_url=cast(str, final_url),
        fetched_at=fetched_at,
        etag=cast(str, etag),
        last_modified=cast(str, last_modified),
        outcome=outcome,
        message=cast(str, message),
        title=cast(str, title),
        markdown=markdown,
        words=words,
        image=cast(str, image),
    )


class TextStore:
    """Open with `TextStore.open()`; every method may raise StoreUnavailable."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path

    @classmethod
    def open(cls, path: Path | None = None) -> TextStore:
        path = path or store_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls._open(path)
        except sqlite3.Error as error:
            if not is_damaged(error):
                raise StoreUnavailable(f"cannot open the stored texts ({describe(error)})") from None
        except OSError as error:
            raise StoreUnavailable(
                f"cannot open the stored texts ({visible(error.strerror or error)})"
            ) from None
        try:  # not a database: start afresh, it only saves fetching again
            path.unlink(missing_ok=True)
            return cls._open(path)
        except (sqlite3.Error, OSError) as error:
            raise StoreUnavailable(f"cannot rebuild the stored texts ({visible(error)})") from None

    @classmethod
    def _open(cls, path: Path) -> TextStore:
        connection = sqlite3.connect(path, timeout=2.0, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            shape = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'texts'").fetchone()
            if version != _VERSION or shape is None or shape[0] != _TABLE:
                connection.execute("DROP TABLE IF EXISTS texts")
                connection.execute(_TABLE)
                connection.execute(f"PRAGMA user_version = {_VERSION}")
        except BaseException:
            connection.close()
            raise
        return cls(connection, path)

    def get(self, url: str) -> StoredText | None:
        try:
            row = self._connection.execute(f"SELECT {_COLUMNS} FROM texts WHERE url = ?", (url,)).fetchone()
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot read the stored texts ({describe(error)})") from None
        return _checked(row) if row is not None else None

    def text_starts(self, chars: int) -> list[tuple[str, str]]:
        """(URL, the first `chars` characters of its text) for every text to read: what search needs.

        Only folded into search words, never shown, so a row need only have its types.
        """
        try:
            rows = self._connection.execute(
                "SELECT url, substr(markdown, 1, ?) FROM texts WHERE outcome = 'ok' AND markdown != ''",
                (chars,),
            ).fetchall()
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot read the stored texts ({describe(error)})") from None
        return [(url, text) for url, text in rows if isinstance(url, str) and isinstance(text, str)]

    def put(self, outcome: Outcome, extracted: Extracted | None = None) -> StoredText:
        """Keep what a fetch gave, and return what is kept: a `304` keeps the text stored before,
        as fetched now, and so does a failure (the text read once is never lost to a bad day)."""
        now = time.time()
        before = self.get(outcome.url)
        if outcome.kind == "not-modified" and before is not None:
            kept = StoredText(**{**_fields(before), "fetched_at": now})  # type: ignore[arg-type]
            return self._write(kept)
        fresh = as_stored(outcome, extracted, now)
        if before is not None and before.readable and not fresh.readable:
            return before  # fetching again failed: the text read before stays, as it was
        return self._write(fresh)

    def _write(self, stored: StoredText) -> StoredText:
        values = tuple(_fields(stored).values())
        try:
            self._connection.execute(
                f"INSERT OR REPLACE INTO texts ({_COLUMNS}) VALUES ({', '.join('?' * len(values))})", values
            )
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot keep the fetched text ({describe(error)})") from None
        return stored

    def close(self) -> None:
        self._connection.close()


def _fields(stored: StoredText) -> dict[str, object]:
    return {name: getattr(stored, name) for name in _COLUMNS.split(", ")}
