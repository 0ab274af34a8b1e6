"""Hostile names, metadata and dates: nothing from disk takes control, nothing stops a load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text

from tui.data.cache import ENV_CACHE_DIR
from tui.data.check import build_report, format_report
from tui.data.dates import format_local, iso_utc, read_published
from tui.data.loader import load_directory
from tui.data.sanitize import clean_block, clean_line, visible

OSC52 = "x\x1b]52;c;Zm5hbWUtY2xpcA==\x1b\\y.md"
TITLE_CHANGE = "t\x1b]0;TITLE\x07.md"


def run_cli(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tui", *arguments], capture_output=True, timeout=120)


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE_DIR, str(directory))
    return directory


# 1. Escape sequences in names ------------------------------------------------


def test_escape_sequences_in_file_names_are_shown_not_obeyed(
    seed: Path, write_article: ArticleWriter
) -> None:
    write_article(OSC52, content="no front matter here")
    write_article(TITLE_CHANGE, content="no front matter either")
    write_article("fine.md", title="Fine")
    result = load_directory(seed)
    paths = sorted(item.path for item in result.skipped)
    assert paths == ["t␛]0;TITLE␇.md", "x␛]52;c;Zm5hbWUtY2xpcA==␛\\y.md"]
    completed = run_cli("check", str(seed))
    assert completed.returncode == 0
    assert b"\x1b" not in completed.stdout + completed.stderr and b"\x07" not in completed.stdout
    assert "x␛]52;c;Zm5hbWUtY2xpcA==␛\\y.md" in completed.stdout.decode()


def test_an_escape_in_the_directory_name_is_shown_not_obeyed(tmp_path: Path) -> None:
    missing = tmp_path / "gone\x1b]0;T\x07"
    completed = run_cli("check", str(missing))
    assert completed.returncode == 2
    assert b"\x1b" not in completed.stderr and "gone␛]0;T␇" in completed.stderr.decode()


def test_the_one_byte_csi_is_made_visible_not_turned_into_a_quote_mark() -> None:
    # U+009B is a CSI on terminals that read C1 controls; mojibake repair used to make it "›".
    assert clean_line("red \x9b31m alert") == "red \\x9b31m alert"
    assert clean_block("a\x9b2Jb") == "a\\x9b2Jb"
    # C1 characters inside genuinely double-encoded text are still repaired.
    assert clean_line("Facebook\xe2\x80\x99s and â€œquotesâ€\x9d") == "Facebook’s and “quotes”"


def test_visible_spells_out_every_control_and_undecodable_byte() -> None:
    name = os.fsdecode(b"a\xff\x1b[2J\x9b\n\xe2\x80\xaeb.md")
    assert visible(name) == "a\\xff␛[2J\\x9b␊\\u202eb.md"
    assert visible(visible(name)) == visible(name)


# 2. Bad _data files ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("!!bool maybe", "a !!bool value that is not a boolean ('maybe'), line 1"),
        ('!!bool ""', "a !!bool value that is not a boolean (''), line 1"),
        ('!!int ""', "a !!int value that is not an integer (''), line 1"),
        ('!!float ""', "a !!float value that is not a number (''), line 1"),
    ],
)
def test_a_bad_metadata_file_is_skipped_with_its_reason(
    seed: Path, write_article: ArticleWriter, value: str, reason: str
) -> None:
    write_article("_data/topics/bad.yaml", f"name: {value}\n")
    write_article("_data/topics/good.yaml", "name: Space Flight\nshortname: space\n")
    write_article("_data/organizations/bad.md", f"---\nname: {value}\ndomain: x.example\n---\n")
    write_article("a.md", title="Launch", topics=["space"])
    result = load_directory(seed)
    assert [article.title for article in result.index.articles] == ["Launch"]
    assert [(facet.name, facet.count) for facet in result.index.topics] == [("Space Flight", 1)]
    reasons = {item.path: item.reason for item in result.skipped}
    assert reasons["_data/topics/bad.yaml"] == f"definition not used: the file could not be read: {reason}"
    assert "_data/organizations/bad.md" in reasons
    completed = run_cli("check", str(seed), "--json")
    assert completed.returncode == 0 and b"Traceback" not in completed.stderr
    assert json.loads(completed.stdout)["articles"] == 1


def test_a_bad_value_in_an_article_names_what_is_wrong_and_where(
    seed: Path, write_article: ArticleWriter
) -> None:
    write_article("a.md", content='---\ntitle: "A story"\nheat: !!bool maybe\n---\n')
    write_article("b.md", content='---\ntitle: "B story"\n\nquality: !!int ""\n---\n')
    reasons = {item.path: item.reason for item in load_directory(seed).skipped}
    assert reasons == {
        "a.md": "front matter could not be read: a !!bool value that is not a boolean ('maybe'), line 3",
        "b.md": "front matter could not be read: a !!int value that is not an integer (''), line 4",
    }


# 3. File names that are not UTF-8 ----------------------------------------------


def test_a_file_name_that_is_not_utf8_loads_caches_and_is_listed(seed: Path) -> None:
    good = os.path.join(os.fsencode(seed), b"caf\xe9-story.md")
    bad = os.path.join(os.fsencode(seed), b"junk\xff\xfe.md")
    with open(good, "wb") as handle:
        handle.write(article_text("Latin-1 named").encode())
    with open(bad, "wb") as handle:
        handle.write(b"not an article")
    for path in (good, bad):
        os.utime(path, (1e9, 1e9))
    for attempt in ("parsed", "from the cache"):
        result = load_directory(seed)
        assert [article.title for article in result.index.articles] == ["Latin-1 named"], attempt
        assert [item.path for item in result.skipped] == ["junk\\xff\\xfe.md"], attempt
        assert result.notices == [], attempt
    assert result.from_cache == 2
    report = build_report(result, search="latin")
    text = json.dumps(report, ensure_ascii=False).encode()  # no lone surrogate left to fail on
    assert b"caf\\\\xe9-story.md" in text
    assert "junk\\xff\\xfe.md" in format_report(report)


# 4. Dates outside years 1-9999 -----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '"0001-01-01T00:00:00+14:00"',
        "9999-12-31T23:59:59-14:00",
        "-" + "9" * 30,
        '"Fri, 31 Dec 9999 23:59:59 -1400"',
        "1" * 400,
        "-1.0e+400",
    ],
)
def test_a_date_that_cannot_be_represented_leaves_the_article_undated_with_the_reason(
    seed: Path, write_article: ArticleWriter, value: str
) -> None:
    write_article("a.md", content=f'---\ntitle: "Odd date"\npublishedDateTime: {value}\n---\n')
    write_article("b.md", title="Normal", url="https://n.example/b")
    result = load_directory(seed)
    odd = next(article for article in result.index.articles if article.title == "Odd date")
    assert odd.published is None
    assert odd.date_problem == "the date is outside the years 1 to 9999"
    completed = run_cli("check", str(seed), "--search", "date", "--json")
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["search"]["matches"][0]["published"] is None


def test_every_date_printed_has_a_four_digit_year(seed: Path, write_article: ArticleWriter) -> None:
    write_article("a.md", content='---\ntitle: "Early"\npublishedDateTime: "0001-01-03"\n---\n')
    completed = run_cli("check", str(seed), "--search", "early", "--json")
    assert json.loads(completed.stdout)["search"]["matches"][0]["published"] == "0001-01-03T00:00:00Z"
    stamp, problem = read_published("0001-01-03")
    assert problem == "" and iso_utc(stamp) == "0001-01-03T00:00:00Z"
    assert format_local(stamp) == "0001-01-03 00:00"  # tests run with TZ=UTC


def test_an_unreadable_date_says_so() -> None:
    assert read_published("2021-02-30T10:00Z") == (None, "the date could not be read")
    assert read_published(None) == (None, "")


def test_character_references_to_controls_are_spelled_out_before_anything_decodes_them() -> None:
    # The Markdown view decodes references: one that names a control must already be visible.
    assert clean_block("RLO&#x202e;rlo &#27;]0;T&#7; &#x9b;2J ok &amp; &#233;") == (
        "RLO\\u202erlo ␛]0;T␇ \\x9b2J ok & é"
    )
    assert clean_line("café &#x2066;x") == "café \\u2066x"


def test_a_link_holding_a_control_character_is_not_a_web_link() -> None:
    from tui.data.urls import is_web_url, web_url_problem

    assert not is_web_url("https://evil.example/\x1b]52;c;QQ==\x1b\\")
    assert web_url_problem("https://evil.example/\x1b]52") == "it holds control characters"
    assert is_web_url("https://fine.example/path?q=1")
