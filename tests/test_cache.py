"""The article cache and parallel parsing: fast again, never wrong, never fatal."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import ArticleWriter, forget_saved_index

import tui.data.parallel as parallel
from tui.data.cache import ENV_CACHE_DIR, cache_path_for
from tui.data.loader import LoadResult, load_directory
from tui.data.parallel import ParsedFile


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE_DIR, str(directory))
    return directory


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the files actually parsed (not taken from the cache)."""
    seen: list[str] = []
    real = parallel.parse_file

    def counting(found: parallel.FoundFile) -> ParsedFile:
        seen.append(found.relative)
        return real(found)

    monkeypatch.setattr(parallel, "parse_file", counting)
    return seen


def titles(result: LoadResult) -> list[str]:
    return sorted(article.title for article in result.index.articles)


def three_articles(write_article: ArticleWriter) -> None:
    write_article("a.md", title="Alpha", url="https://n.example/a")
    write_article("b.md", title="Beta", url="https://n.example/b", topics=["Space"])
    write_article("sub/c.md", title="Gamma", url="https://n.example/c")
    write_article("broken.md", content="no front matter")


def test_unchanged_files_are_not_parsed_again(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, parses: list[str]
) -> None:
    three_articles(write_article)
    first = load_directory(seed)
    assert sorted(parses) == ["a.md", "b.md", "broken.md", "sub/c.md"]
    assert first.from_cache == 0
    parses.clear()
    second = load_directory(seed)
    assert parses == []
    assert second.from_cache == 4
    assert titles(second) == titles(first) == ["Alpha", "Beta", "Gamma"]
    assert [(s.path, s.reason) for s in second.skipped] == [(s.path, s.reason) for s in first.skipped]
    assert [(t.name, t.count) for t in second.index.topics] == [(t.name, t.count) for t in first.index.topics]


def test_added_changed_and_deleted_files_are_picked_up(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, parses: list[str]
) -> None:
    three_articles(write_article)
    load_directory(seed)
    parses.clear()
    write_article("d.md", title="Delta", url="https://n.example/d")
    changed = write_article("b.md", title="Beta, corrected", url="https://n.example/b", topics=["Space"])
    # Same size is possible after an edit: the modification time must be enough.
    stat = changed.stat()
    import os

    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    (seed / "sub" / "c.md").unlink()
    result = load_directory(seed)
    assert sorted(parses) == ["b.md", "d.md"]
    assert titles(result) == ["Alpha", "Beta, corrected", "Delta"]
    parses.clear()
    again = load_directory(seed)
    assert parses == []
    assert titles(again) == ["Alpha", "Beta, corrected", "Delta"]


def test_a_corrupt_cache_is_rebuilt_with_a_notice(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, parses: list[str]
) -> None:
    three_articles(write_article)
    load_directory(seed)
    cache_file = cache_path_for(seed, cache_dir)
    cache_file.write_bytes(b"this is not a database" * 100)
    forget_saved_index(seed, cache_dir)
    result = load_directory(seed)
    assert titles(result) == ["Alpha", "Beta", "Gamma"]
    assert any("damaged" in notice and "rebuilt" in notice for notice in result.notices)
    parses.clear()
    again = load_directory(seed)
    assert parses == [] and again.notices == []


def test_a_cache_of_another_version_is_replaced_quietly(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, parses: list[str]
) -> None:
    three_articles(write_article)
    load_directory(seed)
    with sqlite3.connect(cache_path_for(seed, cache_dir)) as connection:
        connection.execute("PRAGMA user_version = 1")
    forget_saved_index(seed, cache_dir)
    parses.clear()
    result = load_directory(seed)
    assert len(parses) == 4
    assert titles(result) == ["Alpha", "Beta", "Gamma"] and result.notices == []


