"""The in-memory index: articles newest first, topics and providers counted.

Filtering never scans: each topic keeps the sorted positions of its
articles, so switching topic costs the same at 100 or 100,000 articles.
The word index that searching reads (`WordIndex`) hangs off the index; what
a query means is `search`'s business, which this module never imports.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, overload

from tui.data.columns import ArticleColumns
from tui.data.fetched_texts import FetchedTexts
from tui.data.metadata import Metadata, provider_facets
from tui.data.model import Article, Provider
from tui.data.word_index import WordIndex


@dataclass(frozen=True, slots=True)
class Facet:
    """A topic or provider with how many articles it has."""

    key: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class IndexSummary:
    """How many articles, and the sidebar's facets: all that `check` reports."""

    size: int
    topics: tuple[Facet, ...]
    providers: tuple[Facet, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    """What the sidebar narrows the list to: topics (any or all of them) and a provider."""

    topics: frozenset[str] = frozenset()
    every: bool = False
    """All chosen topics at once, rather than any of them."""
    provider: str | None = None
    """A provider facet key."""
    starred: bool = False
    """Only starred articles (the marks live outside the index: the screen applies this)."""

    @property
    def is_everything(self) -> bool:
        return not self.topics and self.provider is None and not self.starred

    def toggled(self, topic: str) -> Selection:
        return Selection(self.topics ^ {topic}, self.every, self.provider, self.starred)


def topic_key(name: str) -> str:
    return " ".join(name.split()).casefold()


SORTS = ("newest", "oldest", "rank")
SORT_LABELS = {"newest": "newest first", "oldest": "oldest first", "rank": "by rank"}


class ArticleView(Sequence[Article]):
    """A read-only slice of the index: newest first unless `ordered` says otherwise."""

    __slots__ = ("_articles", "_positions", "_rows")

    def __init__(
        self, articles: Sequence[Article], positions: Sequence[int] | None = None, *, ordered: bool = True
    ) -> None:
        self._articles = articles
        self._positions = positions
        # Positions in another order than the index's: rows are found by lookup, not bisection.
        self._rows: dict[int, int] | None = None if ordered else {}

    def __len__(self) -> int:
        return len(self._articles) if self._positions is None else len(self._positions)

    @overload
    def __getitem__(self, item: int) -> Article: ...
    @overload
    def __getitem__(self, item: slice) -> Sequence[Article]: ...
    def __getitem__(self, item: int | slice) -> Article | Sequence[Article]:
        if self._positions is None:
            return self._articles[item]
        if isinstance(item, slice):
            return [self._articles[position] for position in self._positions[item]]
        return self._articles[self._positions[item]]

    @property
    def is_ordered(self) -> bool:
        """Rows in index order (newest first), so a row is found by bisection."""
        return self._rows is None

    def position_at(self, row: int) -> int:
        """The index position of the article at `row`."""
        return row if self._positions is None else self._positions[row]

    def row_of(self, position: int) -> int | None:
        """The row at which the article at index `position` stands, if here."""
        if self._positions is None:
            return position if 0 <= position < len(self._articles) else None
        if self._rows is not None:
            if not self._rows and self._positions:
                self._rows = {position: row for row, position in enumerate(self._positions)}
            return self._rows.get(position)
        row = bisect_left(self._positions, position)
        if row < len(self._positions) and self._positions[row] == position:
            return row
        return None


def _sort_key(article: Article) -> tuple[bool, float, str, str]:
    return (article.published is None, -(article.published or 0.0), article.title.casefold(), article.path)


def _ranked(counts: dict[str, int], names: dict[str, str]) -> tuple[Facet, ...]:
    facets = (Facet(key, names[key], count) for key, count in counts.items())
    return tuple(sorted(facets, key=lambda facet: (-facet.count, facet.name.casefold(), facet.key)))


class ArticleIndex:
    """Articles sorted newest first (undated last), with topic and provider facets."""

    def __init__(
        self, articles: Iterable[Article], metadata: Metadata | None = None, *, presorted: bool = False
    ) -> None:
        """`presorted`: the articles come in index order already (from a saved index).

        Articles given as `ArticleColumns` stay columns: the index reads the fields
        it needs from them, and an `Article` is made only for what is looked at.
        """
        metadata = metadata or Metadata()
        self.articles: Sequence[Article] = (
            articles
            if presorted and isinstance(articles, ArticleColumns)
            else tuple(articles if presorted else sorted(articles, key=_sort_key))
        )
        self._position = {path: position for position, path in enumerate(self.values_of("path"))}

        aliases = {alias: topic_key(name) for alias, name in metadata.topic_names.items()}
        # Articles repeat a few thousand lists of topics: each list is resolved once.
        resolved: dict[str, str] = {}
        # By identity: the lists are shared objects, and hashing a tuple is not cached.
        keys_of: dict[int, tuple[str, ...]] = {}
        uses: dict[int, int] = {}
        lists: dict[int, tuple[str, ...]] = {}
        self._article_topics: list[tuple[str, ...]] = []
        # Positions as 4-byte arrays: a list would spend 36 bytes per entry.
        self._topic_positions: dict[str, array[int]] = {}
        for position, names in enumerate(self.values_of("topics")):
            keys = keys_of.get(id(names))
            if keys is None:
                found: dict[str, None] = {}
                for name in names:
                    key = resolved.get(name)
                    if key is None:
                        key = resolved[name] = aliases.get(topic_key(name), topic_key(name))
                    found[key] = None
                keys = keys_of[id(names)] = tuple(found)
                uses[id(names)], lists[id(names)] = 0, names
            uses[id(names)] += 1
            for key in keys:
                positions = self._topic_positions.get(key)
                if positions is None:
                    positions = self._topic_positions[key] = array("I")
                positions.append(position)
            self._article_topics.append(keys)
        spellings: dict[tuple[str, str], int] = {}
        for identity, count in uses.items():
            for name in lists[identity]:
                spelling = (resolved[name], name)
                spellings[spelling] = spellings.get(spelling, 0) + count

        # The most used spelling names a topic; ties go to the alphabetically
        # first, so the name shown does not depend on file order.
        best: dict[str, tuple[int, str]] = {}
        for (key, name), count in spellings.items():
            current = best.get(key)
            if current is None or (-count, name) < (-current[0], current[1]):
                best[key] = (count, name)
        self._topic_names = {key: metadata.topic_names.get(key) or name for key, (_, name) in best.items()}
        self._aliases = {**aliases, **{key: key for key in self._topic_names}}
        self.topics = _ranked(
            {key: len(positions) for key, positions in self._topic_positions.items()},
            self._topic_names,
        )

        self._providers: Sequence[Provider] = self.values_of("provider")
        providers = Counter(self._providers)
        self._provider_keys, self._provider_names = provider_facets(providers, metadata)
        provider_counts: Counter[str] = Counter()
        for provider, count in providers.items():
            provider_counts[self._provider_keys[provider]] += count
        self.providers = _ranked(dict(provider_counts), self._provider_names)

        self._search: WordIndex | None = None
        self.word_source: Callable[[ArticleIndex], WordIndex] | None = None
        """Where a saved copy of the word index is read (and a new one kept), if anywhere."""
        self.fetched = FetchedTexts(len(self.articles))
        """Articles whose full text is kept (reader mode), and its words for searching."""
        self._provider_words: dict[str, set[str]] | None = None
        """Each name and domain of a provider (any case) -> its facet keys, for `provider:`."""
        self._facet_positions: dict[str, array[int]] | None = None
        self._selected: tuple[Selection, Sequence[int]] | None = None
        self._rank: array[int] | None = None
        self._by_url: dict[str, int] = {}
        for position, urls in enumerate(
            zip(self.values_of("original_url"), self.values_of("web_url"), strict=True)
        ):
            for url in urls:
                if url:
                    self._by_url.setdefault(url, position)

    def values_of(self, name: str) -> Sequence[Any]:
        """The field `name` of every article in order; from columns, no article is made."""
        if isinstance(self.articles, ArticleColumns):
            return self.articles.column(name)
        return list(map(attrgetter(name), self.articles))

    def __len__(self) -> int:
        return len(self.articles)

    @property
    def summary(self) -> IndexSummary:
        return IndexSummary(len(self.articles), self.topics, self.providers)

    def view(self, topic: str | None = None) -> ArticleView:
        """All articles, or those of the topic with key `topic`."""
        if topic is None:
            return ArticleView(self.articles)
        return ArticleView(self.articles, self._topic_positions.get(topic, array("I")))

    def select(self, selection: Selection) -> ArticleView:
        """The articles of a sidebar selection's topics and provider, newest first."""
        if not selection.topics and selection.provider is None:
            return ArticleView(self.articles)
        return ArticleView(self.articles, self.positions_of_selection(selection))

    def positions_of_selection(self, selection: Selection) -> Sequence[int]:
        # Searching asks again on every keystroke: the last answer is kept.
        selection = Selection(selection.topics, selection.every, selection.provider)
        if self._selected is not None and self._selected[0] == selection:
            return self._selected[1]
        pools = [self.positions_of_topic(key) for key in selection.topics]
        if selection.provider is not None:
            provider = self.positions_of_provider_facet(selection.provider)
        if len(pools) == 1:
            topics: Sequence[int] | None = pools[0]
        elif not pools:
            topics = None
        elif selection.every:
            pools.sort(key=len)
            common = set(pools[0])
            for pool in pools[1:]:
                common.intersection_update(pool)
            topics = array("I", sorted(common))
        else:
            topics = array("I", sorted(set().union(*pools)))
        if selection.provider is None:
            found = topics if topics is not None else array("I")
        elif topics is None:
            found = provider
        else:
            wanted = set(provider)
            found = array("I", (position for position in topics if position in wanted))
        self._selected = (selection, found)
        return found

    def positions_of_provider_facet(self, key: str) -> Sequence[int]:
        """Articles of the sidebar's provider `key` (a `providers` facet key)."""
        if self._facet_positions is None:
            table: dict[str, array[int]] = {}
            for position, provider in enumerate(self._providers):
                table.setdefault(self._provider_keys[provider], array("I")).append(position)
            self._facet_positions = table
        return self._facet_positions.get(key, array("I"))

    def ordered(self, view: ArticleView, sort: str) -> ArticleView:
        """`view` sorted newest first, oldest first (undated still last), or by rank."""
        if sort == "newest":
            return view
        positions = [view.position_at(row) for row in range(len(view))]
        if sort == "oldest":
            published = self.values_of("published")
            dated = [position for position in positions if published[position] is not None]
            undated = positions[len(dated) :]
            return ArticleView(self.articles, array("I", [*reversed(dated), *undated]), ordered=False)
        if self._rank is None:
            # quality, then heat, then date: higher first; missing values last.
            qualities, heats = self.values_of("quality"), self.values_of("heat")

            def rank(position: int) -> tuple[float, float, float]:
                quality, heat = qualities[position], heats[position]
                return (
                    -(quality if quality is not None else -1e18),
                    -(heat if heat is not None else -1e18),
                    position,
                )

            self._rank = array("I", sorted(range(len(self.articles)), key=rank))
        members = set(positions)
        ranked = array("I", (position for position in self._rank if position in members))
        return ArticleView(self.articles, ranked, ordered=False)

    def positions_of_topic(self, key: str) -> Sequence[int]:
        return self._topic_positions.get(key, array("I"))

    def positions_of_provider(self, wanted: str) -> Sequence[int]:
        """Articles of the provider called `wanted` (any case), or with that domain.

        A provider is the sidebar's: asking by any of its names or domains
        (`abc`, `abcnews`, `"abc news"`, `abcnews.go.com`) finds all of it.
        "cnn" also means "cnn.com": a domain whose first label is the word asked for.
        """
        if self._provider_words is None:
            words: dict[str, set[str]] = {}
            for provider, key in self._provider_keys.items():
                for word in (provider.name.casefold(), provider.domain.lower(), key):
                    words.setdefault(word, set()).add(key)
            for key, name in self._provider_names.items():
                words.setdefault(name.casefold(), set()).add(key)
            words.pop("", None)
            self._provider_words = words
        wanted = " ".join(wanted.split()).casefold()
        keys = self._provider_words.get(wanted) or {
            key
            for word, keys in self._provider_words.items()
            if word.startswith(wanted + ".")
            for key in keys
        }
        if len(keys) == 1:
            return self.positions_of_provider_facet(next(iter(keys)))
        return array("I", sorted(set().union(*(self.positions_of_provider_facet(key) for key in keys))))

    @property
    def search_ready(self) -> bool:
        return self._search is not None

    def search_index(self) -> WordIndex:
        """The word index for searching, read or built on first use (seconds at 100,000 articles)."""
        if self._search is None:
            self.positions_of_provider("")  # built alongside: provider: filters are then instant
            self._search = self.word_source(self) if self.word_source is not None else self.build_word_index()
        return self._search

    def build_word_index(self) -> WordIndex:
        names = self._topic_names
        fields = zip(
            self.values_of("title"),
            self.values_of("excerpt"),
            self._providers,
            self.values_of("body_words"),
            (tuple(names[key] for key in keys) for keys in self._article_topics),
            (self._provider_names[self._provider_keys[provider]] for provider in self._providers),
            strict=False,  # generators: their lengths are the index's by construction
        )
        return WordIndex.build(self.articles, fields)

    def provider_name(self, key: str) -> str:
        """The sidebar's name for the provider facet `key` (each list row asks: a lookup, not a scan)."""
        return self._provider_names.get(key, key)

    def topic_keys_at(self, position: int) -> tuple[str, ...]:
        return self._article_topics[position]

    def provider_key_at(self, position: int) -> str:
        """The `providers` facet key of the article at `position`."""
        return self._provider_keys[self._providers[position]]

    def find_topic(self, name: str) -> str | None:
        """The key of a topic named `name` (any case, or a defined short name)."""
        return self._aliases.get(topic_key(name))

    def topics_of(self, article: Article) -> tuple[str, ...]:
        """Display names of an article's topics, as the sidebar spells them."""
        position = self._position.get(article.path)
        if position is None:
            return article.topics
        return tuple(self._topic_names[key] for key in self._article_topics[position])

    def position_of(self, article: Article) -> int | None:
        return self._position.get(article.path)

    def position_of_path(self, path: str) -> int | None:
        return self._position.get(path)

    def find_url(self, url: str) -> Article | None:
        position = self._by_url.get(url.strip()) if url else None
        return None if position is None else self.articles[position]
