"""The article list: one row per article, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.data.dates import format_local
from tui.data.model import Article
from tui.widgets.virtual_list import VirtualList

_DATE_WIDTH = 16


class ArticleList(VirtualList):
    """Title, provider and date of each article in the current view."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "article-list--provider",
        "article-list--date",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="Loading…", id=id, classes=classes)
        self.articles: Sequence[Article] = ()

    def show(self, articles: Sequence[Article], cursor: int = 0) -> None:
        self.articles = articles
        self.reset(len(articles), cursor)

    @property
    def current(self) -> Article | None:
        if not self.articles:
            return None
        return self.articles[self.cursor]

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        article = self.articles[row]
        provider_width = max(8, min(22, width // 5))
        date_width = _DATE_WIDTH if width >= 48 else 10
        title_width = max(1, width - provider_width - date_width - 4)
        title = Text(" " + article.title, no_wrap=True)
        title.truncate(title_width + 1, overflow="ellipsis", pad=True)
        provider = Text(article.provider.label, self.get_component_rich_style("article-list--provider"))
        provider.truncate(provider_width, overflow="ellipsis", pad=True)
        date = Text(
            format_local(article.published)[:date_width] or "undated",
            self.get_component_rich_style("article-list--date"),
        )
        date.truncate(date_width, overflow="ellipsis", pad=True)
        line = Text.assemble(title, " ", provider, " ", date, " ")
        return self.text_strip(line, width, style)
