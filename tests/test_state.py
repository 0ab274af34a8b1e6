"""Read and starred marks on disk: persistence, two writers, damage, read-only and full disks."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, ArticleWriter

from tui.data.index import ArticleIndex
from tui.data.loader import load_directory
from tui.data.model import Article
from tui.data.reading import ReadingMarks
from tui.data.state import FLUSH_SECONDS, Mark, StateStore, article_id
from tui.data.state_export import StateError, read_export


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.sqlite3"


def stored(path: Path) -> dict[str, Mark]:
    """The marks as a newsdeck started afresh would read them."""
    store = StateStore(path, background=False)
    try:
        return dict(store.marks)
    finally:
        store.close()


def test_marks_survive_closing_and_reopening(state_file: Path) -> None:
    store = StateStore(state_file)
    store.set("https://a.example/1", read=True)
    store.set("https://a.example/2", starred=True)
    store.set("https://a.example/3", read=True)
    store.set("https://a.example/3", read=False)  # changed their mind
    store.close()
    assert stored(state_file) == {
        "https://a.example/1": Mark(read=True),
        "https://a.example/2": Mark(starred=True),
    }


def test_changes_reach_the_disk_within_a_second_without_closing(state_file: Path) -> None:
    store = StateStore(state_file)
    try:
        store.written.clear()
        store.set("https://a.example/1", read=True)
        assert store.written.wait(timeout=FLUSH_SECONDS + 0.6)
        assert stored(state_file) == {"https://a.example/1": Mark(read=True)}
    finally:
        store.close()


def test_the_database_is_in_wal_mode(state_file: Path) -> None:
    StateStore(state_file).close()
    with sqlite3.connect(state_file) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_windows_writing_at_once_keep_each_others_changes(state_file: Path) -> None:
    first, second = StateStore(state_file), StateStore(state_file)

    def write(store: StateStore, prefix: str) -> None:
        for number in range(300):
            store.set(f"https://{prefix}.example/{number}", read=True)
            if number % 50 == 0:
                store.flush()

    threads = [
        threading.Thread(target=write, args=(first, "one")),
        threading.Thread(target=write, args=(second, "two")),
    ]
    for thread in threads:
        thread.start()
    # The same article: one window reads it while the other stars it.
    first.set("https://shared.example/x", read=True)
    second.set("https://shared.example/x", starred=True)
    for thread in threads:
        thread.join()
    first.close()
    second.close()
    marks = stored(state_file)
    assert sum(1 for identity in marks if identity.startswith("https://one.")) == 300
    assert sum(1 for identity in marks if identity.startswith("https://two.")) == 300
    assert marks["https://shared.example/x"] == Mark(read=True, starred=True)


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tui.data.state import StateStore
    store = StateStore(Path(sys.argv[1]))
    prefix, count = sys.argv[2], int(sys.argv[3])
    for number in range(count):
        # The parent paces the marks, as a reader pressing m would: a line on standard input
        # for each (at its end, as fast as they come).
        sys.stdin.readline()
        store.set(f"https://{prefix}.example/{number}", read=True, starred=number % 2 == 0)
        # Progress for the parent: this mark is now held, and when.
        print(number, time.time(), flush=True)
    store.close()
    """
)


def _writer(state_file: Path, prefix: str, count: int, *, paced: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(state_file), prefix, str(count)],
        cwd=REPO,
        stdin=subprocess.PIPE if paced else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once_lose_nothing(state_file: Path) -> None:
    StateStore(state_file).close()
    writers = [_writer(state_file, "left", 400), _writer(state_file, "right", 400)]
    for writer in writers:
        writer.communicate(timeout=60)
        assert writer.returncode == 0
    marks = stored(state_file)
    assert len([i for i in marks if i.startswith("https://left.")]) == 400
    assert len([i for i in marks if i.startswith("https://right.")]) == 400
    assert marks["https://left.example/10"] == Mark(read=True, starred=True)
    assert marks["https://right.example/11"] == Mark(read=True, starred=False)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is a POSIX signal")
def test_kill_9_loses_at_most_the_last_second(state_file: Path) -> None:
    writer = _writer(state_file, "k", 100_000_000, paced=True)  # more than can be made in the time
    assert writer.stdin is not None and writer.stdout is not None
    held: list[tuple[int, float]] = []
    started = time.time()
    while time.time() - started <= 2.5:  # marks made over a few seconds, one at a time
        writer.stdin.write("\n")
        writer.stdin.flush()
        number, when = writer.stdout.readline().split()
        held.append((int(number), float(when)))
    killed_at = time.time()
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    marks = stored(state_file)
    older = [number for number, when in held if when < killed_at - 1.0]
    assert len(older) > 100  # the writer really was writing for a while
    missing = [number for number in older if f"https://k.example/{number}" not in marks]
    assert missing == []


