"""The persistent cache of parsed articles (SQLite, in the user cache directory).

One database per seed directory. A row is keyed by the file's relative path
and remembers its size and modification time with what parsing it gave (an
article record or a skip reason), so an unchanged file is never parsed again.

The cache is an optimisation and never trusted more than the files it
caches: every row carries a checksum, and a row whose checksum, types or
record (see `records`) are not as written is a miss, so the file is parsed
again. A database that is damaged, not a database or of an unexpected shape
is deleted and rebuilt; a locked or unwritable one is bypassed; each with a
notice for the user. File names need not be UTF-8: keys are the name's bytes.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import platformdirs

from tui.data.records import RECORD_VERSION
from tui.data.sanitize import is_safe_line, visible
from tui.data.sqlite_errors import describe, is_busy, is_damaged

ENV_CACHE_DIR = "NEWSDECK_CACHE_DIR"
SCHEMA_VERSION = 2
_BUSY_TIMEOUT_SECONDS = 2.0
_COLUMNS = ["path", "size", "mtime_ns", "payload", "skip_reason", "checksum"]
_TABLE = (
    "CREATE TABLE files (path BLOB PRIMARY KEY, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, payload BLOB, skip_reason TEXT, checksum INTEGER NOT NULL) "
    "WITHOUT ROWID"
)
_MAX_REASON_CHARS = 1000


class CachedFile(NamedTuple):
    """A row as read back and checked; a plain tuple, as 100,000 of them are read at start-up."""

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
    key = os.fsencode(root.resolve())
    digest = hashlib.sha256(key).hexdigest()[:24]
    return (directory or cache_directory()) / f"{digest}.sqlite3"


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _key(path: str) -> bytes:
    # A name that is not UTF-8 reaches us with its bytes as lone surrogates: store the bytes.
    return path.encode("utf-8", "surrogateescape")


def _checksum(key: bytes, size: int, mtime_ns: int, payload: bytes | None, reason: str | None) -> int:
    header = b"%d\x00%d\x00%d\x00" % (size, mtime_ns, len(key))
    tail = b"\x01" if reason is None else b"\x02" + reason.encode("utf-8", "surrogateescape")
    return zlib.crc32(tail, zlib.crc32(payload or b"", zlib.crc32(key, zlib.crc32(header))))


def _checked(row: tuple[object, ...]) -> tuple[str, CachedFile] | None:
    """A row as `update` wrote it, or None for anything else (damage, another writer's junk)."""
    key, size, mtime_ns, payload, reason, checksum = row
    if not (
        isinstance(key, bytes)
        and type(size) is int
        and type(mtime_ns) is int
        and (payload is None or isinstance(payload, bytes))
        and (
            reason is None
            or (isinstance(reason, str) and len(reason) <= _MAX_REASON_CHARS and is_safe_line(reason))
        )
        and (payload is None) != (reason is None)
        and type(checksum) is int
    ):
        return None
    if _checksum(key, size, mtime_ns, payload, reason) != checksum:
        return None
    return key.decode("utf-8", "surrogateescape"), CachedFile(size, mtime_ns, payload, reason)


class CacheUnavailable(Exception):
    """The cache cannot be used this time; the message says why, for the user."""


class CacheDamaged(CacheUnavailable):
    """The database file itself is broken: rebuilding it is the cure."""


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
                f"cannot create the cache folder {visible(path.parent)} ({visible(error.strerror or error)})"
            ) from None
        connection: sqlite3.Connection | None = None
        try:
            connection = cls._connect(path)
            cache = cls(connection, path)
            cache._prepare()
            return cache
        except sqlite3.Error as error:
            if connection is not None:
                connection.close()
            if is_busy(error):
                raise CacheUnavailable("the cache is busy in another newsdeck") from None
            if is_damaged(error) or not isinstance(error, sqlite3.OperationalError):
                return cls.rebuilt(path)
            raise CacheUnavailable(f"cannot open the cache {visible(path)} ({describe(error)})") from None

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None)
        # Text that is not UTF-8 (a damaged page) reads as text with lone surrogates, which
        # no row check lets through, rather than failing the whole read.
        connection.text_factory = _lenient_text
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    @classmethod
    def rebuilt(cls, path: Path) -> ArticleCache:
        """A new, empty cache in place of a damaged one."""
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError as error:
                raise CacheUnavailable(
                    f"the cache {visible(path)} is damaged and cannot be replaced "
                    f"({visible(error.strerror or error)})"
                ) from None
        try:
            cache = cls(cls._connect(path), path)
            cache._prepare()
        except sqlite3.Error as error:
            raise CacheUnavailable(f"cannot rebuild the cache {visible(path)} ({describe(error)})") from None
        cache.notice = "The article cache was damaged; it has been rebuilt."
        return cache

    def _prepare(self) -> None:
        """Use the table if it is exactly what this version writes; else start it afresh."""
        (version,) = self._connection.execute("PRAGMA user_version").fetchone()
        expected = (SCHEMA_VERSION << 24) | RECORD_VERSION
        table = self._connection.execute(
            "SELECT group_concat(type || ':' || sql, ';') FROM sqlite_master WHERE tbl_name = 'files'"
        ).fetchone()[0]
        # Exactly the table this version makes (no view, trigger or index of anyone else's).
        if version == expected and table == f"table:{_TABLE}":
            # Reading the table proves the file is a database, not just a header.
            self._connection.execute("SELECT count(*) FROM files").fetchone()
            return
        with self._transaction():
            for kind, name in self._connection.execute(
                "SELECT type, name FROM sqlite_master WHERE tbl_name = 'files' AND name NOT LIKE 'sqlite_%'"
            ).fetchall():
                if kind in ("table", "view", "trigger", "index"):
                    quoted = name.replace('"', '""')
                    self._connection.execute(f'DROP {kind.upper()} IF EXISTS "{quoted}"')
            self._connection.execute(_TABLE)
            self._connection.execute(f"PRAGMA user_version = {expected}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    def entries(self) -> dict[str, CachedFile]:
        """Every row that passes its checks, by relative path; other rows are left out (misses)."""
        try:
            rows = self._connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM files")
            found: dict[str, CachedFile] = {}
            for row in rows:
                checked = _checked(row)
                if checked is not None:
                    found[checked[0]] = checked[1]
            return found
        except sqlite3.Error as error:
            if is_damaged(error):
                raise CacheDamaged(f"the cache {visible(self.path)} is damaged") from None
            raise CacheUnavailable(f"cannot read the cache ({describe(error)})") from None

    def row(self, path: str) -> CachedFile | None:
        """The row of `path` if it passes its checks: a reload asks for the few files that changed."""
        try:
            found = self._connection.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM files WHERE path = ?", (_key(path),)
            ).fetchone()
        except sqlite3.Error as error:
            if is_damaged(error):
                raise CacheDamaged(f"the cache {visible(self.path)} is damaged") from None
            raise CacheUnavailable(f"cannot read the cache ({describe(error)})") from None
        checked = _checked(found) if found is not None else None
        # The key read back must be the one asked for (a row of another writer's making is a miss).
        return checked[1] if checked is not None and checked[0] == path else None

    def update(self, results: Iterable[FileResult], deleted: Iterable[str]) -> None:
        """Store new results and forget deleted files, in one transaction."""
        try:
            with self._transaction():
                self._connection.executemany(
                    f"INSERT OR REPLACE INTO files ({', '.join(_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        (
                            key,
                            r.size,
                            r.mtime_ns,
                            r.payload,
                            r.skip_reason,
                            _checksum(key, r.size, r.mtime_ns, r.payload, r.skip_reason),
                        )
                        for r in results
                        for key in (_key(r.path),)
                    ),
                )
                self._connection.executemany(
                    "DELETE FROM files WHERE path = ?", ((_key(path),) for path in deleted)
                )
        except sqlite3.Error as error:
            if is_busy(error):
                raise CacheUnavailable(
                    "the cache is busy in another newsdeck; not updated this time"
                ) from None
            if is_damaged(error):
                raise CacheDamaged(f"the cache {visible(self.path)} is damaged") from None
            raise CacheUnavailable(f"cannot write the cache ({describe(error)})") from None

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self._connection.close()


