"""The JSON form of read and starred marks: `newsdeck state export|import`, and recovery files.

An import is checked whole before anything is applied: a file with one bad
entry changes nothing, and the reason names that entry. Exports are strict
JSON (no NaN or Infinity), whatever an older version left in the database.
"""

from __future__ import annotations

import json
import math
import sqlite3
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from tui.data.dates import LATEST
from tui.data.sanitize import visible

EXPORT_FORMAT = "newsdeck-state"
EXPORT_VERSION = 1
MAX_ID_CHARS = 8192
"""Longer than any URL a browser keeps; a longer id is not one of ours."""


class StateError(Exception):
    """The state file or an export cannot be used (a message for the user)."""


@dataclass(frozen=True, slots=True)
class ImportedMark:
    identity: str
    read: bool
    starred: bool
    read_at: float | None
    starred_at: float | None


def to_json(document: dict[str, object]) -> str:
    """Strict JSON: a value JSON cannot hold is a bug here, never an `Infinity` in the file."""
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def export_document(connection: sqlite3.Connection | None, marks: Mapping[str, Any]) -> dict[str, object]:
    """Every mark with its times, from the file; from memory (`marks`: id -> Mark) when it is not open."""
    if connection is None:
        entries = [{"id": i, "read": m.read, "starred": m.starred} for i, m in sorted(marks.items())]
        return document(entries)
    rows = connection.execute(
        "SELECT id, read, read_at, starred, starred_at FROM marks WHERE read OR starred ORDER BY id"
    )
    return document(
        [
            {
                "id": i,
                "read": bool(r),
                "read_at": export_time(ra),
                "starred": bool(s),
                "starred_at": export_time(sa),
            }
            for i, r, ra, s, sa in rows
            if isinstance(i, str)
        ]
    )


def write_recovery(export: dict[str, object], beside: Path) -> Path | None:
    """Keep unsaved changes as an importable export in the first writable of: `beside`, the
    documents folder, the temporary folder. Where it went, or None."""
    text = to_json(export)
    name = f"newsdeck-unsaved-marks-{time.strftime('%Y%m%d-%H%M%S')}.json"
    for folder in (beside, Path(platformdirs.user_documents_dir()), Path(tempfile.gettempdir())):
        target = folder / name
        try:
            target.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return target
    return None


def export_time(value: object) -> float | None:
    """A stored time as an export may hold it: a finite number, else nothing."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def document(entries: Sequence[Mapping[str, object]]) -> dict[str, object]:
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "articles": entries}


def _refuse_constant(name: str) -> object:
    raise StateError(f"not JSON: {name} is not a number JSON allows")


def read_export(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise StateError(f"not JSON ({error.msg.removesuffix(' at')}, line {error.lineno})") from None
    except RecursionError:
        raise StateError("not a newsdeck state export (nested too deeply)") from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise StateError(f"not JSON that can be read ({visible(error)[:100]})") from None


def _entry_name(number: int, entry: object) -> str:
    identity = entry.get("id") if isinstance(entry, dict) else None
    if isinstance(identity, str) and identity:
        shown = visible(identity[:80].encode("utf-8", "replace").decode())
        return f"article {number} of the export ({shown})"
    return f"article {number} of the export"


def _time(value: object, field: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StateError(f"{where}: {field} is not a number of seconds")
    if isinstance(value, int) and abs(value) > LATEST:
        raise StateError(f"{where}: {field} is not a time newsdeck can keep")
    if not math.isfinite(value) or not 0 <= value <= LATEST:
        raise StateError(f"{where}: {field} is not a time newsdeck can keep")
    return float(value)


def _identity(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise StateError(f"{where} has no id")
    if len(value) > MAX_ID_CHARS:
        raise StateError(f"{where}: the id is longer than {MAX_ID_CHARS:,} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise StateError(f"{where}: the id is not valid text (it holds a lone surrogate)") from None
    if "\x00" in value:
        raise StateError(f"{where}: the id holds a NUL character")
    return value


def parse_export(document: object) -> list[ImportedMark]:
    """Every mark of an export, checked; StateError naming the first bad entry."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise StateError(f'this is not a newsdeck state export (no "format": "{EXPORT_FORMAT}")')
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise StateError('the export has no "version" number')
    if version > EXPORT_VERSION:
        raise StateError(f"the export is of version {version}, written by a newer newsdeck")
    if version < 1:
        raise StateError(f"the export has an unknown version ({version})")
    articles = document.get("articles")
    if not isinstance(articles, list):
        raise StateError('the export has no "articles" list')
    marks = []
    for number, entry in enumerate(articles, start=1):
        where = _entry_name(number, entry)
        if not isinstance(entry, dict):
            raise StateError(f"{where} is not an object")
        identity = _identity(entry.get("id"), where)
        read, starred = entry.get("read", False), entry.get("starred", False)
        if not isinstance(read, bool) or not isinstance(starred, bool):
            raise StateError(f"{where} has read/starred that are not true or false")
        read_at = _time(entry.get("read_at"), "read_at", where)
        starred_at = _time(entry.get("starred_at"), "starred_at", where)
        marks.append(ImportedMark(identity, read, starred, read_at, starred_at))
    return marks
