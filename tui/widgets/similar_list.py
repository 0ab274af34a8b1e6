"""More like this: the articles of the folder closest in wording to the one shown, navigable."""

from __future__ import annotations

from rich.style import Style
from textual.strip import Strip

from tui.data.model import Article
from tui.data.sanitize import visible
from tui.widgets.row_layout import headline_row
from tui.widgets.virtual_list import VirtualList


class SimilarList(VirtualList):
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "similar-list--provider",
        "similar-list--date",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="No similar articles", id=id, classes=classes)
        self.similar: tuple[Article, ...] = ()
        self.iso_dates = False
        """Dates as `2024-03-24`, as in the other lists (the settings file's `date_style`)."""

    def show(self, similar: tuple[Article, ...]) -> None:
        self.similar = similar
        self.reset(len(similar))
        self.scroll_home(animate=False)

    @property
    def current(self) -> Article | None:
        return self.similar[self.cursor] if self.similar else None

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        article = self.similar[row]
        # Titles and names come from files: shown as text (a Text, never markup), controls made visible.
        line = headline_row(
            visible(article.title),
            visible(article.provider.label),
            article.published,
            width,
            iso_dates=self.iso_dates,
            provider_style=self.part_style("similar-list--provider"),
            date_style=self.part_style("similar-list--date"),
        )
        return self.text_strip(line, width, style)