def open_for_loading(root: Path, notices: list[str]) -> tuple[ArticleCache | None, dict[str, CachedFile]]:
    """The cache of `root` and its rows; None when it cannot be used, with a notice saying why."""
    cache = _open_cache(root, notices)
    return _entries(cache, notices) if cache is not None else (None, {})


def open_for_lookups(root: Path, notices: list[str]) -> ArticleCache | None:
    """The cache of `root`, its rows left unread: a reload asks `row` for the few files it needs."""
    return _open_cache(root, notices)


def _open_cache(root: Path, notices: list[str]) -> ArticleCache | None:
    try:
        cache = ArticleCache.open(root)
    except CacheUnavailable as error:
        notices.append(f"Loading without the article cache: {error}.")
        return None
    if cache.notice:
        notices.append(cache.notice)
    return cache


def _entries(cache: ArticleCache, notices: list[str]) -> tuple[ArticleCache | None, dict[str, CachedFile]]:
    """The cache's rows; a cache found damaged now is rebuilt (empty), one that cannot be read is left."""
    try:
        return cache, cache.entries()
    except CacheDamaged:
        cache.close()
        try:
            cache = ArticleCache.rebuilt(cache.path)
        except CacheUnavailable as error:
            notices.append(f"Loading without the article cache: {error}.")
            return None, {}
        notices.append(cache.notice or "The article cache was rebuilt.")
        return cache, {}
    except CacheUnavailable as error:
        notices.append(f"Loading without the article cache: {error}.")
        cache.close()
        return None, {}
