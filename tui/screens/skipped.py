"""A list of the files that were not loaded, each with its reason."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Static

from tui.data.loader import SkippedFile
from tui.widgets.virtual_list import VirtualList


class SkippedList(VirtualList):
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"skipped-list--reason"}

    def __init__(self, skipped: list[SkippedFile], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.skipped = skipped

    def on_mount(self) -> None:
        self.reset(len(self.skipped))

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        item = self.skipped[row]
        line = Text.assemble(
            " ", item.path, "  ", (item.reason, self.get_component_rich_style("skipped-list--reason"))
        )
        return self.text_strip(line, width, style)


class SkippedScreen(ModalScreen[None]):
    BINDINGS: list[BindingType] = [
        Binding("escape,exclamation_mark,q", "dismiss", "Close", id="newsdeck.close-skipped"),
    ]

    def __init__(self, skipped: list[SkippedFile]) -> None:
        super().__init__()
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        count = len(self.skipped)
        with Vertical(id="skipped-dialog"):
            yield Static(
                f"{count:,} file{'s' if count != 1 else ''} skipped: not loaded as articles",
                id="skipped-title",
                markup=False,
            )
            yield SkippedList(self.skipped, id="skipped-list")
            yield Static("Press escape to close.", id="skipped-hint")
