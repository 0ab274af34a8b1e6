"""Reading the directory again (`previous`): only what changed is read, and the result is a full load's."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text, everything, write_definitions

import tui.data.parallel as parallel
from tui.data.cache import ArticleCache, cache_path_for
from tui.data.columns import ArticleColumns
from tui.data.loader import load_directory
from tui.data.records import Decoder
from tui.data.snapshot import read_snapshot, snapshot_path


def settle(path: Path, seconds_ago: float = 60.0) -> None:
    """As if written a while ago: the cache does not vouch for files still settling."""
    when = time.time() - seconds_ago
    os.utime(path, (when, when))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = parallel.parse_file

    def counting(found: parallel.FoundFile) -> parallel.ParsedFile:
        seen.append(found.relative)
        return real(found)

    monkeypatch.setattr(parallel, "parse_file", counting)
    return seen


@pytest.fixture
def mixed_seed(write_article: ArticleWriter, seed: Path) -> Path:
    for path in write_definitions(seed):
        settle(path)
    write_article(
        "a.md",
        title="Alpha",
        url="https://n.example/a",
        topics=["election", "Space"],
        extra="images:\n  - url: https://img.example/a.jpg\n    width: 1200\n  - https://img.example/b.jpg",
    )
    write_article("b.md", title="Beta", url="https://cnn.com/b", provider="", domain="cnn.com")
    write_article("sub/c.md", title="Gamma", url="https://n.example/c", published=None, topics=[])
    write_article("sub/deeper/d.markdown", title="Delta", url="https://n.example/d", extra="webUrl: 42")
    write_article("copy-1.md", title="Same story", url="https://n.example/same")
    write_article("copy-2.md", title="Same story", url="https://n.example/same", extra="excerpt: fuller")
    write_article("dated-badly.md", title="Bad date", published="not a date")
    write_article("broken.md", content="---\ntitle: [unclosed\n---\n")
    write_article("no-front-matter.txt", content="just words")
    return seed


def change_everything_but_the_data(write_article: ArticleWriter, seed: Path) -> None:
    """A new file, one changed, one changed in place at the same size, one deleted, duplicates, breakage."""
    write_article("new.md", title="Brand new", url="https://n.example/new", topics=["Space"])
    write_article("a.md", title="Alpha, longer now", url="https://n.example/a", topics=["election"])
    before = (seed / "sub/deeper/d.markdown").stat()
    write_article("sub/deeper/d.markdown", title="Dolta", url="https://n.example/d", extra="webUrl: 42")
    after = (seed / "sub/deeper/d.markdown").stat()
    assert after.st_size == before.st_size and after.st_mtime_ns != before.st_mtime_ns
    (seed / "sub/c.md").unlink()
    # Fuller than the copy kept so far: it is kept now, the old ones merged away.
    write_article(
        "copy-3.md", title="Same story", url="https://n.example/same", extra="excerpt: fullest\nquality: 3"
    )
    write_article("dup-of-b.md", title="Beta again", url="https://cnn.com/b")
    write_article("dated-badly.md", content="---\ntitle: [now broken\n---\n")
    write_article("broken.md", title="Mended", url="https://n.example/mended")


@pytest.mark.parametrize("start", ["cache", "warm"])
def test_a_reload_gives_exactly_what_a_full_load_gives(
    mixed_seed: Path, write_article: ArticleWriter, start: str, parses: list[str]
) -> None:
    first = load_directory(mixed_seed)
    if start == "warm":
        first = load_directory(mixed_seed)  # from the saved index
        assert isinstance(first.index.articles, ArticleColumns)
    kept = {article.path: article for article in first.index.articles}
    change_everything_but_the_data(write_article, mixed_seed)
    parses.clear()
    reloaded = load_directory(mixed_seed, previous=first.reuse)
    parsed = sorted(parses)
    fresh = load_directory(mixed_seed, use_cache=False)
    assert everything(reloaded) == everything(fresh)
    assert reloaded.duplicates == 3 and len(reloaded.skipped) == 2
    # Only what changed was parsed; unchanged articles are the very objects loaded before.
    assert parsed == [
        "a.md",
        "broken.md",
        "copy-3.md",
        "dated-badly.md",
        "dup-of-b.md",
        "new.md",
        "sub/deeper/d.markdown",
    ]
    assert reloaded.index.articles[reloaded.index.position_of_path("b.md")] is kept["b.md"]  # type: ignore[index]
    # Reloading the reload, with nothing changed, parses nothing and still agrees.
    parses.clear()
    again = load_directory(mixed_seed, previous=reloaded.reuse)
    assert parses == [] and everything(again) == everything(fresh)
    # And the cache and saved index it left give the same to the next start.
    assert everything(load_directory(mixed_seed)) == everything(fresh)


def test_changed_definitions_decode_every_article_again(mixed_seed: Path) -> None:
    first = load_directory(mixed_seed)
    named = {article.path: article.provider.name for article in first.index.articles}
    assert named["b.md"] == "CNN"  # the file gives only the domain: `_data` names it
    definition = mixed_seed / "_data" / "organizations" / "cnn.md"
    definition.write_text("---\nname: Cable News\ndomain: cnn.com\n---\n")
    settle(definition, 30)
    reloaded = load_directory(mixed_seed, previous=first.reuse)
    assert everything(reloaded) == everything(load_directory(mixed_seed, use_cache=False))
    position = reloaded.index.position_of_path("b.md")
    assert position is not None and reloaded.index.articles[position].provider.name == "Cable News"
    before = set(map(id, first.index.articles))
    assert not any(id(article) in before for article in reloaded.index.articles)


def test_a_file_changed_in_place_at_the_same_size_is_read_again(
    write_article: ArticleWriter, seed: Path, parses: list[str]
) -> None:
    path = write_article("a.md", title="First words", url="https://n.example/a")
    write_article("b.md", title="Other", url="https://n.example/b")
    first = load_directory(seed)
    size = path.stat().st_size
    path.write_text(article_text("Other words", url="https://n.example/a"))
    settle(path, 30)
    assert path.stat().st_size == size
    parses.clear()
    reloaded = load_directory(seed, previous=first.reuse)
    assert parses == ["a.md"]
    assert sorted(article.title for article in reloaded.index.articles) == ["Other", "Other words"]


@pytest.mark.parametrize("start", ["cache", "warm"])
def test_a_reload_asks_the_cache_only_for_files_it_does_not_hold(
    mixed_seed: Path,
    write_article: ArticleWriter,
    start: str,
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = load_directory(mixed_seed)
    if start == "warm":
        first = load_directory(mixed_seed)
    write_article("new.md", title="Brand new", url="https://n.example/new")
    asked: list[str] = []
    decoded: list[str] = []
    real_row, real_decode = ArticleCache.row, Decoder.decode

    def row(cache: ArticleCache, path: str) -> object:
        asked.append(path)
        return real_row(cache, path)

    def every_row(cache: ArticleCache) -> object:
        raise AssertionError("a reload read every row of the cache")

    def decode(decoder: Decoder, path: str, payload: object) -> object:
        decoded.append(path)
        return real_decode(decoder, path, payload)

    monkeypatch.setattr(ArticleCache, "row", row)
    monkeypatch.setattr(ArticleCache, "entries", every_row)
    monkeypatch.setattr(Decoder, "decode", decode)
    reloaded = load_directory(mixed_seed, previous=first.reuse)
    assert parses[-1:] == ["new.md"] and len(reloaded.index) == len(first.index) + 1
    if start == "cache":
        assert asked == ["new.md"] and decoded == []
    else:
        # The saved index keeps no article for a skipped file or a merged copy: the cache has them.
        assert sorted(asked) == ["broken.md", "copy-1.md", "new.md", "no-front-matter.txt"]
        assert decoded == ["copy-1.md"]


@pytest.mark.parametrize("start", ["cache", "warm"])
def test_deleted_files_leave_the_cache(mixed_seed: Path, start: str) -> None:
    first = load_directory(mixed_seed)
    if start == "warm":
        first = load_directory(mixed_seed)
    for name in ("sub/c.md", "copy-1.md", "broken.md"):  # an article, a merged copy, a skipped file
        (mixed_seed / name).unlink()
    load_directory(mixed_seed, previous=first.reuse)
    cache = ArticleCache.open(mixed_seed)
    try:
        rows = set(cache.entries())
    finally:
        cache.close()
    on_disk = {
        path.relative_to(mixed_seed).as_posix()
        for path in mixed_seed.rglob("*")
        if path.is_file() and "_data" not in path.parts
    }
    assert rows == on_disk


def test_the_saved_index_is_written_when_the_caller_says(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Alpha", url="https://n.example/a")
    first = load_directory(seed)
    saved = snapshot_path(cache_path_for(seed))
    identity = read_snapshot(saved).identity
    write_article("b.md", title="Beta", url="https://n.example/b")
    reloaded = load_directory(seed, previous=first.reuse, defer_save=True)
    assert reloaded.pending_save is not None
    assert read_snapshot(saved).identity == identity  # not yet
    assert reloaded.write_pending() is None
    assert read_snapshot(saved).identity != identity
    assert reloaded.pending_save is None and reloaded.write_pending() is None
    warm = load_directory(seed)
    assert isinstance(warm.index.articles, ArticleColumns) and everything(warm) == everything(reloaded)


def test_a_cancelled_reload_leaves_no_half_result(write_article: ArticleWriter, seed: Path) -> None:
    for number in range(20):
        write_article(f"n{number:02d}.md", title=f"Story {number}", url=f"https://n.example/{number}")
    first = load_directory(seed)
    saved = snapshot_path(cache_path_for(seed))
    identity = read_snapshot(saved).identity
    write_article("new.md", title="Brand new", url="https://n.example/new")
    cut = load_directory(seed, previous=first.reuse, cancelled=lambda: True, defer_save=True)
    assert not cut.complete and cut.pending_save is None and cut.reuse is None
    assert read_snapshot(saved).identity == identity


def test_a_load_without_the_cache_can_be_reloaded_too(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Alpha", url="https://n.example/a")
    first = load_directory(seed, use_cache=False)
    write_article("b.md", title="Beta", url="https://n.example/b")
    reloaded = load_directory(seed, use_cache=False, previous=first.reuse)
    assert everything(reloaded) == everything(load_directory(seed, use_cache=False))
    assert not snapshot_path(cache_path_for(seed)).exists()
