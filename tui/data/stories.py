"""Stories: the articles that report one event, found by their words and their dates.

Two articles are one story when their titles and excerpts weigh alike and they
were published within `WINDOW_DAYS` of each other; a story is every article so
linked, one link at a time. Words are weighed TF-IDF (a word most articles
share, "Pence" in an archive about him, says little; "Zanesville" says a lot),
and two articles' similarity is the cosine of those weights.

Only pairs that share a rare enough word within the window are ever compared:
each such word's articles, in date order, are walked with a sliding window, and
a word held by too many articles of one window is no evidence and is skipped
there. So the work grows with the number of real candidates, not with the
square of the archive.

The files' own `related` lists are a second signal: an article whose related
items name another article of the index within the window needs less likeness to
join it (`NAMED_THRESHOLD`, `NAMED_COHESION`), though still some, and still a shared
telling word.
On the real corpus most of those links (338 of 387) join articles that only share
a topic, so a link alone never makes a story.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.data.columns import ArticleColumns
from tui.data.folding import normalize
from tui.data.model import Article
from tui.data.related_links import link_key, split_keys

WINDOW_DAYS = 10
"""Reports of one event, syndicated or followed up, come within this many days of each other."""
THRESHOLD = 0.35
"""Cosine similarity from which two articles are one story (tuned on the labelled corpus)."""
NAMED_THRESHOLD = 0.3
"""The similarity enough when one article's related items name the other."""
NAMED_COHESION = 0.2
"""The mean similarity enough for a join such a link makes: the publisher vouches for the rest."""
COHESION = 0.3
"""The mean similarity two stories' articles must keep to become one."""
UNIQUE_WEIGHT = 0.3
TELLING_SHARE = 0.03
TELLING_AT_LEAST = 5
"""Two articles are one story only if they share a word that few articles have: at most this
share of them (or this many in a small archive). Templated titles ("Vice President holds
rally in …") are otherwise alike in everything but the one word that tells them apart."""
_SAMPLE = 40
TITLE_WEIGHT = 2
EXCERPT_WORDS = 15
"""The excerpt's first words: the lede says what happened; later words wander."""
CROWDED = 48
"""A word that more articles than this hold within one window is met only through its latest
`LOOKBACK` holders: comparing all its pairs would cost the square of the archive's subject."""
LOOKBACK = 8
_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS = (
    "a an the and or of to in on for at by with from as is are was were be been it its this that these "
    "those he she they his her their them we you i not but over after before about into than then so if "
    "up out new says said will would could can has have had do does did just more most who what how why "
    "when where which here there all no"
)
_STOP = frozenset(_STOP_WORDS.split())
_ALIASES = {"vp": "vice"}


def _stem(word: str) -> str:
    # Plurals and tenses of one word are one word: "rallies", "rally"; "visits", "visit".
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


_STEMS: dict[str, str] = {}


def words_of(text: str) -> list[str]:
    """The words that tell stories apart: folded, stemmed, without the little ones."""
    words = []
    for word in _WORD.findall(normalize(text)):
        stem = _STEMS.get(word)
        if stem is None:
            stem = "" if len(word) < 2 or word in _STOP else _stem(_ALIASES.get(word, word))
            if len(_STEMS) < 500_000:  # an archive's vocabulary; a hostile one is not kept
                _STEMS[word] = stem
        if stem:
            words.append(stem)
    return words


@dataclass(frozen=True, slots=True)
class Stories:
    """Which story each article (by index position) belongs to."""

    story_of: array[int]
    """Per position: the story's id, the position of its first member; its own position when alone."""
    members: dict[int, tuple[int, ...]]
    """Story id -> member positions, in index order, for stories of more than one article."""

    def members_of(self, position: int) -> tuple[int, ...]:
        """Every article of the story `position` belongs to (itself alone when alone)."""
        return self.members.get(self.story_of[position], (position,))

    def size(self, position: int) -> int:
        return len(self.members_of(position))

    @property
    def grouped(self) -> int:
        """Stories of more than one article."""
        return len(self.members)

    @staticmethod
    def alone(count: int) -> Stories:
        return Stories(array("I", range(count)), {})


Facts = tuple[str, str, str, "float | None", str, str]
"""What grouping reads of an article: title, lede (excerpt and kept text), outlet, date, its
own links (NUL between them) and the keys of those its related items name."""


def facts_of(articles: Sequence[Article], texts: Callable[[int], str] | None = None) -> list[Facts]:
    """The little of each article that grouping reads: cheap to send to another process.

    Read field by field: an index from the saved one holds its articles as columns, and
    making 100,000 `Article`s only to read six fields of each took most of this time.
    """
    facts: list[Facts] = []
    titles, excerpts, providers, dates, originals, webs, named = (
        _column(articles, name)
        for name in ("title", "excerpt", "provider", "published", "original_url", "web_url", "related_links")
    )
    for position, (title, excerpt, provider, published, original, web, links) in enumerate(
        zip(titles, excerpts, providers, dates, originals, webs, named, strict=True)
    ):
        # A slice of the texts is enough to find their first words.
        lede = excerpt[:200]
        if texts is not None and (text := texts(position)):
            lede = f"{lede}\x00{text[:200]}"
        facts.append((title, lede, provider.label, published, f"{original}\x00{web}", links))
    return facts


