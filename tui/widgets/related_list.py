"""An article's related items: title, provider and date, navigable."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.data.dates import format_local
from tui.data.model import RelatedItem
from tui.widgets.virtual_list import VirtualList


class RelatedList(VirtualList):
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"related-list--meta"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="No related items", id=id, classes=classes)
        self.items: tuple[RelatedItem, ...] = ()

    def show(self, items: tuple[RelatedItem, ...]) -> None:
        self.items = items
        self.reset(len(items))
        self.scroll_home(animate=False)

    @property
    def current(self) -> RelatedItem | None:
        return self.items[self.cursor] if self.items else None

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        item = self.items[row]
        meta = " · ".join(part for part in (item.provider.label, format_local(item.published)) if part)
        meta_text = Text(meta, self.get_component_rich_style("related-list--meta"))
        meta_text.truncate(max(0, min(len(meta), width // 2)), overflow="ellipsis")
        title = Text(" " + item.title)
        title.truncate(max(1, width - meta_text.cell_len - 2), overflow="ellipsis", pad=True)
        return self.text_strip(Text.assemble(title, " ", meta_text, " "), width, style)
