"""More like this: under the article's related items, the folder's articles most like it.

Found off the UI thread each time an article is shown (`similar.more_like_this`), once
the word index is ready; enter on one shows it here, and backspace comes back.
"""

from __future__ import annotations

import asyncio

from textual import on, work

from tui.data.index import ArticleIndex
from tui.data.model import Article
from tui.data.similar import more_like_this
from tui.screens.reader import ReaderScreen
from tui.widgets.related_list import RelatedList
from tui.widgets.similar_list import SimilarList


class MoreLikeThisPart(ReaderScreen):
    """Keeps the "More like this" list in step with the article shown.

    Comes before `MarkingPart` among `MainScreen`'s bases: its `watch_current` hands on to that
    one's, which ends the chain.
    """

    _similar_for: Article | None = None
    """The article the list is for (shown, or still being found)."""
    _similar_round = 0
    """Counts the articles asked for: an answer for an earlier one is dropped."""

    def watch_current(self, article: Article | None) -> None:
        super().watch_current(article)  # type: ignore[misc]  # MarkingPart's, next in MainScreen
        if article is not self._similar_for or article is None:
            self.find_similar(article)

    def find_similar(self, article: Article | None) -> None:
        """Hide the list, then fill it for `article` once its neighbours are found."""
        self._similar_for = article
        self._similar_round += 1
        similar = self.query_one(SimilarList)
        # Emptied, not hidden: hiding and showing it again would lay the pane out twice per row
        # moved, which doubled the cost of moving through the list.
        similar.show(())
        similar.border_title = "More like this…"
        index = self.index
        # Before the word index is ready there is nothing to rank by: `_search_index_ready` asks again.
        if article is None or index is None or not index.search_ready:
            similar.display = False
            return
        self._find_similar(index, article, self._similar_round)

    @work(exclusive=True, group="more-like-this", exit_on_error=False, description="Finding similar articles")
    async def _find_similar(self, index: ArticleIndex, article: Article, round_: int) -> None:
        stories = self.stories_for(index)
        story_of = stories.story_of.__getitem__ if stories is not None else None
        found = await asyncio.to_thread(more_like_this, index, article, story_of=story_of)
        if round_ != self._similar_round or index is not self.index:
            return  # the reader moved on meanwhile: this list is for an article no longer shown
        similar = self.query_one(SimilarList)
        similar.iso_dates = self.query_one(RelatedList).iso_dates
        similar.show(tuple(found))
        similar.border_title = f"More like this ({len(found)})"
        similar.display = bool(found)

    def watch_stories(self) -> None:
        # `StoriesPart.stories`, once found: the list shown may hold one report's copies.
        if self._similar_for is not None:
            self.find_similar(self._similar_for)

    def _search_index_ready(self, index: ArticleIndex) -> None:
        super()._search_index_ready(index)
        if index is self.index and self._similar_for is not None:
            self.find_similar(self._similar_for)

    @on(SimilarList.Selected, "#similar")
    def on_similar_selected(self) -> None:
        article = self.query_one(SimilarList).current
        if article is not None:
            self.go_to_article(article)