def _column(articles: Sequence[Article], name: str) -> Iterable[Any]:
    """Every article's `name`, from the saved index's column when there is one (no `Article` made)."""
    if isinstance(articles, ArticleColumns):
        return articles.column(name)
    return (getattr(article, name) for article in articles)


def find_stories(
    articles: Sequence[Article],
    texts: Callable[[int], str] | None = None,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> Stories:
    """The stories of `articles` (index order); `texts(position)` adds a fetched text's words."""
    return stories_of(facts_of(articles, texts), cancelled)


def stories_of(facts: Sequence[Facts], cancelled: Callable[[], bool] = lambda: False) -> Stories:
    """The stories of the articles these facts are of (see `facts_of`)."""
    weighed = weigh(facts, cancelled)
    if weighed is None:
        return Stories.alone(len(facts))
    vectors, telling = weighed
    dates = [published for _title, _lede, _outlet, published, *_links in facts]
    links = _links(vectors, telling, dates, cancelled)
    named = _named_links(facts, vectors, telling, dates)
    return _join(len(facts), links + named, vectors, {(first, second) for _alike, first, second in named})


def weigh(
    facts: Sequence[Facts], cancelled: Callable[[], bool] = lambda: False
) -> tuple[list[Vector], set[int]] | None:
    """Each article's words as a TF-IDF vector, and the telling words (None if cancelled)."""
    vocabulary: dict[str, int] = {}
    bags: list[dict[int, float]] = []
    outlets: dict[str, frozenset[str]] = {}
    for position, (title, lede_text, outlet_name, *_rest) in enumerate(facts):
        bag: dict[int, float] = {}
        # "… | Charlotte Observer": the outlet's own name in a title says who, not what happened.
        outlet = outlets.get(outlet_name)
        if outlet is None:
            outlet = outlets[outlet_name] = frozenset(words_of(outlet_name))
        for word in words_of(title):
            if word in outlet:
                continue
            bag[vocabulary.setdefault(word, len(vocabulary))] = TITLE_WEIGHT
        excerpt, _, kept = lede_text.partition("\x00")
        lede = words_of(excerpt)[:EXCERPT_WORDS]
        if kept:
            lede += words_of(kept)[:EXCERPT_WORDS]
        for word in set(lede):
            key = vocabulary.setdefault(word, len(vocabulary))
            bag[key] = bag.get(key, 0.0) + 1.0
        bags.append(bag)
        if position % 4096 == 4095 and cancelled():
            return None
    return _weigh(bags)


def _named_links(
    facts: Sequence[Facts], vectors: list[Vector], telling: set[int], dates: list[float | None]
) -> list[tuple[float, int, int]]:
    """Pairs within the window where one's related items name the other, alike enough for that."""
    if not any(named for *_rest, named in facts):
        return []  # no related lists: no article's own links need a key
    owner: dict[str, int] = {}
    for position, (*_rest, own, _named) in enumerate(facts):
        for url in own.split("\x00"):
            if url:
                owner.setdefault(link_key(url), position)
    links: list[tuple[float, int, int]] = []
    window = WINDOW_DAYS * 86400.0
    for position, (*_rest, _own, named) in enumerate(facts):
        when = dates[position]
        for key in split_keys(named):
            other = owner.get(key)
            if other is None or other == position or when is None:
                continue
            then = dates[other]
            if then is None or abs(when - then) > window:
                continue
            if telling.isdisjoint(set(vectors[position][0]).intersection(vectors[other][0])):
                continue  # the publisher's links join topics too: a shared telling word still counts
            if (alike := similarity(vectors[position], vectors[other])) >= NAMED_THRESHOLD:
                links.append((alike, min(position, other), max(position, other)))
    return links


Vector = tuple["array[int]", "array[float]"]


def _weigh(bags: list[dict[int, float]]) -> tuple[list[Vector], set[int]]:
    """Each article's TF-IDF vector of unit length, as (word keys, weights), kept compact; and
    the words rare enough to tell one event (`TELLING_SHARE`)."""
    document_frequency: dict[int, int] = {}
    for bag in bags:
        for key in bag:
            document_frequency[key] = document_frequency.get(key, 0) + 1
    total = len(bags)
    # A word no other article has can link nothing, but it still says the article is about
    # something else ("rally in Harbourton"): it counts, at a part of its weight, so that one
    # long title of unique words is not unlike everything, nor templated ones all alike.
    idf = {
        key: math.log(total / frequency) * (1.0 if frequency > 1 else UNIQUE_WEIGHT)
        for key, frequency in document_frequency.items()
    }
    vectors: list[Vector] = []
    for bag in bags:
        weighted = {key: value * idf[key] for key, value in bag.items() if idf[key] > 0}
        norm = math.sqrt(sum(value * value for value in weighted.values())) or 1.0
        vectors.append((array("I", weighted), array("f", [value / norm for value in weighted.values()])))
    most = max(TELLING_AT_LEAST, total * TELLING_SHARE)
    telling = {key for key, frequency in document_frequency.items() if 1 < frequency <= most}
    return vectors, telling


def similarity(one: Vector, two: Vector) -> float:
    """The cosine of two unit vectors."""
    if len(one[0]) > len(two[0]):
        one, two = two, one
    theirs = dict(zip(*two, strict=True))
    return sum(weight * theirs.get(key, 0.0) for key, weight in zip(*one, strict=True))


def _links(
    vectors: list[Vector], telling: set[int], dates: list[float | None], cancelled: Callable[[], bool]
) -> list[tuple[float, int, int]]:
    """Pairs of articles within the window whose similarity reaches the threshold, with it.

    Articles are taken in date order; each word remembers the articles that held it (with
    their weight) and where its window starts, so an article meets only the earlier ones
    within the window that share a word with it, and sums their products as it goes.
    """
    window = WINDOW_DAYS * 86400.0
    dated = sorted(
        (position for position, published in enumerate(dates) if published is not None),
        key=lambda position: dates[position] or 0.0,
    )
    held: dict[int, array[int]] = {}
    times: dict[int, array[float]] = {}
    weights: dict[int, array[float]] = {}
    starts: dict[int, int] = {}
    links: list[tuple[float, int, int]] = []
    for done, position in enumerate(dated):
        if done % 4096 == 4095 and cancelled():
            return []
        now = dates[position] or 0.0
        sums: dict[int, float] = {}
        backed: set[int] = set()
        keys, values = vectors[position]
        for key, weight in zip(keys, values, strict=True):
            others = held.get(key)
            if others is None:
                held[key], times[key] = array("I", [position]), array("d", [now])
                weights[key], starts[key] = array("f", [weight]), 0
                continue
            when, strength = times[key], weights[key]
            start = starts[key]
            end = len(others)
            while start < end and now - when[start] > window:
                start += 1
            starts[key] = start
            others.append(position)
            when.append(now)
            strength.append(weight)
            if end - start > CROWDED:
                # The archive's subject in this window, or one very big story: only the latest few
                # are met, which keeps the work bounded and still chains a big story's copies.
                start = end - LOOKBACK
            for at in range(start, end):
                other = others[at]
                sums[other] = sums.get(other, 0.0) + weight * strength[at]
            if key in telling:
                backed.update(others[start:end])
        for other, partial in sums.items():
            if other not in backed:
                continue  # alike only in the archive's common words: a series, not one event
            # Crowded words were left out of the sum: near the line, weigh the pair whole.
            if partial >= THRESHOLD or (
                partial >= THRESHOLD - 0.1
                and (partial := similarity(vectors[other], vectors[position])) >= THRESHOLD
            ):
                links.append((partial, other, position))
    return links


def _join(
    count: int, links: list[tuple[float, int, int]], vectors: list[Vector], named: set[tuple[int, int]]
) -> Stories:
    """Stories from links, the closest first; two stories join only if alike on the whole.

    One link at a time alone would chain: A like B, B like C, C like D, and a campaign's
    every stop becomes one story. So two stories join only when their articles are, on
    average, still alike (`COHESION`).
    """
    parent = list(range(count))
    groups: dict[int, list[int]] = {}

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    for _similarity, first, second in sorted(links, reverse=True):
        one, two = root(first), root(second)
        if one == two:
            continue
        left, right = groups.get(one, [one]), groups.get(two, [two])
        least = NAMED_COHESION if (min(first, second), max(first, second)) in named else COHESION
        if len(left) + len(right) > 2 and _cohesion(left, right, vectors) < least:
            continue
        keep, gone = min(one, two), max(one, two)
        parent[gone] = keep
        groups[keep] = left + right
        groups.pop(gone, None)
    story_of = array("I", (root(position) for position in range(count)))
    members = {story: tuple(sorted(group)) for story, group in groups.items() if len(group) > 1}
    return Stories(story_of, members)


def _cohesion(left: list[int], right: list[int], vectors: list[Vector]) -> float:
    """Mean similarity of the articles of one story to those of the other (a sample of big ones)."""
    left, right = left[:_SAMPLE], right[:_SAMPLE]
    total = sum(similarity(vectors[one], vectors[other]) for one in left for other in right)
    return total / (len(left) * len(right))
