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

import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from tui.data.model import Article
from tui.data.sanitize import visible
from tui.data.sqlite_errors import describe, is_damaged
from tui.data.state_db import BUSY_TIMEOUT_SECONDS, connect, connect_read_only, move_aside, write_marks
from tui.data.state_export import StateError, document, export_document, parse_export, write_recovery

ENV_STATE_DIR = "NEWSDECK_STATE_DIR"
STATE_FILE = "state.sqlite3"
FLUSH_SECONDS = 0.5
_RETRY_SECONDS = 3.0


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
    path = os.fsencode(root / article.path if root is not None else Path(article.path))
    # Bytes of a name that are not UTF-8 are spelled \xNN: an id is text SQLite can store.
    return "file:" + path.decode("utf-8", "backslashreplace")


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
        self._pending_since = 0.0
        """When the oldest unsaved change was made (monotonic): it is saved `FLUSH_SECONDS` later."""
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._writing = threading.Lock()
        self._closed = False
        self.written = threading.Event()
        """Set each time a batch of changes reaches the disk (tests and tools wait on it)."""
        self._connection: sqlite3.Connection | None = None
        self._data_version: int | None = None
        """SQLite's count of commits made through other connections, when last looked."""
        self._open()
        self.changed_elsewhere()  # the count to compare with from now on
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
            if isinstance(error, sqlite3.OperationalError) and not is_damaged(error):
                self._unavailable(f"cannot open {visible(self.path)} ({describe(error)})")
                self._load_read_only()
                return
            self._move_aside()
        except StateError as error:
            self._unavailable(f"cannot use {visible(self.path)}: {error}")
        except OSError as error:
            self._unavailable(
                f"cannot create {visible(self.path.parent)} ({visible(error.strerror or error)})"
            )

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

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
            connection = connect_read_only(self.path)
            try:
                self._load(connection)
            finally:
                connection.close()

    def _move_aside(self) -> None:
        try:
            if self._connection is not None:
                self._connection.close()
            kept = move_aside(self.path)
            self._connection = self._connect()
            self._load()
        except (OSError, sqlite3.Error, StateError) as error:
            self._unavailable(f"{visible(self.path)} is damaged and could not be replaced ({visible(error)})")
            return
        self.notices.append(
            f"Your read and starred marks file was damaged. It was moved to {visible(kept)} "
            "and a new one started."
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
            if not self._pending:
                self._pending_since = time.monotonic()
            change = self._pending.setdefault(identity, _Change())
            if read is not None:
                change.read, change.read_at = read, read_at
            if starred is not None:
                change.starred, change.starred_at = starred, starred_at
        self._wake.set()

    def changed_elsewhere(self) -> bool:
        """Did another window (another process) change the marks file since last asked?

        If so, `marks` is read again, with this window's unsaved changes laid over it.
        `PRAGMA data_version` makes asking cheap: it counts other connections' commits.
        """
        if not self._writing.acquire(blocking=False):
            return False  # our own write is under way: ask again next time
        try:
            if self._connection is None:
                return False
            (version,) = self._connection.execute("PRAGMA data_version").fetchone()
            if version == self._data_version:
                return False
            first, self._data_version = self._data_version is None, version
            if first:
                return False
            rows = self._connection.execute("SELECT id, read, starred FROM marks WHERE read OR starred")
            found = {identity: Mark(bool(read), bool(starred)) for identity, read, starred in rows}
        except sqlite3.Error:
            return False  # a busy or damaged file is the writer's business: it says so
        finally:
            self._writing.release()
        with self._lock:
            for identity, change in self._pending.items():
                now = found.get(identity, _NO_MARK)
                mark = Mark(
                    now.read if change.read is None else change.read,
                    now.starred if change.starred is None else change.starred,
                )
                found[identity] = mark
            self.marks = {identity: mark for identity, mark in found.items() if mark.read or mark.starred}
        return True

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
            # Gather a burst (M on 1,000 articles) into one transaction, but keep no change
            # waiting longer than FLUSH_SECONDS, however long the last write took.
            with self._lock:
                since = self._pending_since
            self._stop.wait(max(0.0, since + FLUSH_SECONDS - time.monotonic()))
            self._wake.clear()
            self.flush()

    def flush(self, wait: float | None = None) -> bool:
        """Write pending changes in one transaction; False (changes kept) if that failed.

        With `wait`, give up after about that many seconds when another writer
        holds the file (quitting must not hang on a busy file).
        """
        if wait is None:
            with self._writing:
                return self._flush()
        if not self._writing.acquire(timeout=wait):
            return False
        try:
            connection = self._connection
            if connection is not None:
                with suppress(sqlite3.Error):
                    connection.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            try:
                return self._flush()
            finally:
                if connection is not None and connection is self._connection:
                    with suppress(sqlite3.Error):
                        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        finally:
            self._writing.release()

    def close_in_background(self) -> threading.Thread:
        """`close` in a thread of its own, which the process waits for before it exits."""
        thread = threading.Thread(target=self.close, name="newsdeck-state-close")
        thread.start()
        return thread

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
            self.written.set()
        except Exception as error:  # whatever it was, the batch must not be dropped
            self._requeue(batch)
            reason = describe(error) if isinstance(error, sqlite3.Error) else visible(error)
            self.problem = f"Read and starred marks are not being saved: {reason}."
            return False
        self.problem = None
        return True

    def _write(self, batch: dict[str, _Change]) -> None:
        assert self._connection is not None
        write_marks(
            self._connection,
            (
                (identity, change.read, change.read_at, change.starred, change.starred_at)
                for identity, change in batch.items()
            ),
        )

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
        return write_recovery(document(entries), self.path.parent)

    # Export and import ---------------------------------------------------------

    def export(self) -> dict[str, object]:
        self.flush()
        return export_document(self._connection, self.marks)

    def import_marks(self, export: object) -> int:
        """Apply an export: each article's marks as the file has them. Returns how many.

        The whole export is checked first (StateError naming the bad entry), so a
        bad file changes nothing.
        """
        marks = parse_export(export)
        for mark in marks:
            self.set(
                mark.identity, read=mark.read, starred=mark.starred, when=(mark.read_at, mark.starred_at)
            )
        return len(marks)


_NO_MARK = Mark()
