"""The saved index (snapshot): a warm start in one read, never trusted more than the files."""

from __future__ import annotations

import os
import struct
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text, everything, write_definitions

from tui.data.cache import cache_path_for
from tui.data.loader import LoadResult, load_directory
from tui.data.model import Article
from tui.data.snapshot import MAGIC, BadSnapshot, read_snapshot, snapshot_path, write_snapshot
from tui.data.warm import SavedLoad, index_of
from tui.data.word_index import words_path


def saved_at(seed: Path) -> Path:
    return snapshot_path(cache_path_for(seed))


@pytest.fixture
def varied_seed(write_article: ArticleWriter, seed: Path) -> Path:
    """Articles using every field in its forms: the snapshot must give each back as it was."""
    write_definitions(seed)
    write_article(
        "a.md",
        title="Alpha “quoted” Facebookâ€™s",
        topics=["election", "Space"],
        extra=(
            "excerpt: |\n  Two lines\n  and\ta tab\nquality: 7\nheat: -3\n"
            "images:\n  - url: https://img.example/a.jpg\n    width: 1200\n    height: 800\n"
            "  - url: https://img.example/b.jpg\n"
            "related:\n  - title: Elsewhere\n    url: https://e.example/1\n"
        ),
        body="The body has words.\n",
    )
    write_article(
        "b.md", title="Beta", url="https://cnn.com/b", provider="", domain="cnn.com", published=None
    )
    write_article("sub/c.md", title="Gamma", published="1999-12-31T23:00:00-05:00", topics=[])
    write_article("sub/deeper/d.markdown", title="Delta", url="https://n.example/d", extra="webUrl: 42")
    write_article("copy-1.md", title="Same story", url="https://n.example/same")
    write_article("copy-2.md", title="Same story", url="https://n.example/same", extra="excerpt: fuller")
    write_article("dated-badly.md", title="Bad date", published="not a date")
    write_article("broken.md", content="---\ntitle: [unclosed\n---\n")
    write_article("no-front-matter.txt", content="just words")
    name = os.fsdecode(b"caf\xe9.md")  # not UTF-8
    (seed / name).write_text(article_text("Latin-1 name"))
    os.utime(seed / name, (1e9, 1e9))
    return seed


def test_a_snapshot_reads_back_exactly_what_a_full_load_gives(varied_seed: Path) -> None:
    fresh = load_directory(varied_seed, use_cache=False)
    cold = load_directory(varied_seed)
    assert everything(cold) == everything(fresh)
    snapshot = read_snapshot(saved_at(varied_seed))
    assert tuple(index_of(snapshot).articles) == fresh.index.articles
    seen: list[LoadResult] = []
    warm = load_directory(varied_seed, on_saved=seen.append)
    assert len(seen) == 1 and seen[0].checking and not warm.checking
    assert everything(seen[0]) == everything(warm) == everything(fresh)
    assert warm.from_cache == len(snapshot.files.paths) == 10
    assert warm.notices == []
    # Articles are made one by one as they are looked at, then all at once: one object each.
    lazy = load_directory(varied_seed).index.articles
    one_by_one = [lazy[position] for position in reversed(range(len(lazy)))][::-1]
    assert one_by_one == list(fresh.index.articles)
    assert all(made is again for made, again in zip(one_by_one, lazy, strict=True))
    # check without a search reads only the counts: the same counts.
    summary_only = load_directory(varied_seed, summary_only=True)
    assert summary_only.summary == fresh.index.summary


