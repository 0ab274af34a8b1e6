"""Issue 9, wrong results 3, 4, 7 and 9: what the data layer reads, and how providers are told apart.

3. Related items that use an anchor from earlier in the front matter vanished.
4. `topics: 42` became a topic "42": fields of the wrong type are now ignored, one rule for all.
7. A file over 8 MB was skipped, though the list only needs its lean part.
9. Providers sharing a domain (ABC, ABCNews at abcnews.go.com) were listed twice.

Every file here is made up, written into a temporary seed directory.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import tracemalloc
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import ArticleWriter

import tui.data.extras as extras_module
import tui.data.front_matter as front_matter_module
import tui.data.parse as parse_module
from tui.data.extras import read_extras
from tui.data.fields import MAX_RELATED
from tui.data.front_matter import SkipFile, cut_top_level, decode, split_front_matter
from tui.data.index import ArticleIndex, Selection
from tui.data.loader import load_directory, read_article_extras
from tui.data.model import Article, ImageLink, Provider, RelatedItem
from tui.data.parse import MAX_FILE_BYTES, MAX_LEAN_BYTES, parse_article
from tui.data.related_links import MAX_LINKS, split_keys
from tui.data.search import find, parse_query


def front(*lines: str, body: str = "") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def only(write_article: ArticleWriter, seed: Path, content: str | bytes) -> Article:
    write_article("story.md", content)
    result = load_directory(seed, use_cache=False)
    assert result.skipped == [], result.skipped
    (article,) = result.index.articles
    return article


# --------------------------------------------------------------------------- 3: anchors in related items

ANCHORED = front(
    'title: "Anchored"',
    "provider: &p {name: X, domain: x.example}",
    "related:",
    '  - title: "Uses the anchor"',
    '    originalUrl: "https://x.example/1"',
    "    provider: *p",
    '  - title: "Plain"',
    "    provider: {name: Other}",
)


def test_a_related_item_may_use_an_anchor_defined_earlier(write_article: ArticleWriter, seed: Path) -> None:
    article = only(write_article, seed, ANCHORED)
    assert article.provider == Provider("X", "x.example")
    extras = read_article_extras(seed, article)
    assert extras.problem == ""
    assert [(item.title, item.provider) for item in extras.related] == [
        ("Uses the anchor", Provider("X", "x.example")),
        ("Plain", Provider("Other")),
    ]
    assert extras.related_total == 2


def test_a_related_item_may_merge_a_mapping_defined_earlier(write_article: ArticleWriter, seed: Path) -> None:
    content = front(
        'title: "Merged"',
        "defaults: &base",
        "  provider: {name: Wire, domain: wire.example}",
        '  excerpt: "Shared excerpt."',
        "related:",
        "  - <<: *base",
        '    title: "First"',
        "  - <<: [*base]",
        '    title: "Second"',
        '    excerpt: "Its own."',
    )
    extras = read_article_extras(seed, only(write_article, seed, content))
    assert extras.problem == ""
    assert [(item.title, item.excerpt, item.provider.name) for item in extras.related] == [
        ("First", "Shared excerpt.", "Wire"),
        ("Second", "Its own.", "Wire"),
    ]


@pytest.mark.parametrize("left_out", ["related", "secured"])
def test_the_lean_part_may_use_an_anchor_defined_in_a_part_left_out(
    write_article: ArticleWriter, seed: Path, left_out: str
) -> None:
    block = {
        "related": [
            "related:",
            "  - title: Inside",
            "    provider: &p {name: From related, domain: r.example}",
        ],
        "secured": ["secured: &p {name: From related, domain: r.example}"],
    }[left_out]
    article = only(write_article, seed, front('title: "Lean"', *block, "provider: *p"))
    assert article.provider == Provider("From related", "r.example")
    assert read_article_extras(seed, article).problem == ""


def test_loading_still_leaves_the_related_items_unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real = parse_module._load_yaml

    def spy(text: str, *args: object, **kwargs: object) -> object:
        parsed.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_module, "_load_yaml", spy)
    monkeypatch.setattr(extras_module, "_load_yaml", spy)
    article = parse_article(ANCHORED.encode(), "story.md")
    assert article.title == "Anchored" and article.related_size > 0
    assert parsed and not any("Uses the anchor" in text for text in parsed)
    parsed.clear()
    assert len(read_extras(ANCHORED.encode()).related) == 2
    assert any("Uses the anchor" in text for text in parsed)  # now, on demand


def _alias_bomb(levels: int = 10, width: int = 10) -> list[str]:
    names = [f"l{level}" for level in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(f'"lol{i}"' for i in range(width)) + "]"]
    for previous, name in pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
    return lines  # l9 stands for 10**10 strings


def _merge_bomb(levels: int = 30) -> list[str]:
    lines = ["m0: &m0 {k0: 1}"]
    lines += [f"m{n}: &m{n} {{<<: [*m{n - 1}, *m{n - 1}], k{n}: 1}}" for n in range(1, levels)]
    return lines


def test_alias_bombs_used_by_related_items_stay_harmless(write_article: ArticleWriter, seed: Path) -> None:
    items = []
    for n in range(3 * MAX_RELATED):
        items += ["  - title: *l9", "    excerpt: *l9", "    provider: *l9", "    <<: *m29"]
        items += [f'  - title: "Fine {n}"', "    excerpt: *l9", "    provider: *l9", "    images: *l9"]
    content = front(
        'title: "Survives"',
        *_alias_bomb(),
        *_merge_bomb(),
        "related:",
        *items,
        "  - &inner [*l9, *l9, *l9]",
        "  - *inner",
    )
    article = only(write_article, seed, content)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        extras = read_article_extras(seed, article)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 10
    assert peak < 32 * 1024 * 1024
    assert extras.problem == ""
    # The first thousand items are read (every other one has a title that is text) ...
    assert extras.related[:2] == (RelatedItem("Fine 0"), RelatedItem("Fine 1"))
    assert len(extras.related) == MAX_RELATED // 2
    # ... and the 5,002 items beyond them (6,002 in all) are counted, not read.
    assert extras.related_total == MAX_RELATED // 2 + 5_002


def test_an_alias_bomb_defined_among_the_related_items_stays_harmless(
    write_article: ArticleWriter, seed: Path
) -> None:
    bomb = [f"    {line}" for line in _alias_bomb()]
    content = front(
        'title: "Survives"', "related:", "  - title: Bomb carrier", "    bombs:", *bomb, "  - title: *l9"
    )
    extras = read_article_extras(seed, only(write_article, seed, content))
    assert [item.title for item in extras.related] == ["Bomb carrier"]


# --------------------------------------------------------------------------- 4: fields of the wrong type


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("topics: 42", ()),
        ("topics: 4.5", ()),
        ("topics: true", ()),
        ("topics: [42, 3.5, true, null, {a: b}, [7], Space]", ("Space",)),
        ('topics: "Space, Science"', ("Space", "Science")),
        ("topics: [[Alpha, 12], Beta]", ("Alpha", "Beta")),
    ],
)
def test_only_text_names_a_topic(
    write_article: ArticleWriter, seed: Path, line: str, expected: tuple[str, ...]
) -> None:
    assert only(write_article, seed, front("title: t", line)).topics == expected


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("title: 1984", "1984"),
        ("title: 007", "007"),
        ("title: 1984.10", "1984.10"),
        ("title: 1_000", "1_000"),
        ("title: -3", "-3"),
        ("title: " + "9" * 5000, "9" * 5000),
        ('title: "42"', "42"),
    ],
)
def test_a_number_as_title_is_the_text_as_written(
    write_article: ArticleWriter, seed: Path, line: str, title: str
) -> None:
    assert only(write_article, seed, front(line)).title == title


@pytest.mark.parametrize(
    ("line", "reason"),
    [("title: true", "title is true/false, not text"), ("title: {a: b}", "title is a mapping, not text")],
)
def test_a_title_of_another_type_skips_the_file(line: str, reason: str) -> None:
    with pytest.raises(SkipFile) as caught:
        parse_article(front(line).encode(), "x.md")
    assert caught.value.reason == reason


IMAGE = (ImageLink("https://i.example/a", None, 480),)


@pytest.mark.parametrize(
    ("line", "attribute", "expected"),
    [
        ("excerpt: 42", "excerpt", ""),
        ("excerpt: true", "excerpt", ""),
        ("provider: 17", "provider", Provider()),
        ("provider: {name: 17, domain: x.example}", "provider", Provider("", "x.example")),
        ("provider: {name: Wire, domain: 17}", "provider", Provider("Wire")),
        ("provider: Plain Name", "provider", Provider("Plain Name")),
        ("originalUrl: 42", "original_url", ""),
        ("quality: 70", "quality", 70),
        ('quality: "70"', "quality", 70),
        ('quality: " -3 "', "quality", -3),
        ("quality: 7.5", "quality", None),
        ("quality: 70.0", "quality", None),
        ("quality: true", "quality", None),
        ('quality: "7.5"', "quality", None),
        ('quality: "٧٠"', "quality", None),  # digits, but not as a file writes a number
        ("quality: 0x" + "f" * 4000, "quality", None),  # more than any rank needs (64 bits)
        ("quality: " + "1" * 5000, "quality", None),  # more digits than Python reads as an int
        ("topics: [" + "1" * 5000 + ", Space]", "topics", ("Space",)),
        ("heat: [1]", "heat", None),
        ("images: [{url: 'https://i.example/a', width: 4.5, height: '480'}]", "images", IMAGE),
        ("images: [{url: 'https://i.example/a', width: true, height: 480}]", "images", IMAGE),
        ("images: [{url: 'https://i.example/a', width: 0x10000000000000000, height: 480}]", "images", IMAGE),
    ],
)
def test_every_field_of_the_wrong_type_is_ignored(
    write_article: ArticleWriter, seed: Path, line: str, attribute: str, expected: object
) -> None:
    assert getattr(only(write_article, seed, front("title: t", line)), attribute) == expected


def test_related_items_follow_the_same_rules(write_article: ArticleWriter, seed: Path) -> None:
    content = front(
        "title: t",
        "related:",
        "  - title: 1984",
        "    excerpt: 42",
        "    provider: {name: 5, domain: five.example}",
        "  - title: true",
        "  - title: [a list]",
        "  - title: Text",
        "    originalUrl: 12",
    )
    extras = read_article_extras(seed, only(write_article, seed, content))
    assert [(item.title, item.excerpt, item.provider, item.url) for item in extras.related] == [
        ("1984", "", Provider("", "five.example"), ""),
        ("Text", "", Provider(), ""),
    ]
    assert extras.related_total == 2


# --------------------------------------------------------------------------- 7: files over 8 MB

RELATED_ITEM = """  - title: "Related story {n} about the election"
    excerpt: "A made-up excerpt, long enough to look like the real thing, with some words in it."
    publishedDateTime: 2024-02-01T10:00:00Z
    originalUrl: "https://related.example/{n}"
    provider:
      name: Related Wire
      domain: wire.example
