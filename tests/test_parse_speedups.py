"""The fast paths of parsing give exactly what the general paths give.

Each shortcut taken for the common case (plain YAML read without PyYAML, the front
matter split and the related block cut in one pass, text that needs no repair,
files read without a buffered object) is checked here against the general path it
stands in for, on tricky inputs: where they could differ, they must not.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import ftfy
import ftfy.badness
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import tui.data.front_matter as front_matter
from tui.data.fields import _SPACE
from tui.data.front_matter import (
    _YAML,
    SkipFile,
    _ArticleLoader,
    _load_yaml,
    _NotSimple,
    _simple_yaml,
    cut_top_level,
    split_front_matter,
)
from tui.data.parallel import _read_path, read_bounded
from tui.data.parse import _split_related, parse_article
from tui.data.records import encode
from tui.data.sanitize import (
    _C1_OR_MOJIBAKE,
    _MULTILINE_TABLE,
    _REFERENCE,
    _SEGMENT,
    _SINGLE_LINE_TABLE,
    _UNSAFE_IN_BLOCK,
    _UNSAFE_IN_LINE,
    _fixer,
    _looks_like_mojibake,
    _mojibake_reach,
    _nothing_to_fix,
    _show_lone_c1,
    _show_reference,
    clean_block,
    clean_line,
    is_safe_block,
    is_safe_line,
    repair,
)
from tui.data.urls import is_web_url

SPEEDUPS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def same(fast: object, slow: object) -> bool:
    """Equal, and of the same types all the way down (True is not 1, "1" is not 1)."""
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, dict) and isinstance(slow, dict):
        return list(fast) == list(slow) and all(same(fast[key], slow[key]) for key in fast)
    if isinstance(fast, list) and isinstance(slow, list):
        return len(fast) == len(slow) and all(same(a, b) for a, b in zip(fast, slow, strict=True))
    if getattr(fast, "written", None) != getattr(slow, "written", None):
        return False
    return fast == slow


def pyyaml(text: str) -> object:
    return yaml.load(text, Loader=_ArticleLoader)


def agrees(text: str) -> bool:
    """Whether `_simple_yaml` declines `text` or reads it as PyYAML does."""
    try:
        fast = _simple_yaml(text)
    except _NotSimple:
        return True
    return same(fast, pyyaml(text))


# -- plain YAML read without PyYAML -------------------------------------------------------

KEYS = ["title", "provider", "a_b", "x", "_k", "true", "null", "on", "No", "Y", "y", "x y", "~", "<<", "="]
VALUES = [
    "news",
    "Provider 146",
    "site146.example",
    "https://a.example/x?q=1&b=2#frag",
    "2017-03-16T23:15:00Z",
    "2021-02-30T10:00Z",
    "2024-03-01",
    "007",
    "0",
    "-0",
    "-1",
    "+1",
    "17",
    "1_000",
    "0x1f",
    "0o17",
    "0b11",
    "1:20",
    "1.5",
    "1e5",
    ".inf",
    "-.inf",
    ".nan",
    "99999999999999999999",
    "123456789012345678",
    "yes",
    "No",
    "TRUE",
    "off",
    "~",
    "null",
    "Null",
    '""',
    '"quoted"',
    '"a # b"',
    '"a: b"',
    '"it\'s"',
    '"with \\" escape"',
    '"a\\\\b"',
    '"\\\\"',
    '"\\""',
    '"\\\\\\""',
    '"end\\\\" x"',
    '"\\/"',
    '"\\x41"',
    '"tab\\there"',
    '"unclosed',
    "'single'",
    "'it''s'",
    "'''",
    "'a' b",
    '"a" b',
    "a #b",
    "a#b",
    "a: b",
    "a:b",
    "a:",
    "&a x",
    "*a",
    "!tag x",
    "!!str 1",
    "!!int x",
    "[1, 2]",
    "{a: 1}",
    "|",
    ">",
    "- x",
    "-x",
    "-5abc",
    "-",
    "%x",
    "@x",
    "`x",
    "?x",
    ":x",
    ",x",
    "=",
    "<<",
    "é",
    "café ’s",
    "日本語",
    "a\u2028b",
    "a\x85b",
    "a\tb",
    "\ufeffa",
    "a\u202eb",
    "a\x7fb",
    "a\x1bb",
    "x  ",
    "  x",
    "a,b",
    "a[0]",
    "{x",
    "x}",
    "a \\ b",
    "O'Brien",
    'say "hi"',
    "...",
    "---",
    "#",
    "",
]


@st.composite
def yaml_lines(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 0, 1, 2, 2, 4, 4, 6]))
        dash = draw(st.sampled_from(["", "", "- ", "-  ", "-"]))
        key = draw(st.sampled_from(["", *KEYS]))
        value = draw(st.sampled_from(VALUES))
        gap = draw(st.sampled_from([" ", " ", "  ", ""]))
        entry = f"{key}:{gap}{value}" if key else value
        lines.append(indent + dash + entry + draw(st.sampled_from(["", "", " ", " # c"])))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@pytest.mark.parametrize(
    "text",
    [
        "\ntitle: 'It''s'\nquality: 007\nheat: -1\npublished: false\n",
        "\nprovider:\n  name: P\n  domain: p.example\n  images:\n\ntopics:\n  - A\n  - B\n",
        '\nimages:\n  - url: "https://x/1.jpg"\n    width: 1200\n    isCached: true\n  - https://x/2.jpg\n',
        "\ntitle: a\n  continued\n",
        "\ntopics:\n- indentless\n",
        "\ntitle: 1984\nwhen: 2021-02-30T10:00Z\nnothing:\nempty: ''\ntilde: ~\n",
        "\nnested:\n    deep:\n      - x\n  odd: 1\n",
        "\nk: 1\nk: 2\n",
        "\n- a\n",
        "\n   \n",
        "# comment\ntitle: x\n",
        "\nrelated:\n  - title: x\n    provider:\n      name: n\n",
    ],
)
def test_plain_yaml_is_read_as_pyyaml_reads_it(text: str) -> None:
    assert agrees(text)


def test_the_plain_subset_covers_typical_front_matter() -> None:
    text = (
        '\ncategory: news\ntitle: "A title"\npublishedDateTime: 2020-02-06T15:24:00Z\nquality: 178\n'
        "published: false\n\nprovider:\n  name: Provider 1\n  domain: p.example\n\ntopics:\n  - Topic\n\n"
        'images:\n  - url: "https://img.example/a.jpg?w=1200"\n    width: 1200\n    isCached: true\n'
    )
    assert same(_simple_yaml(text), pyyaml(text))


@SPEEDUPS
@given(yaml_lines())
@example("\ntitle: x\n  - y\n")
@example("\na:\n  - b: 1\n    c:\n      - d\n  - e\n")
def test_generated_yaml_is_read_as_pyyaml_reads_it(text: str) -> None:
    try:
        fast = _simple_yaml(text)
    except _NotSimple:
        return
    assert same(fast, pyyaml(text)), text


@contextmanager
def without_fast_yaml() -> Iterator[None]:
    real = front_matter._simple_yaml

    def declines(text: str) -> object:
        raise _NotSimple

    front_matter._simple_yaml = declines
    try:
        yield
    finally:
        front_matter._simple_yaml = real


def loaded(text: str) -> tuple[str, object]:
    try:
        return "value", _load_yaml(text)
    except SkipFile as error:
        return "skip", error.reason


@SPEEDUPS
@given(yaml_lines())
def test_load_yaml_gives_the_same_value_or_reason_either_way(text: str) -> None:
    fast = loaded(text)
    with without_fast_yaml():
        slow = loaded(text)
    assert fast[0] == slow[0], text
    assert same(fast[1], slow[1]) if fast[0] == "value" else fast == slow, text


# -- the front matter split and the related block cut in one pass --------------------------


def one_pass_split(text: str) -> tuple[str, str, str, int | None]:
    start, end, body, lean, related = _split_related(text)
    return text[start:end], body, lean, related


def reference_split(text: str) -> tuple[str, str, str, int | None]:
    """What parsing did before: the frontmatter library's split, then the cut."""
    if not _YAML.detect(text):
        raise SkipFile("no front matter (the file must start with a --- line)")
    try:
        front, body = _YAML.split(text)
    except ValueError:
        raise SkipFile("front matter is not closed by a --- line") from None
    lean, related = cut_top_level(front, "related")
    return front, body, lean, None if related is None else len(related)


