"""An article's related items: title, provider and date, navigable."""

from __future__ import annotations

from rich.style import Style
from textual.strip import Strip

from tui.data.model import RelatedItem
from tui.widgets.row_layout import headline_row
from tui.widgets.virtual_list import VirtualList


class RelatedList(VirtualList):
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "related-list--provider",
        "related-list--date",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="No related items", id=id, classes=classes)
        self.items: tuple[RelatedItem, ...] = ()
        self.iso_dates = False
        """Dates as `2024-03-24`, as in the article list (the settings file's `date_style`)."""

    def show(self, items: tuple[RelatedItem, ...]) -> None:
        self.items = items
        self.reset(len(items))
        self.scroll_home(animate=False)

    @property
    def current(self) -> RelatedItem | None:
        return self.items[self.cursor] if self.items else None

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        item = self.items[row]
        line = headline_row(
            item.title,
            item.provider.label,
            item.published,
            width,
            iso_dates=self.iso_dates,
            provider_style=self.part_style("related-list--provider"),
            date_style=self.part_style("related-list--date"),
        )
        return self.text_strip(line, width, style)