def test_an_unwritable_cache_directory_is_bypassed_with_a_notice(
    write_article: ArticleWriter, seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, which may write anywhere: a file where the folder
    # should be is what makes the folder impossible to create.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(ENV_CACHE_DIR, str(blocker / "cache"))
    three_articles(write_article)
    result = load_directory(seed)
    assert titles(result) == ["Alpha", "Beta", "Gamma"]
    assert any("without the article cache" in notice for notice in result.notices)


def test_a_locked_cache_is_bypassed_with_a_notice(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_articles(write_article)
    load_directory(seed)
    write_article("d.md", title="Delta", url="https://n.example/d")
    monkeypatch.setattr("tui.data.cache._BUSY_TIMEOUT_SECONDS", 0.1)
    holder = sqlite3.connect(cache_path_for(seed, cache_dir), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = load_directory(seed)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert titles(result) == ["Alpha", "Beta", "Delta", "Gamma"]
    assert any("busy" in notice for notice in result.notices)


def test_no_cache_neither_reads_nor_writes_it(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, parses: list[str]
) -> None:
    three_articles(write_article)
    load_directory(seed, use_cache=False)
    assert not cache_path_for(seed, cache_dir).exists()
    load_directory(seed)
    parses.clear()
    result = load_directory(seed, use_cache=False)
    assert len(parses) == 4 and result.from_cache == 0


def test_check_no_cache_option(write_article: ArticleWriter, seed: Path, cache_dir: Path) -> None:
    from tui.cli import main

    three_articles(write_article)
    assert main(["check", str(seed), "--no-cache", "--json"]) == 0
    assert not cache_path_for(seed, cache_dir).exists()
    assert main(["check", str(seed), "--json"]) == 0
    assert cache_path_for(seed, cache_dir).exists()


def _fingerprint(result: LoadResult) -> tuple[object, ...]:
    return (
        result.index.articles,
        [(topic.name, topic.count) for topic in result.index.topics],
        [(provider.name, provider.count) for provider in result.index.providers],
        result.skipped,
        result.duplicates,
    )


def test_parallel_loading_gives_the_same_index_as_serial(
    corpus: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = load_directory(corpus, use_cache=False, workers=1)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(parallel, "CHUNK_FILES", 7)
    # This process helps only while the workers start: count what the workers parsed,
    # so the comparison is known to be with processes.
    from_workers: list[int] = []
    real_receive = parallel._Worker.receive

    def counting(worker: parallel._Worker) -> tuple[list[list[ParsedFile]], bool]:
        results, alive = real_receive(worker)
        from_workers.extend(len(chunk) for chunk in results)
        return results, alive

    monkeypatch.setattr(parallel._Worker, "receive", counting)
    in_parallel = load_directory(corpus, use_cache=False, workers=2)
    assert len(serial.index) > 250
    assert sum(from_workers) > 0
    assert _fingerprint(in_parallel) == _fingerprint(serial)
    # And the cache gives the same again.
    load_directory(corpus)
    assert _fingerprint(load_directory(corpus)) == _fingerprint(serial)


def test_partial_results_arrive_while_loading(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(120):
        write_article(f"n{number:03d}.md", title=f"Story {number}", url=f"https://n.example/{number}")
    monkeypatch.setattr("tui.data.load_result.PartialSchedule.FIRST_AFTER_SECONDS", 0.0)
    monkeypatch.setattr("tui.data.load_result.PartialSchedule.MIN_GAP_SECONDS", 0.0)
    snapshots: list[LoadResult] = []
    final = load_directory(seed, on_partial=snapshots.append)
    assert snapshots, "no partial result before the end"
    assert all(not snapshot.complete for snapshot in snapshots)
    counts = [len(snapshot.index) for snapshot in snapshots]
    assert counts == sorted(counts) and counts[-1] < 120
    assert final.complete and len(final.index) == 120


def test_a_cache_row_this_version_cannot_read_is_parsed_again(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, parses: list[str]
) -> None:
    three_articles(write_article)
    load_directory(seed)
    with sqlite3.connect(cache_path_for(seed, cache_dir)) as connection:
        connection.execute("UPDATE files SET payload = x'00ff00' WHERE path = CAST('a.md' AS BLOB)")
    forget_saved_index(seed, cache_dir)
    parses.clear()
    result = load_directory(seed)
    assert parses == ["a.md"]
    assert titles(result) == ["Alpha", "Beta", "Gamma"]


def test_a_file_that_could_not_be_read_is_tried_again_next_time(
    write_article: ArticleWriter, seed: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins
    import errno

    three_articles(write_article)
    real_open = builtins.open
    refuse = [True]

    def refusing(file: object, *args: object, **kwargs: object) -> object:
        if refuse[0] and str(file).endswith("a.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(parallel, "open", refusing, raising=False)
    first = load_directory(seed)
    assert "Alpha" not in titles(first)
    assert any(item.path == "a.md" and "Permission denied" in item.reason for item in first.skipped)
    refuse[0] = False  # the permission problem is fixed; the file did not change
    second = load_directory(seed)
    assert titles(second) == ["Alpha", "Beta", "Gamma"]


def test_quitting_half_way_keeps_what_was_read(
    write_article: ArticleWriter,
    seed: Path,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    parses: list[str],
) -> None:
    import tui.data.loader as loader

    for number in range(200):
        write_article(f"n{number:03d}.md", title=f"Story {number}", url=f"https://n.example/{number}")
    monkeypatch.setattr(loader, "_SAVE_EVERY", 32)
    stop_after = 100
    result = load_directory(seed, cancelled=lambda: len(parses) >= stop_after)
    assert not result.complete
    parses.clear()
    again = load_directory(seed)
    assert again.complete and len(again.index) == 200
    assert again.from_cache >= stop_after - 32
    assert len(parses) == 200 - again.from_cache
