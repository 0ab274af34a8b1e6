"""What is shown, as pure functions: the view spec, the view it builds, and the words about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.data.index import ArticleIndex, Selection, topic_key
from tui.data.model import Article, Provider
from tui.data.reading import ReadingMarks
from tui.data.state import StateStore
from tui.data.view_spec import PREPARING_SEARCH, ViewSpec, build_view
from tui.data.view_text import StatusFacts, empty_message, loading_text, selection_label, status_line


def article(
    title: str, day: int, topics: tuple[str, ...], provider: str = "Paper", **extra: object
) -> Article:
    return Article(
        path=f"{title}.md",
        title=title,
        published=1_700_000_000 + day * 86_400,
        original_url=f"https://n.example/{day}",
        provider=Provider(provider, f"{provider.lower()}.example"),
        topics=topics,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def index() -> ArticleIndex:
    return ArticleIndex(
        [
            article("Rocket lands", 5, ("Space",), quality=1),
            article("Comet seen", 4, ("Space", "Science"), "Wire", quality=9),
            article("Ice melts", 3, ("Climate", "Science")),
            article("Art fair", 2, ("Art",), "Wire"),
        ]
    )


def titles(view: object) -> list[str]:
    return [a.title for a in view.articles]  # type: ignore[attr-defined]


def test_the_default_spec_shows_everything_newest_first(index: ArticleIndex) -> None:
    shown = build_view(ViewSpec(), index)
    assert titles(shown) == ["Rocket lands", "Comet seen", "Ice melts", "Art fair"]
    assert shown.problems == () and not shown.needs_search_index and not shown.marks_applied


def test_topics_provider_and_sort_combine(index: ArticleIndex) -> None:
    space, science = topic_key("Space"), topic_key("Science")
    wire = next(facet.key for facet in index.providers if facet.name == "Wire")
    any_of = ViewSpec(selection=Selection(frozenset({space, science})))
    assert titles(build_view(any_of, index)) == ["Rocket lands", "Comet seen", "Ice melts"]
    all_of = ViewSpec(selection=Selection(frozenset({space, science}), every=True))
    assert titles(build_view(all_of, index)) == ["Comet seen"]
    from_wire = any_of.but(selection=Selection(frozenset({space, science}), provider=wire))
    assert titles(build_view(from_wire, index)) == ["Comet seen"]
    assert titles(build_view(ViewSpec(sort="oldest"), index))[0] == "Art fair"
    assert titles(build_view(ViewSpec().next_sort().next_sort(), index))[0] == "Comet seen"  # by rank


def test_a_search_waits_for_the_word_index_then_applies(index: ArticleIndex) -> None:
    spec = ViewSpec(query="comet")
    waiting = build_view(spec, index)
    assert waiting.needs_search_index and waiting.problems == (PREPARING_SEARCH,)
    assert len(waiting.articles) == 4
    index.search_index()
    found = build_view(spec, index)
    assert titles(found) == ["Comet seen"] and found.highlight and not found.needs_search_index
    assert build_view(ViewSpec(query='"unclosed'), index).problems


def test_marks_narrow_to_unread_and_starred(index: ArticleIndex, tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.sqlite3", background=False)
    try:
        marks = ReadingMarks(index, store, None)
        marks.set_read((0,))
        marks.toggle_star(2)
        assert titles(build_view(ViewSpec(unread_only=True), index, marks)) == [
            "Comet seen",
            "Ice melts",
            "Art fair",
        ]
        starred = ViewSpec(selection=Selection(starred=True))
        assert titles(build_view(starred, index, marks)) == ["Ice melts"]
        assert titles(build_view(starred, index, None)) == []  # marks not read yet: nothing starred
        assert build_view(ViewSpec(), index, marks).marks_applied
    finally:
        store.close()


def test_the_words_about_a_view(index: ArticleIndex) -> None:
    space, science = topic_key("Space"), topic_key("Science")
    wire = next(facet.key for facet in index.providers if facet.name == "Wire")
    both = Selection(frozenset({space, science}), provider=wire)
    assert selection_label(index, both) == "Science or Space from Wire"
    assert selection_label(index, Selection(frozenset({space, science}), every=True)) == "Science and Space"
    assert selection_label(index, Selection(starred=True)) == "Starred"
    assert selection_label(None, both) == "All articles"
    assert empty_message(ViewSpec(query="x")) == "No articles match this search."
    assert empty_message(ViewSpec(unread_only=True)).startswith("No unread articles here")
    assert empty_message(ViewSpec(query="x", unread_only=True)).startswith(
        "No unread articles match this search"
    )
    assert empty_message(ViewSpec(selection=Selection(starred=True))).startswith("No starred articles yet")
    assert empty_message(ViewSpec()) == "No articles in this directory."
    assert (
        loading_text((10, 0)) == "Loading… 10 files" and loading_text((10, 200)) == "Loading… 10 of 200 files"
    )


def test_the_status_line(index: ArticleIndex) -> None:
    assert status_line(None, StatusFacts()) == "Loading…"
    space, science = topic_key("Space"), topic_key("Science")
    spec = ViewSpec(
        selection=Selection(frozenset({space, science})), query='"vice president"', unread_only=True
    )
    index.search_index()
    line = status_line(
        build_view(spec, index),
        StatusFacts(progress=(5, 9), unread=0, duplicates=2, skipped=1, marks_problem=True),
    )
    assert line == (
        'Loading… 5 of 9 files · Search: "vice president" · Science or Space: 0 articles (0 unread) of 4, '
        "unread only, newest first · a: all of the topics · 2 duplicates merged · 1 file skipped (press !) · "
        "⚠ marks not saved"
    )
