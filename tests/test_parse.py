"""One article file in, one Article (or a reason it was skipped) out.

Every case writes a made-up file into the seed directory and loads it the way
the app and `newsdeck check` do (`load_directory`), so what is asserted is what
a user sees: an article in the list with its text, or a line in "Skipped".
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from conftest import ArticleWriter, article_text

from tui.data.dates import format_local
from tui.data.fields import MAX_TOPICS
from tui.data.front_matter import SkipFile
from tui.data.loader import LoadResult, load_directory, read_article_extras
from tui.data.model import Article, Provider
from tui.data.parse import parse_article

NAME = "story.md"


def load_one(write_article: ArticleWriter, seed: Path, content: str | bytes) -> LoadResult:
    write_article(NAME, content)
    return load_directory(seed)


def kept(write_article: ArticleWriter, seed: Path, content: str | bytes) -> Article:
    """The file must come through as exactly one article, with nothing skipped."""
    result = load_one(write_article, seed, content)
    assert result.skipped == [], f"unexpectedly skipped: {result.skipped}"
    assert len(result.index) == 1
    return result.index.articles[0]


def skipped(write_article: ArticleWriter, seed: Path, content: str | bytes) -> str:
    """The file must be reported as skipped (and not indexed); returns the reason."""
    result = load_one(write_article, seed, content)
    assert len(result.index) == 0, f"unexpectedly indexed: {result.index.articles}"
    assert [item.path for item in result.skipped] == [NAME]
    reason = result.skipped[0].reason
    assert reason.strip()
    return reason


def front(*lines: str, body: str = "") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body


# --------------------------------------------------------------------------- good files


def test_well_formed_article_has_every_field(write_article: ArticleWriter, seed: Path) -> None:
    content = front(
        'title: "Rocket lands on barge"',
        'excerpt: "A booster came back.\n\n  Second paragraph."',
        "publishedDateTime: 2024-03-01T10:00:00Z",
        'originalUrl: "https://news.example/rocket"',
        'webUrl: "https://aggregator.example/rocket"',
        "provider:",
        "  name: Example Times",
        "  domain: times.example",
        "topics: [Space, Science]",
        "images:",
        '  - url: "https://img.example/a.jpg"',
        "    width: 640",
        '    height: "480"',
        "related:",
        '  - title: "Earlier launch"',
        '    originalUrl: "https://news.example/earlier"',
        "    publishedDateTime: 2024-02-01T10:00:00Z",
        "    provider: {name: Other Paper}",
        "quality: 120",
        "heat: 7",
        body="# Heading\n\nBody text.\n",
    )
    article = kept(write_article, seed, content)
    assert article.path == NAME
    assert article.title == "Rocket lands on barge"
    assert article.excerpt.startswith("A booster came back.")
    assert format_local(article.published) == "2024-03-01 10:00"
    assert article.url == "https://news.example/rocket"
    assert article.web_url == "https://aggregator.example/rocket"
    assert article.provider == Provider("Example Times", "times.example")
    assert article.topics == ("Space", "Science")
    assert [(image.url, image.width, image.height) for image in article.images] == [
        ("https://img.example/a.jpg", 640, 480)
    ]
    assert [
        (item.title, item.url, item.provider.name) for item in read_article_extras(seed, article).related
    ] == [("Earlier launch", "https://news.example/earlier", "Other Paper")]
    assert format_local(read_article_extras(seed, article).related[0].published) == "2024-02-01 10:00"
    assert (article.quality, article.heat) == (120, 7)
    assert article.has_body
    assert read_article_extras(seed, article).body == "# Heading\n\nBody text."


def test_parse_article_raises_skipfile_with_reason() -> None:
    with pytest.raises(SkipFile) as caught:
        parse_article(b"just some notes\n", "notes.md")
    assert "front matter" in caught.value.reason


def test_utf8_bom_and_crlf_line_endings_parse(write_article: ArticleWriter, seed: Path) -> None:
    text = front('title: "Windows file"', "topics:", "  - Alpha", "  - Beta", body="Line one\nLine two\n")
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    article = kept(write_article, seed, data)
    assert article.title == "Windows file"
    assert article.topics == ("Alpha", "Beta")
    body = read_article_extras(seed, article).body
    assert body == "Line one\nLine two"
    assert "\r" not in body


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbf" + article_text("With BOM").encode(), id="bom-only"),
        pytest.param(article_text("With CRLF").replace("\n", "\r\n").encode(), id="crlf-only"),
    ],
)
def test_bom_or_crlf_alone_parse(write_article: ArticleWriter, seed: Path, data: bytes) -> None:
    article = kept(write_article, seed, data)
    assert article.title in {"With BOM", "With CRLF"}
    assert article.topics == ("World",)
    assert article.url == "https://news.example/story"


# --------------------------------------------------------------------------- not an article


def test_no_front_matter_is_skipped(write_article: ArticleWriter, seed: Path) -> None:
    reason = skipped(write_article, seed, "# Just a heading\n\ntitle: not front matter\n")
    assert "front matter" in reason


def test_unclosed_front_matter_is_skipped(write_article: ArticleWriter, seed: Path) -> None:
    reason = skipped(write_article, seed, "---\ntitle: Never closed\ntopics: [A]\n")
    assert "not closed" in reason


@pytest.mark.parametrize(
    "yaml_text",
    [
        pytest.param('title: [unclosed, "list"', id="unclosed-flow-list"),
        pytest.param("title: a: b: c", id="nested-mapping-values"),
        pytest.param('title: "unterminated', id="unterminated-quote"),
        pytest.param("title: x\n  topics: - bad indent", id="bad-indentation"),
    ],
)
def test_yaml_that_does_not_parse_is_skipped(
    write_article: ArticleWriter, seed: Path, yaml_text: str
) -> None:
    reason = skipped(write_article, seed, front(yaml_text))
    assert "YAML" in reason or "could not be read" in reason
    assert "line" in reason  # says where the problem is


@pytest.mark.parametrize(
    ("yaml_text", "kind"),
    [
        pytest.param("- title: a list item\n- another", "a list", id="list"),
        pytest.param("just a sentence", "text", id="text"),
        pytest.param("42", "a number", id="number"),
        pytest.param("true", "true/false", id="bool"),
    ],
)
def test_front_matter_that_is_not_a_mapping_is_skipped(
    write_article: ArticleWriter, seed: Path, yaml_text: str, kind: str
) -> None:
    reason = skipped(write_article, seed, front(yaml_text))
    assert "not a mapping" in reason
    assert kind in reason


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("---\n---\nbody only\n", id="nothing-between"),
        pytest.param("---\n\n   \n---\n", id="blank-lines"),
        pytest.param("---\n# only a comment\n---\n", id="comment-only"),
    ],
)
def test_empty_front_matter_is_skipped(write_article: ArticleWriter, seed: Path, content: str) -> None:
    assert "empty" in skipped(write_article, seed, content)


@pytest.mark.parametrize(
    ("title_line", "expected"),
    [
        pytest.param("excerpt: no title at all", "no title", id="missing"),
        pytest.param("title:", "no title", id="null"),
        pytest.param('title: ""', "empty title", id="empty"),
        pytest.param('title: "   \t  "', "empty title", id="whitespace"),
        pytest.param("title: [a, b]", "title is a list", id="list"),
        pytest.param("title: {a: b}", "title is a mapping", id="mapping"),
        pytest.param("title: true", "title is true/false", id="bool"),
    ],
)
def test_missing_or_unusable_title_is_skipped(
    write_article: ArticleWriter, seed: Path, title_line: str, expected: str
) -> None:
    reason = skipped(write_article, seed, front(title_line, "topics: [World]"))
    assert expected in reason


def test_numeric_title_is_kept_as_text(write_article: ArticleWriter, seed: Path) -> None:
    assert kept(write_article, seed, front("title: 2024")).title == "2024"


def test_not_utf8_is_skipped_and_says_so(write_article: ArticleWriter, seed: Path) -> None:
    data = "---\ntitle: Café crème\n---\n".encode("latin-1")
    reason = skipped(write_article, seed, data)
    assert "UTF-8" in reason


@pytest.mark.parametrize("data", [b"", b"  \n\n\t \n"], ids=["zero-bytes", "whitespace"])
def test_empty_file_is_skipped(write_article: ArticleWriter, seed: Path, data: bytes) -> None:
    assert "empty" in skipped(write_article, seed, data)


def test_binary_file_with_nul_bytes_is_skipped(write_article: ArticleWriter, seed: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert "binary" in skipped(write_article, seed, data)


def test_binary_after_valid_front_matter_is_skipped(write_article: ArticleWriter, seed: Path) -> None:
    data = article_text("Looks fine at first").encode() + b"\x00" * 16
    assert "binary" in skipped(write_article, seed, data)


def test_too_large_bytes_are_refused_before_parsing() -> None:
    data = article_text("Huge").encode() + b"x" * (9 * 1024 * 1024)
    with pytest.raises(SkipFile) as caught:
        parse_article(data, "huge.md")
    assert "too large" in caught.value.reason


# --------------------------------------------------------------------------- hostile YAML


@pytest.mark.parametrize(
    "template",
    [
        pytest.param('title: !!python/object/apply:os.system ["touch {marker}"]', id="apply-title"),
        pytest.param('title: fine\nx: !!python/object/new:os.system ["touch {marker}"]', id="new"),
        pytest.param(
            'title: fine\nx: !!python/object/apply:subprocess.call [["touch", "{marker}"]]', id="subprocess"
        ),
        pytest.param('title: fine\nx: !!python/name:os.system ""', id="name"),
    ],
)
def test_object_constructing_tags_are_refused_and_never_run(
    write_article: ArticleWriter, seed: Path, tmp_path: Path, template: str
) -> None:
    marker = tmp_path / "pwned-marker"
    reason = skipped(write_article, seed, front(template.format(marker=marker)))
    assert "tag" in reason
    assert not marker.exists()


def test_object_constructing_tag_in_related_is_refused_when_shown(
    write_article: ArticleWriter, seed: Path, tmp_path: Path
) -> None:
    # Related lists are read only when the article is shown; the tag is refused then.
    marker = tmp_path / "pwned-marker"
    article = kept(
        write_article,
        seed,
        front("title: fine", "related:", f'  - !!python/object/apply:os.system ["touch {marker}"]'),
    )
    extras = read_article_extras(seed, article)
    assert extras.related == ()
    assert "tag" in extras.problem
    assert not marker.exists()


def test_unknown_local_tag_is_refused(write_article: ArticleWriter, seed: Path) -> None:
    assert "tag" in skipped(write_article, seed, front("title: fine", "x: !custom 1"))


def _alias_bomb(levels: int = 9, width: int = 9) -> list[str]:
    names = [f"l{level}" for level in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(f'"lol{i}"' for i in range(width)) + "]"]
    for previous, name in pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
    return lines


def test_alias_bomb_as_title_topics_and_related_does_not_blow_up(
    write_article: ArticleWriter, seed: Path
) -> None:
    content = front(*_alias_bomb(), "title: *l8", "topics: *l8", "related: *l8")
    assert "title is a list" in skipped(write_article, seed, content)


@pytest.mark.parametrize("level", [1, 2, 4, 8])
def test_alias_bomb_in_topics_and_related_keeps_them_bounded(
    write_article: ArticleWriter, seed: Path, level: int
) -> None:
    content = front(
        *_alias_bomb(),
        'title: "Survived the bomb"',
        f"topics: *l{level}",
        f"related: *l{level}",
        f"images: *l{level}",
        f"provider: *l{level}",
        f"excerpt: *l{level}",
    )
    article = kept(write_article, seed, content)
    assert article.title == "Survived the bomb"
    assert len(article.topics) <= MAX_TOPICS
    assert set(article.topics) <= {f"lol{i}" for i in range(9)}
    assert read_article_extras(seed, article).related == ()
    assert article.images == ()
    assert article.provider == Provider()
    assert article.excerpt == ""


@pytest.mark.parametrize(
    "field",
    ["title", "topics", "related", "images", "provider"],
)
@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_nesting_does_not_blow_up(
    write_article: ArticleWriter, seed: Path, field: str, opener: str
) -> None:
    closer = "]" if opener == "[" else "}"
    nested = opener * 5000 + "1" + closer * 5000
    title = "" if field == "title" else 'title: "Deep"'
    result = load_one(write_article, seed, front(title, f"{field}: {nested}"))
    if len(result.index):
        article = result.index.articles[0]
        assert article.title == "Deep"
        assert len(article.topics) <= MAX_TOPICS
    else:
        assert [item.path for item in result.skipped] == [NAME]
        assert result.skipped[0].reason


def test_moderate_nesting_in_topics_is_kept_and_bounded(write_article: ArticleWriter, seed: Path) -> None:
    nested = "[" * 300 + '"deep"' + "]" * 300
    article = kept(write_article, seed, front('title: "Nested"', f"topics: [Shallow, {nested}]"))
    assert "Shallow" in article.topics
    assert len(article.topics) <= MAX_TOPICS


# --------------------------------------------------------------------------- topics


def test_topics_as_comma_separated_text_give_several_topics(write_article: ArticleWriter, seed: Path) -> None:
    article = kept(
        write_article, seed, front("title: t", 'topics: "Election, Joe Biden ,,  Kamala Harris ,"')
    )
    assert article.topics == ("Election", "Joe Biden", "Kamala Harris")


def test_single_topic_as_text(write_article: ArticleWriter, seed: Path) -> None:
    assert kept(write_article, seed, front("title: t", "topics: Space")).topics == ("Space",)


def test_topics_with_nulls_numbers_and_booleans(write_article: ArticleWriter, seed: Path) -> None:
    # Only text names a topic: a number is of the wrong type and is ignored, like null and true.
    content = front(
        "title: t", "topics:", "  - null", "  - ~", "  -", "  - 2020", "  - 3.5", "  - true", "  - World"
    )
    assert kept(write_article, seed, content).topics == ("World",)


def test_topics_in_nested_lists_are_flattened_but_bounded(write_article: ArticleWriter, seed: Path) -> None:
    article = kept(write_article, seed, front("title: t", "topics: [[Alpha, [Beta]], Gamma, {x: y}]"))
    assert article.topics[:3] == ("Alpha", "Beta", "Gamma")
    assert "x" not in article.topics and "y" not in article.topics


def test_huge_topic_lists_are_capped(write_article: ArticleWriter, seed: Path) -> None:
    flat = ", ".join(f"Topic {n}" for n in range(500))
    nested = ", ".join("[" + ", ".join(f"N{row}-{col}" for col in range(100)) + "]" for row in range(100))
    article = kept(write_article, seed, front("title: t", f"topics: [{flat}, {nested}]"))
    assert len(article.topics) == MAX_TOPICS
    assert article.topics[0] == "Topic 0"

    comma = ", ".join(f"C{n}" for n in range(1000))
    write_article(NAME, front("title: t", f'topics: "{comma}"'))
    result = load_directory(seed)
    assert len(result.index.articles[0].topics) <= MAX_TOPICS


def test_topics_are_trimmed_and_deduplicated_case_insensitively(
    write_article: ArticleWriter, seed: Path
) -> None:
    content = front("title: t", 'topics: ["  Election ", "election", "ELECTION", "Joe   Biden", " "]')
    assert kept(write_article, seed, content).topics == ("Election", "Joe Biden")


@pytest.mark.parametrize("value", ["true", "{a: b}", "7.5e400", '""'])
def test_topics_of_unusable_type_leave_the_article(
    write_article: ArticleWriter, seed: Path, value: str
) -> None:
    article = kept(write_article, seed, front("title: t", f"topics: {value}"))
    assert article.title == "t"
    assert all(topic and topic == topic.strip() for topic in article.topics)


# --------------------------------------------------------------------------- fields of the wrong type


def test_related_images_provider_of_wrong_type_keep_the_article(
    write_article: ArticleWriter, seed: Path
) -> None:
    content = front('title: "Odd fields"', 'related: "text"', "images: 5", "provider: [1, 2]")
    article = kept(write_article, seed, content)
    assert article.title == "Odd fields"
    assert read_article_extras(seed, article).related == ()
    assert article.images == ()
    assert article.provider == Provider()
    assert article.provider.label == "Unknown provider"


@pytest.mark.parametrize(
    ("line", "attribute", "expected"),
    [
        ("related: 5", "related", ()),
        ("related: [1, two, [3], null]", "related", ()),
        ("related: [{url: 'https://x.example'}]", "related", ()),  # an entry without a title
        ("images: {}", "images", ()),
        ("images: [[2], null, {width: 3}, {url: [x]}]", "images", ()),
        ("provider: 17", "provider", Provider()),
        ("provider: {name: [x], domain: {y: z}}", "provider", Provider()),
        ("provider: Plain Name Press", "provider", Provider("Plain Name Press")),
        ("excerpt: [a, b]", "excerpt", ""),
        ("originalUrl: [https://x.example]", "original_url", ""),
        ("webUrl: {u: 1}", "web_url", ""),
        ('originalUrl: "https://x.example/a b"', "original_url", ""),
        ("quality: high", "quality", None),
        ("heat: [1]", "heat", None),
        ("publishedDateTime: [2024]", "published", None),
    ],
)
def test_field_of_wrong_type_is_empty_and_article_kept(
    write_article: ArticleWriter, seed: Path, line: str, attribute: str, expected: object
) -> None:
    article = kept(write_article, seed, front('title: "Still here"', line))
    assert article.title == "Still here"
    if attribute == "related":
        assert read_article_extras(seed, article).related == expected
    else:
        assert getattr(article, attribute) == expected


def test_related_skips_bad_entries_but_keeps_good_ones(write_article: ArticleWriter, seed: Path) -> None:
    content = front(
        "title: t",
        "related:",
        "  - just text",
        "  - title: Good one",
        "    webUrl: https://web.example/good",
        "    publishedDateTime: not a date",
        "  - title: ''",
        "  - 42",
    )
    article = kept(write_article, seed, content)
    assert [
        (item.title, item.url, item.published) for item in read_article_extras(seed, article).related
    ] == [("Good one", "https://web.example/good", None)]


def test_non_web_urls_are_kept_as_data(write_article: ArticleWriter, seed: Path) -> None:
    content = front(
        "title: t",
        'originalUrl: "javascript:alert(1)"',
        'webUrl: "file:///etc/passwd"',
        "images:",
        '  - url: "data:image/png;base64,AAAA"',
        "related:",
        "  - title: r",
        '    originalUrl: "ftp://files.example/x"',
    )
    article = kept(write_article, seed, content)
    assert article.original_url == "javascript:alert(1)"
    assert article.web_url == "file:///etc/passwd"
    assert article.images[0].url == "data:image/png;base64,AAAA"
    assert read_article_extras(seed, article).related[0].url == "ftp://files.example/x"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param("2024-03-01T10:00:00Z", "2024-03-01 10:00", id="iso-unquoted"),
        pytest.param('"2024-03-01T10:00:00Z"', "2024-03-01 10:00", id="iso-quoted"),
        pytest.param("2024-03-01T11:30:00+01:30", "2024-03-01 10:00", id="iso-offset"),
        pytest.param('"Fri, 01 Mar 2024 10:00:00 +0000"', "2024-03-01 10:00", id="rfc2822"),
        pytest.param('"Fri, 01 Mar 2024 05:00:00 -0500"', "2024-03-01 10:00", id="rfc2822-offset"),
        pytest.param('"2024-03-01 10:00"', "2024-03-01 10:00", id="space-no-seconds"),
        pytest.param("2024-03-01 10:00:00", "2024-03-01 10:00", id="space-unquoted"),
        pytest.param("1709287200", "2024-03-01 10:00", id="epoch-seconds"),
        pytest.param("1709287200.5", "2024-03-01 10:00", id="epoch-float"),
        pytest.param("1709287200000", "2024-03-01 10:00", id="epoch-milliseconds"),
        pytest.param("2024-03-01", "2024-03-01 00:00", id="yaml-date-unquoted"),
        pytest.param('"March 1, 2024"', "2024-03-01 00:00", id="month-name"),
        pytest.param('"01.03.2024"', "2024-03-01 00:00", id="dotted"),
    ],
)
def test_dates_in_other_formats(write_article: ArticleWriter, seed: Path, value: str, shown: str) -> None:
    article = kept(write_article, seed, front("title: t", f"publishedDateTime: {value}"))
    assert format_local(article.published) == shown


@pytest.mark.parametrize(
    "value",
    [
        pytest.param('"next tuesday"', id="words"),
        pytest.param("2021-02-30T10:00:00Z", id="impossible-unquoted"),
        pytest.param('"2021-02-30T10:00:00Z"', id="impossible-quoted"),
        pytest.param("2021-13-01", id="month-13-unquoted"),
        pytest.param("true", id="bool"),
        pytest.param("1e400", id="infinite"),
        pytest.param('""', id="empty"),
        pytest.param("{year: 2024}", id="mapping"),
        pytest.param('"' + "2024-03-01" * 20 + '"', id="very-long"),
    ],
)
def test_unparseable_dates_keep_the_article_undated(
    write_article: ArticleWriter, seed: Path, value: str
) -> None:
    article = kept(write_article, seed, front('title: "Undated"', f"publishedDateTime: {value}"))
    assert article.title == "Undated"
    assert article.published is None
    assert format_local(article.published) == ""


# --------------------------------------------------------------------------- displayed text


@pytest.mark.parametrize(
    "title",
    ["[bold]x[/]", "[link=https://x]y[/link]", "[red]alert[/red] and [/] stray", r"back\[slash]"],
)
def test_rich_markup_in_titles_is_kept_literally(
    write_article: ArticleWriter, seed: Path, title: str
) -> None:
    escaped = title.replace("\\", "\\\\")
    article = kept(write_article, seed, front(f'title: "{escaped}"', f'excerpt: "{escaped}"'))
    assert article.title == title
    assert article.excerpt == title


@pytest.mark.parametrize(
    "escape",
    [pytest.param(r"\e", id="yaml-e-escape"), pytest.param(r"\x1b", id="yaml-x1b-escape")],
)
def test_escape_sequences_written_as_yaml_escapes_become_visible(
    write_article: ArticleWriter, seed: Path, escape: str
) -> None:
    content = front(
        f'title: "Red {escape}[31malert{escape}[0m"',
        f'excerpt: "Line {escape}]0;pwned\\a"',
        f'topics: ["{escape}[2Jwipe"]',
        f'provider: {{name: "{escape}[5mblink"}}',
    )
    article = kept(write_article, seed, content)
    assert article.title == "Red ␛[31malert␛[0m"
    assert article.excerpt == "Line ␛]0;pwned␇"
    assert article.topics == ("␛[2Jwipe",)
    assert article.provider.name == "␛[5mblink"
    for text in (article.title, article.excerpt, article.provider.name, *article.topics):
        assert "\x1b" not in text and "\x07" not in text


def test_c1_control_written_as_yaml_escape_is_made_visible(write_article: ArticleWriter, seed: Path) -> None:
    article = kept(write_article, seed, front(r'title: "CSI \u009b31m here"'))
    assert "\x9b" not in article.title
    assert "31m here" in article.title


def test_raw_escape_byte_in_title_becomes_visible(write_article: ArticleWriter, seed: Path) -> None:
    # A scraped title with a literal ESC byte (not a YAML escape) in the file.
    content = front('title: "Red \x1b[31malert\x1b[0m"', "topics: [World]")
    article = kept(write_article, seed, content)
    assert article.title == "Red ␛[31malert␛[0m"
    assert "\x1b" not in article.title


def test_raw_escape_bytes_in_body_become_visible(write_article: ArticleWriter, seed: Path) -> None:
    article = kept(
        write_article, seed, article_text("Body with escapes", body="Text \x1b[31mred\x1b[0m\x07\n")
    )
    body = read_article_extras(seed, article).body
    assert body == "Text ␛[31mred␛[0m␇"
    assert "\x1b" not in body


def test_line_breaks_and_tabs_in_title_collapse_to_one_line(write_article: ArticleWriter, seed: Path) -> None:
    article = kept(write_article, seed, front('title: "First\\nsecond\\tthird\\r\\n  fourth"'))
    assert article.title == "First second third fourth"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("Facebookâ€™s new rules", "Facebook’s new rules"),
        ("Ã¼ber alles", "über alles"),
        ("CafÃ© culture", "Café culture"),
    ],
)
def test_mojibake_is_repaired(write_article: ArticleWriter, seed: Path, raw: str, fixed: str) -> None:
    content = front(
        f'title: "{raw}"', f'excerpt: "{raw}"', f'topics: ["{raw}"]', f'provider: {{name: "{raw}"}}'
    )
    article = kept(write_article, seed, content)
    assert article.title == fixed
    assert article.excerpt == fixed
    assert article.topics == (fixed,)
    assert article.provider.name == fixed


def test_correct_non_ascii_text_is_left_alone(write_article: ArticleWriter, seed: Path) -> None:
    title = "Zürich – “Ça va?” 東京 ﬁnal"
    article = kept(write_article, seed, front(f'title: "{title}"'))
    assert article.title == title


def test_a_huge_number_as_date_leaves_the_article_undated(write_article: ArticleWriter, seed: Path) -> None:
    article = kept(write_article, seed, front('title: "Big number"', "publishedDateTime: " + "9" * 400))
    assert article.published is None
