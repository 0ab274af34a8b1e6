"""The search language and its matcher, over an inverted index of the articles.

    biden debate            both words (any order, any field)
    "vice president"        the phrase
    -trump                  not this word (or -"a phrase")
    topic:election          in this topic (quote names with spaces: topic:"joe biden")
    provider:cnn            from this provider, by name or domain
    after:2021-01-01        published on or after this day (local time)
    before:2021-02-01       published before this day

Words are looked for in the title, excerpt, provider, topics and body, and
match case- and accent-insensitively ("Pénélope" ~ "penelope"); the
last word of a query still being typed also matches as a prefix. Nothing in
a query is an error that stops the search: a problem (an unclosed quote, a
bad date) is reported in `Query.problems` and the rest of the query applies.
"""

from __future__ import annotations

import re
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tui.data.fetched_texts import CombinedWords, WordSource
from tui.data.folding import WORD as _WORD
from tui.data.folding import normalize, words
from tui.data.index import ArticleIndex, ArticleView, Selection
from tui.data.model import Article
from tui.data.sanitize import visible

_FIELDS = ("topic", "provider", "after", "before")
# Below three letters a prefix matches a large part of the vocabulary: slow to
# join at 100,000 articles and of little use to the reader.
_MIN_PREFIX = 3
_MAX_PREFIX_WORDS = 256


