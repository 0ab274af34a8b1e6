"""Back and forward after following a related item; y and Y copy the article's link."""

from __future__ import annotations

from pathlib import Path

from conftest import loaded
from test_app import (
    small_seed,  # noqa: F401 (the fixture)
    status,
)

from tui.app import NewsDeckApp
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList
from tui.widgets.related_list import RelatedList


def shown(screen: object) -> str:
    article = screen.query_one(ArticleDetail).article  # type: ignore[attr-defined]
    return article.title if article is not None else ""


async def test_back_returns_to_the_article_a_related_item_was_followed_from(small_seed: Path) -> None:  # noqa: F811
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("backspace")  # nowhere to go back to yet: said, nothing moves
        assert shown(screen) == "Rocket lands on barge"
        await pilot.press("2")  # Climate; "Inside story" is not in it
        screen.query_one(RelatedList).focus()
        await pilot.press("enter")
        assert shown(screen) == "Inside story" and status(screen).startswith("All articles")
        await pilot.press("backspace")
        assert shown(screen) == "Rocket lands on barge" and status(screen).startswith("Climate")
        assert screen.query_one(ArticleList).has_focus
        await pilot.press("alt+right")
        assert shown(screen) == "Inside story" and status(screen).startswith("All articles")
        await pilot.press("alt+left")
        assert shown(screen) == "Rocket lands on barge"
        await pilot.press("j", "alt+right")  # going somewhere new by hand keeps forward
        assert shown(screen) == "Inside story"


async def test_y_copies_the_link_and_capital_y_the_title_too(small_seed: Path) -> None:  # noqa: F811
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("y")
        assert app.clipboard == "https://news.example/rocket"
        await pilot.press("Y")
        assert app.clipboard == "Rocket lands on barge\nhttps://news.example/rocket"
