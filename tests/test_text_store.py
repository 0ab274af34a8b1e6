"""Fetched texts kept in SQLite: read back as kept, never trusted more than what wrote them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.data.extract import Extracted
from tui.data.fetch import Outcome
from tui.data.text_store import NOTHING_READABLE, TextStore, store_path

URL = "https://news.example/story"


def ok(etag: str = '"v1"') -> Outcome:
    return Outcome("ok", URL, final_url=URL + "?amp", status=200, etag=etag, last_modified="Tue, 01 Dec 2026")


def test_a_fetched_text_is_there_after_reopening(tmp_path: Path) -> None:
    store = TextStore.open(store_path(tmp_path))
    kept = store.put(ok(), Extracted("# Title\n\nThe story.", "Title", 3))
    store.close()
    again = TextStore.open(store_path(tmp_path))
    stored = again.get(URL)
    assert stored == kept and stored is not None and stored.readable
    assert (stored.final_url, stored.etag, stored.title, stored.words) == (URL + "?amp", '"v1"', "Title", 3)
    assert again.get("https://news.example/other") is None


def test_a_304_keeps_the_text_and_a_failure_is_kept_with_its_reason(tmp_path: Path) -> None:
    store = TextStore.open(store_path(tmp_path))
    first = store.put(ok(), Extracted("The story.", "", 2))
    kept = store.put(Outcome("not-modified", URL, final_url=URL, status=304))
    assert kept.markdown == "The story." and kept.etag == '"v1"' and kept.fetched_at >= first.fetched_at
    failed = store.put(
        Outcome("timeout", "https://slow.example/", message="slow.example did not answer in time.")
    )
    assert store.get("https://slow.example/") == failed and not failed.readable
    empty = store.put(Outcome("ok", "https://empty.example/", final_url="https://empty.example/"))
    assert empty.outcome == NOTHING_READABLE and "Nothing readable" in empty.message


def test_a_damaged_store_starts_afresh(tmp_path: Path) -> None:
    path = store_path(tmp_path)
    path.write_bytes(b"this is not a database " * 100)
    store = TextStore.open(path)
    assert store.get(URL) is None
    store.put(ok(), Extracted("Text.", "", 1))
    assert store.get(URL) is not None


def test_a_row_no_fetch_could_have_written_is_ignored(tmp_path: Path) -> None:
    path = store_path(tmp_path)
    TextStore.open(path).put(ok(), Extracted("Text.", "", 1))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE texts SET title = ?", ("\x1b]0;owned\x07",))
    assert TextStore.open(path).get(URL) is None
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE texts SET title = '', outcome = 'rm -rf'")
    assert TextStore.open(path).get(URL) is None


def test_a_table_of_another_shape_is_replaced(tmp_path: Path) -> None:
    path = store_path(tmp_path)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE texts (url TEXT, evil TEXT)")
        connection.execute("INSERT INTO texts VALUES (?, 'x')", (URL,))
    store = TextStore.open(path)
    assert store.get(URL) is None
    store.put(ok(), Extracted("Text.", "", 1))
    assert store.get(URL) is not None


def test_a_failed_fetch_never_replaces_a_text_read_before(tmp_path: Path) -> None:
    store = TextStore.open(tmp_path / "texts.sqlite3")
    first = store.put(ok(), Extracted("The story.", "Title", 2))
    kept = store.put(Outcome("offline", URL, message="Could not reach news.example."))
    assert kept == first and store.get(URL) == first
    store.close()
