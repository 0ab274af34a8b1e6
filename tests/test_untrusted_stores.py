"""The article cache and the marks database are never trusted more than the files they stand for."""

from __future__ import annotations

import json
import marshal
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import ArticleWriter, forget_saved_index

from tui.data.cache import ENV_CACHE_DIR, cache_path_for
from tui.data.loader import LoadResult, load_directory
from tui.data.model import Article, ImageLink, Provider
from tui.data.records import RECORD_VERSION, BadRecord, Decoder, encode
from tui.data.state import ENV_STATE_DIR, StateStore, state_path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE_DIR, str(directory))
    return directory


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "state"
    monkeypatch.setenv(ENV_STATE_DIR, str(directory))
    return directory


def shown(result: LoadResult) -> list[tuple[str, str, tuple[str, ...]]]:
    return sorted((a.title, a.url, a.topics) for a in result.index.articles)


@pytest.fixture
def cached_seed(write_article: ArticleWriter, seed: Path, cache_dir: Path) -> Path:
    write_article("a.md", title="Alpha", url="https://n.example/a", topics=["Space"])
    write_article("b.md", title="Beta", url="https://n.example/b")
    write_article("c.md", content="no front matter")
    load_directory(seed)
    return seed


def damage(seed: Path, cache_dir: Path, sql: str, *parameters: object) -> None:
    """Change a cache row; without the saved index, which would stand in for the cache."""
    with sqlite3.connect(cache_path_for(seed, cache_dir)) as connection:
        connection.execute(sql, parameters)
    forget_saved_index(seed, cache_dir)


# Records ---------------------------------------------------------------------------


def test_every_field_of_an_article_survives_the_record_round_trip() -> None:
    article = Article(
        path="x/y.md",
        title="Title “quoted”",
        excerpt="Two\nlines\twith a tab",
        published=1_700_000_000.5,
        original_url="https://o.example/1",
        web_url="https://w.example/1",
        provider=Provider("Paper", "paper.example"),
        topics=("Space", "Art"),
        images=(ImageLink("https://i.example/1.jpg", 640, 480), ImageLink("https://i.example/2.jpg")),
        related_size=1234,
        quality=7,
        heat=-3,
        has_body=True,
        body_words="some folded words",
        date_problem="",
    )
    assert Decoder().decode("x/y.md", encode(article)) == article
    assert Decoder().decode_fresh("x/y.md", encode(article)) == article  # a parse of ours, unchecked
    assert Decoder().decode("u.md", encode(Article(path="u.md", title="Undated", date_problem="why"))) == (
        Article(path="u.md", title="Undated", date_problem="why")
    )


@pytest.mark.parametrize(
    "payload",
    [
        marshal.dumps(tuple(range(14))),  # the old format
        b"\xdb\xff\xff\xff\x7f",  # five bytes claiming a huge list
        b"[" * 100_000,
        json.dumps([None] * 15).encode(),
        json.dumps(["T\x1b[31m", "", None, "", "", ["", ""], [], [], 0, None, None, False, "", ""]).encode(),
        json.dumps(["", "", None, "", "", ["", ""], [], [], 0, None, None, False, "", ""]).encode(),
        json.dumps(["T", "", 1e308 * 10, "", "", ["", ""], [], [], 0, None, None, False, "", ""]).encode(),
        json.dumps(["T", "", 1e15, "", "", ["", ""], [], [], 0, None, None, False, "", ""]).encode(),
        json.dumps(
            ["T", "", None, "", "", ["", ""], ["x"] * 5000, [], 0, None, None, False, "", ""]
        ).encode(),
        json.dumps(["T", "", None, "", "", ["\x9b", ""], [], [], 0, None, None, False, "", ""]).encode(),
        json.dumps(["T", "", None, "", "", ["", ""], [], [], True, None, None, False, "", ""]).encode(),
        '["T\ud800"]'.encode("utf-8", "surrogatepass"),
        b"9" * 5000,
    ],
    ids=range(13),
)
def test_a_record_that_is_not_as_written_is_refused(payload: bytes) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(BadRecord):
            Decoder().decode("a.md", payload)
        assert tracemalloc.get_traced_memory()[1] < 10_000_000
    finally:
        tracemalloc.stop()


def test_the_record_version_follows_the_article_fields() -> None:
    assert isinstance(RECORD_VERSION, int) and 0 < RECORD_VERSION < 1 << 24


