"""The settings file, applied: theme, order, unread only, pictures, keymap; mistakes said, defaults used."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded
from textual.widgets import Input

from tui.app import NewsDeckApp
from tui.cli import build_reader
from tui.widgets.article_list import ArticleList
from tui.widgets.lead_picture import LeadPicture
from tui.widgets.related_list import RelatedList

SETTINGS = """
theme = "nord"
sort = "oldest"
unread_only = true
pictures = false
sidebar_width = "wide"
date_style = "iso"

[keymap]
"newsdeck.search" = "ctrl+f"
"""


async def test_the_settings_file_is_applied_and_its_mistakes_said(
    write_article: ArticleWriter,
    seed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    notices: list[str],
) -> None:
    write_article("a.md", title="Older", url="https://n.example/a", published="2024-03-01T10:00:00Z")
    related = (
        "related:\n  - title: Somewhere else\n    originalUrl: https://elsewhere.example/x\n"
        "    publishedDateTime: 2024-02-20T10:00:00Z"
    )
    write_article(
        "b.md", title="Newer", url="https://n.example/b", published="2024-03-02T10:00:00Z", extra=related
    )
    settings = tmp_path / "config.toml"
    settings.write_text(f'directory = "{seed}"\n' + SETTINGS, encoding="utf-8")
    monkeypatch.setenv("NEWSDECK_CONFIG", str(settings))
    app = build_reader([])  # no directory on the command line: the file's
    assert isinstance(app, NewsDeckApp) and app.directory == seed
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        assert app.theme == "nord"
        assert screen.spec.sort == "oldest" and screen.spec.unread_only
        assert [article.title for article in screen.articles.articles] == ["Older", "Newer"]
        assert not screen.query_one(LeadPicture).enabled
        assert "2024-03-01" in screen.query_one(ArticleList).render_line(0).text
        await pilot.press("j")  # Newer, with its related item: dated the same way
        await app.workers.wait_for_complete()  # the related items are read from the file in a worker
        await pilot.pause()
        related = screen.query_one(RelatedList)
        assert "2024-02-20" in related.render_line(0).text
        assert any("sidebar_width" in notice and "config.toml:7" in notice for notice in notices)
        await pilot.press("slash")
        assert not screen.query_one("#search", Input).has_focus  # / is no longer search
        await pilot.press("ctrl+f")
        assert screen.query_one("#search", Input).has_focus


async def test_reader_timeouts_come_from_the_settings(
    write_article: ArticleWriter, seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from pytest_httpserver import HTTPServer
    from werkzeug import Request, Response

    from tui.widgets.article_detail import ArticleDetail

    release = threading.Event()
    server = HTTPServer()
    server.start()

    def stall(_request: Request) -> Response:
        release.wait(10)  # longer than the settings allow
        return Response("late", content_type="text/html")

    server.expect_request("/slow").respond_with_handler(stall)
    write_article("a.md", title="Slow page", url=server.url_for("/slow"))
    settings = tmp_path / "config.toml"
    settings.write_text("[reader]\nconnect_timeout = 1\nread_timeout = 0.5\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDECK_CONFIG", str(settings))
    app = build_reader([str(seed)])
    assert isinstance(app, NewsDeckApp)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await loaded(pilot)
            await pilot.press("r")
            await screen.workers.wait_for_complete()
            await pilot.pause()
            line = str(screen.query_one("#full-text-source").content)  # type: ignore[attr-defined]
            assert "did not answer in time" in line
            assert screen.query_one(ArticleDetail).article is not None
    finally:
        release.set()
        server.clear()
        server.stop()


async def test_a_theme_chosen_is_kept_in_the_file_with_its_comments(
    write_article: ArticleWriter, seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="A story", url="https://n.example/a")
    settings = tmp_path / "config.toml"
    settings.write_text(
        '# my settings\ntheme = "nord"  # for the evening\nsort = "oldest"\n', encoding="utf-8"
    )
    monkeypatch.setenv("NEWSDECK_CONFIG", str(settings))
    app = build_reader([str(seed)])
    assert isinstance(app, NewsDeckApp)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert settings.read_text(encoding="utf-8").count("nord") == 1  # starting writes nothing
        app.theme = "gruvbox"  # as the palette's "Change theme" does
        await app.workers.wait_for_complete()
    text = settings.read_text(encoding="utf-8")
    assert 'theme = "gruvbox"' in text and "# my settings" in text and 'sort = "oldest"' in text
    again = build_reader([str(seed)])
    assert isinstance(again, NewsDeckApp)
    async with again.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert again.theme == "gruvbox"


async def test_the_sidebar_takes_the_width_set(
    write_article: ArticleWriter, seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_article("a.md", title="A story", url="https://n.example/a")
    settings = tmp_path / "config.toml"
    settings.write_text("sidebar_width = 40\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDECK_CONFIG", str(settings))
    app = build_reader([str(seed)])
    assert isinstance(app, NewsDeckApp)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await loaded(pilot)
        assert screen.query_one("#topics").outer_size.width == 40
