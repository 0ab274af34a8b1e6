"""A story read here stays: a mark in the list, and its words found by searching, also after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ArticleWriter
from pytest_httpserver import HTTPServer
from test_fetch import FAST, page
from test_read_here import full_text, read_here, reading
from textual.content import Content
from textual.widgets.markdown import MarkdownBlock

import tui.screens.reader_mode
from tui.app import NewsDeckApp
from tui.data.fetched_texts import FetchedTexts, story_words
from tui.data.folding import MAX_BODY_WORDS_CHARS
from tui.screens.main import MainScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList

STORY = """<!doctype html><html><head><title>Harbour</title></head><body>
<nav>Home | World | Subscribe</nav>
<article><h1>The harbour reopens</h1>
<p>After three weeks of repairs the harbour reopened on Monday, and the first boat to come in
carried a cargo of <a href="https://citrusgrowers.test/oranges">oranges from Valencia</a> for the market.</p>
<p>The harbourmaster thanked the divers who had cleared the wreck from the channel by hand.</p>
</article><footer>Cookie settings</footer></body></html>"""


@pytest.fixture(autouse=True)
def quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.screens.reader_mode, "LIMITS", FAST)


@pytest.fixture
def harbour(write_article: ArticleWriter, seed: Path, httpserver: HTTPServer) -> Path:
    httpserver.expect_request("/harbour").respond_with_response(page(STORY))
    write_article(
        "h.md", title="Port news", url=httpserver.url_for("/harbour"), published="2024-03-02T10:00:00Z"
    )
    write_article("o.md", title="Other news", url="https://other.example/o", published="2024-03-01T10:00:00Z")
    return seed


def rows(screen: MainScreen) -> list[str]:
    articles = screen.query_one(ArticleList)
    return [articles.render_line(row).text for row in range(articles.row_count)]


async def search(pilot: object, screen: MainScreen, query: str) -> list[str]:
    await pilot.press("slash", *query, "enter")  # type: ignore[attr-defined]
    await screen.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    articles = screen.query_one(ArticleList)
    return [article.title for article in articles.articles]


async def test_a_story_read_here_is_marked_in_the_list_and_found_by_its_words(harbour: Path) -> None:
    app = NewsDeckApp(harbour)
    async with reading(app) as (pilot, screen, _detail):
        assert "≡" not in rows(screen)[0]
        assert await search(pilot, screen, "harbourmaster") == []
        await pilot.press("escape", "escape")
        await read_here(pilot, screen)
        assert "≡" in rows(screen)[0][:3] and "≡" not in rows(screen)[1][:3]
        assert await search(pilot, screen, "harbourmaster") == ["Port news"]
        # Link targets are not words of the story; link text is.
        assert await search(pilot, screen, "valencia") == ["Port news"]
        assert await search(pilot, screen, "citrusgrowers") == []


async def test_after_a_restart_kept_stories_are_marked_and_searchable(
    harbour: Path, httpserver: HTTPServer
) -> None:
    async with reading(NewsDeckApp(harbour)) as (pilot, screen, _detail):
        await read_here(pilot, screen)
    httpserver.clear()  # nothing more is served: what follows comes from the store
    async with reading(NewsDeckApp(harbour)) as (pilot, screen, _detail):
        assert rows(screen)[0][:3].endswith("≡")
        assert await search(pilot, screen, '"first boat"') == ["Port news"]
        assert await search(pilot, screen, "divers -oranges") == []
    assert not httpserver.log


async def test_search_marks_show_in_the_full_text(harbour: Path) -> None:
    async with reading(NewsDeckApp(harbour)) as (pilot, screen, detail):
        await read_here(pilot, screen)
        await pilot.press("escape", "escape")  # the summary again, then back to the list
        await search(pilot, screen, "divers")
        await read_here(pilot, screen)
        assert "harbourmaster thanked the divers" in full_text(detail)
        style = detail.get_visual_style("article-detail--match", partial=True)
        marked = []
        for block in detail.query_one("#full-text").query(MarkdownBlock):
            content = block.content
            if isinstance(content, Content):
                marked += [
                    content.plain[span.start : span.end] for span in content.spans if span.style == style
                ]
        assert marked == ["divers"]


def test_a_story_is_searched_within_the_body_budget() -> None:
    early, late = "lighthouse", "zeppelin"
    text = f"{early} " + "word " * MAX_BODY_WORDS_CHARS + late
    words = story_words(text)
    assert len(words) <= MAX_BODY_WORDS_CHARS and early in words.split() and late not in words.split()
    # Whole words only, and less room when the file has a body of its own.
    assert all(word in ("lighthouse", "word") for word in words.split())
    assert len(story_words(text, 100)) <= 100 and story_words(text, 0) == ""


def test_fetched_words_are_found_by_word_prefix_and_phrase() -> None:
    fetched = FetchedTexts(3)
    assert fetched.add(1, story_words("The [harbour](https://a.example/x) reopens on Monday"))
    assert not fetched.add(1, story_words("The [harbour](https://a.example/x) reopens on Monday"))
    assert fetched.positions("harbour") == {1} and fetched.positions("example") == set()
    assert fetched.prefix_positions("reop", 10) == {1}
    assert fetched.has_phrase(1, ["reopens", "on"]) and not fetched.has_phrase(1, ["on", "reopens"])
    fetched.add(1, "other words")  # fetched again: the old words go
    assert fetched.positions("harbour") == set() and fetched.has_text(1) and not fetched.has_text(0)
    assert not fetched.add(7, "out of range")


async def test_the_detail_of_a_kept_story_offers_it_at_once(harbour: Path, httpserver: HTTPServer) -> None:
    async with reading(NewsDeckApp(harbour)) as (pilot, screen, _detail):
        await read_here(pilot, screen)
    requests = len(httpserver.log)
    async with reading(NewsDeckApp(harbour)) as (pilot, screen, detail):
        await read_here(pilot, screen)
        assert isinstance(detail, ArticleDetail) and "harbour reopened on Monday" in full_text(detail)
    assert len(httpserver.log) == requests


async def test_r_again_offline_keeps_the_story_and_says_it_could_not_fetch(
    write_article: ArticleWriter, seed: Path, notices: list[str]
) -> None:
    server = HTTPServer()
    server.start()
    server.expect_request("/harbour").respond_with_response(page(STORY))
    write_article("h.md", title="Port news", url=server.url_for("/harbour"))
    async with reading(NewsDeckApp(seed)) as (pilot, screen, detail):
        await read_here(pilot, screen)
        server.clear()
        server.stop()
        await pilot.press("R")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert "harbour reopened on Monday" in full_text(detail)
        assert any("The text kept from" in notice for notice in notices)
    async with reading(NewsDeckApp(seed)) as (pilot, screen, detail):
        assert rows(screen)[0][:3].endswith("≡")  # still kept after a restart
