"""`newsdeck state import`: a bad file is refused whole, in one line, leaving nothing behind."""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui.data.state import ENV_STATE_DIR, StateStore, state_path


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "state"
    monkeypatch.setenv(ENV_STATE_DIR, str(directory))
    return directory


def newsdeck(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *arguments], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def export(*entries: str, version: str = "1") -> str:
    articles = ", ".join(entries)
    return f'{{"format": "newsdeck-state", "version": {version}, "articles": [{articles}]}}'


GOOD = '{"id": "https://ok.example/1", "read": true}'


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            export(GOOD, '{"id": "https://a.example/2", "read": true, "read_at": ' + "9" * 400 + "}"),
            "article 2 of the export (https://a.example/2): read_at is not a time newsdeck can keep",
        ),
        ("[" * 100_000, "not a newsdeck state export (nested too deeply)"),
        (
            export(GOOD, '{"id": "https://a.example/\\udc80", "read": true}'),
            "article 2 of the export (https://a.example/?): "
            "the id is not valid text (it holds a lone surrogate)",
        ),
        (
            export('{"id": "x", "starred": true, "starred_at": 1e400}'),
            "article 1 of the export (x): starred_at is not a time newsdeck can keep",
        ),
        (export('{"id": "x", "read_at": Infinity}'), "not JSON: Infinity is not a number JSON allows"),
        (export('{"id": "x", "read_at": NaN}'), "not JSON: NaN is not a number JSON allows"),
        (export(GOOD, version="2"), "the export is of version 2, written by a newer newsdeck"),
        ('{"format": "newsdeck-state", "articles": []}', 'the export has no "version" number'),
        (export(GOOD, version="true"), 'the export has no "version" number'),
        (export(GOOD, '"just text"'), "article 2 of the export is not an object"),
        (
            export('{"id": "x", "read": true, "read_at": -5}'),
            "article 1 of the export (x): read_at is not a time newsdeck can keep",
        ),
    ],
    ids=[
        "400-digits",
        "deep-nesting",
        "lone-surrogate",
        "1e400",
        "Infinity",
        "NaN",
        "newer-version",
        "no-version",
        "boolean-version",
        "entry-not-object",
        "negative-time",
    ],
)
def test_a_bad_import_exits_2_with_one_line_and_changes_nothing(
    state_dir: Path, tmp_path: Path, text: str, reason: str
) -> None:
    source = tmp_path / "marks.json"
    source.write_text(text, encoding="utf-8")
    completed = newsdeck("state", "import", str(source), cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "Traceback" not in completed.stderr
    assert completed.stderr == f"newsdeck: {source}: {reason}\n"
    assert completed.stdout == ""
    # Nothing applied, nothing left behind.
    store = StateStore(background=False)
    try:
        assert store.marks == {}
    finally:
        store.close()
    strays = [p.name for p in (*state_dir.iterdir(), *tmp_path.iterdir()) if "unsaved-marks" in p.name]
    assert strays == []


def test_exports_are_strict_json_even_over_odd_stored_times(state_dir: Path, tmp_path: Path) -> None:
    store = StateStore(background=False)
    store.set("https://a.example/1", read=True)
    store.close()
    with sqlite3.connect(state_path()) as connection:  # as an older newsdeck might have left it
        connection.execute("UPDATE marks SET read_at = ?", (math.inf,))
    completed = newsdeck("state", "export", "-", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout, parse_constant=lambda name: pytest.fail(f"{name} in export"))
    assert document["articles"] == [
        {"id": "https://a.example/1", "read": True, "read_at": None, "starred": False, "starred_at": None}
    ]


def test_a_good_import_round_trips(state_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "marks.json"
    source.write_text(
        export('{"id": "https://a.example/1", "read": true, "read_at": 1700000000.5, "starred": true}'),
        encoding="utf-8",
    )
    assert newsdeck("state", "import", str(source), cwd=tmp_path).returncode == 0
    out = json.loads(newsdeck("state", "export", "-", cwd=tmp_path).stdout)
    assert out["articles"][0]["read_at"] == 1700000000.5 and out["articles"][0]["starred"] is True