"""


def big_article(items: int, *, head: str = "", body: str = "The body.\n", tail: str = "") -> bytes:
    """A valid article that is mostly related items (about 310 bytes each)."""
    lines = "".join(RELATED_ITEM.format(n=n) for n in range(items))
    text = (
        '---\ntitle: "A very long file"\noriginalUrl: "https://big.example/1"\n'
        "publishedDateTime: 2024-03-01T10:00:00Z\nprovider: {name: Big Paper, domain: big.example}\n"
        f"topics: [Election]\n{head}related:\n{lines}{tail}quality: 5\n---\n{body}"
    )
    return text.encode()


@pytest.fixture(scope="module")
def twenty_megabytes() -> bytes:
    data = big_article(66_000)
    assert 18 * 1024 * 1024 < len(data) < 22 * 1024 * 1024
    return data


def test_a_20_mb_file_of_related_items_is_listed_and_shown(
    write_article: ArticleWriter, seed: Path, twenty_megabytes: bytes
) -> None:
    write_article("small.md", title="Small one", url="https://n.example/small")
    write_article("big.md", twenty_megabytes)
    for attempt in ("fresh", "from the cache"):
        result = load_directory(seed)
        assert result.skipped == [], attempt
        assert sorted(article.title for article in result.index.articles) == ["A very long file", "Small one"]
    big = next(article for article in result.index.articles if article.path == "big.md")
    assert big.related_size > 18 * 1024 * 1024
    assert (big.quality, big.has_body, big.provider.name) == (5, True, "Big Paper")

    tracemalloc.start()
    try:
        extras = read_article_extras(seed, big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert extras.problem == ""
    assert len(extras.related) == MAX_RELATED
    assert extras.related[-1].title == f"Related story {MAX_RELATED - 1} about the election"
    assert extras.related_total == 66_000
    assert extras.body == "The body."
    # The file's bytes, and the first thousand items: not 66,000 items built in memory.
    assert peak < len(twenty_megabytes) + 16 * 1024 * 1024


def test_parsing_a_20_mb_file_costs_little_more_than_its_bytes(twenty_megabytes: bytes) -> None:
    tracemalloc.start()
    try:
        article = parse_article(twenty_megabytes, "big.md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert article.title == "A very long file"
    assert peak < 8 * 1024 * 1024  # the related block is never decoded, copied or parsed


def test_a_big_file_gives_the_article_a_small_one_gives(twenty_megabytes: bytes) -> None:
    small = parse_article(big_article(3), "big.md")
    big = parse_article(twenty_megabytes, "big.md")
    assert big.related_size > small.related_size > 0
    assert _fields(big) == _fields(small)
    # The first related items' links, the same ones, as many as are read.
    assert big.related_links.startswith(small.related_links)
    assert len(split_keys(big.related_links)) == MAX_LINKS


def _fields(article: Article) -> dict[str, object]:
    """Every field but those of the related list's length: its size, in bytes for a big file,
    and the links of its first items."""
    return {
        name: getattr(article, name)
        for name in Article.__dataclass_fields__
        if name not in {"related_size", "related_links"}
    }


@pytest.mark.parametrize(
    ("head", "tail", "body"),
    [
        ("", "", "The body.\n"),
        (
            "images: [{url: 'https://i.example/a', width: '640'}]\n",
            "excerpt: After the list.\n",
            "é\r\nü\r\n",
        ),
        # The lean part uses an anchor that only the related items define: the whole file is read.
        ("", "provider: *p\n", ""),
        ("secured: abc\n", "topics: 12\n", "\n\n"),
    ],
)
def test_a_big_file_is_read_as_a_small_one_is(head: str, tail: str, body: str) -> None:
    data = big_article(30_000, head=head, tail=tail, body=body)
    if "*p" in tail:
        data = data.replace(b"    provider:\n", b"    provider: &p\n", 1)
    assert MAX_LEAN_BYTES < len(data) < MAX_FILE_BYTES
    big = parse_article(data, "big.md")
    # What the path for files under 8 MB makes of the same bytes:
    small = parse_module._parse_text(decode(data), "big.md")
    assert big.related_size > MAX_LEAN_BYTES
    assert _fields(big) == _fields(small)
    if "*p" in tail:
        assert big.provider == Provider("Related Wire", "wire.example")


def test_a_cut_that_splits_a_value_reads_the_whole_list() -> None:
    items = "".join(f"  - title: Item {n}\n" for n in range(MAX_RELATED - 1))
    # A quoted title whose second line starts like an item, just where the list is cut.
    items += '  - title: "Last, in two\n  - lines"\n  - title: Beyond\n'
    extras = read_extras(f"---\ntitle: t\nrelated:\n{items}---\n".encode())
    assert extras.problem == ""
    assert len(extras.related) == MAX_RELATED
    assert extras.related[-1].title == "Last, in two - lines"
    assert extras.related_total == MAX_RELATED + 1


def test_the_byte_rules_cut_what_the_text_rules_cut() -> None:
    fronts = [
        "title: a\nrelated:\n  - x\nafter: 1\n",
        "title: a\nrelated:\n  - x\n",  # the block runs to the end of the front matter
        "related: [1, 2]\ntitle: a\n",
        "title: a\nrelated:\n  - x\n\u2028y: 1\n\u00a0z\n# comment\n- dash\nlast: 2\n",
        "title: a\r\nrelated:\r\n  - x\r\nafter: 1\r\n",
        "title: é\nrelated:\n  - title: ü\n    more: 字\nafter: 1\n",
        "title: a\nnot_related: 1\n",
    ]
    for opening in ("---", "----", "---  "):
        for closing in ("---", "-----", "--- \t"):
            for bom in ("", "\ufeff"):
                for body in ("", "related:\nbody text\n", "---\nmore\n"):
                    for fm in fronts:
                        text = f"{bom}{opening}\n{fm}{closing}\n{body}"
                        data = text.encode()
                        span = front_matter_module._block_span(data, "related")
                        front_text = split_front_matter(decode(data))[0]
                        lean, block = cut_top_level(front_text, "related")
                        if block is None:
                            assert span is None, text
                            continue
                        assert span is not None, text
                        cut = decode(data[: span[0]] + data[span[1] :])
                        # The same lines, but for the line break that ends the front matter.
                        assert split_front_matter(cut)[0].rstrip("\n") == lean.rstrip("\n"), text
                        shown = decode(data[span[0] + 1 : span[1]])
                        assert shown.replace("\r", "").rstrip("\n") == block.rstrip("\n"), text


def test_the_byte_rules_know_every_space_python_knows() -> None:
    spaces = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert max(spaces) <= "\u3000"  # the byte patterns list every space up to U+3000
    pattern = re.compile(front_matter_module._SPACE + rb"+")
    for space in spaces:
        assert pattern.fullmatch(space.encode()), hex(ord(space))


def test_a_big_file_that_is_not_utf8_names_the_first_bad_byte(twenty_megabytes: bytes) -> None:
    broken = bytearray(twenty_megabytes)
    broken[15_000_000] = 0xFF
    broken[18_000_000] = 0xFE
    with pytest.raises(SkipFile) as caught:
        parse_article(bytes(broken), "big.md")
    assert caught.value.reason == "not UTF-8 text (byte 0xFF at offset 15000000)"


def test_a_file_whose_lean_part_is_over_8_mb_is_skipped_with_its_size() -> None:
    data = big_article(10, body="A long body line.\n" * 500_000)  # 9 MB of body
    with pytest.raises(SkipFile) as caught:
        parse_article(data, "long.md")
    assert caught.value.reason == (
        "file too large: all but its related items is 8.6 MB (the limit for that part is 8 MB)"
    )


def test_a_file_over_64_mb_is_skipped_unread(write_article: ArticleWriter, seed: Path) -> None:
    huge = seed / "huge.md"
    with huge.open("wb") as handle:
        handle.write(big_article(10))
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, nothing need be read
    result = load_directory(seed)
    assert [item.reason for item in result.skipped] == ["file too large (64.0 MB; the limit is 64 MB)"]


# --------------------------------------------------------------------------- 9: providers by domain


@pytest.fixture
def abc_seed(write_article: ArticleWriter, seed: Path) -> Path:
    write_article("_data/organizations/abc.md", "---\nname: ABC News\ndomain: abcnews.go.com\n---\n")
    stories = [
        ("a1", "ABC", "abcnews.go.com"),
        ("a2", "ABC", "abcnews.go.com"),
        ("a3", "ABCNews", "abcnews.go.com"),
        ("a4", "ABC", ""),  # no domain, but the name is one of the provider's
        ("c1", "Coast Paper", "coast.example"),
        ("c2", "Coast Paper", "coast.example"),
        ("c3", "COAST PAPER", "coast.example"),
        ("m1", "Mill Times", "mill.example"),
        ("m2", "Mill Times", "www.mill.example"),  # another domain, the same name
        ("n1", "Name Only", ""),
        ("n2", "name only", ""),
        ("u1", "", ""),
    ]
    for name, provider, domain in stories:
        fields = [f"name: {provider}"] if provider else []
        fields += [f"domain: {domain}"] if domain else []
        write_article(
            f"{name}.md",
            front(
                f'title: "Story {name}"',
                f'originalUrl: "https://n.example/{name}"',
                f"provider: {{{', '.join(fields)}}}",
            ),
        )
    return seed


def facets(index: ArticleIndex) -> list[tuple[str, int]]:
    return [(facet.name, facet.count) for facet in index.providers]


def test_providers_sharing_a_domain_are_one_named_from_data(abc_seed: Path) -> None:
    index = load_directory(abc_seed).index
    assert facets(index) == [
        ("ABC News", 4),
        ("Coast Paper", 3),
        ("Mill Times", 2),
        ("Name Only", 2),
        ("Unknown provider", 1),
    ]
    keys = {facet.name: facet.key for facet in index.providers}
    assert keys["ABC News"] == "abcnews.go.com"
    assert keys["Name Only"] == "name only"  # no domain: known by its name
    abc = index.select(Selection(provider=keys["ABC News"]))
    assert sorted(article.path for article in abc) == ["a1.md", "a2.md", "a3.md", "a4.md"]
    assert {index.provider_key_at(position) for position in range(len(index))} == set(keys.values())


def test_without_data_a_provider_is_named_by_its_most_used_spelling(
    write_article: ArticleWriter, seed: Path
) -> None:
    for name, provider in [("a", "ABCNews"), ("b", "ABC"), ("c", "ABCNews"), ("d", "abc news")]:
        write_article(
            f"{name}.md",
            title=name,
            url=f"https://n.example/{name}",
            provider=provider,
            domain="abcnews.go.com",
        )
    assert facets(load_directory(seed).index) == [("ABCNews", 4)]


def test_provider_search_follows_the_merged_provider(abc_seed: Path) -> None:
    index = load_directory(abc_seed).index

    def paths(text: str) -> list[str]:
        return sorted(article.path for article in find(index, parse_query(text)))

    abc = ["a1.md", "a2.md", "a3.md", "a4.md"]
    for query in (
        "provider:abc",
        "provider:ABCNews",
        'provider:"abc news"',
        "provider:abcnews.go.com",
        "provider:abcnews",
    ):
        assert paths(query) == abc, query
    assert paths("provider:mill") == ["m1.md", "m2.md"]
    assert paths("provider:www.mill.example") == ["m1.md", "m2.md"]
    assert paths('provider:"name only"') == ["n1.md", "n2.md"]
    # The sidebar's name is a word of every article of the provider.
    assert paths('"abc news"') == abc


def test_check_lists_the_merged_providers(abc_seed: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(abc_seed), "--json", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    providers = json.loads(completed.stdout)["providers"]
    assert providers[:2] == [{"name": "ABC News", "count": 4}, {"name": "Coast Paper", "count": 3}]


# --------------------------------------------------------------------------- the import cycle


def test_the_index_does_not_import_search() -> None:
    source = (Path(__file__).resolve().parent.parent / "tui" / "data" / "index.py").read_text()
    assert "tui.data.search" not in source
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, tui.data.index; print('tui.data.search' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.stdout.strip() == "False", completed.stderr
