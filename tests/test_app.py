"""The reader driven from the keyboard, as a user would (Textual's Pilot)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text, loaded, status
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar, Static

from tui.app import NewsDeckApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.skipped import SkippedScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList
from tui.widgets.related_list import RelatedList
from tui.widgets.topic_sidebar import TopicSidebar

RELATED = """related:
  - title: "Inside story"
    webUrl: "https://news.example/inside"
    provider: {name: Example Times}
  - title: "Outside story"
    webUrl: "https://elsewhere.example/outside"
    provider: {name: Elsewhere}
  - title: "Sneaky story"
    webUrl: "javascript:alert(1)"
"""


@pytest.fixture
def small_seed(write_article: ArticleWriter, seed: Path) -> Path:
    """Space has 3 articles, Climate 2, Art 1 (ties: by name), plus one broken file."""
    write_article(
        "a.md",
        title="Rocket lands on barge",
        url="https://news.example/rocket",
        published="2024-03-05T09:00:00Z",
        topics=["Space", "Climate"],
        extra=RELATED,
    )
    write_article(
        "b.md",
        title="Comet seen at dawn",
        url="https://news.example/comet",
        published="2024-03-04T09:00:00Z",
        topics=["Space"],
    )
    write_article(
        "sub/c.md",
        title="Inside story",
        url="https://news.example/inside",
        published="2024-03-03T09:00:00Z",
        topics=["space", "Art"],
    )
    write_article(
        "d.txt",
        title="Sea ice at record low",
        url="https://news.example/ice",
        published="2024-03-02T09:00:00Z",
        topics=["Climate"],
    )
    write_article(
        "e.md",
        content=article_text("Web only", url=None, topics=[], extra='webUrl: "https://web.example/only"'),
    )
    write_article("broken.md", content="no front matter here\n")
    return seed


def titles(screen: MainScreen) -> list[str]:
    return [article.title for article in screen.query_one(ArticleList).articles]


def sidebar_rows(screen: MainScreen) -> list[str]:
    sidebar = screen.query_one(TopicSidebar)
    return [sidebar.render_row(row, 40, sidebar.rich_style).text.rstrip() for row in range(sidebar.row_count)]


async def test_sidebar_lists_all_then_topics_by_count(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        rows = [" ".join(row.split()) for row in sidebar_rows(screen)]
        assert rows == [
            "0✓ All articles 5/5",  # unread of all
            "★ Starred 0",
            "1 Space 3/3",
            "2 Climate 2/2",
            "3 Art 1/1",
            "Providers (1)",
            "Example Times 5/5",
        ]


async def test_list_is_newest_first_with_provider_and_date(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert titles(screen) == [
            "Rocket lands on barge",
            "Comet seen at dawn",
            "Inside story",
            "Sea ice at record low",
            "Web only",
        ]
        first_row = screen.query_one(ArticleList).render_line(0).text
        assert "Rocket lands on barge" in first_row
        assert "Example Times" in first_row
        assert "Mar  5 2024" in first_row  # compact in the list; the full date is in the detail view


async def test_number_keys_filter_by_topic_and_zero_shows_all(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("2")
        assert titles(screen) == ["Rocket lands on barge", "Sea ice at record low"]
        assert status(screen).startswith("Climate: 2 articles (2 unread) of 5")
        await pilot.press("1")
        assert titles(screen) == ["Rocket lands on barge", "Comet seen at dawn", "Inside story"]
        assert status(screen).startswith("Space: 3 articles")
        await pilot.press("0")
        assert len(titles(screen)) == 5
        assert status(screen).startswith("All articles: 5 articles")
        await pilot.press("9")
        assert len(titles(screen)) == 5


async def test_sidebar_enter_applies_topic(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("t")
        assert isinstance(app.focused, TopicSidebar)
        await pilot.press("down", "down", "j", "k", "down", "down", "enter")  # past Starred, Space, Climate
        assert titles(screen) == ["Inside story"]
        assert screen.query_one("#articles").border_title == "Art"


async def test_tab_moves_between_panes(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot)
        assert isinstance(app.focused, ArticleList)
        await pilot.press("tab")
        assert isinstance(app.focused, ArticleDetail)
        await pilot.press("tab")
        assert isinstance(app.focused, RelatedList)
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, TopicSidebar)


async def test_detail_follows_the_highlighted_article(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        detail = screen.query_one(ArticleDetail)
        assert detail.article is not None and detail.article.title == "Rocket lands on barge"
        assert str(detail.query_one("#detail-topics", Static).content) == "Topics: Space, Climate"
        assert "Example Times (times.example) · 2024-03-05 09:00" in str(
            detail.query_one("#detail-meta", Static).content
        )
        await pilot.press("down")
        assert detail.article is not None and detail.article.title == "Comet seen at dawn"
        await pilot.press("j", "j")
        assert detail.article is not None and detail.article.title == "Sea ice at record low"
        await pilot.press("k")
        assert detail.article is not None and detail.article.title == "Inside story"


async def test_related_item_in_index_opens_inside_newsdeck(
    small_seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = NewsDeckApp(small_seed)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("2")  # Climate: "Inside story" is not in this topic
        related = screen.query_one(RelatedList)
        related.focus()
        await pilot.press("enter")
        assert opened == []
        assert screen.query_one(ArticleList).current.title == "Inside story"  # type: ignore[union-attr]
        assert screen.query_one(ArticleDetail).article.title == "Inside story"  # type: ignore[union-attr]
        assert status(screen).startswith("All articles")


async def test_related_item_elsewhere_opens_in_browser(
    small_seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = NewsDeckApp(small_seed)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        screen.query_one(RelatedList).focus()
        await pilot.press("down", "enter")
        assert opened == ["https://elsewhere.example/outside"]
        await pilot.press("o")
        assert opened == ["https://elsewhere.example/outside"] * 2
        await pilot.press("down", "o", "enter")
        assert opened == ["https://elsewhere.example/outside"] * 2


async def test_o_opens_original_url_then_web_url(small_seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = NewsDeckApp(small_seed)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        assert opened == ["https://news.example/rocket"]
        await pilot.press("end", "o")
        assert opened[-1] == "https://web.example/only"


async def test_o_refuses_javascript_urls(
    write_article: ArticleWriter, seed: Path, monkeypatch: pytest.MonkeyPatch, notices: list[str]
) -> None:
    write_article("evil.md", title="Click me", url="javascript:alert(document.cookie)")
    app = NewsDeckApp(seed)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert opened == []
        assert any("only http and https" in notice for notice in notices)
        assert "will not open it" in str(screen.query_one("#detail-url", Static).content)


async def test_help_opens_and_closes(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = [str(static.content) for static in app.screen.query(".help-key").results(Static)]
        for key in ("tab or shift+tab", "enter", "escape", "t", "1 … 9", "0", "o", "!", "?", "q"):
            assert key in keys
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_q_quits(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_skipped_files_are_counted_and_listed(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert "1 file skipped (press !)" in status(screen)
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, SkippedScreen)
        row = app.screen.query_one("#skipped-list").render_line(0).text  # type: ignore[attr-defined]
        assert "broken.md" in row and "no front matter" in row
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_topic_option_opens_filtered(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed, topic="  CLIMATE ")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert titles(screen) == ["Rocket lands on barge", "Sea ice at record low"]
        assert status(screen).startswith("Climate: 2 articles")


async def test_unknown_topic_option_shows_all_with_a_warning(small_seed: Path, notices: list[str]) -> None:
    app = NewsDeckApp(small_seed, topic="Gardening")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert len(titles(screen)) == 5
        assert any("Gardening" in notice for notice in notices)


async def test_missing_directory_is_explained_in_the_app(tmp_path: Path) -> None:
    app = NewsDeckApp(tmp_path / "nowhere")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert "no such directory" in status(screen)
        assert "no such directory" in screen.query_one(ArticleList).render_line(0).text
        await pilot.press("down", "o", "1", "0", "t", "enter")  # nothing to act on, nothing breaks
        assert app.is_running


async def test_markup_and_escapes_in_titles_are_shown_literally(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_article(
        "markup.md",
        content='---\ntitle: "[bold red]Loud[/] [link=https://evil.example]x[/link] \\e[31mred"\n'
        'excerpt: "[blink]Excerpt[/blink]"\n---\n',
    )
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        articles = screen.query_one(ArticleList)
        row = articles.render_row(0, 200, articles.rich_style).text
        assert "[bold red]Loud[/] [link=https://evil.example]x[/link]" in row
        assert "\x1b" not in row and "␛[31mred" in row
        detail = screen.query_one(ArticleDetail)
        title = detail.query_one("#detail-title", Static).render()
        assert "[bold red]Loud[/]" in str(title)
        assert "[blink]Excerpt[/blink]" in str(detail.query_one("#detail-excerpt", Static).render())


async def test_demo_opens_without_a_directory() -> None:
    app = NewsDeckApp(None)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert len(titles(screen)) == 300
        assert "Demo data" in screen.sub_title
        assert len(screen.query_one(TopicSidebar).topics) >= 9


async def test_loading_reports_progress(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        progress = screen.query_one(ProgressBar)
        assert (progress.total, progress.progress) == (6, 6)
        assert not progress.display or screen.has_class("-loaded")


async def test_sidebar_counts_match_check_on_the_corpus(corpus: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(corpus), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(completed.stdout)
    app = NewsDeckApp(corpus)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        sidebar = screen.query_one(TopicSidebar)
        assert sidebar.rows[0].count == report["articles"]
        shown = [{"name": facet.name, "count": facet.count} for facet in sidebar.topics]
        assert shown == report["topics"]
        providers = [{"name": facet.name, "count": facet.count} for facet in sidebar.providers]
        assert providers == report["providers"]
        rows = sidebar_rows(screen)
        # Nothing is read yet in this fresh profile: unread/total shows the count twice.
        assert rows[0].split()[-1] == f"{report['articles']:,}/{report['articles']:,}"
        topic_rows = rows[2 : 2 + len(report["topics"])]
        for row, topic in zip(topic_rows, report["topics"], strict=True):
            assert topic["name"] in row and row.split()[-1] == f"{topic['count']:,}/{topic['count']:,}"
        provider_rows = rows[3 + len(report["topics"]) :]
        for row, provider in zip(provider_rows, report["providers"], strict=True):
            count = f"{provider['count']:,}"
            assert provider["name"] in row and row.split()[-1] == f"{count}/{count}"
        assert f"{report['articles']:,} articles" in status(screen)


async def test_enter_reads_the_article_full_window_and_escape_returns(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("down", "enter")
        assert screen.maximized is screen.query_one("#detail-pane")
        assert isinstance(app.focused, ArticleDetail)
        assert app.focused.article.title == "Comet seen at dawn"  # type: ignore[union-attr]
        await pilot.press("escape")
        assert screen.maximized is None
        assert isinstance(app.focused, ArticleList)
        assert app.focused.current.title == "Comet seen at dawn"  # type: ignore[union-attr]


async def test_clicking_a_row_highlights_that_row(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        articles = screen.query_one(ArticleList)
        await pilot.click(ArticleList, offset=(5, 3))  # border row + third article row
        assert articles.current.title == "Inside story"  # type: ignore[union-attr]
        await pilot.click(TopicSidebar, offset=(5, 3))  # border, All articles, Starred, Space
        await pilot.click(TopicSidebar, offset=(5, 3), times=2)
        assert titles(screen) == ["Rocket lands on barge", "Comet seen at dawn", "Inside story"]


async def test_related_title_says_when_the_list_was_cut(write_article: ArticleWriter, seed: Path) -> None:
    items = "".join(f'  - title: "Item {n}"\n    webUrl: "https://r.example/{n}"\n' for n in range(1500))
    write_article("long.md", title="Many related", extra="related:\n" + items.rstrip("\n"))
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        related = screen.query_one(RelatedList)
        assert related.row_count == 1000
        assert related.border_title == "Related (1,000 of 1,500)"


async def test_skipped_dialog_spells_out_the_highlighted_file(
    small_seed: Path, write_article: ArticleWriter
) -> None:
    write_article("z-empty.md", content="")
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        detail = app.screen.query_one("#skipped-detail", Static)
        assert str(detail.content).startswith("broken.md\nno front matter")
        await pilot.press("down")
        assert str(detail.content) == "z-empty.md\nempty file"


@pytest.fixture
def gated_parsing(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, int]]:
    """Parsing that stops after the first files until the test opens the gate.

    Partial results are handed out as soon as there are any, so the test sees the
    reader in the middle of a load for as long as it needs, without a clock.
    """
    import tui.data.parallel as parallel

    gate = threading.Event()
    parsed = [0]
    real = parallel.parse_file

    def gated(found: parallel.FoundFile) -> parallel.ParsedFile:
        parsed[0] += 1
        if parsed[0] > 40:
            gate.wait(timeout=30)
        return real(found)

    monkeypatch.setattr(parallel, "parse_file", gated)
    monkeypatch.setattr("tui.data.load_result.PartialSchedule.FIRST_AFTER_SECONDS", 0.0)
    try:
        yield gate, 40
    finally:
        gate.set()


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> bool:
    """Let the app process its messages until `condition` holds (bounded)."""
    for _ in range(2000):
        if condition():
            return True
        await pilot.pause()
    return condition()


async def test_reader_is_usable_while_a_large_directory_loads(
    write_article: ArticleWriter, seed: Path, gated_parsing: tuple[threading.Event, int]
) -> None:
    import time as time_module

    gate, _ = gated_parsing
    for number in range(150):
        write_article(f"n{number:03d}.md", title=f"Story {number:03d}", url=f"https://n.example/{number}")
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:

        def rows_shown() -> bool:
            return isinstance(app.screen, MainScreen) and app.screen.query_one(ArticleList).row_count > 0

        assert await until(pilot, rows_shown), "no article shown while loading"
        screen = app.screen
        assert isinstance(screen, MainScreen)
        articles = screen.query_one(ArticleList)
        assert screen.result is not None and not screen.result.complete
        assert "Loading…" in status(screen) and " of 0 " not in status(screen)
        await pilot.press("down")
        assert articles.cursor == 1
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "q")
        started = time_module.perf_counter()
        await pilot.pause()
    assert time_module.perf_counter() - started < 2
    assert not app.is_running
    gate.set()


async def test_topic_option_waits_for_its_articles_showing_all_meanwhile(
    write_article: ArticleWriter, seed: Path, gated_parsing: tuple[threading.Event, int]
) -> None:
    gate, _ = gated_parsing
    for number in range(60):
        write_article(f"n{number:03d}.md", title=f"Story {number:03d}", url=f"https://n.example/{number}")
    write_article("z.md", title="The rare one", url="https://n.example/rare", topics=["Rare"])
    app = NewsDeckApp(seed, topic="rare")
    async with app.run_test(size=(160, 50)) as pilot:

        def partial_shown() -> bool:
            screen = app.screen
            return (
                isinstance(screen, MainScreen)
                and screen.result is not None
                and not screen.result.complete
                and screen.query_one(ArticleList).row_count > 0
            )

        assert await until(pilot, partial_shown)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.spec.selection.is_everything  # all articles until the topic's file is read
        gate.set()
        screen = await loaded(pilot)
        assert titles(screen) == ["The rare one"]
        assert status(screen).startswith("Rare: 1 article")


async def wait_for_search(pilot: Pilot[None]) -> None:
    await pilot.app.screen.workers.wait_for_complete()
    await pilot.pause()


async def test_slash_searches_as_you_type_and_escape_clears(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for_search(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"roc")
        assert titles(screen) == ["Rocket lands on barge"]  # "roc" already finds "Rocket"
        await pilot.press("space", *"-barge")
        assert titles(screen) == []
        assert status(screen).startswith("Search: roc -barge ·")
        await pilot.press("escape")
        assert len(titles(screen)) == 5
        assert isinstance(app.focused, ArticleList)
        assert not screen.has_class("-searching")


async def test_search_combines_with_the_topic_and_marks_matches(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for_search(pilot)
        await pilot.press("1", "slash", *"story")
        assert titles(screen) == ["Inside story"]  # Space only
        await pilot.press("enter", "0")
        assert titles(screen) == ["Inside story"]  # still searching, all topics
        articles = screen.query_one(ArticleList)
        row = articles.render_row(0, 120, articles.rich_style)
        marked = [segment.text for segment in row if segment.style and segment.style.underline]
        assert "story" in "".join(marked)
        await pilot.press("slash", *" topic:art provider:times.example after:2024-03-01 before:2024-03-04")
        assert titles(screen) == ["Inside story"]


async def test_a_bad_query_is_explained_not_fatal(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for_search(pilot)
        await pilot.press("slash", *'after:someday "rocket')
        assert "wants a date" in status(screen) and "quote is not closed" in status(screen)
        assert titles(screen) == ["Rocket lands on barge"]


async def test_search_option_opens_with_the_search_applied(small_seed: Path) -> None:
    app = NewsDeckApp(small_seed, search="sea ice")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await wait_for_search(pilot)
        assert titles(screen) == ["Sea ice at record low"]
        assert screen.query_one("#search", Input).value == "sea ice"


async def test_s_cycles_newest_oldest_and_rank(write_article: ArticleWriter, seed: Path) -> None:
    write_article(
        "a.md",
        title="Old but good",
        url="https://n.example/a",
        published="2020-01-01T00:00:00Z",
        extra="quality: 200\nheat: 5",
    )
    write_article(
        "b.md",
        title="New and hot",
        url="https://n.example/b",
        published="2024-01-01T00:00:00Z",
        extra="quality: 100\nheat: 90",
    )
    write_article(
        "c.md",
        title="Middle",
        url="https://n.example/c",
        published="2022-01-01T00:00:00Z",
        extra="quality: 100\nheat: 10",
    )
    write_article("d.md", title="Undated", url="https://n.example/d", published=None)
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert titles(screen) == ["New and hot", "Middle", "Old but good", "Undated"]
        assert "newest first" in status(screen)
        await pilot.press("down", "s")
        assert titles(screen) == ["Old but good", "Middle", "New and hot", "Undated"]
        assert "oldest first" in status(screen)
        assert screen.query_one(ArticleList).current.title == "Old but good"  # type: ignore[union-attr]
        await pilot.press("s")
        assert titles(screen) == ["Old but good", "New and hot", "Middle", "Undated"]
        assert "by rank" in status(screen)
        await pilot.press("1")
        assert "by rank" in status(screen)
        await pilot.press("s")
        assert titles(screen)[0] == "New and hot"


@pytest.fixture
def faceted_seed(write_article: ArticleWriter, seed: Path) -> Path:
    """Space: Moon (Alpha), Mars (Beta), Both (Alpha, also Climate); Climate: Ice (Alpha)."""
    for name, title, when, topics, provider in [
        ("moon.md", "Moon base opens", "2024-03-04", ["Space"], "Alpha News"),
        ("mars.md", "Mars rover wakes", "2024-03-03", ["Space"], "Beta Wire"),
        ("both.md", "Rockets warm the air", "2024-03-02", ["Space", "Climate"], "Alpha News"),
        ("ice.md", "Ice shelf cracks", "2024-03-01", ["Climate"], "Alpha News"),
    ]:
        write_article(
            name,
            title=title,
            url=f"https://n.example/{name}",
            published=f"{when}T09:00:00Z",
            topics=topics,
            provider=provider,
            domain=provider.split()[0].lower() + ".example",
        )
    return seed


async def test_sidebar_lists_providers_and_choosing_one_combines_with_a_topic(faceted_seed: Path) -> None:
    app = NewsDeckApp(faceted_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        rows = [" ".join(row.split()) for row in sidebar_rows(screen)]
        assert rows[-3:] == ["Providers (2)", "Alpha News 3/3", "Beta Wire 1/1"]
        await pilot.press("t", "end", "up", "enter")  # Alpha News
        assert titles(screen) == ["Moon base opens", "Rockets warm the air", "Ice shelf cracks"]
        assert status(screen).startswith("From Alpha News: 3 articles (3 unread) of 4")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("1")  # Space, still from Alpha News
        assert titles(screen) == ["Moon base opens", "Rockets warm the air"]
        assert status(screen).startswith("Space from Alpha News: 2 articles")
        assert screen.query_one("#articles").border_title == "Space from Alpha News"
        await pilot.press("t", "end", "up", "enter")  # enter on the chosen provider keeps it chosen
        assert titles(screen) == ["Moon base opens", "Rockets warm the air"]
        await pilot.press("t", "end", "up", "space")  # space takes it away: every provider
        assert titles(screen) == ["Moon base opens", "Mars rover wakes", "Rockets warm the air"]
        await pilot.press("0")
        assert len(titles(screen)) == 4


async def test_the_cursor_steps_over_the_providers_heading(faceted_seed: Path) -> None:
    app = NewsDeckApp(faceted_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        sidebar = screen.query_one(TopicSidebar)
        await pilot.press("t", "down", "down", "down", "down")  # past Starred, Space and Climate
        assert sidebar.rows[sidebar.cursor].name == "Alpha News"
        await pilot.press("up")
        assert sidebar.rows[sidebar.cursor].name == "Climate"


async def test_space_chooses_several_topics_and_a_switches_any_to_all(faceted_seed: Path) -> None:
    app = NewsDeckApp(faceted_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("t", "down", "down", "space")  # Space
        assert titles(screen) == ["Moon base opens", "Mars rover wakes", "Rockets warm the air"]
        assert isinstance(app.focused, TopicSidebar)  # still choosing
        await pilot.press("down", "space")  # and Climate
        assert len(titles(screen)) == 4
        assert status(screen).startswith("Space or Climate: 4 articles (4 unread) of 4")
        assert "a: all of the topics" in status(screen)
        rows = [" ".join(row.split()) for row in sidebar_rows(screen)]
        assert rows[2:4] == ["1✓ Space 3/3", "2✓ Climate 2/2"]
        await pilot.press("a")
        assert titles(screen) == ["Rockets warm the air"]
        assert status(screen).startswith("Space and Climate: 1 article (1 unread) of 4")
        assert "a: any of the topics" in status(screen)
        await pilot.press("space")  # Climate off: Space alone
        assert titles(screen) == ["Moon base opens", "Mars rover wakes", "Rockets warm the air"]
        assert status(screen).startswith("Space: 3 articles")
        await pilot.press("up", "enter")  # enter on a topic shows just that one
        assert len(titles(screen)) == 3 and isinstance(app.focused, ArticleList)


async def palette_choose(pilot: Pilot[None], query: str, expected_first: str) -> None:
    """Open the command palette, type `query`, wait for `expected_first` on top, press enter."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    assert palette.query_one(Input).placeholder.startswith("Go to a topic")
    await pilot.press(*query)
    options = palette.query_one(CommandList)
    for _ in range(100):
        await pilot.pause(0.02)
        if options.option_count and str(options.get_option_at_index(0).prompt).startswith(expected_first):
            break
    first = str(options.get_option_at_index(0).prompt) if options.option_count else "nothing"
    assert first.startswith(expected_first), first
    await pilot.press("enter")
    await pilot.pause()


