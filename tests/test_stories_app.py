"""The list grouped by story: `c`, unfolding with right, folding with left, marking a story whole."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import ArticleWriter, loaded, status
from test_stories import TOPICS
from textual.pilot import Pilot

import tui.screens.stories as stories_screen
from tui.app import NewsDeckApp
from tui.data.stories import Stories
from tui.data.warm import SavedLoad
from tui.screens.main import MainScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.similar_list import SimilarList

STORY = [
    "Harbourton ferry strike ends after nine days of talks",
    "Ferry strike in Harbourton ends after nine days",
    "Harbourton ferry strike ends: crossings resume after nine days",
]
# Six articles of other news, each its own story.
OTHERS = TOPICS[:6]


def write_seed(write_article: ArticleWriter) -> None:
    for number, title in enumerate(OTHERS):
        write_article(
            f"o{number}.md",
            title=title,
            url=f"https://n.example/o{number}",
            published=f"2024-03-0{number + 1}T08:00:00Z",
        )
    write_reports(write_article, "s", STORY, "2024-03-1{}T12:00:00Z")


def write_reports(write_article: ArticleWriter, name: str, titles: list[str], published: str) -> None:
    """One event's reports, each by its own outlet, on the days `published` numbers from 0."""
    for number, title in enumerate(titles):
        write_article(
            f"{name}{number}.md",
            title=title,
            url=f"https://n.example/{name}{number}",
            published=published.format(number),
            provider=f"Outlet {number}",
        )


async def grouped(pilot: Pilot[None]) -> tuple[MainScreen, ArticleList]:
    screen = await loaded(pilot)
    await pilot.app.workers.wait_for_complete()  # the stories are found in the background
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    return screen, screen.query_one(ArticleList)


def rows(articles: ArticleList) -> list[str]:
    return [articles.render_line(row).text for row in range(len(articles.articles))]


async def test_c_groups_a_story_into_one_row_and_back(write_article: ArticleWriter, seed: Path) -> None:
    write_seed(write_article)
    async with NewsDeckApp(seed).run_test(size=(140, 40)) as pilot:
        screen, articles = await grouped(pilot)
        assert len(articles.articles) == len(OTHERS) + 1
        assert status(screen).startswith("All articles: 9 articles in 7 stories")
        # The newest report heads its story, with the other sources counted.
        assert STORY[2] in rows(articles)[0] and "+2 sources" in rows(articles)[0]
        assert sum(STORY[0] in row or STORY[1] in row for row in rows(articles)) == 0
        await pilot.press("c")
        await pilot.pause()
        assert len(articles.articles) == 9
        assert status(screen).startswith("All articles: 9 articles (")
        assert not any("sources" in row for row in rows(articles))


async def test_right_unfolds_a_story_and_left_folds_it(write_article: ArticleWriter, seed: Path) -> None:
    write_seed(write_article)
    async with NewsDeckApp(seed).run_test(size=(140, 40)) as pilot:
        screen, articles = await grouped(pilot)
        articles.focus()
        await pilot.press("right")
        await pilot.pause()
        shown = rows(articles)
        assert len(shown) == len(OTHERS) + 3
        assert "└ " + STORY[1] in shown[1] and "└ " + STORY[0] in shown[2]
        # enter still reads the highlighted article: the member's own.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.current is not None and screen.current.title == STORY[1]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("left")
        await pilot.pause()
        assert len(rows(articles)) == len(OTHERS) + 1
        assert articles.cursor == 0 and screen.current is not None and screen.current.title == STORY[2]