PIECES = [
    "---",
    "----",
    "--- ",
    "---\t",
    "--- x",
    "---x",
    "-- x",
    "- x",
    "related:",
    "related: x",
    "relatedx: 1",
    "  - title: a",
    "  - title: b\n    excerpt: c",
    "title: t",
    "secured: abc",
    "# note",
    "",
    " ",
    "\t",
    "body text",
    "  indented",
    "-",
    "--",
    "----- ---",
    "\u3000",
    "x: ---",
]


@SPEEDUPS
@given(st.lists(st.sampled_from(PIECES), max_size=14), st.sampled_from(["", "\n"]))
@example(["---", "title: t", "related:", "  - title: a", "---", "body"], "\n")
@example(["---", "related:", "---x", "  - a", "title: t", "---"], "")
@example(["---", "title: t", "---", "related:", "---"], "\n")
def test_one_pass_split_gives_what_split_and_cut_give(pieces: list[str], end: str) -> None:
    text = "\n".join(pieces) + end
    results = []
    for split in (one_pass_split, reference_split):
        try:
            results.append(split(text))
        except SkipFile as error:
            results.append(error.reason)
    assert results[0] == results[1], text


def test_split_front_matter_agrees_with_the_frontmatter_library() -> None:
    texts = ["---\n---\n", "---\n\n---\nbody", "---  \nt: 1\n--- \nb", "---\nt: 1\n-----\n"]
    texts.append("----\nx\n---x\n---")
    for text in texts:
        assert split_front_matter(text) == tuple(_YAML.split(text)[0:2])