def test_a_damaged_file_is_moved_aside_and_a_new_one_started(state_file: Path) -> None:
    state_file.parent.mkdir(parents=True)
    state_file.write_bytes(b"this is not a database, it is junk " * 200)
    store = StateStore(state_file)
    try:
        assert len(store.notices) == 1 and "damaged" in store.notices[0]
        kept = [path for path in state_file.parent.iterdir() if ".damaged-" in path.name]
        assert len(kept) == 1 and str(kept[0]) in store.notices[0]
        assert kept[0].read_bytes().startswith(b"this is not a database")
        assert store.problem is None
        store.set("https://a.example/1", starred=True)
    finally:
        store.close()
    assert stored(state_file) == {"https://a.example/1": Mark(starred=True)}


def test_a_read_only_database_keeps_marks_in_memory_and_says_so(state_file: Path) -> None:
    store = StateStore(state_file, background=False)
    store.set("https://a.example/1", read=True)
    assert store.flush()
    writable = store._connection
    # What SQLite does when the file cannot be written: the real error, not a stand-in.
    store._connection = sqlite3.connect(f"file:{state_file}?mode=ro", uri=True, check_same_thread=False)
    store.set("https://a.example/2", read=True)
    assert not store.flush()
    assert store.problem is not None and "read-only" in store.problem
    assert store.get("https://a.example/2") == Mark(read=True)  # still usable
    assert store.unsaved == 1
    store._connection.close()
    store._connection = writable  # the disk is writable again: nothing was lost
    assert store.flush() and store.problem is None
    store.close()
    assert set(stored(state_file)) == {"https://a.example/1", "https://a.example/2"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes through file permissions")
def test_a_read_only_file_on_disk(state_file: Path) -> None:
    StateStore(state_file).close()
    state_file.chmod(0o444)
    state_file.parent.chmod(0o555)
    try:
        store = StateStore(state_file, background=False)
        store.set("https://a.example/1", read=True)
        assert not store.flush()
        assert store.problem is not None
        store.close()
    finally:
        state_file.parent.chmod(0o755)
        state_file.chmod(0o644)


def test_a_full_disk_keeps_marks_and_retries(state_file: Path) -> None:
    store = StateStore(state_file, background=False)
    connection = store._connection
    assert connection is not None
    # SQLite's own page limit gives the very error a full disk gives.
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    connection.execute(f"PRAGMA max_page_count = {pages}")
    for number in range(2000):
        store.set(f"https://full.example/{number:05}-{'x' * 80}", read=True)
    assert not store.flush()
    assert store.problem is not None and "full" in store.problem
    assert store.unsaved == 2000
    connection.execute("PRAGMA max_page_count = 1073741823")
    assert store.flush() and store.problem is None
    store.close()
    assert len(stored(state_file)) == 2000


def test_an_unusable_state_folder_leaves_marks_working_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    store = StateStore(blocker / "state.sqlite3")
    try:
        assert store.problem is not None and "not being saved" in store.problem
        store.set("https://a.example/1", read=True)
        assert store.get("https://a.example/1").read
        assert not store.flush()
    finally:
        store.close()


def test_export_and_import_round_trip(tmp_path: Path) -> None:
    source = StateStore(tmp_path / "one" / "state.sqlite3")
    source.set("https://a.example/1", read=True)
    source.set("https://a.example/2", read=True, starred=True)
    source.set("file:/home/me/news/local.md", starred=True)
    document = json.loads(json.dumps(source.export()))
    source.close()
    target = StateStore(tmp_path / "two" / "state.sqlite3")
    target.set("https://other.example/kept", read=True)
    assert target.import_marks(document) == 3
    target.close()
    assert stored(tmp_path / "two" / "state.sqlite3") == {
        "https://a.example/1": Mark(read=True),
        "https://a.example/2": Mark(read=True, starred=True),
        "file:/home/me/news/local.md": Mark(starred=True),
        "https://other.example/kept": Mark(read=True),
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not JSON"),
        ("[]", "not a newsdeck state export"),
        ('{"format": "newsdeck-state", "version": 1}', 'no "articles" list'),
        (
            '{"format": "newsdeck-state", "version": 1, "articles": [{"read": true}]}',
            "article 1 of the export has no id",
        ),
        (
            '{"format": "newsdeck-state", "version": 1, "articles": [{"id": "x", "read": "yes"}]}',
            "not true or false",
        ),
    ],
)
def test_a_bad_import_is_refused_with_a_reason(state_file: Path, text: str, problem: str) -> None:
    store = StateStore(state_file, background=False)
    try:
        with pytest.raises(StateError, match=problem):
            store.import_marks(read_export(text))
        assert store.marks == {}
    finally:
        store.close()


def test_articles_are_known_by_url_else_by_absolute_path(tmp_path: Path) -> None:
    assert article_id(Article(path="a.md", title="t", original_url="https://o.example/1"), tmp_path) == (
        "https://o.example/1"
    )
    assert article_id(Article(path="a.md", title="t", web_url="https://w.example/1"), tmp_path) == (
        "https://w.example/1"
    )
    assert article_id(Article(path="sub/a.md", title="t"), tmp_path) == f"file:{tmp_path / 'sub/a.md'}"


