"""A keyboard-driven list that renders only the rows on screen.

Built on Textual's Line API (`ScrollView` + `render_line`): the cost of a
frame depends on the height of the window, never on the number of rows, so
100,000 articles scroll as smoothly as 10.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class VirtualList(ScrollView, can_focus=True):
    """Rows drawn on demand by `render_row`; subclasses say what a row shows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, tooltip="Move up in a list", id="newsdeck.list.up"),
        Binding(
            "down,j",
            "cursor_down",
            "Down",
            show=False,
            tooltip="Move down in a list",
            id="newsdeck.list.down",
        ),
        Binding(
            "pageup",
            "page_up",
            "Page up",
            show=False,
            tooltip="Move up by a page",
            id="newsdeck.list.page-up",
        ),
        Binding(
            "pagedown",
            "page_down",
            "Page down",
            show=False,
            tooltip="Move down by a page",
            id="newsdeck.list.page-down",
        ),
        Binding(
            "home,g", "first", "First", show=False, tooltip="Go to the first row", id="newsdeck.list.first"
        ),
        Binding("end,G", "last", "Last", show=False, tooltip="Go to the last row", id="newsdeck.list.last"),
        Binding(
            "enter",
            "select",
            "Open",
            show=False,
            tooltip="Sidebar: show that topic or provider; list: read the article full-window; "
            "related item: open it",
            id="newsdeck.list.open",
        ),
    ]

    COMPONENT_CLASSES = {"virtual-list--cursor", "virtual-list--cursor-blurred", "virtual-list--empty"}

    cursor: reactive[int] = reactive(0, init=False, always_update=True)
    """The highlighted row."""

    class Highlighted(Message):
        def __init__(self, virtual_list: VirtualList, row: int) -> None:
            super().__init__()
            self.virtual_list = virtual_list
            self.row = row

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    class Selected(Highlighted):
        """Enter (or a click on the highlighted row)."""

    def __init__(self, *, empty_message: str = "", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._row_count = 0
        self.empty_message = empty_message

    @property
    def row_count(self) -> int:
        return self._row_count

    def reset(self, row_count: int, cursor: int = 0, *, steady: bool = False) -> None:
        """New rows: move the cursor to `cursor` and announce it.

        `steady` scrolls with the cursor, so its row stays on the same line of
        the screen when rows were added or removed above it.
        """
        line_on_screen = self.cursor - round(self.scroll_offset.y)
        self._row_count = row_count
        self.virtual_size = Size(0, row_count)
        cursor = max(0, min(cursor, row_count - 1))
        if steady and row_count:
            self.scroll_to(y=max(0, cursor - line_on_screen), animate=False, immediate=True)
        self.cursor = cursor
        self.refresh()

    def reveal(self, row: int, rows: int) -> None:
        """Scroll so that `rows` rows from `row` are in sight, as many as fit, `row` first."""
        if self._row_count:
            height = max(1, min(rows, self.scrollable_content_region.height))
            self.scroll_to_region(Region(0, row, 1, height), animate=False, force=True)

    def set_empty_message(self, message: str) -> None:
        self.empty_message = message
        if not self._row_count:
            self.refresh()

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self._row_count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        if self._row_count:
            self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
            self.post_message(self.Highlighted(self, new))
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        if self._row_count:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._row_count - 1

    def action_select(self) -> None:
        if self._row_count:
            self.post_message(self.Selected(self, self.cursor))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + int(self.scroll_offset.y)
        if not 0 <= row < self._row_count:
            return
        if row == self.cursor and event.chain > 1:
            self.action_select()
        else:
            self.cursor = row

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = y + int(self.scroll_offset.y)
        if not self._row_count:
            if y == 0 and self.empty_message:
                message = Text(" " + self.empty_message, style=self.part_style("virtual-list--empty"))
                message.truncate(width, overflow="ellipsis", pad=True)
                return self.text_strip(message, width, base)
            return Strip.blank(width, base)
        if row >= self._row_count:
            return Strip.blank(width, base)
        if row != self.cursor:
            return self.render_row(row, width, base)
        # The cursor's colours go on top of the row's own, so the whole row reads as one bar.
        focused = self.has_focus_within
        cursor = self.get_component_rich_style(
            "virtual-list--cursor" if focused else "virtual-list--cursor-blurred"
        )
        strip = self.render_row(row, width, base)
        return Strip(list(Segment.apply_style(strip, post_style=cursor)), strip.cell_length)

    def part_style(self, component: str) -> Style:
        """The style of a part of a row, on top of the row's own (cursor) background.

        Resolved against the widget's background first: theme colours such as
        `$text-muted` are the text colour faded into the background, and without
        one to fade into they come out as pure white. Only the foreground is kept.
        """
        full = self.get_component_rich_style(component, partial=False)
        return Style(
            color=full.color,
            bold=full.bold,
            dim=full.dim,
            italic=full.italic,
            underline=full.underline,
            strike=full.strike,
            reverse=full.reverse,
        )

    def text_strip(self, text: Text, width: int, style: Style) -> Strip:
        """One row of `text`, cut with an ellipsis or padded to `width`."""
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(Segment.apply_style(text.render(self.app.console), style))
        return Strip(segments, width).crop_extend(0, width, style)

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        raise NotImplementedError
