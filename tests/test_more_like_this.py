"""More like this: the ranking (tui.data.similar) and the list under the article's related items."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import ArticleWriter, loaded
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import NewsDeckApp
from tui.data.folding import body_words
from tui.data.index import ArticleIndex
from tui.data.model import Article
from tui.data.similar import more_like_this, query_weights, rank
from tui.screens.main import MainScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList
from tui.widgets.similar_list import SimilarList


def make_index(*stories: tuple[str, str] | tuple[str, str, str]) -> ArticleIndex:
    """Articles from (title, excerpt[, url]): each its own file, dated newest first in order."""
    articles = []
    for number, story in enumerate(stories):
        title, excerpt = story[0], story[1]
        url = story[2] if len(story) > 2 else f"https://news.example/{number}"
        articles.append(
            Article(
                path=f"{number:03d}.md",
                title=title,
                excerpt=excerpt,
                published=1e9 - number,
                original_url=url,
            )
        )
    return ArticleIndex(articles)


def titles_like(index: ArticleIndex, title: str) -> list[str]:
    article = next(article for article in index.articles if article.title == title)
    return [found.title for found in more_like_this(index, article)]


FILLER = [(f"Market report {n}", "Shares moved a little on a quiet day of trading") for n in range(12)]


def test_the_most_similar_comes_first_and_the_unrelated_not_at_all() -> None:
    index = make_index(
        ("Volcano erupts on remote island", "Lava from the volcano reached the sea near the island harbour"),
        ("Island volcano eruption sends lava into harbour", "The remote volcano keeps erupting"),
        ("Volcano monitored by scientists", "A team watches the crater"),
        ("Cup final ends in a draw", "Penalties decided the football match"),
        *FILLER,
    )
    found = titles_like(index, "Volcano erupts on remote island")
    assert found[:2] == ["Island volcano eruption sends lava into harbour", "Volcano monitored by scientists"]
    assert "Cup final ends in a draw" not in found


def test_another_story_counts_once_and_the_articles_own_story_whole() -> None:
    index = make_index(
        ("Volcano erupts on remote island", "Lava from the volcano reached the sea near the island harbour"),
        ("Island volcano eruption sends lava into harbour", "The remote volcano keeps erupting"),
        ("Remote island volcano erupts, lava reaches harbour", "The volcano keeps erupting"),
        ("Scientists watch the remote island volcano", "A team watches the crater near the harbour"),
        ("Remote island volcano watched by scientists", "A team watches its crater by the sea"),
        *FILLER,
    )
    article = index.articles[0]
    alone = [found.title for found in more_like_this(index, article)]
    assert set(alone[:4]) == {item.title for item in index.articles[1:5]}
    # Stories: the eruption's three reports (the article's own), the scientists' two.
    stories = {0: 0, 1: 0, 2: 0, 3: 3, 4: 3}
    grouped = [
        found.title for found in more_like_this(index, article, story_of=lambda at: stories.get(at, at))
    ]
    scientists = [title for title in alone if "scientists" in title.casefold()]
    assert grouped == [title for title in alone if title != scientists[1]]


def test_the_article_itself_and_its_copies_are_left_out() -> None:
    index = make_index(
        ("Comet seen at dawn over the hills", "Astronomers saw the comet", "https://news.example/comet"),
        ("Comet seen at dawn over the hills", "Astronomers saw the comet", "https://news.example/comet"),
        ("Bright comet seen at dawn", "Skywatchers saw it too"),
        *FILLER,
    )
    article = index.articles[0]
    found = more_like_this(index, article)
    assert article not in found
    assert all(other.url != "https://news.example/comet" for other in found)
    assert found[0].title == "Bright comet seen at dawn"


def test_a_rare_shared_word_outweighs_a_common_one() -> None:
    common = [(f"Government plans number {n}", "The government said more later") for n in range(15)]
    index = make_index(
        ("Government counts axolotl numbers", "A survey in the lakes"),
        ("Axolotl found in a pond", "A rare find"),
        *common,
    )
    assert titles_like(index, "Government counts axolotl numbers")[0] == "Axolotl found in a pond"


def test_fetched_text_counts_when_present() -> None:
    index = make_index(
        ("Glacier retreat measured", "Ice lost in the Alps this summer"),
        ("Mountain news", "A short note"),
        ("Ferry timetable changes", "Boats leave later"),
        *FILLER,
    )
    glacier, mountain, ferry = index.articles[0], index.articles[1], index.articles[2]
    assert mountain not in more_like_this(index, glacier)
    # Another article's fetched story holds the glacier's words.
    index.fetched.add(1, body_words("The glacier retreat was measured: ice lost in the Alps"))
    assert more_like_this(index, glacier)[0] is mountain
    # The shown article's own fetched story asks with its words too.
    assert ferry not in more_like_this(index, glacier)
    index.fetched.add(0, body_words("Ferry timetable changes, boats leave later for the glacier"))
    assert ferry in more_like_this(index, glacier)


@pytest.mark.parametrize(
    "stories",
    [
        [("", "")],
        [("", ""), ("", ""), ("", "")],
        [("!!! ???", "…"), ("[bold]markup[/]", "[link=x]y[/link]"), ("\u200b", "\x00\x1b[31m")],
        [("Same", "Same"), ("Same", "Same")],
        [("一二三 四五", "日本語のテキスト"), ("一二三", "Ümlaut ÉTÉ été")],
    ],
)
def test_odd_input_never_crashes(stories: list[tuple[str, str]]) -> None:
    index = make_index(*stories)
    for article in index.articles:
        found = more_like_this(index, article)
        assert article not in found and len(found) <= 10


def test_an_article_not_in_the_index_and_an_empty_index_give_answers() -> None:
    stranger = Article(path="elsewhere.md", title="Volcano erupts", original_url="https://x.example/")
    assert (
        more_like_this(make_index(("Volcano erupts again", "lava")), stranger)[0].title
        == "Volcano erupts again"
    )
    assert more_like_this(make_index(), stranger) == []
    assert rank(lambda _w: 0, lambda _w: (), Counter(), 0, len, bool) == []
    assert rank(lambda _w: 3, lambda _w: (0, 1, 2), Counter({"a": 1}), 3, lambda _p: 0, bool, limit=0) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), st.text(max_size=80)), min_size=1, max_size=8))
def test_any_text_ranks_without_crashing(stories: list[tuple[str, str]]) -> None:
    index = make_index(*stories)
    for article in index.articles:
        assert article not in more_like_this(index, article)


def test_title_words_weigh_twice() -> None:
    assert query_weights("Lava flows", "lava") == Counter({"lava": 3, "flows": 2})


# In the app ----------------------------------------------------------------------------


@pytest.fixture
def volcano_seed(write_article: ArticleWriter, seed: Path) -> Path:
    stories = [
        ("Volcano erupts on remote island", "https://news.example/volcano", "2024-03-09T09:00:00Z"),
        ("Island volcano sends lava into the sea", "https://news.example/lava", "2024-03-08T09:00:00Z"),
        (
            "[bold red]Volcano[/] scientists watch the island",
            "https://news.example/watch",
            "2024-03-07T09:00:00Z",
        ),
        ("Cup final ends in a draw", "https://news.example/cup", "2024-03-06T09:00:00Z"),
        ("Football cup final goes to penalties", "https://news.example/penalties", "2024-03-05T09:00:00Z"),
    ]
    for number, (title, url, published) in enumerate(stories):
        write_article(f"{number}.md", title=title, url=url, published=published)
    return seed


async def settled(pilot: Pilot[None]) -> MainScreen:
    """Loaded, and the list of similar articles found for the article shown."""
    screen = await loaded(pilot)
    for _ in range(3):  # the word index, then the list found once it is ready
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return screen


def similar_titles(screen: MainScreen) -> list[str]:
    return [article.title for article in screen.query_one(SimilarList).similar]


def shown(screen: MainScreen) -> str:
    article = screen.query_one(ArticleDetail).article
    return article.title if article is not None else ""


async def test_the_list_appears_for_the_article_shown(volcano_seed: Path) -> None:
    app = NewsDeckApp(volcano_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await settled(pilot)
        similar = screen.query_one(SimilarList)
        assert shown(screen) == "Volcano erupts on remote island"
        assert similar.display
        assert similar_titles(screen)[:2] == [
            "Island volcano sends lava into the sea",
            "[bold red]Volcano[/] scientists watch the island",
        ]
        assert "Cup final ends in a draw" not in similar_titles(screen)
        assert str(similar.border_title).startswith("More like this")
        # A title from a file is text: its brackets are shown, never taken as markup.
        assert "[bold red]Volcano[/]" in similar.render_row(1, 100, similar.rich_style).text
        await pilot.press("j", "j", "j")
        await settled(pilot)
        assert shown(screen) == "Cup final ends in a draw"
        assert similar_titles(screen)[0] == "Football cup final goes to penalties"


async def test_enter_shows_a_similar_article_and_backspace_comes_back(volcano_seed: Path) -> None:
    app = NewsDeckApp(volcano_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await settled(pilot)
        screen.query_one(SimilarList).focus()
        await pilot.press("enter")
        assert shown(screen) == "Island volcano sends lava into the sea"
        assert screen.query_one(ArticleList).has_focus
        await settled(pilot)
        assert "Volcano erupts on remote island" in similar_titles(screen)
        await pilot.press("backspace")
        assert shown(screen) == "Volcano erupts on remote island"


async def test_a_list_found_for_an_earlier_article_is_never_shown(
    volcano_seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.data import similar

    held = threading.Event()
    real = similar.more_like_this

    def slow_for_the_first(index: ArticleIndex, article: Article, **options: Any) -> list[Article]:
        if article.title.startswith("Volcano erupts"):
            held.wait(10)  # still finding it when the reader moves on
        return real(index, article, **options)

    app = NewsDeckApp(volcano_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        monkeypatch.setattr("tui.screens.more_like_this.more_like_this", slow_for_the_first)
        screen.find_similar(screen.current)  # asked again: this answer is held back
        await pilot.press("j", "j", "j")
        await settled(pilot)
        assert shown(screen) == "Cup final ends in a draw"
        held.set()  # the earlier answer comes now: too late to be shown
        await settled(pilot)
        assert similar_titles(screen)[0] == "Football cup final goes to penalties"


async def test_a_similar_article_the_search_leaves_out_is_shown_without_the_search(
    volcano_seed: Path, notices: list[str]
) -> None:
    app = NewsDeckApp(volcano_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await settled(pilot)
        await pilot.press("slash", *"erupts", "enter")
        await settled(pilot)
        assert [article.title for article in screen.query_one(ArticleList).articles] == [
            "Volcano erupts on remote island"
        ]
        screen.query_one(SimilarList).focus()
        await pilot.press("enter")
        assert shown(screen) == "Island volcano sends lava into the sea"
        assert screen.spec.query == "" and screen.query_one("#search", Input).value == ""
        assert "Showing all articles: the search left it out." in notices
        await pilot.press("backspace")
        assert shown(screen) == "Volcano erupts on remote island" and screen.spec.query == "erupts"
        assert screen.query_one("#search", Input).value == "erupts"