@dataclass(slots=True)
class Query:
    text: str = ""
    terms: list[str] = field(default_factory=list)
    """Words every match must contain."""
    phrases: list[list[str]] = field(default_factory=list)
    excluded_terms: list[str] = field(default_factory=list)
    excluded_phrases: list[list[str]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    after: float | None = None
    before: float | None = None
    prefix: str | None = None
    """The last word, while it is still being typed: it matches longer words too."""
    problems: list[str] = field(default_factory=list)

    @property
    def highlight_words(self) -> list[str | Prefix]:
        """What to mark in titles and text: exactly what matches.

        Words and the words of phrases (normalised) are marked where they stand whole;
        the prefix, as a `Prefix`, also where it starts a longer word.
        """
        found: list[str | Prefix] = [*self.terms, *(word for phrase in self.phrases for word in phrase)]
        if self.prefix:
            found.append(Prefix(self.prefix))
        return found


@dataclass(frozen=True, slots=True)
class Prefix:
    """A highlight word that also marks the longer words it starts ("bid" in "Biden")."""

    word: str


_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)("?)|(\S*))')


def _day(value: str, name: str, problems: list[str]) -> float | None:
    try:
        return time.mktime(datetime.strptime(value, "%Y-%m-%d").timetuple())
    except (ValueError, OverflowError):
        problems.append(f"{name}: wants a date like 2021-01-31, not “{visible(value)}”")
        return None


def parse_query(text: str, *, typing: bool = False) -> Query:
    """Read a query; with `typing`, its last word also matches longer words.

    That is the one rule of the reader and of `check --search` (both pass `typing`):
    a last bare word of three letters or more that the text ends on matches the
    words it starts too ("bid" finds "Biden"); a space after it, quotes around it or
    a shorter word match whole words only.
    """
    query = Query(text=text)
    last_plain_end = -1
    for match in _TOKEN.finditer(text):
        if not match.group(0):
            continue
        negated, name, quoted, closing, bare = match.groups()
        value = quoted if quoted is not None else bare or ""
        if quoted is not None and not closing:
            query.problems.append("a quote is not closed: searching for the words after it")
        if name is not None and name.casefold() in _FIELDS and not negated:
            name = name.casefold()
            if not value.strip():
                query.problems.append(f"{name}: needs a value")
            elif name == "topic":
                query.topics.append(value.strip())
            elif name == "provider":
                query.providers.append(value.strip())
            else:
                day = _day(value.strip(), name, query.problems)
                if day is not None and name == "after":
                    query.after = day
                elif day is not None:
                    query.before = day
            continue
        if name is not None:
            # "word:thing" that is not a filter is just words (a time, a URL).
            value = f"{name}:{value}"
        parts = words(value)
        if not parts:
            continue
        if negated:
            if quoted is not None and len(parts) > 1:
                query.excluded_phrases.append(parts)
            else:
                query.excluded_terms.extend(parts)
        elif quoted is not None and len(parts) > 1:
            query.phrases.append(parts)
        else:
            query.terms.extend(parts)
            if quoted is None and name is None:
                last_plain_end = match.end()
    # The word under the cursor is unfinished: "bid" should already find "Biden".
    if typing and last_plain_end == len(text) and len(query.terms[-1]) >= _MIN_PREFIX:
        query.prefix = query.terms.pop()
    return query


def _match(word_index: WordSource, query: Query) -> set[int] | None:
    """Positions of articles matching the words of `query`; None when it has none."""
    required = [*query.terms, *(word for phrase in query.phrases for word in phrase)]
    candidates: set[int] | None = None
    for word in sorted(set(required), key=lambda word: len(word_index.positions(word))):
        entries = word_index.positions(word)
        candidates = set(entries) if candidates is None else candidates.intersection(entries)
        if not candidates:
            return set()
    if query.prefix:
        prefixed = word_index.prefix_positions(query.prefix, _MAX_PREFIX_WORDS)
        candidates = prefixed if candidates is None else candidates & prefixed
    if candidates is None and (query.excluded_terms or query.excluded_phrases):
        candidates = set(range(word_index.size))
    if candidates is None:
        return None
    for phrase in query.phrases:
        candidates = {position for position in candidates if word_index.has_phrase(position, phrase)}
    for word in query.excluded_terms:
        candidates.difference_update(word_index.positions(word))
    for phrase in query.excluded_phrases:
        candidates = {position for position in candidates if not word_index.has_phrase(position, phrase)}
    return candidates


def _date_range(index: ArticleIndex, query: Query) -> range:
    """Positions published in [after, before): one run, as the index is newest first."""
    articles = index.articles
    dated = bisect_left(articles, True, key=lambda article: article.published is None)

    def age(article: Article) -> float:  # ascends along the dated positions
        return -(article.published or 0.0)

    start = 0 if query.before is None else bisect_right(articles, -query.before, hi=dated, key=age)
    end = dated if query.after is None else bisect_right(articles, -query.after, hi=dated, key=age)
    return range(start, max(start, end))


def find(index: ArticleIndex, query: Query, within: Selection | str | None = None) -> ArticleView:
    """The articles of a sidebar selection (or one topic key; None: all) matching `query`, in index order.

    Every step is a set operation on positions, never a pass over every
    article, which keeps typing instant at 100,000 articles. Problems found
    on the way (an unknown topic in `topic:`) are added to `query.problems`.
    """
    words: WordSource = index.search_index()
    if index.fetched.count:
        words = CombinedWords(words, index.fetched)
    matched = _match(words, query)
    constraints: list[Iterable[int]] = []
    if isinstance(within, str):
        within = Selection(frozenset({within}))
    if within is not None and (within.topics or within.provider is not None):
        constraints.append(index.positions_of_selection(within))
    for name in query.topics:
        key = index.find_topic(name)
        if key is None:
            query.problems.append(f"no topic named “{visible(name)}”")
            return ArticleView(index.articles, array("I"))
        constraints.append(index.positions_of_topic(key))
    if query.providers:
        found: set[int] = set()
        for wanted in query.providers:
            positions = index.positions_of_provider(wanted)
            if not positions:
                query.problems.append(f"no provider named “{visible(wanted)}”")
            found.update(positions)
        constraints.append(found)
    if query.after is not None or query.before is not None:
        constraints.append(_date_range(index, query))
    if matched is None and not constraints:
        return index.view(None)
    # Start from the smallest set: the rest only need membership tests.
    pools = sorted(constraints, key=len)  # type: ignore[arg-type]
    if matched is not None:
        pools.insert(0, matched)
    result = set(pools[0])
    for pool in pools[1:]:
        result.intersection_update(pool)
    return ArticleView(index.articles, array("I", sorted(result)))


def match_spans(text: str, highlight: Sequence[str | Prefix]) -> list[tuple[int, int]]:
    """Where the words of `highlight` stand in `text`: a plain (normalised) word whole, a `Prefix` also
    at the start of a longer word, as `Query.highlight_words` gives them.

    Offsets are into `text` as written, so accents and case survive the marking.
    """
    if not highlight or not text:
        return []
    wanted = {item for item in highlight if isinstance(item, str)}
    prefixes = tuple(item.word for item in highlight if isinstance(item, Prefix))
    folded: list[str] = []
    origin: list[int] = []
    for offset, char in enumerate(text):
        for piece in normalize(char):
            folded.append(piece)
            origin.append(offset)
    spans = []
    for found in _WORD.finditer("".join(folded)):
        word = found.group()
        if word in wanted or word.startswith(prefixes):
            spans.append((origin[found.start()], origin[found.end() - 1] + 1))
    return spans
