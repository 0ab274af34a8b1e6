"""An article's link, or why it has none (issue 9, defect 8), and the parsing modules' split.

A file that fills in `originalUrl` with something that is not a web address
used to be described as "This article has no link.": the detail view now says
which field is wrong and what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded
from textual.widgets import Static

from tui.app import NewsDeckApp
from tui.data import extras, fields, front_matter, parse
from tui.data.loader import load_directory
from tui.data.parse import parse_article
from tui.data.records import _parsing_sources


def _front(*lines: str) -> bytes:
    return ("---\ntitle: A story\n" + "".join(f"{line}\n" for line in lines) + "---\n").encode()


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            ['originalUrl: "htp//broken link"'],
            "originalUrl “htp//broken link” is not a web address: it has spaces in it",
        ),
        (["originalUrl: 42"], "originalUrl is a number, not a web address"),
        (["originalUrl: [https://a.example]"], "originalUrl is a list, not a web address"),
        (["originalUrl: true"], "originalUrl is true/false, not a web address"),
        (
            ['webUrl: "https://w.example/a page"'],
            "webUrl “https://w.example/a page” is not a web address: it has spaces in it",
        ),
        (
            ['originalUrl: "a b"', "webUrl: 7"],
            "originalUrl “a b” is not a web address: it has spaces in it;"
            " webUrl is a number, not a web address",
        ),
        # Raw control characters are shown, never sent to the terminal.
        (['originalUrl: "a \\e[31m b"'], "originalUrl “a ␛[31m b” is not a web address: it has spaces in it"),
        # Absent or blank: the file gives no link, and "no link" is the whole truth.
        ([], ""),
        (["originalUrl:"], ""),
        (['originalUrl: "  "'], ""),
        # One usable link is the article's link: the other field's mistake is not its problem.
        (['originalUrl: "a b"', "webUrl: https://w.example/1"], ""),
        (["originalUrl: https://o.example/1", "webUrl: 7"], ""),
        # Kept, and the detail view says why it is not opened.
        (["originalUrl: javascript:alert(1)"], ""),
    ],
)
def test_parsing_says_why_a_filled_in_url_gives_no_link(lines: list[str], problem: str) -> None:
    article = parse_article(_front(*lines), "story.md")
    assert article.link_problem == problem
    if problem:
        assert article.url == ""


def test_a_long_bad_url_is_shown_cut_short() -> None:
    article = parse_article(_front(f'originalUrl: "https://x.example/{"a" * 200} b"'), "story.md")
    shown = article.link_problem.split("“")[1].split("”")[0]
    assert len(shown) == 80
    assert shown.startswith("https://x.example/aaa") and shown.endswith("…")


def test_the_link_problem_comes_back_from_the_cache(write_article: ArticleWriter, seed: Path) -> None:
    write_article("story.md", url=None, extra='originalUrl: "htp//broken link"')
    first = load_directory(seed)
    again = load_directory(seed)
    assert again.from_cache == 1
    assert first.index.articles == again.index.articles
    assert again.index.articles[0].link_problem.startswith("originalUrl “htp//broken link”")


@pytest.mark.parametrize(
    ("url", "extra", "shown"),
    [
        (
            None,
            'originalUrl: "htp//broken link"',
            "originalUrl “htp//broken link” is not a web address: it has spaces in it",
        ),
        (None, "originalUrl: 42", "originalUrl is a number, not a web address"),
        (
            "javascript:alert(1)",
            "",
            "javascript:alert(1)\n(newsdeck will not open it: it is a javascript: link, not a web page)",
        ),
        (
            "file:///etc/passwd",
            "",
            "file:///etc/passwd\n(newsdeck will not open it: it is a file: link, not a web page)",
        ),
        (None, "", "This article has no link."),
        ("https://news.example/story", "", "https://news.example/story"),
    ],
    ids=["spaces", "number", "javascript", "file", "none", "web"],
)
async def test_the_detail_view_says_what_is_wrong_with_the_link(
    write_article: ArticleWriter, seed: Path, url: str | None, extra: str, shown: str
) -> None:
    write_article("story.md", title="The story", url=url, extra=extra)
    app = NewsDeckApp(seed)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert str(screen.query_one("#detail-url", Static).content) == shown


def test_a_change_to_any_parsing_module_makes_cached_records_stale() -> None:
    sources = _parsing_sources()
    for module in (parse, front_matter, fields):
        assert Path(module.__file__ or "").read_bytes() in sources, module.__name__


def test_the_parsing_modules_stay_small() -> None:
    for module in (parse, front_matter, fields, extras):
        lines = Path(module.__file__ or "").read_text(encoding="utf-8").count("\n")
        assert lines <= 400, (module.__name__, lines)
