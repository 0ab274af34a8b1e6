"""The marks database file itself: opening it with its schema checked, and moving a bad one aside.

`StateStore` (in `state`) keeps marks in memory and writes them; this module
knows what a marks file newsdeck wrote looks like, so that anything else (a
newer version, a lost or foreign table, damaged pages) is recognised at once.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from tui.data.state_export import StateError

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 5.0
_COLUMNS = ["id", "read", "read_at", "starred", "starred_at"]


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
