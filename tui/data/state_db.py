"""The marks database file itself: opening it with its schema checked, and moving a bad one aside.

`StateStore` (in `state`) keeps marks in memory and writes them; this module
knows what a marks file newsdeck wrote looks like, so that anything else (a
newer version, a lost or foreign table, damaged pages) is recognised at once.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from tui.data.state_export import StateError

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 5.0
_COLUMNS = ["id", "read", "read_at", "starred", "starred_at"]


_BATCH = (
    "SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS read, "
    "json_extract(value, '$[2]') AS read_at, json_extract(value, '$[3]') AS starred, "
    "json_extract(value, '$[4]') AS starred_at FROM json_each(:batch)"
)
WRITE_MARKS = (
    f"INSERT OR IGNORE INTO marks (id) SELECT id FROM ({_BATCH})",
    "UPDATE marks SET read = change.read, read_at = change.read_at "
    f"FROM ({_BATCH}) AS change WHERE marks.id = change.id AND change.read IS NOT NULL",
    "UPDATE marks SET starred = change.starred, starred_at = change.starred_at "
    f"FROM ({_BATCH}) AS change WHERE marks.id = change.id AND change.starred IS NOT NULL",
)
"""A batch of changes (JSON: [id, read, read_at, starred, starred_at], None where unchanged) in
three statements, whatever its size. Row by row, the writing thread gave the interpreter up and
waited for it again for every row, and fell seconds behind while the reader kept marking."""


class Unrecognised(sqlite3.DatabaseError):
    """A database that is not a marks file newsdeck wrote: moved aside like a damaged one."""


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the marks file at `path`, created or repaired if need be.

    Raises StateError (a newer newsdeck's file: left alone), Unrecognised (not
    ours: to be moved aside) or sqlite3/OS errors.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: transactions are begun and ended explicitly by the store.
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    try:
        # Text that is not UTF-8 was never written by newsdeck: read it, never fail on it.
        connection.text_factory = _lenient_text
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        (version,) = connection.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise StateError("it was written by a newer newsdeck")
        if version not in (0, SCHEMA_VERSION):
            raise Unrecognised(f"unknown state format version {version}")
        columns = [row[1] for row in connection.execute("PRAGMA table_info(marks)")]
        if columns and columns != _COLUMNS:
            raise Unrecognised("the marks table is not the one newsdeck writes")
        if not columns:
            # A new file, or one whose table was lost: nothing to keep, so the table is made anew.
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS marks (id TEXT PRIMARY KEY, read INTEGER NOT NULL DEFAULT 0, "
                "read_at REAL, starred INTEGER NOT NULL DEFAULT 0, starred_at REAL) WITHOUT ROWID"
            )
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
    except BaseException:
        connection.close()
        raise
    return connection


def connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def move_aside(path: Path) -> Path:
    """Keep a damaged file (and its WAL) beside it under a dated name; where it went."""
    kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.replace(kept)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(kept.with_name(kept.name + suffix))
    return kept


Change = tuple[str, bool | None, float | None, bool | None, float | None]
"""A mark's id, read (None: unchanged) and when, starred (None: unchanged) and when."""


def write_marks(connection: sqlite3.Connection, changes: Iterable[Change]) -> None:
    """Write `changes` in one transaction (see `WRITE_MARKS`); raises sqlite3.Error, rolled back."""
    batch = json.dumps(
        [
            [
                identity,
                None if read is None else int(read),
                read_at,
                None if starred is None else int(starred),
                starred_at,
            ]
            for identity, read, read_at, starred, starred_at in changes
        ]
    )
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in WRITE_MARKS:
            connection.execute(statement, {"batch": batch})
        connection.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise
