"""A file's related items that name another article of the index help join one story."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from conftest import ArticleWriter
from test_data_fixes import big_article
from test_stories import article, random_archive

from tui.data.loader import load_directory
from tui.data.model import Article
from tui.data.parse import MAX_LEAN_BYTES, parse_article
from tui.data.related_links import MAX_LINKS, link_key, related_link_keys, split_keys
from tui.data.stories import WINDOW_DAYS, find_stories


def related_block(*urls: str, key: str = "webUrl") -> str:
    items = [
        f'  - title: "Item {n}"\n    {key}: "{url}"\n    images:\n      - url: "https://img.example/{n}.jpg"'
        for n, url in enumerate(urls)
    ]
    return "related:\n" + "\n".join(items)


def test_the_links_of_the_first_related_items_are_kept_as_keys() -> None:
    block = "\n".join(
        [
            "related:",
            "  - title: one",
            "    originalUrl: https://a.example/one  # a comment",
            "    webUrl: 'https://a.example/one-web'",
            "    ampWebUrl: https://a.example/amp",
            "    images:",
            "      - url: https://img.example/one.jpg",
            "  - title: two",
            '    webUrl: "javascript:alert(1)"',
            "  - webUrl: https://a.example/two",
        ]
    )
    assert split_keys(related_link_keys(block)) == [
        link_key("https://a.example/one"),
        link_key("https://a.example/one-web"),
        link_key("https://a.example/two"),
    ]
    many = related_block(*(f"https://a.example/{n}" for n in range(MAX_LINKS + 5)))
    assert split_keys(related_link_keys(many)) == [
        link_key(f"https://a.example/{n}") for n in range(MAX_LINKS)
    ]
    assert related_link_keys("related: []") == ""


def test_keys_from_damaged_text_match_nothing_and_never_raise() -> None:
    assert split_keys("not hex at all, and no twelve-digit rhythm") == [
        "not hex at a",
        "ll, and no t",
        "welve-digit ",
    ]
    assert split_keys("abc") == []
    # As a damaged cache row could give them: grouping reads them as keys that name nothing.
    damaged = [
        dataclasses.replace(article(title, day=number), related_links=junk)
        for number, (title, junk) in enumerate(
            [("Ferry strike ends", "\x00\x1b[31m" * 9), ("Budget passes", "é" * 25), ("Snow falls", "1" * 13)]
        )
    ]
    assert find_stories(damaged).grouped == 0
    assert related_link_keys("Url: https://a.example/x\n web") == ""  # no field named before it


def test_the_links_are_read_from_the_related_block_only() -> None:
    # Over MAX_LEAN_BYTES, and its related block short: the body's text is not a related link.
    body = "webUrl: https://body.example/x\n" + "y" * (MAX_LEAN_BYTES - 1500)
    data = big_article(8, body=body)
    assert len(data) > MAX_LEAN_BYTES  # its related block is cut out before decoding
    big = parse_article(data, "big.md")
    small = parse_article(big_article(8, body="webUrl: https://body.example/x\n"), "small.md")
    assert big.related_links == small.related_links
    assert link_key("https://body.example/x") not in split_keys(big.related_links)
    assert len(split_keys(big.related_links)) == 8


def test_loading_keeps_the_keys_and_the_cache_gives_them_back(
    write_article: ArticleWriter, seed: Path
) -> None:
    write_article(
        "a.md", title="One", url="https://news.example/a", extra=related_block("https://news.example/b")
    )
    write_article("b.md", title="Two", url="https://news.example/b")
    # Over MAX_LEAN_BYTES its related block is cut before decoding: the keys are still read.
    padding = "".join(
        f"\n  - title: padding {n}\n    excerpt: '{'x' * 200}'" for n in range(MAX_LEAN_BYTES // 200)
    )
    write_article(
        "big.md",
        title="Big",
        url="https://news.example/big",
        extra=related_block("https://news.example/a", key="originalUrl") + padding,
    )
    for _cold_then_warm in range(2):
        by_title = {item.title: item for item in load_directory(seed).index.articles}
        assert split_keys(by_title["One"].related_links) == [link_key("https://news.example/b")]
        assert split_keys(by_title["Big"].related_links) == [link_key("https://news.example/a")]
        assert by_title["Two"].related_links == ""


def _archive() -> list[Article]:
    """Random headlines, and the pair's words each in thirty articles far from them in time."""
    rng = random.Random(11)
    archive = random_archive(rng, 1000, vocabulary=3000, words=(6, 12), per_day=20)
    made_up = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=8)) for _ in range(500)]
    for word in ("Quarrystone", "dam", "cracks", "families", "evacuate"):
        archive += [article(f"{word} " + " ".join(rng.choices(made_up, k=5)), day=200 + n) for n in range(30)]
    return archive


def _together(articles: list[Article]) -> bool:
    stories = find_stories(articles)
    return stories.story_of[-1] == stories.story_of[-2]


def test_a_related_link_joins_reports_alike_but_not_alike_enough_alone() -> None:
    # They share only the place: a third of their weight, below the bar for a story on words alone.
    archive = _archive()
    cracks = article("Quarrystone dam cracks", day=50)
    evacuate = article("Quarrystone families evacuate", day=51, provider="Other Post")
    assert not _together([*archive, cracks, evacuate])
    naming = dataclasses.replace(cracks, related_links=link_key(evacuate.url))
    assert _together([*archive, naming, evacuate])
    # Either side may name the other.
    assert _together([*archive, cracks, dataclasses.replace(evacuate, related_links=link_key(cracks.url))])


def test_a_related_link_beyond_the_window_joins_nothing() -> None:
    archive = _archive()
    cracks = article("Quarrystone dam cracks", day=50)
    later = article("Quarrystone families evacuate", day=50 + WINDOW_DAYS + 1, provider="Other Post")
    naming = dataclasses.replace(cracks, related_links=link_key(later.url))
    assert not _together([*archive, naming, later])