# -- text that needs no repair ------------------------------------------------------------


def reference_clean_line(text: str) -> str:
    return " ".join(repair(text).translate(_SINGLE_LINE_TABLE).split())


@SPEEDUPS
@given(st.text())
@example("Facebookâ€™s plan")
@example("plain &#27;[31m text &#x9b;")
@example("tab\there\x1bnew\nline \x7f")
@example("caf\u00e9 \x9b2J")
@example("\x1c\x1d\x1e\x1f spaces")
def test_clean_line_fast_path_gives_what_repair_gives(text: str) -> None:
    assert clean_line(text) == reference_clean_line(text)


def test_mojibake_is_still_repaired() -> None:
    assert clean_line("Facebookâ€™s plan") == "Facebook’s plan"
    assert clean_block("Facebookâ€™s\nplan") == "Facebook’s\nplan"


@SPEEDUPS
@given(st.text())
@example("tab\tand\nlines\r\n  ")
@example("  &#27; &#x9b; &amp; ")
def test_clean_block_fast_path_gives_what_repair_gives(text: str) -> None:
    assert clean_block(text) == repair(text).translate(_MULTILINE_TABLE).strip()


def test_whitespace_pattern_is_str_isspace() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(_SPACE.search(char)) == char.isspace(), hex(code)


