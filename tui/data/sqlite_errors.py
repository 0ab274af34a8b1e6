"""What a SQLite error means for the user, told by its result code rather than its wording.

Shared by the article cache and the marks store. Python 3.11 gives every error
raised by SQLite itself its result code (`sqlite_errorcode`); errors raised by
the sqlite3 module (a closed connection) have none.
"""

from __future__ import annotations

import sqlite3

from tui.data.sanitize import visible


def primary_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    # Extended codes (SQLITE_IOERR_WRITE, …) carry the primary code in their low byte.
    return code & 0xFF if isinstance(code, int) else None


def is_busy(error: BaseException) -> bool:
    """Another connection (another newsdeck) holds the file just now."""
    return primary_code(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def is_damaged(error: BaseException) -> bool:
    """The file is not a database, or its pages are broken."""
    return primary_code(error) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def is_read_only(error: BaseException) -> bool:
    return primary_code(error) in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN)


def is_full(error: BaseException) -> bool:
    return primary_code(error) == sqlite3.SQLITE_FULL


def describe(error: BaseException) -> str:
    """A short reason for people."""
    if is_read_only(error):
        return "the file is read-only or cannot be opened"
    if is_full(error):
        return "the disk is full"
    if is_busy(error):
        return "another newsdeck is holding the file; will try again"
    if is_damaged(error):
        return "the file is damaged"
    return visible(error)
