"""A list of the files that were not loaded, each with its reason."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Static

from tui.data.loader import SkippedFile
from tui.data.wording import plural
from tui.widgets.virtual_list import VirtualList


class SkippedList(VirtualList):
    """Path and reason in two columns; the path column fits the longest path it can."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"skipped-list--reason"}

    def __init__(self, skipped: list[SkippedFile], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.skipped = skipped
        self._path_width = max((len(item.path) for item in skipped[:1000]), default=0)

    def on_mount(self) -> None:
        self.reset(len(self.skipped))

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        item = self.skipped[row]
        path = Text(" " + item.path)
        path.truncate(min(self._path_width + 1, max(12, width * 2 // 5)), overflow="ellipsis", pad=True)
        line = Text.assemble(path, "  ", (item.reason, self.part_style("skipped-list--reason")))
        return self.text_strip(line, width, style)


class SkippedScreen(ModalScreen[None]):
    """Every skipped file; the highlighted one is spelled out in full below the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,exclamation_mark,q", "dismiss", "Close", id="newsdeck.close-skipped"),
    ]

    def __init__(self, skipped: list[SkippedFile]) -> None:
        super().__init__()
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        with Vertical(id="skipped-dialog"):
            yield Static(
                f"{plural(len(self.skipped), 'file')} skipped: not loaded as articles",
                id="skipped-title",
                markup=False,
            )
            yield SkippedList(self.skipped, id="skipped-list")
            yield Static(id="skipped-detail", markup=False)
            yield Static("up/down to move · escape to close", id="skipped-hint")

    @on(SkippedList.Highlighted)
    def show_in_full(self, event: SkippedList.Highlighted) -> None:
        item = self.skipped[event.row]
        self.query_one("#skipped-detail", Static).update(Content(f"{item.path}\n{item.reason}"))
