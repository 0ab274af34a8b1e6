"""The command palette (ctrl+p): jump to a topic, a provider or an article by its title."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from tui.data.dates import format_local
from tui.data.model import Article
from tui.data.wording import plural
from tui.screens.jumps import JumpToArticle, JumpToProvider, JumpToTopic
from tui.screens.over_time import STATISTICS_COMMAND, ShowStatistics
from tui.screens.reader import ReaderScreen

# Fuzzy scoring costs up to half a millisecond a title; at 100,000 articles only
# the newest titles holding the query's letters in order are scored.
MAX_ARTICLE_CANDIDATES = 300
_YIELD_EVERY = 2_000


def _literal(text: str) -> str:
    """`text` as markup that shows exactly it: every `[` escaped.

    (Textual's `escape` leaves a `[` it does not take for a tag, such as `[ or ]`, which
    the markup reader then swallows.)
    """
    return text.replace("[", "\\[")


def _letters_in_order(query: str) -> re.Pattern[str]:
    # "[^a]*a[^b]*b…" cannot backtrack, unlike "a.*?b.*?", so a miss stays cheap.
    letters = [char for char in query if not char.isspace()]
    return re.compile("".join(f"[^{re.escape(c)}]*{re.escape(c)}" for c in letters), re.IGNORECASE)


def _marked(matcher: Matcher, text: str) -> Content:
    """`text` as written (never read as markup), its matched letters highlighted."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class NewsCommands(Provider):
    """Topics, providers and articles of the loaded index; choosing one posts a Jump message."""

    @property
    def main(self) -> ReaderScreen | None:
        return self.screen if isinstance(self.screen, ReaderScreen) else None

    def _places(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """(text to match, help, callback) for each topic and provider."""
        main = self.main
        index = main.index if main else None
        if main is None or index is None:
            return
        for facet in index.topics:
            help_text = plural(facet.count, "article")
            yield f"Topic: {facet.name}", help_text, partial(main.post_message, JumpToTopic(facet.key))
        for facet in index.providers:
            yield (
                f"Provider: {facet.name}",
                plural(facet.count, "article"),
                partial(main.post_message, JumpToProvider(facet.key)),
            )

    def _statistics(self) -> tuple[str, str, Callable[[], object]] | None:
        main = self.main
        if main is None:
            return None
        help_text = "S: the list shown, per day or week; [ or ] lists a period"
        return STATISTICS_COMMAND, help_text, partial(main.post_message, ShowStatistics())

    async def discover(self) -> Hits:
        statistics = self._statistics()
        if statistics is not None:
            text, help_text, callback = statistics
            yield DiscoveryHit(Content(text), callback, text=text, help=_literal(help_text))
        for count, (text, help_text, callback) in enumerate(self._places()):
            if count >= 12:
                break
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        main = self.main
        index = main.index if main else None
        if main is None or index is None or not query.strip():
            return
        matcher = self.matcher(query)
        statistics = self._statistics()
        if statistics is not None and (score := matcher.match(statistics[0])) > 0:
            text, help_text, callback = statistics
            yield Hit(score, _marked(matcher, text), callback, text=text, help=_literal(help_text))
        for number, (text, help_text, callback) in enumerate(self._places()):
            if number % 100 == 99:
                await asyncio.sleep(0)  # thousands of providers: typing goes on meanwhile
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _marked(matcher, text), callback, text=text, help=help_text)
        pattern = _letters_in_order(query)
        candidates: list[Article] = []
        for number, article in enumerate(index.articles):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)  # typing on goes on while a large index is looked through
            if pattern.match(article.title):
                candidates.append(article)
                if len(candidates) >= MAX_ARTICLE_CANDIDATES:
                    break
        for number, article in enumerate(candidates):
            if number % 20 == 0:
                await asyncio.sleep(0)
            score = matcher.match(article.title)
            if score > 0:
                yield Hit(
                    # Below topics and providers with the same score: those are places to go.
                    score * 0.9,
                    _marked(matcher, article.title),
                    partial(main.post_message, JumpToArticle(article)),
                    text=article.title,
                    # The palette reads help text as markup: a provider's name is data.
                    help=_literal(f"{article.provider.label} · {format_local(article.published)}"),
                )