# -- files read without a buffered object -------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 70_000])
def test_read_path_reads_what_read_bounded_reads(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(os.urandom(size))
    with open(path, "rb") as handle:
        expected = read_bounded(handle)
    data, info = _read_path(str(path))
    assert data == expected[0] and info.st_size == expected[1].st_size


def test_read_path_fails_as_open_fails(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.md", tmp_path):
        with pytest.raises(OSError) as slow, open(path, "rb") as handle:
            read_bounded(handle)
        with pytest.raises(OSError) as fast:
            _read_path(str(path))
        assert (fast.value.errno, fast.value.strerror) == (slow.value.errno, slow.value.strerror)


def test_a_typical_file_parses_to_the_same_record_with_or_without_the_fast_yaml() -> None:
    data = (
        b'---\ncategory: news\ntitle: "Sa neensail"\nexcerpt: "Po mitousil viar"\n'
        b"publishedDateTime: 2020-02-06T15:24:00Z\n"
        b'originalUrl: "https://www.site146.example/news/a0"\nquality: 178\nheat: -1\npublished: false\n\n'
        b"provider:\n  name: Provider 146\n  domain: site146.example\n\ntopics:\n  - Topic Alder\n\n"
        b'images:\n  - url: "https://img.site146.example/a0.jpg"\n    width: 1200\n    height: 800\n\n'
        b'related:\n  - title: "R"\n    webUrl: "http://r.example/1"\nsecured: "abc"\n---\n'
    )
    fast = encode(parse_article(data, "a.md"))
    with without_fast_yaml():
        slow = encode(parse_article(data, "a.md"))
    assert fast == slow


# -- checks of stored records and links -----------------------------------------------------


@SPEEDUPS
@given(st.text(alphabet=st.characters(max_codepoint=0x2100)))
@example("".join(map(chr, range(0x80))))
@example("tab\tnew\nline\rcr")
def test_safe_text_checks_agree_with_their_patterns(text: str) -> None:
    assert is_safe_line(text) == (_UNSAFE_IN_LINE.search(text) is None)
    assert is_safe_block(text) == (_UNSAFE_IN_BLOCK.search(text) is None)
    for char in text:
        assert is_safe_line(char) == (_UNSAFE_IN_LINE.search(char) is None)
        assert is_safe_block(char) == (_UNSAFE_IN_BLOCK.search(char) is None)


def reference_is_web_url(url: str) -> bool:
    if not is_safe_line(url) or any(char.isspace() for char in url.strip()):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


URL_PIECES = [
    "http",
    "https",
    "HTTPS",
    "httpſ",
    "javascript",
    "file",
    ":",
    "//",
    "/",
    "?",
    "#",
    "a.example",
    "[::1]",
    "[",
    "]",
    ":8080",
    ":x",
    "@",
    "user",
    " ",
    "\t",
    "\x1b",
    "\u202e",
    "é",
    "%1B",
    "-",
    ".",
    "x",
    "&q=1",
]


@SPEEDUPS
@given(st.lists(st.sampled_from(URL_PIECES), max_size=8))
@example(["https", "://", "a.example", ":8080", "/", "x"])
@example(["httpſ", "://", "a.example"])
def test_plain_links_are_judged_as_urlsplit_judges_them(pieces: list[str]) -> None:
    url = "".join(pieces)
    assert is_web_url(url) == reference_is_web_url(url), url


# -- text the mojibake fixer would leave as it is -------------------------------------------

MOJIBAKE_PIECES = [
    "a",
    "Z",
    " ",
    "\n",
    ".",
    "s",
    "’",
    "“",
    "”",
    "—",
    "é",
    "ü",
    "日本",
    "â€™",
    "â€œ",
    "Ã©",
    "Ã ",
    "Â ",
    "Â",
    "Ã",
    "œ",
    "œx",
    "×²",
    "ØØ",
    "√±",
    "вЂ",
    "ГўВЂВ",
    "β€",
    "ā€",
    "€",
    "™",
    "°",
    "│",
    "ï»¿",
    "&amp;",
    "&",
    "<b>",
    "e\u0301",
    "\x9b",
    "\x85",
    "\u00a0",
    "ß",
    "Ð",
    "Î",
    "ΒΓ",
    "αβ",
]


def reference_repair(text: str) -> str:
    if "&#" in text:
        text = _REFERENCE.sub(_show_reference, text)
    if text.isascii():
        return text
    return ftfy.fix_text(_C1_OR_MOJIBAKE.sub(_show_lone_c1, text), config=_fixer()[1])


def test_the_mojibake_pattern_is_searched_near_non_ascii_only() -> None:
    assert _mojibake_reach() is not None  # else every text is searched whole: right, but slow


@SPEEDUPS
@given(st.lists(st.sampled_from(MOJIBAKE_PIECES), max_size=16))
@example(["Facebook", "â€™", "s"])
@example(["a", "\n", "Â ", "x"])
@example(["œ", "\n"])
def test_text_skips_the_fixer_only_when_the_fixer_would_change_nothing(pieces: list[str]) -> None:
    text = "".join(pieces)
    if _nothing_to_fix(text):
        assert ftfy.fix_text(text, config=_fixer()[1]) == text
    for segment in _SEGMENT.findall(text):
        if ftfy.badness.is_bad(segment):
            assert _looks_like_mojibake(segment)
    assert repair(text) == reference_repair(text)
