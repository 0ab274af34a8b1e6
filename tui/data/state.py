"""What the reader has read and starred, kept in SQLite in the user data directory.

One database per user, shared by every seed directory: an article is known by
its original URL (else its web URL, else its file's absolute path), so marks
survive restarts and changes to the seed directory.

Losing a reader's state is the one failure that matters here, so:

* a change is held in memory at once and written by a background thread, in
  one transaction per batch, at most `FLUSH_SECONDS` later (and on `close`);
* each write sets only the fields that changed, with their time, so two
  newsdeck windows never overwrite each other's other changes (WAL mode lets
  them read while the other writes);
* a damaged file is moved aside (never deleted) and a new one started;
* a read-only or full disk keeps every change in memory, retried on the next
  flush, and `problem` says what is wrong for the user to see.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tui.data.model import Article

ENV_STATE_DIR = "NEWSDECK_STATE_DIR"
STATE_FILE = "state.sqlite3"
SCHEMA_VERSION = 1
FLUSH_SECONDS = 0.5
_BUSY_TIMEOUT_SECONDS = 5.0
_RETRY_SECONDS = 3.0
EXPORT_FORMAT = "newsdeck-state"


def state_path() -> Path:
    configured = os.environ.get(ENV_STATE_DIR)
    directory = Path(configured) if configured else Path(platformdirs.user_data_dir("newsdeck"))
    return directory / STATE_FILE


def article_id(article: Article, root: Path | None) -> str:
    """What an article is known by across restarts and seed directory changes.

    `root` is the seed directory, already resolved: the file's own path is not
    resolved, so an article reached through a symbolic link keeps its id.
    """
    if article.original_url:
        return article.original_url
    if article.web_url:
        return article.web_url
    return "file:" + str(root / article.path if root is not None else Path(article.path))


@dataclass(frozen=True, slots=True)
class Mark:
    read: bool = False
    starred: bool = False


@dataclass(slots=True)
class _Change:
    read: bool | None = None
    read_at: float | None = None
    starred: bool | None = None
    starred_at: float | None = None


class StateError(Exception):
    """The state file cannot be used at all (a message for the user)."""


class StateStore:
    """Read and starred marks: in memory at once, on disk within a second."""

    def __init__(self, path: Path | None = None, *, background: bool = True) -> None:
        self.path = path or state_path()
        self.marks: dict[str, Mark] = {}
        self.notices: list[str] = []
        """Things the user should be told once (a damaged file moved aside)."""
        self.problem: str | None = None
        """Why changes are not being saved right now, while that lasts."""
        self.recovery_file: Path | None = None
        """Where `close` put the changes it could not save, for `newsdeck state import`."""
        self._pending: dict[str, _Change] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._writing = threading.Lock()
        self._closed = False
        self._connection: sqlite3.Connection | None = None
        self._open()
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._run, name="newsdeck-state", daemon=True)
            self._thread.start()

    # Opening -------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self._connection = self._connect()
            self._load()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError) and not _is_damage(error):
                self._unavailable(f"cannot open {self.path} ({_describe(error)})")
                self._load_read_only()
                return
            self._move_aside()
        except StateError as error:
            self._unavailable(f"cannot use {self.path}: {error}")
        except OSError as error:
            self._unavailable(f"cannot create {self.path.parent} ({error.strerror or error})")

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are begun and ended explicitly below.
        connection = sqlite3.connect(
            self.path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            if version == 0:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS marks (id TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0, "
                    "read_at REAL, starred INTEGER NOT NULL DEFAULT 0, starred_at REAL) WITHOUT ROWID"
                )
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("COMMIT")
            elif version > SCHEMA_VERSION:
                raise StateError("it was written by a newer newsdeck")
            elif version != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"unknown state format version {version}")
        except BaseException:
            connection.close()
            raise
        return connection

    def _load(self, connection: sqlite3.Connection | None = None) -> None:
        connection = connection or self._connection
        assert connection is not None
        rows = connection.execute("SELECT id, read, starred FROM marks WHERE read OR starred")
        self.marks = {identity: Mark(bool(read), bool(starred)) for identity, read, starred in rows}

    def _load_read_only(self) -> None:
        """Show the marks of a file that cannot be written (a read-only folder)."""
        if not self.path.is_file():
            return
        with suppress(sqlite3.Error):
            connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                self._load(connection)
            finally:
                connection.close()

    def _move_aside(self) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            if self._connection is not None:
                self._connection.close()
            self.path.replace(kept)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.replace(kept.with_name(kept.name + suffix))
            self._connection = self._connect()
            self._load()
        except (OSError, sqlite3.Error) as error:
            self._unavailable(f"{self.path} is damaged and could not be replaced ({error})")
            return
        self.notices.append(
            f"Your read and starred marks file was damaged. It was moved to {kept} and a new one started."
        )

    def _unavailable(self, reason: str) -> None:
        self._connection = None
        self.problem = f"Read and starred marks are not being saved: {reason}."

    # Marks ---------------------------------------------------------------------

    def get(self, identity: str) -> Mark:
        return self.marks.get(identity, _NO_MARK)

    def set(
        self,
        identity: str,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        when: tuple[float | None, float | None] | None = None,
    ) -> None:
        """Change a mark now; it reaches the disk within `FLUSH_SECONDS`.

        `when` gives the times of the read and starred changes (an import keeps
        the original ones); by default, now.
        """
        now = time.time()
        read_at, starred_at = when if when is not None else (now, now)
        current = self.get(identity)
        mark = Mark(current.read if read is None else read, current.starred if starred is None else starred)
        with self._lock:
            if mark.read or mark.starred:
                self.marks[identity] = mark
            else:
                self.marks.pop(identity, None)
            change = self._pending.setdefault(identity, _Change())
            if read is not None:
                change.read, change.read_at = read, read_at
            if starred is not None:
                change.starred, change.starred_at = starred, starred_at
        self._wake.set()

    def set_many(self, identities: Iterable[str], *, read: bool) -> None:
        for identity in identities:
            self.set(identity, read=read)

    @property
    def unsaved(self) -> int:
        with self._lock:
            return len(self._pending)

    # Writing -------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            # After a failed write, try again now and then even if nothing changes.
            self._wake.wait(timeout=_RETRY_SECONDS if self.problem else None)
            # Gather a burst (M on 1,000 articles) into one transaction.
            self._stop.wait(FLUSH_SECONDS)
            self._wake.clear()
            self.flush()

    def flush(self) -> bool:
        """Write pending changes in one transaction; False (changes kept) if that failed."""
        with self._writing:
            return self._flush()

    def _flush(self) -> bool:
        with self._lock:
            batch, self._pending = self._pending, {}
        if not batch:
            return True
        if self._connection is None and not self._reconnect():
            self._requeue(batch)
            return False
        try:
            self._write(batch)
        except Exception as error:  # whatever it was, the batch must not be dropped
            self._requeue(batch)
            reason = _describe(error) if isinstance(error, sqlite3.Error) else repr(error)
            self.problem = f"Read and starred marks are not being saved: {reason}."
            return False
        self.problem = None
        return True

    def _write(self, batch: dict[str, _Change]) -> None:
        assert self._connection is not None
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            for identity, change in batch.items():
                connection.execute("INSERT OR IGNORE INTO marks (id) VALUES (?)", (identity,))
                if change.read is not None:
                    connection.execute(
                        "UPDATE marks SET read = ?, read_at = ? WHERE id = ?",
                        (int(change.read), change.read_at, identity),
                    )
                if change.starred is not None:
                    connection.execute(
                        "UPDATE marks SET starred = ?, starred_at = ? WHERE id = ?",
                        (int(change.starred), change.starred_at, identity),
                    )
            connection.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise

    def _reconnect(self) -> bool:
        """Try again to open a file that could not be opened (the disk may be writable now)."""
        try:
            self._connection = self._connect()
        except (sqlite3.Error, OSError, StateError):
            return False
        return True

    def _requeue(self, batch: dict[str, _Change]) -> None:
        with self._lock:
            for identity, change in batch.items():
                newer = self._pending.get(identity)
                if newer is None:
                    self._pending[identity] = change
                else:  # a change made meanwhile wins over the one that failed
                    if newer.read is None:
                        newer.read, newer.read_at = change.read, change.read_at
                    if newer.starred is None:
                        newer.starred, newer.starred_at = change.starred, change.starred_at

    def close(self) -> None:
        """Write what is pending and stop; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=FLUSH_SECONDS * 4)
        if not self.flush():
            self.recovery_file = self._write_recovery()
        with self._writing:
            if self._connection is not None:
                with suppress(sqlite3.Error):
                    self._connection.close()
                self._connection = None

    def _write_recovery(self) -> Path | None:
        """Keep unsaved changes as an importable export in a writable place."""
        with self._lock:
            pending = dict(self._pending)
        entries = [
            {
                "id": identity,
                "read": bool(change.read if change.read is not None else self.get(identity).read),
                "read_at": change.read_at,
                "starred": bool(change.starred if change.starred is not None else self.get(identity).starred),
                "starred_at": change.starred_at,
            }
            for identity, change in sorted(pending.items())
        ]
        document = {"format": EXPORT_FORMAT, "version": SCHEMA_VERSION, "articles": entries}
        name = f"newsdeck-unsaved-marks-{time.strftime('%Y%m%d-%H%M%S')}.json"
        for folder in (
            self.path.parent,
            Path(platformdirs.user_documents_dir()),
            Path(tempfile.gettempdir()),
        ):
            target = folder / name
            try:
                target.write_text(json.dumps(document, indent=2), encoding="utf-8")
            except OSError:
                continue
            return target
        return None

    # Export and import ---------------------------------------------------------

    def export(self) -> dict[str, object]:
        self.flush()
        entries = []
        if self._connection is not None:
            rows = self._connection.execute(
                "SELECT id, read, read_at, starred, starred_at FROM marks WHERE read OR starred ORDER BY id"
            )
            entries = [
                {"id": i, "read": bool(r), "read_at": ra, "starred": bool(s), "starred_at": sa}
                for i, r, ra, s, sa in rows
            ]
        else:
            entries = [{"id": i, "read": m.read, "starred": m.starred} for i, m in sorted(self.marks.items())]
        return {"format": EXPORT_FORMAT, "version": SCHEMA_VERSION, "articles": entries}

    def import_marks(self, document: object) -> int:
        """Apply an export: each article's marks as the file has them. Returns how many."""
        entries = _entries(document)
        for identity, read, starred, when in entries:
            self.set(identity, read=read, starred=starred, when=when)
        return len(entries)


