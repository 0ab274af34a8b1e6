"""The search language: what a query finds, and how it explains a bad one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ArticleWriter

from tui.data.index import ArticleIndex, Selection
from tui.data.loader import load_directory
from tui.data.search import find, parse_query


@pytest.fixture
def index(write_article: ArticleWriter, seed: Path) -> ArticleIndex:
    write_article(
        "a.md",
        title="Pénélope wins the vice president debate",
        url="https://n.example/a",
        published="2024-03-05T09:00:00Z",
        provider="CNN",
        domain="cnn.com",
        topics=["Election"],
        extra='excerpt: "A night of sharp exchanges."',
    )
    write_article(
        "b.md",
        title="The president visits a vice squad",
        url="https://n.example/b",
        published="2024-02-01T09:00:00Z",
        provider="Fox News",
        domain="foxnews.com",
        topics=["Crime"],
    )
    write_article(
        "c.md",
        title="Weather: snow on the way",
        url="https://n.example/c",
        published="2023-12-24T09:00:00Z",
        provider="Weather Desk",
        domain="weather.example",
        topics=["Weather", "Election"],
        body="Forecasters in **Zürich** expect a white Christmas across the whole region.\n",
    )
    return load_directory(seed, use_cache=False).index


def titles(index: ArticleIndex, text: str, topic: str | None = None, *, typing: bool = False) -> list[str]:
    return [article.title.split()[0] for article in find(index, parse_query(text, typing=typing), topic)]


def test_words_match_any_field_regardless_of_case_and_accents(index: ArticleIndex) -> None:
    assert titles(index, "PENELOPE") == ["Pénélope"]
    assert titles(index, "president") == ["Pénélope", "The"]
    assert titles(index, "sharp") == ["Pénélope"]  # excerpt
    assert titles(index, "foxnews") == ["The"]  # provider domain
    assert titles(index, "crime") == ["The"]  # topic name


def test_the_body_is_searched_too(index: ArticleIndex) -> None:
    assert titles(index, "zurich") == ["Weather:"]
    assert titles(index, '"white christmas"') == ["Weather:"]
    assert titles(index, "christmas -snow") == []


def test_body_words_survive_the_cache(write_article: ArticleWriter, seed: Path) -> None:
    write_article("x.md", title="Plain title", body="The word quokka is only in the body.\n")
    load_directory(seed)  # fills the cache
    cached = load_directory(seed).index
    assert [article.title for article in find(cached, parse_query("quokka"))] == ["Plain title"]


def test_search_within_several_topics_and_a_provider(index: ArticleIndex) -> None:
    election, crime = index.find_topic("election"), index.find_topic("crime")
    assert election and crime
    either = Selection(frozenset({election, crime}))
    both = Selection(frozenset({election, crime}), every=True)
    assert [a.title.split()[0] for a in find(index, parse_query("president"), either)] == ["Pénélope", "The"]
    assert [a.title.split()[0] for a in find(index, parse_query("president"), both)] == []
    fox_news = next(facet.key for facet in index.providers if facet.name == "Fox News")
    fox = Selection(frozenset({election, crime}), provider=fox_news)
    assert [a.title.split()[0] for a in find(index, parse_query("president"), fox)] == ["The"]


def test_several_words_must_all_match(index: ArticleIndex) -> None:
    assert titles(index, "president debate") == ["Pénélope"]
    assert titles(index, "president snow") == []


def test_a_quoted_phrase_must_appear_as_written(index: ArticleIndex) -> None:
    assert titles(index, '"vice president"') == ["Pénélope"]
    assert titles(index, "vice president") == ["Pénélope", "The"]


def test_minus_excludes(index: ArticleIndex) -> None:
    assert titles(index, "president -debate") == ["The"]
    assert titles(index, '-"vice president"') == ["The", "Weather:"]


def test_field_filters(index: ArticleIndex) -> None:
    assert titles(index, "topic:election") == ["Pénélope", "Weather:"]
    assert titles(index, "topic:election snow") == ["Weather:"]
    assert titles(index, "provider:cnn") == ["Pénélope"]
    assert titles(index, 'provider:"fox news"') == ["The"]
    assert titles(index, "provider:foxnews") == ["The"]
    assert titles(index, "after:2024-01-01") == ["Pénélope", "The"]
    assert titles(index, "before:2024-01-01") == ["Weather:"]
    assert titles(index, "after:2024-01-01 before:2024-03-01") == ["The"]


def test_search_combines_with_the_selected_topic(index: ArticleIndex) -> None:
    election = index.find_topic("Election")
    assert titles(index, "president", election) == ["Pénélope"]


def test_the_word_being_typed_matches_as_a_prefix(index: ArticleIndex) -> None:
    assert titles(index, "presid", typing=True) == ["Pénélope", "The"]
    assert titles(index, "presid") == []
    assert titles(index, "presid ", typing=True) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('"vice president', "quote is not closed"),
        ("after:yesterday", "wants a date"),
        ("before:2024-13-01", "wants a date"),
        ("topic:", "needs a value"),
        ("topic:gardening", "no topic named"),
        ("provider:nobody", "no provider named “nobody”"),
    ],
)
def test_bad_queries_explain_themselves_and_never_crash(index: ArticleIndex, text: str, problem: str) -> None:
    query = parse_query(text)
    find(index, query)
    assert any(problem in message for message in query.problems)


def test_an_unclosed_quote_still_searches_its_words(index: ArticleIndex) -> None:
    assert titles(index, '"vice president') == ["Pénélope"]


def test_empty_and_odd_queries_find_everything_or_nothing_calmly(index: ArticleIndex) -> None:
    assert len(titles(index, "")) == 3
    assert len(titles(index, "   ")) == 3
    assert titles(index, "[bold] ::: ---") == []
    assert titles(index, "-") == titles(index, "")