def test_the_word_index_saved_beside_it_searches_the_same(varied_seed: Path) -> None:
    from tui.data.search import find, parse_query

    fresh = load_directory(varied_seed, use_cache=False)
    load_directory(varied_seed).index.search_index()  # built and saved
    assert words_path(saved_at(varied_seed)).exists()
    saved_words = words_path(saved_at(varied_seed))
    whole = saved_words.read_bytes()
    # As saved, torn, and with a byte changed: the last two are built again, never believed.
    for data in (whole, whole[: len(whole) // 2], whole[:-1] + bytes([whole[-1] ^ 1])):
        saved_words.write_bytes(data)
        warm = load_directory(varied_seed)
        for query in ("words", "alph", '"two lines"', "topic:election", "-beta", "cnn", "provider:cnn"):
            expected = [article.path for article in find(fresh.index, parse_query(query, typing=True))]
            assert [article.path for article in find(warm.index, parse_query(query, typing=True))] == expected
        assert saved_words.read_bytes() == whole  # what was built again is saved again


def damaged(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "torn":
        path.write_bytes(data[: len(data) // 2])
    elif how == "truncated":
        path.write_bytes(data[: len(MAGIC) + 3])
    elif how == "flipped":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x40]) + data[middle + 1 :])
    elif how == "last-byte":  # in the articles' part, which is read only when they are wanted
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 0x01]))
    elif how == "not-a-snapshot":
        path.write_bytes(b"\x00" * len(data))
    elif how == "another-version":
        path.write_bytes(MAGIC + struct.pack("<I", 999) + data[len(MAGIC) + 4 :])


@pytest.mark.parametrize(
    "how", ["torn", "truncated", "flipped", "last-byte", "not-a-snapshot", "another-version"]
)
def test_a_damaged_or_foreign_snapshot_is_refused_and_the_cache_used(varied_seed: Path, how: str) -> None:
    expected = everything(load_directory(varied_seed, use_cache=False))
    load_directory(varied_seed)
    damaged(saved_at(varied_seed), how)
    with pytest.raises(BadSnapshot):
        read_snapshot(saved_at(varied_seed)).load_articles()
    seen: list[LoadResult] = []
    result = load_directory(varied_seed, on_saved=seen.append)
    assert seen == [] and everything(result) == expected
    assert result.from_cache == 10  # every file still came from the per-file cache
    # Another version is what an upgrade leaves behind: not worth a word to the user.
    says_damaged = any("saved index was damaged" in notice for notice in result.notices)
    assert says_damaged == (how != "another-version")
    # ... and a good one was written in its place.
    assert read_snapshot(saved_at(varied_seed)).identity


@pytest.mark.parametrize(
    "change",
    [
        {"title": "\x1b[31mred"},
        {"excerpt": "bell\x07"},
        {"path": "../outside.md"},
        {"path": "/etc/passwd"},
        {"published": 1e300},
        {"title": ""},
        {"related_size": -1},
    ],
    ids=[
        "escape-in-title",
        "control-in-excerpt",
        "dotdot-path",
        "absolute-path",
        "date",
        "untitled",
        "count",
    ],
)
def test_a_snapshot_that_says_what_no_file_could_is_refused(
    varied_seed: Path, change: dict[str, object]
) -> None:
    load_directory(varied_seed)
    path = saved_at(varied_seed)
    snapshot = read_snapshot(path)
    articles = list(snapshot.load_articles())
    articles[0] = replace(articles[0], **change)  # type: ignore[arg-type]
    snapshot.articles = articles
    write_snapshot(path, snapshot)  # a whole file with a good checksum, holding a lie
    with pytest.raises(BadSnapshot):
        read_snapshot(path).load_articles()
    result = load_directory(varied_seed)
    assert all(article.title and "\x1b" not in article.title for article in result.index.articles)


def test_a_snapshot_older_than_the_folder_is_replaced(write_article: ArticleWriter, seed: Path) -> None:
    write_article("a.md", title="Alpha", url="https://n.example/a")
    write_article("b.md", title="Beta", url="https://n.example/b")
    write_article("c.md", title="Gamma", url="https://n.example/c")
    load_directory(seed)
    write_article("new.md", title="Newcomer", url="https://n.example/new")
    write_article("b.md", title="Beta, corrected", url="https://n.example/b")
    (seed / "c.md").unlink()
    seen: list[LoadResult] = []
    result = load_directory(seed, on_saved=seen.append)
    assert sorted(article.title for article in seen[0].index.articles) == ["Alpha", "Beta", "Gamma"]
    assert sorted(article.title for article in result.index.articles) == [
        "Alpha",
        "Beta, corrected",
        "Newcomer",
    ]
    assert not result.checking
    # A _data change counts too: topic names come from there.
    (seed / "_data" / "topics").mkdir(parents=True)
    (seed / "_data" / "topics" / "w.yaml").write_text("name: The World\nshortname: world\n")
    again = load_directory(seed, on_saved=seen.append)
    assert [facet.name for facet in again.index.topics] == ["The World"]
    # Now the snapshot holds: shown, checked, and that is all.
    seen.clear()
    last = load_directory(seed, on_saved=seen.append)
    assert len(seen) == 1 and last.index is seen[0].index