async def test_m_on_a_folded_story_marks_every_article_of_it(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_seed(write_article)
    async with NewsDeckApp(seed).run_test(size=(140, 40)) as pilot:
        screen, articles = await grouped(pilot)
        articles.focus()
        assert screen.marks is not None
        before = screen.marks.unread_total
        assert rows(articles)[0].startswith("●")
        await pilot.press("m")
        await pilot.pause()
        assert screen.marks.unread_total == before - 3
        assert not rows(articles)[0].startswith("●")
        assert "(6 unread)" in status(screen)
        # One article of it unread again: the story is unread again.
        await pilot.press("right", "down", "m")
        await pilot.pause()
        assert rows(articles)[0].startswith("●") and rows(articles)[1].startswith("●")
        await pilot.press("left", "m")
        await pilot.pause()
        assert screen.marks.unread_total == before - 3


async def test_stories_follow_a_live_change(write_article: ArticleWriter, seed: Path) -> None:
    write_seed(write_article)
    async with NewsDeckApp(seed, watch=False).run_test(size=(140, 40)) as pilot:
        screen, articles = await grouped(pilot)
        write_article(
            "s9.md",
            title="Harbourton ferry strike ends, nine days on",
            url="https://n.example/s9",
            published="2024-03-19T12:00:00Z",
            provider="Outlet 9",
        )
        await pilot.press("ctrl+r")
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        assert "+3 sources" in rows(articles)[0]
        assert status(screen).startswith("All articles: 10 articles in 7 stories")


async def test_grouped_the_sparkline_still_counts_articles(write_article: ArticleWriter, seed: Path) -> None:
    from tui.widgets.day_sparkline import DaySparkline

    write_seed(write_article)
    async with NewsDeckApp(seed).run_test(size=(140, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        spark = screen.query_one(DaySparkline)
        ungrouped = spark.days
        await pilot.press("c")
        await pilot.pause()
        assert screen.listing is not None and screen.listing.view.stories is not None
        assert spark.days == ungrouped


async def test_a_warm_start_finds_the_stories_of_the_saved_index_while_the_folder_is_checked(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed(write_article)
    async with NewsDeckApp(seed).run_test() as pilot:
        await grouped(pilot)  # the first start reads the folder and saves its index
    events: list[str] = []
    asked = threading.Event()
    finder, check = stories_screen.find_stories_apart, SavedLoad.still_current

    def counted(*arguments: Any, **options: Any) -> Stories:
        events.append("stories asked for")
        asked.set()
        return finder(*arguments, **options)

    def checked(saved: SavedLoad, *arguments: Any) -> bool:
        asked.wait(timeout=10)  # the stories need not wait for the check
        events.append("folder checked")
        return check(saved, *arguments)

    monkeypatch.setattr(stories_screen, "find_stories_apart", counted)
    monkeypatch.setattr(SavedLoad, "still_current", checked)
    async with NewsDeckApp(seed).run_test(size=(140, 40)) as pilot:
        screen, articles = await grouped(pilot)
        assert screen.result is not None and screen.result.from_cache and not screen.result.checking
        # Found once, for the saved index shown at once; the check kept the index, and them.
        assert events == ["stories asked for", "folder checked"]
        assert len(articles.articles) == len(OTHERS) + 1


async def test_c_keeps_the_cursor_on_the_story_of_the_article_it_was_on(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_seed(write_article)
    newest = "Museum opens a wing for maps"
    write_article("n.md", title=newest, url="https://n.example/n", published="2024-03-20T08:00:00Z")
    async with NewsDeckApp(seed).run_test(size=(140, 40)) as pilot:
        screen = await loaded(pilot)
        await pilot.app.workers.wait_for_complete()
        articles = screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("down", "down", "down")  # the story's last article, under two of its own
        assert screen.current is not None and screen.current.title == STORY[0]
        await pilot.press("c")
        await pilot.pause()
        # Folded under its story's row, which another of its articles heads.
        assert articles.cursor == 1 and STORY[2] in rows(articles)[1]


async def test_a_story_unfolded_on_the_last_line_shows_its_articles(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_seed(write_article)
    for number in range(12):  # newer news, so the story is far down the list
        write_article(
            f"n{number}.md",
            title=f"Museum opens wing {number} for maps",
            url=f"https://n.example/n{number}",
            published=f"2024-03-2{number % 10}T0{number // 10}:00:00Z",
        )
    async with NewsDeckApp(seed).run_test(size=(80, 24)) as pilot:
        _screen, articles = await grouped(pilot)
        articles.focus()
        story_row = next(row for row, text in enumerate(rows(articles)) if "+2 sources" in text)
        await pilot.press(*["down"] * story_row)
        height = articles.scrollable_content_region.height
        assert story_row >= height  # scrolled: the story is on the list's last line
        assert articles.scroll_offset.y + height - 1 == story_row
        await pilot.press("right")
        await pilot.pause()
        assert (
            "└ Harbourton ferry strike ends after"
            in articles.render_row(story_row + 2, 80, articles.rich_style).text
        )
        assert articles.scroll_offset.y <= story_row and story_row + 2 < articles.scroll_offset.y + height


async def test_opening_an_article_folded_in_a_story_unfolds_it(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_seed(write_article)
    async with NewsDeckApp(seed).run_test(size=(140, 40)) as pilot:
        screen, articles = await grouped(pilot)
        for _ in range(2):  # the word index, then the similar articles of the story's first
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        similar = screen.query_one(SimilarList)
        titles = [article.title for article in similar.similar]
        assert STORY[0] in titles  # its own story's other reports are its closest
        similar.focus()
        await pilot.press(*["down"] * titles.index(STORY[0]), "enter")
        await pilot.pause()
        assert screen.current is not None and screen.current.title == STORY[0]
        assert "└ " + STORY[0] in rows(articles)[articles.cursor]


async def test_more_like_this_is_found_again_once_the_stories_are_known(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_seed(write_article)
    contract = [
        "Harbourton ferry workers vote on a new contract",
        "Ferry workers in Harbourton vote on contract",
    ]
    write_reports(write_article, "c", contract, "2024-02-1{}T12:00:00Z")
    release = threading.Event()
    finder = stories_screen.find_stories_apart

    def held(*arguments: Any, **options: Any) -> Stories:
        release.wait(timeout=10)  # the stories come after the first list of similar articles
        return finder(*arguments, **options)

    monkeypatch.setattr(stories_screen, "find_stories_apart", held)
    app = NewsDeckApp(seed)
    async with app.run_test(size=(140, 40)) as pilot:
        # Not `loaded`: that waits for every worker, the held one too.
        while not isinstance(app.screen, MainScreen) or not app.screen.query_one(SimilarList).similar:
            await pilot.pause()
        screen = app.screen
        similar = screen.query_one(SimilarList)
        assert screen.stories is None
        assert set(contract) <= {article.title for article in similar.similar}
        release.set()
        while screen.stories is None or not similar.similar:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        titles = [article.title for article in similar.similar]
        assert len(set(contract) & set(titles)) == 1
        assert {STORY[0], STORY[1]} <= set(titles)  # its own story stays whole
