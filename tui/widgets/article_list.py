"""The article list: one row per article, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.data.index import ArticleView
from tui.data.model import Article
from tui.data.reading import ReadingMarks
from tui.data.search import match_spans
from tui.widgets.row_layout import headline_row
from tui.widgets.virtual_list import VirtualList


class ArticleList(VirtualList):
    """Title, provider and date of each article in the current view."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "article-list--provider",
        "article-list--date",
        "article-list--match",
        "article-list--unread",
        "article-list--flag",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="Loading…", id=id, classes=classes)
        self.articles: Sequence[Article] = ()
        self.highlight: list[str] = []
        """Normalised search words to mark in titles."""
        self.marks: ReadingMarks | None = None
        """Read and starred flags of the index the articles come from."""

    def show(self, articles: Sequence[Article], cursor: int = 0) -> None:
        self.articles = articles
        self.reset(len(articles), cursor)

    @property
    def current(self) -> Article | None:
        if not self.articles:
            return None
        return self.articles[self.cursor]

    def current_position(self) -> int | None:
        """The index position of the highlighted article."""
        if not self.articles or not isinstance(self.articles, ArticleView):
            return None
        return self.articles.position_at(self.cursor)

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        article = self.articles[row]
        flag: Text | None = None
        title_style: Style | str = ""
        marks = self.marks
        if marks is not None and isinstance(self.articles, ArticleView):
            position = self.articles.position_at(row)
            unread = not marks.read[position]
            # Two cells, so a starred article still shows whether it is read.
            symbols = ("●" if unread else " ") + ("★" if marks.starred[position] else " ")
            flag = Text(symbols, self.part_style("article-list--flag"))
            if unread:
                title_style = self.part_style("article-list--unread")
        line = headline_row(
            article.title,
            article.provider.label,
            article.published,
            width,
            provider_style=self.part_style("article-list--provider"),
            date_style=self.part_style("article-list--date"),
            matches=match_spans(article.title, self.highlight),
            match_style=self.part_style("article-list--match"),
            flag=flag,
            title_style=title_style,
        )
        return self.text_strip(line, width, style)