def test_a_file_caught_being_written_is_checked_again_next_time(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_article("a.md", title="Alpha")
    fresh = seed / "b.md"
    fresh.write_text(article_text("Being written"))  # modified just now: the cache does not vouch for it
    load_directory(seed)
    snapshot = read_snapshot(saved_at(seed))
    assert list(snapshot.files.sizes)[snapshot.files.paths.index("b.md")] == -1
    assert not SavedLoad(snapshot, saved_at(seed)).still_current(seed, lambda: False)


# In the app --------------------------------------------------------------------------


async def test_the_list_shows_at_once_and_never_jumps_while_changes_merge(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch, notices: list[str]
) -> None:
    from conftest import loaded, status

    from tui.app import NewsDeckApp
    from tui.widgets.article_list import ArticleList

    for number in range(60):
        write_article(
            f"a{number:02d}.md",
            title=f"Story {number:02d}",
            url=f"https://n.example/{number}",
            published=f"2024-03-01T{number // 60:02d}:{number % 60:02d}:00Z",
        )
    load_directory(seed)  # the saved index of these 60
    checking = threading.Event()
    release = threading.Event()
    real = SavedLoad.still_current

    def gated(self: SavedLoad, root: Path, cancelled: object) -> bool:
        checking.set()
        release.wait(10)
        return real(self, root, cancelled)  # type: ignore[arg-type]

    monkeypatch.setattr(SavedLoad, "still_current", gated)
    app = NewsDeckApp(seed)
    async with app.run_test(size=(120, 30)) as pilot:
        while not checking.is_set() or app.screen.query_one(ArticleList).row_count == 0:
            await pilot.pause()
        screen = app.screen
        articles = screen.query_one(ArticleList)
        assert articles.row_count == 60
        assert "Checking for changes…" in status(screen)  # type: ignore[arg-type]
        # The cursor mid-screen: were the list to move, nothing would bring it back by chance.
        await pilot.press("end", *["up"] * 25, *["down"] * 5)
        chosen = articles.current
        assert chosen is not None and articles.cursor > 0
        line = articles.cursor - round(articles.scroll_offset.y)
        assert 3 < line < articles.scrollable_content_region.height - 3
        # Newer articles above the reader, one deleted below them.
        write_article(
            "z1.md", title="Breaking one", url="https://n.example/z1", published="2024-03-02T00:00:00Z"
        )
        write_article(
            "z2.md", title="Breaking two", url="https://n.example/z2", published="2024-03-02T01:00:00Z"
        )
        (seed / "a00.md").unlink()
        write_article(
            "a59.md", title="Story 59, updated", url="https://n.example/59", published="2024-03-01T00:59:00Z"
        )
        release.set()
        screen = await loaded(pilot)
        assert articles.row_count == 61
        assert articles.current == chosen
        assert articles.cursor - round(articles.scroll_offset.y) == line, "the list moved under the reader"
        assert "Checking for changes" not in status(screen)
        assert "All articles: 61 articles" in status(screen)
        titles = [articles.articles[row].title for row in range(articles.row_count)]
        assert titles[:3] == ["Breaking two", "Breaking one", "Story 59, updated"]
        assert "Story 00" not in titles
        assert "2 new articles, 1 article gone" in notices


async def test_a_warm_start_is_searchable_from_the_saved_words(
    write_article: ArticleWriter, seed: Path
) -> None:
    from conftest import loaded, status

    from tui.app import NewsDeckApp

    write_article("a.md", title="Kalamata olives", url="https://n.example/a")
    write_article("b.md", title="Other things", url="https://n.example/b")
    load_directory(seed).index.search_index()
    built: list[Article] = []
    from tui.data.index import ArticleIndex

    real = ArticleIndex.build_word_index

    def counting(self: ArticleIndex) -> object:
        built.append(self.articles[0])
        return real(self)

    app = NewsDeckApp(seed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ArticleIndex, "build_word_index", counting)
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await loaded(pilot)
            await pilot.press("slash", *"kalam")
            await pilot.pause()
            assert "Search: kalam" in status(screen) and "1 article" in status(screen)
    assert built == [], "the word index was built again instead of read"


@pytest.mark.parametrize("block", [False, True])
def test_a_text_column_is_as_safe_as_a_text(block: bool) -> None:
    from tui.data.article_columns import read_text_column, text_section
    from tui.data.sanitize import is_safe_block, is_safe_line

    safe = is_safe_block if block else is_safe_line
    samples = [
        "plain words",
        "tab\there",
        "two\nlines",
        "bell\x07",
        "escape \x1b[31m",
        "delete\x7f",
        "“curly” Facebook’s",
        "c1 \x9b here",
        "bidi \u202e here",
        "isolate \u2066 here",
        "",
    ]
    for sample in samples:
        column = [sample, "a title", sample]
        data = text_section(column)
        if safe(sample):
            assert list(read_text_column(data, 3, block=block)) == column
        else:
            with pytest.raises(BadSnapshot):
                read_text_column(data, 3, block=block)


def test_the_newest_articles_of_a_large_snapshot_come_first(write_article: ArticleWriter, seed: Path) -> None:
    from tui.data.snapshot import FIRST_PAGE

    for number in range(FIRST_PAGE + 44):
        write_article(
            f"a{number:03d}.md",
            title=f"Story {number:03d}",
            url=f"https://n.example/{number}",
            published=f"2024-03-{1 + number // 100:02d}T{number % 100 // 60:02d}:{number % 60:02d}:00Z",
        )
    fresh = load_directory(seed, use_cache=False)
    load_directory(seed)
    partials: list[LoadResult] = []
    warm = load_directory(seed, on_partial=partials.append)
    (first,) = partials
    assert not first.complete and len(first.index) == FIRST_PAGE
    assert list(first.index.articles) == list(fresh.index.articles[:FIRST_PAGE])
    assert first.summary == fresh.index.summary  # the sidebar's counts are whole at once
    assert list(warm.index.articles) == list(fresh.index.articles)


async def test_the_newest_articles_show_while_the_rest_are_read(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import loaded, status

    import tui.data.loader
    from tui.app import NewsDeckApp
    from tui.data.snapshot import FIRST_PAGE
    from tui.widgets.article_list import ArticleList
    from tui.widgets.topic_sidebar import TopicSidebar

    for number in range(FIRST_PAGE + 10):
        write_article(f"a{number:03d}.md", title=f"Story {number:03d}", url=f"https://n.example/{number}")
    load_directory(seed)
    decoding = threading.Event()
    release = threading.Event()
    real = tui.data.loader.index_of

    def gated(snapshot: object) -> object:
        decoding.set()
        release.wait(10)
        return real(snapshot)  # type: ignore[arg-type]

    monkeypatch.setattr(tui.data.loader, "index_of", gated)
    app = NewsDeckApp(seed)
    async with app.run_test(size=(120, 30)) as pilot:
        articles = app.screen.query_one(ArticleList)
        while not decoding.is_set() or articles.row_count == 0:
            await pilot.pause()
        assert articles.row_count == FIRST_PAGE
        line = status(app.screen)  # type: ignore[arg-type]
        assert line.startswith("Loading…") and f"{FIRST_PAGE} articles" in line
        assert app.screen.query_one(TopicSidebar).rows[0].count == FIRST_PAGE + 10
        release.set()
        screen = await loaded(pilot)
        assert articles.row_count == FIRST_PAGE + 10
        assert "Loading" not in status(screen)


def test_the_corpus_reads_the_same_fresh_from_the_cache_and_from_the_saved_index(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import forget_saved_index

    from tui.data.cache import ENV_CACHE_DIR

    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "cache"))
    fresh = load_directory(corpus, use_cache=False)  # parsed: records read back unchecked
    load_directory(corpus)
    forget_saved_index(corpus, tmp_path / "cache")
    from_cache = load_directory(corpus)  # every row checked field by field
    assert from_cache.from_cache == len(fresh.index) + len(fresh.skipped) + fresh.duplicates
    from_saved = load_directory(corpus)
    assert everything(fresh) == everything(from_cache) == everything(from_saved)