_NO_MARK = Mark()


def _time(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _entries(document: object) -> list[tuple[str, bool, bool, tuple[float | None, float | None]]]:
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise StateError('this is not a newsdeck state export (no "format": "newsdeck-state")')
    articles = document.get("articles")
    if not isinstance(articles, list):
        raise StateError('the export has no "articles" list')
    entries = []
    for number, entry in enumerate(articles, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise StateError(f"article {number} of the export has no id")
        read, starred = entry.get("read", False), entry.get("starred", False)
        if not isinstance(read, bool) or not isinstance(starred, bool):
            raise StateError(f"article {number} of the export has read/starred that are not true or false")
        when = (_time(entry.get("read_at")), _time(entry.get("starred_at")))
        entries.append((entry["id"], read, starred, when))
    return entries


def read_export(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise StateError(f"not JSON ({error.msg} at line {error.lineno})") from None


def _is_damage(error: sqlite3.Error) -> bool:
    return "not a database" in str(error) or "malformed" in str(error) or "unknown state format" in str(error)


def _describe(error: BaseException) -> str:
    text = str(error)
    if "readonly" in text or "read-only" in text:
        return "the file is read-only"
    if "full" in text:
        return "the disk is full"
    if "locked" in text or "busy" in text:
        return "another newsdeck is holding the file; will try again"
    return text