# Cache rows ------------------------------------------------------------------------


def test_a_row_with_a_bad_checksum_is_parsed_again(cached_seed: Path, cache_dir: Path) -> None:
    expected = shown(load_directory(cached_seed, use_cache=False))
    # Same size and time as the file, a made-up title: only the checksum can tell.
    record = Decoder().decode("a.md", encode(Article(path="a.md", title="Planted")))
    damage(
        cached_seed,
        cache_dir,
        "UPDATE files SET payload = ? WHERE path = CAST('a.md' AS BLOB)",
        encode(record),
    )
    result = load_directory(cached_seed)
    assert shown(result) == expected
    assert result.from_cache == 2


@pytest.mark.parametrize(
    "payload",
    [b"\xdb\xff\xff\xff\x7f", json.dumps([None] * 15).encode(), b"{not json"],
    ids=["huge-claim", "none-title", "junk"],
)
def test_a_damaged_row_with_a_valid_checksum_is_parsed_again(
    cached_seed: Path, cache_dir: Path, payload: bytes
) -> None:
    # The checksum is recomputed the way the cache does, so only checking the record catches it.
    from tui.data.cache import _checksum

    path = cache_path_for(cached_seed, cache_dir)
    with sqlite3.connect(path) as connection:
        (size, mtime) = connection.execute(
            "SELECT size, mtime_ns FROM files WHERE path = CAST('a.md' AS BLOB)"
        ).fetchone()
        connection.execute(
            "UPDATE files SET payload = ?, checksum = ? WHERE path = CAST('a.md' AS BLOB)",
            (payload, _checksum(b"a.md", size, mtime, payload, None)),
        )
    for _ in range(2):  # and every later run, not only the next one
        result = load_directory(cached_seed)
        assert [a.title for a in sorted(result.index.articles, key=lambda a: a.title)] == ["Alpha", "Beta"]


def test_a_missing_table_is_rebuilt(cached_seed: Path, cache_dir: Path) -> None:
    damage(cached_seed, cache_dir, "DROP TABLE files")
    result = load_directory(cached_seed)
    assert shown(result) == shown(load_directory(cached_seed, use_cache=False))
    again = load_directory(cached_seed)
    assert again.from_cache == 3 and again.notices == []


def test_a_table_of_another_shape_is_rebuilt(cached_seed: Path, cache_dir: Path) -> None:
    damage(cached_seed, cache_dir, "ALTER TABLE files DROP COLUMN skip_reason")
    load_directory(cached_seed)
    assert load_directory(cached_seed).from_cache == 3


def test_damaged_pages_rebuild_the_cache(write_article: ArticleWriter, seed: Path, cache_dir: Path) -> None:
    for number in range(300):
        write_article(f"n{number:03d}.md", title=f"Story {number}", url=f"https://n.example/{number}")
    load_directory(seed)
    path = cache_path_for(seed, cache_dir)
    data = bytearray(path.read_bytes())
    # Leave the header page, scribble over every other page's start.
    for page in range(4096, len(data), 4096):
        data[page : page + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    forget_saved_index(seed, cache_dir)
    result = load_directory(seed)
    assert len(result.index) == 300
    assert any("rebuilt" in notice or "without the article cache" in notice for notice in result.notices)
    assert all("\x1b" not in article.title for article in result.index.articles)


# The marks database --------------------------------------------------------------------


def test_a_marks_file_without_its_table_is_repaired(state_dir: Path) -> None:
    path = state_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 1")
        connection.execute("CREATE TABLE other (x)")
    store = StateStore(background=False)
    try:
        assert store.problem is None
        store.set("https://a.example/1", read=True)
        assert store.flush()
    finally:
        store.close()
    completed = subprocess.run(
        [sys.executable, "-m", "tui", "state", "export", "-"], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["articles"][0]["id"] == "https://a.example/1"


def test_a_marks_table_of_another_shape_is_moved_aside(state_dir: Path) -> None:
    path = state_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 1")
        connection.execute("CREATE TABLE marks (id TEXT, colour TEXT)")
    store = StateStore(background=False)
    try:
        assert store.problem is None
        assert any("moved to" in notice for notice in store.notices)
        store.set("https://a.example/1", starred=True)
        assert store.flush()
    finally:
        store.close()
    assert [p for p in path.parent.iterdir() if ".damaged-" in p.name]
