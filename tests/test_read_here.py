"""Reader mode in the app: `r` fetches the story from a real local server and shows it."""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded
from pytest_httpserver import HTTPServer
from test_fetch import ARTICLE, FAST, page
from textual.pilot import Pilot
from textual.widgets import Markdown, Static
from werkzeug import Request, Response

import tui.screens.reader_mode
from tui.app import NewsDeckApp
from tui.screens.main import MainScreen
from tui.widgets.article_detail import ArticleDetail


@pytest.fixture(autouse=True)
def quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.screens.reader_mode, "LIMITS", FAST)


def story_seed(write_article: ArticleWriter, url: str) -> None:
    excerpt = 'excerpt: "Two lines from the file."'
    write_article("a.md", title="Storm reaches the coast", url=url, extra=excerpt)


@asynccontextmanager
async def reading(app: NewsDeckApp) -> AsyncIterator[tuple[Pilot[None], MainScreen, ArticleDetail]]:
    """The app loaded at 120x40: its pilot, main screen and detail view."""
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert isinstance(screen, MainScreen)
        yield pilot, screen, screen.query_one(ArticleDetail)


def full_text(detail: ArticleDetail) -> str:
    bodies = detail.query("#full-text-body")
    if not bodies or not bodies.first(Markdown).display:
        return ""
    return bodies.first(Markdown).source


def source(detail: ArticleDetail) -> str:
    return str(detail.query_one("#full-text-source", Static).content)


async def read_here(pilot: Pilot[None], screen: MainScreen) -> None:
    await pilot.press("r")
    await screen.workers.wait_for_complete()
    await pilot.pause()


async def test_r_reads_the_story_here_and_r_again_goes_back(write_article: ArticleWriter, seed: Path) -> None:
    httpserver = HTTPServer()  # its own: it is stopped half-way
    httpserver.start()
    httpserver.expect_request("/story").respond_with_response(page())
    story_seed(write_article, httpserver.url_for("/story"))
    app = NewsDeckApp(seed)
    async with reading(app) as (pilot, screen, detail):
        await read_here(pilot, screen)
        assert "The storm reached the coast on Tuesday night" in full_text(detail)
        assert "Subscribe now" not in full_text(detail)
        line = source(detail)
        assert line.startswith("Full text · localhost · fetched ") and " words · 1 min" in line
        assert not detail.query_one("#detail-excerpt").display
        await pilot.press("r")
        assert not detail.reading_full_text and detail.query_one("#detail-excerpt").display
        # Kept: with the server gone, the story still opens, at once.
        httpserver.stop()
        await read_here(pilot, screen)
        assert "The storm reached the coast on Tuesday night" in full_text(detail)
        await pilot.press("escape")
        assert not detail.reading_full_text


async def test_a_page_that_cannot_be_read_says_why_and_keeps_the_summary(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/gone").respond_with_response(page("nope", status=404))
    story_seed(write_article, httpserver.url_for("/gone"))
    app = NewsDeckApp(seed)
    async with reading(app) as (pilot, screen, detail):
        await read_here(pilot, screen)
        assert "could not be read" in source(detail) and "answered 404" in source(detail)
        assert detail.query_one("#detail-excerpt").display and full_text(detail) == ""


async def test_moving_on_never_shows_the_previous_story(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    answer = threading.Event()

    def slow(request: Request) -> Response:
        answer.wait(10)  # until the reader has moved on
        return page(ARTICLE)

    httpserver.expect_request("/story").respond_with_handler(slow)
    story_seed(write_article, httpserver.url_for("/story"))
    other = "https://other.example/b"
    write_article("b.md", title="Another one", url=other, published="2020-01-01T00:00:00Z")
    app = NewsDeckApp(seed)
    async with reading(app) as (pilot, screen, detail):
        await pilot.press("r")
        assert re.match(r"Fetching the full text from localhost… \d+ s ", source(detail))
        await pilot.press("down")
        answer.set()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert detail.article is not None and detail.article.title == "Another one"
        assert not detail.reading_full_text and not detail.query_one("#full-text").display
        assert full_text(detail) == ""


async def test_capital_r_asks_again_and_a_304_keeps_the_text(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    asked: list[str] = []

    def conditional(request: Request) -> Response:
        asked.append(request.headers.get("If-None-Match", ""))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(ARTICLE, content_type="text/html", headers={"ETag": '"v1"'})

    httpserver.expect_request("/story").respond_with_handler(conditional)
    story_seed(write_article, httpserver.url_for("/story"))
    app = NewsDeckApp(seed)
    async with reading(app) as (pilot, screen, detail):
        await read_here(pilot, screen)
        await pilot.press("R")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert asked == ["", '"v1"']
        assert "The storm reached the coast on Tuesday night" in full_text(detail)
        assert source(detail).startswith("Full text · localhost")


async def test_l_lists_the_links_of_the_text_and_follows_one(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.screens.links_list import LinksScreen

    inside = "https://example.org/inside"
    earlier = f'<p>Earlier: <a href="{inside}">the warning</a> we had.</p>'
    page_text = ARTICLE.replace("</article>", earlier + "</article>")
    httpserver.expect_request("/story").respond_with_response(page(page_text))
    story_seed(write_article, httpserver.url_for("/story"))
    write_article("b.md", title="The warning", url=inside, published="2020-01-01T00:00:00Z")
    app = NewsDeckApp(seed)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with reading(app) as (pilot, screen, detail):
        await read_here(pilot, screen)
        await pilot.press("l")
        links = app.screen
        assert isinstance(links, LinksScreen)
        assert [label for label, _ in links.links] == ["A map", "the warning"]
        await pilot.press("1")  # not an article here: the browser
        assert opened == ["https://example.org/map"]
        await pilot.press("l", "2")  # an article of the directory: shown inside newsdeck
        await pilot.pause()
        assert detail.article is not None and detail.article.title == "The warning"
        assert opened == ["https://example.org/map"]


async def test_r_typed_right_after_j_reads_the_article_j_went_to(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/story").respond_with_response(page())
    httpserver.expect_request("/other").respond_with_response(
        page(ARTICLE.replace("The storm reached the coast", "The second story began"))
    )
    story_seed(write_article, httpserver.url_for("/story"))
    write_article(
        "b.md", title="Another one", url=httpserver.url_for("/other"), published="2020-01-01T00:00:00Z"
    )
    app = NewsDeckApp(seed)
    async with reading(app) as (pilot, screen, detail):
        await read_here(pilot, screen)
        assert "The storm reached the coast" in full_text(detail)
        # As fast as a terminal delivers them: no pause between the two keys.
        app.simulate_key("j")
        app.simulate_key("r")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert detail.article is not None and detail.article.title == "Another one"
        assert detail.reading_full_text and "The second story began" in full_text(detail)


async def test_on_a_short_pane_the_line_saying_what_r_did_is_scrolled_into_view(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/gone").respond_with_response(page("nope", status=404))
    long_title = " ".join(["A headline long enough to wrap over many lines of a narrow pane"] * 4)
    write_article("a.md", title=long_title, url=httpserver.url_for("/gone"), extra='excerpt: "Two lines."')
    app = NewsDeckApp(seed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await read_here(pilot, screen)
        await pilot.pause()
        line = screen.query_one("#full-text-source", Static)
        assert "answered 404" in str(line.content)
        visible_region = screen.query_one(ArticleDetail).content_region
        assert visible_region.contains_region(line.region), (visible_region, line.region)