@pytest.fixture
def marked_index(write_article: ArticleWriter, seed: Path) -> ArticleIndex:
    for number, (topics, provider) in enumerate(
        [(["Red"], "One"), (["Red", "Blue"], "Two"), (["Blue"], "One"), (["Red"], "One")]
    ):
        write_article(
            f"{number}.md",
            title=f"Story {number}",
            url=f"https://m.example/{number}",
            published=f"2024-03-0{9 - number}T09:00:00Z",
            topics=topics,
            provider=provider,
            domain="",  # no domain: providers are then known by their names, "one" and "two"
        )
    return load_directory(seed, use_cache=False).index


def test_unread_counts_follow_marking(marked_index: ArticleIndex, state_file: Path) -> None:
    store = StateStore(state_file, background=False)
    store.set("https://m.example/1", read=True)  # read in an earlier session
    marks = ReadingMarks(marked_index, store, None)
    red, blue = marked_index.find_topic("red"), marked_index.find_topic("blue")
    assert red and blue
    assert (marks.unread_total, marks.unread_topics[red], marks.unread_topics[blue]) == (3, 2, 1)
    assert marks.unread_providers == {"one": 3, "two": 0}
    marks.set_read(range(4))
    assert (marks.unread_total, marks.unread_topics[red], marks.unread_providers["one"]) == (0, 0, 0)
    marks.toggle_read(0)
    assert (marks.unread_total, marks.unread_topics[red]) == (1, 1)
    store.close()


def test_next_unread_and_narrowing(marked_index: ArticleIndex, state_file: Path) -> None:
    store = StateStore(state_file, background=False)
    marks = ReadingMarks(marked_index, store, None)
    marks.set_read([1, 2])
    marks.toggle_star(2)
    view = marked_index.view()
    assert marks.next_unread(view, 0, 1) == 3
    assert marks.next_unread(view, 3, -1) == 0
    assert marks.next_unread(view, 3, 1) is None
    titles = [a.title for a in marks.narrow(view, unread_only=True, starred_only=False)]
    assert titles == ["Story 0", "Story 3"]
    assert [a.title for a in marks.narrow(view, unread_only=False, starred_only=True)] == ["Story 2"]
    assert list(marks.narrow(view, unread_only=True, starred_only=True)) == []
    store.close()


def test_a_folder_that_becomes_writable_gets_the_marks_made_meanwhile(tmp_path: Path) -> None:
    blocker = tmp_path / "later"
    blocker.write_text("a file where the state folder should be")
    store = StateStore(blocker / "state.sqlite3", background=False)
    store.set("https://a.example/1", read=True)
    assert not store.flush() and store.problem is not None
    blocker.unlink()  # the reader fixes their disk while newsdeck runs
    assert store.flush() and store.problem is None
    store.close()
    assert stored(blocker / "state.sqlite3") == {"https://a.example/1": Mark(read=True)}


def test_marks_that_cannot_be_saved_at_quit_are_kept_in_an_importable_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the state folder should be")
    store = StateStore(blocker / "state.sqlite3", background=False)
    store.set("https://a.example/1", read=True)
    store.set("https://a.example/2", starred=True)
    store.close()
    assert store.recovery_file is not None and store.recovery_file.is_file()
    target = StateStore(tmp_path / "elsewhere" / "state.sqlite3", background=False)
    assert target.import_marks(read_export(store.recovery_file.read_text(encoding="utf-8"))) == 2
    assert target.get("https://a.example/1") == Mark(read=True)
    assert target.get("https://a.example/2") == Mark(starred=True)
    target.close()
    store.recovery_file.unlink()


def test_a_file_mark_is_dropped_once_the_article_has_a_url(
    tmp_path: Path, write_article: ArticleWriter
) -> None:
    seed = tmp_path / "seed"
    write_article("plain.md", title="No link yet", url=None)
    index = load_directory(seed, use_cache=False).index
    store = StateStore(tmp_path / "s" / "state.sqlite3", background=False)
    ReadingMarks(index, store, seed).set_read([0])
    assert ReadingMarks(index, store, seed).is_read(0)
    write_article("plain.md", title="No link yet", url="https://now.example/linked")
    relinked = load_directory(seed, use_cache=False).index
    assert not ReadingMarks(relinked, store, seed).is_read(0)  # known by its URL now
    store.close()


def test_long_bodies_are_searchable_in_their_first_words_only(
    write_article: ArticleWriter, seed: Path
) -> None:
    from tui.data.search import find, parse_query

    body = "opening words here. " + "filler " * 5_000 + "needle at the very end"
    write_article("long.md", title="Long read", body=body)
    index = load_directory(seed, use_cache=False).index
    assert len(index.articles[0].body_words) <= 2_000  # memory stays bounded per article
    assert [a.title for a in find(index, parse_query("opening"))] == ["Long read"]
    assert list(find(index, parse_query("needle"))) == []