async def test_palette_jumps_to_a_topic_a_provider_and_an_article(faceted_seed: Path) -> None:
    app = NewsDeckApp(faceted_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await palette_choose(pilot, "clim", "Topic: Climate")
        assert titles(screen) == ["Rockets warm the air", "Ice shelf cracks"]
        await palette_choose(pilot, "beta", "Provider: Beta Wire")
        assert titles(screen) == ["Mars rover wakes"]
        assert status(screen).startswith("From Beta Wire: 1 article")
        await palette_choose(pilot, "shlf crk", "Ice shelf cracks")  # fuzzy: letters in order
        article = screen.query_one(ArticleList).current
        assert article is not None and article.title == "Ice shelf cracks"
        assert screen.query_one(ArticleDetail).article is article
        assert isinstance(app.focused, ArticleList)


async def test_palette_shows_titles_literally(write_article: ArticleWriter, seed: Path) -> None:
    write_article(
        "m.md", title="[bold]Loud[/] [link=https://evil.example]click[/link]", url="https://n.example/m"
    )
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await palette_choose(pilot, "loud", "[bold]Loud[/] [link=https://evil.example]click[/link]")
        assert screen.query_one(ArticleList).current is not None


async def test_search_combines_with_a_provider_and_several_topics(faceted_seed: Path) -> None:
    app = NewsDeckApp(faceted_seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("t", "end", "up", "enter")  # Alpha News
        await pilot.press("slash", *"base")
        assert titles(screen) == ["Moon base opens"]
        await pilot.press("escape")
        assert len(titles(screen)) == 3  # the search is gone, the provider stays
        await pilot.press("t", "home", "down", "down", "space", "down", "space")  # Space and Climate
        await pilot.press("slash", *"ice moon")  # both words: no article has them
        assert titles(screen) == []
        await pilot.press(*["backspace"] * 5)
        assert titles(screen) == ["Ice shelf cracks"]
        assert status(screen).startswith("Search: ice · Space or Climate from Alpha News: 1 article")


async def test_markup_in_provider_names_is_shown_literally(write_article: ArticleWriter, seed: Path) -> None:
    write_article(
        "m.md", title="Loud story", url="https://n.example/m", provider="Wire [/] [b]bold", domain="w.example"
    )
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("t", "end", "enter")  # the provider
        shown = Content.from_markup(str(screen.query_one("#articles").border_title)).plain
        assert shown == "From Wire [/] [b]bold"  # as the border draws it
        await palette_choose(pilot, "loud", "Loud story")
        assert screen.query_one(ArticleList).current is not None


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_reading_full_window_fits_the_window(small_seed: Path, size: tuple[int, int]) -> None:
    app = NewsDeckApp(small_seed)
    async with app.run_test(size=size) as pilot:
        screen = await loaded(pilot)
        await pilot.press("enter")
        pane = screen.query_one("#detail-pane")
        assert screen.maximized is pane
        assert pane.region.x >= 0 and pane.region.right <= size[0]
        assert pane.region.width >= size[0] - 2  # the whole window, not a share of it
