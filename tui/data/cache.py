"""The persistent cache of parsed articles (SQLite, in the user cache directory).

One database per seed directory. A row is keyed by the file's relative path
and remembers its size and modification time with what parsing it gave (an
article or a skip reason), so an unchanged file is never parsed again.

The cache is an optimisation and never a reason to fail: a file found
damaged on opening or reading is deleted and rebuilt, a locked or
unwritable one is bypassed, each with a notice for the user.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import platformdirs

ENV_CACHE_DIR = "NEWSDECK_CACHE_DIR"
SCHEMA_VERSION = 1
# Bump when parsing changes what a file yields, so stale results are dropped.
PARSER_VERSION = 3
_BUSY_TIMEOUT_SECONDS = 2.0


class CachedFile(NamedTuple):
    """A row as read back; a plain tuple, as 100,000 of them are read at start-up."""

    size: int
    mtime_ns: int
    payload: bytes | None
    """The encoded article (see `records`), or None when the file was skipped."""
    skip_reason: str | None


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    size: int
    mtime_ns: int
    payload: bytes | None
    skip_reason: str | None


def cache_directory() -> Path:
    configured = os.environ.get(ENV_CACHE_DIR)
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("newsdeck")) / "articles"


def cache_path_for(root: Path, directory: Path | None = None) -> Path:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return (directory or cache_directory()) / f"{digest}.sqlite3"


class CacheUnavailable(Exception):
    """The cache cannot be used this time; the message says why, for the user."""


class ArticleCache:
    """Open with `ArticleCache.open(root)`; every method may raise CacheUnavailable."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path
        self.notice: str | None = None

    @classmethod
    def open(cls, root: Path, directory: Path | None = None) -> ArticleCache:
        path = cache_path_for(root, directory)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CacheUnavailable(
                f"cannot create the cache folder {path.parent} ({error.strerror or error})"
            ) from None
        connection: sqlite3.Connection | None = None
        try:
            connection = cls._connect(path)
            cache = cls(connection, path)
            cache._prepare()
            return cache
        except sqlite3.DatabaseError as error:
            if connection is not None:
                connection.close()
            if _is_locked(error):
                raise CacheUnavailable("the cache is busy in another newsdeck") from None
            if not isinstance(error, sqlite3.OperationalError) or "not a database" in str(error):
                return cls._rebuilt(path)
            raise CacheUnavailable(f"cannot open the cache {path} ({error})") from None

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    @classmethod
    def _rebuilt(cls, path: Path) -> ArticleCache:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError as error:
                raise CacheUnavailable(
                    f"the cache {path} is damaged and cannot be replaced ({error.strerror or error})"
                ) from None
        try:
            cache = cls(cls._connect(path), path)
            cache._prepare()
        except sqlite3.Error as error:
            raise CacheUnavailable(f"cannot rebuild the cache {path} ({error})") from None
        cache.notice = "The article cache was damaged; it has been rebuilt."
        return cache

    def _prepare(self) -> None:
        (version,) = self._connection.execute("PRAGMA user_version").fetchone()
        expected = SCHEMA_VERSION * 1000 + PARSER_VERSION
        if version == expected:
            # Reading a table proves the file is a database, not just a header.
            self._connection.execute("SELECT count(*) FROM files").fetchone()
            return
        with self._transaction():
            self._connection.execute("DROP TABLE IF EXISTS files")
            self._connection.execute(
                "CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                "mtime_ns INTEGER NOT NULL, payload BLOB, skip_reason TEXT) WITHOUT ROWID"
            )
            self._connection.execute(f"PRAGMA user_version = {expected}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    def entries(self) -> dict[str, CachedFile]:
        try:
            rows = self._connection.execute("SELECT path, size, mtime_ns, payload, skip_reason FROM files")
            return {
                path: CachedFile(size, mtime, payload, reason) for path, size, mtime, payload, reason in rows
            }
        except sqlite3.Error as error:
            raise CacheUnavailable(f"cannot read the cache ({error})") from None

    def update(self, results: Iterable[FileResult], deleted: Iterable[str]) -> None:
        """Store new results and forget deleted files, in one transaction."""
        try:
            with self._transaction():
                self._connection.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
                    ((r.path, r.size, r.mtime_ns, r.payload, r.skip_reason) for r in results),
                )
                self._connection.executemany("DELETE FROM files WHERE path = ?", ((p,) for p in deleted))
        except sqlite3.Error as error:
            if _is_locked(error):
                raise CacheUnavailable(
                    "the cache is busy in another newsdeck; not updated this time"
                ) from None
            raise CacheUnavailable(f"cannot write the cache ({error})") from None

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self._connection.close()


def _is_locked(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)
