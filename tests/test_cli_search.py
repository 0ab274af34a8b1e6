"""`--search` on the command line: queries starting with `-`, and the same rule as the reader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded

from tui.cli import build_reader
from tui.data.check import build_report
from tui.data.loader import load_directory
from tui.data.search import Prefix, find, match_spans, parse_query


def run_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *arguments], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def election(write_article: ArticleWriter, seed: Path) -> Path:
    write_article("a.md", title="Biden speaks", url="https://n.example/a", published="2024-03-02T10:00:00Z")
    write_article(
        "b.md", title="A bid for office", url="https://n.example/b", published="2024-03-01T10:00:00Z"
    )
    write_article("c.md", title="Trump rallies", url="https://n.example/c", published="2024-02-01T10:00:00Z")
    return seed


# 1. A query that starts with "-" -------------------------------------------------------------


@pytest.mark.parametrize("spelling", [["--search", "-trump"], ["--search=-trump"], ["--sea", "-trump"]])
def test_check_takes_a_search_that_starts_with_minus(election: Path, spelling: list[str]) -> None:
    completed = run_cli("check", str(election), *spelling, "--json")
    assert completed.returncode == 0, completed.stderr
    search = json.loads(completed.stdout)["search"]
    assert search["query"] == "-trump"
    assert [match["title"] for match in search["matches"]] == ["Biden speaks", "A bid for office"]
    assert "problems" not in search


def test_check_text_report_takes_a_search_that_starts_with_minus(election: Path) -> None:
    completed = run_cli("check", str(election), "--search", "-trump")
    assert completed.returncode == 0, completed.stderr
    assert "Search for -trump: 2 matches" in completed.stdout


def test_search_without_a_query_is_still_an_error(election: Path) -> None:
    completed = run_cli("check", str(election), "--search")
    assert completed.returncode == 2
    assert "expected one argument" in completed.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["SEED", "--search", "-trump"],
        ["--search", "-trump", "SEED"],
        ["SEED", "--search", "-trump", "--topic", "World", "--no-cache"],
        ["SEED", "--search=-trump"],
    ],
)
def test_the_reader_takes_a_search_that_starts_with_minus(election: Path, arguments: list[str]) -> None:
    app = build_reader([str(election) if argument == "SEED" else argument for argument in arguments])
    assert not isinstance(app, str), app
    assert app.search == "-trump"
    assert app.directory == election
    if "--topic" in arguments:
        assert app.topic == "World" and not app.use_cache


def test_after_a_double_dash_every_word_is_a_directory(election: Path) -> None:
    app = build_reader(["--", str(election)])
    assert not isinstance(app, str), app
    assert app.directory == election and app.search is None


# 2. One prefix rule for the reader and `check` ----------------------------------------------


def test_check_search_uses_the_readers_prefix_rule(election: Path) -> None:
    completed = run_cli("check", str(election), "--search", "bid", "--json")
    assert completed.returncode == 0, completed.stderr
    search = json.loads(completed.stdout)["search"]
    assert [match["title"] for match in search["matches"]] == ["Biden speaks", "A bid for office"]
    # The reader's rule: the query as typed in the search field.
    index = load_directory(election, use_cache=False).index
    assert search["count"] == len(find(index, parse_query("bid", typing=True)))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("bid", ["Biden speaks", "A bid for office"]),
        ("bid ", ["A bid for office"]),  # a space ends the word
        ('"bid"', ["A bid for office"]),  # so do quotes
        ("bi", []),  # under three letters: whole words only
        ("biden -trump", ["Biden speaks"]),
    ],
)
def test_check_report_and_reader_agree_on_every_query(election: Path, text: str, found: list[str]) -> None:
    result = load_directory(election, use_cache=False)
    report = build_report(result, search=text)["search"]
    assert [match["title"] for match in report["matches"]] == found  # type: ignore[index]
    assert [article.title for article in find(result.index, parse_query(text, typing=True))] == found


async def test_the_reader_finds_what_check_finds(election: Path) -> None:
    from tui.widgets.article_list import ArticleList

    completed = run_cli("check", str(election), "--search", "bid", "--json")
    expected = [match["title"] for match in json.loads(completed.stdout)["search"]["matches"]]
    app = build_reader([str(election), "--search", "bid"])
    assert not isinstance(app, str), app
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await loaded(pilot)
        assert [article.title for article in screen.query_one(ArticleList).articles] == expected


# 6. What is marked is what matched -----------------------------------------------------------


def marked(text: str, query: str, *, typing: bool = True) -> list[str]:
    return [
        text[start:end] for start, end in match_spans(text, parse_query(query, typing=typing).highlight_words)
    ]


def test_only_the_last_word_is_marked_as_a_prefix() -> None:
    text = "Art and artists: rocketship rockets"
    assert marked(text, "art rockets") == ["Art", "rocketship", "rockets"]
    assert marked(text, "rockets art") == ["Art", "artists", "rockets"]  # now "art" is the last word
    assert marked(text, "rockets art ") == ["Art", "rockets"]


def test_a_finished_or_quoted_word_is_marked_whole() -> None:
    text = "Biden makes a bid"
    assert marked(text, "bid") == ["Biden", "bid"]
    assert marked(text, "bid ") == ["bid"]
    assert marked(text, '"bid"') == ["bid"]
    assert marked(text, "bid", typing=False) == ["bid"]
    assert marked(text, "bi") == []


def test_phrases_and_excluded_words() -> None:
    text = "The vice president and the vice squad"
    assert marked(text, '"vice president"') == ["vice", "president", "vice"]
    assert marked(text, "squad -president") == ["squad"]


def test_marks_keep_accents_and_case() -> None:
    assert marked("Pénélope WINS", "penelope win") == ["Pénélope", "WINS"]


def test_match_spans_takes_plain_words_and_prefixes() -> None:
    text = "Biden makes a bid"
    assert match_spans(text, ["bid"]) == [(14, 17)]
    assert match_spans(text, [Prefix("bid")]) == [(0, 5), (14, 17)]
    assert match_spans(text, ("makes", Prefix("bid"))) == [(0, 5), (6, 11), (14, 17)]
    assert match_spans(text, []) == [] and match_spans("", [Prefix("bid")]) == []


def test_highlight_words_say_which_word_is_a_prefix() -> None:
    assert parse_query("art rockets", typing=True).highlight_words == ["art", Prefix("rockets")]
    assert parse_query("art rockets ", typing=True).highlight_words == ["art", "rockets"]
