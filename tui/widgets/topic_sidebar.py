"""The sidebar: "All articles", every topic with its count, then the providers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from tui.data.index import Facet, Selection
from tui.widgets.virtual_list import VirtualList

ALL_ARTICLES = "All articles"
PROVIDERS = "Providers"

RowKind = Literal["all", "topic", "heading", "provider"]


@dataclass(frozen=True, slots=True)
class SidebarRow:
    kind: RowKind
    key: str | None
    name: str
    count: int


class TopicSidebar(VirtualList):
    """Row 0 is every article; row n (1-9 also a key) is the n-th topic; providers follow."""

    BINDINGS: list[BindingType] = [
        Binding("space", "toggle", "Toggle topic", tooltip="Add or remove this topic from the ones shown"),
    ]

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "topic-sidebar--key",
        "topic-sidebar--count",
        "topic-sidebar--active",
        "topic-sidebar--heading",
    }

    class TopicChosen(Message):
        """Enter on "All articles" (topic None) or on a topic: show just that."""

        def __init__(self, topic: str | None) -> None:
            super().__init__()
            self.topic = topic
            """Topic key, or None for all articles."""

    class TopicToggled(Message):
        """Space on a topic: add it to the topics shown, or take it away."""

        def __init__(self, topic: str) -> None:
            super().__init__()
            self.topic = topic

    class ProviderChosen(Message):
        """Enter or space on a provider: show only its articles (again: all providers)."""

        def __init__(self, provider: str, *, stay: bool = False) -> None:
            super().__init__()
            self.provider = provider
            self.stay = stay
            """Space: the reader goes on choosing in the sidebar."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="Loading…", id=id, classes=classes)
        self.topics: tuple[Facet, ...] = ()
        self.providers: tuple[Facet, ...] = ()
        self.rows: list[SidebarRow] = []
        self.selection = Selection()

    def show(self, topics: tuple[Facet, ...], providers: tuple[Facet, ...], total: int) -> None:
        """New counts; the cursor stays on the row it was on."""
        here = self.rows[self.cursor] if self.row_count else None
        self.topics = topics
        self.providers = providers
        rows = [SidebarRow("all", None, ALL_ARTICLES, total)]
        rows += [SidebarRow("topic", facet.key, facet.name, facet.count) for facet in topics]
        if providers:
            rows.append(SidebarRow("heading", None, PROVIDERS, len(providers)))
            rows += [SidebarRow("provider", facet.key, facet.name, facet.count) for facet in providers]
        self.rows = rows
        cursor = self.row_of(here.kind, here.key) if here is not None else self.row_of("all", None)
        self.reset(len(rows), cursor)

    def row_of(self, kind: RowKind, key: str | None) -> int:
        for row, entry in enumerate(self.rows):
            if entry.kind == kind and entry.key == key:
                return row
        return 0

    def topic_at(self, row: int) -> str | None:
        entry = self.rows[row] if 0 <= row < len(self.rows) else None
        return entry.key if entry is not None and entry.kind == "topic" else None

    def set_selection(self, selection: Selection) -> None:
        """Mark what is shown; a single topic or provider also takes the cursor."""
        self.selection = selection
        if not selection.topics and selection.provider is None:
            self.cursor = self.row_of("all", None)
        elif len(selection.topics) == 1 and selection.provider is None:
            self.cursor = self.row_of("topic", next(iter(selection.topics)))
        self.refresh()

    def is_marked(self, entry: SidebarRow) -> bool:
        if entry.kind == "all":
            return self.selection.is_everything
        if entry.kind == "topic":
            return entry.key in self.selection.topics
        return entry.kind == "provider" and entry.key == self.selection.provider

    # Headings are labels, not choices: the cursor steps over them.
    def action_cursor_up(self) -> None:
        self.cursor = self._skip_heading(self.cursor - 1, -1)

    def action_cursor_down(self) -> None:
        self.cursor = self._skip_heading(self.cursor + 1, 1)

    def _skip_heading(self, row: int, step: int) -> int:
        if 0 <= row < len(self.rows) and self.rows[row].kind == "heading":
            beyond = row + step
            return beyond if 0 <= beyond < len(self.rows) else self.cursor
        return row

    def action_select(self) -> None:
        entry = self.rows[self.cursor] if self.row_count else None
        if entry is None or entry.kind == "heading":
            return
        if entry.kind == "provider" and entry.key is not None:
            self.post_message(self.ProviderChosen(entry.key))
        else:
            self.post_message(self.TopicChosen(entry.key))

    def action_toggle(self) -> None:
        entry = self.rows[self.cursor] if self.row_count else None
        if entry is None or entry.kind == "heading":
            return
        if entry.kind == "topic" and entry.key is not None:
            self.post_message(self.TopicToggled(entry.key))
        elif entry.kind == "provider" and entry.key is not None:
            self.post_message(self.ProviderChosen(entry.key, stay=True))
        else:
            self.action_select()

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        entry = self.rows[row]
        counter = f"{entry.count:,}"
        if entry.kind == "heading":
            label = Text(entry.name, self.part_style("topic-sidebar--heading"))
            label.truncate(max(1, width - len(counter) - 1), overflow="ellipsis", pad=True)
            line = Text.assemble(label, " ", (counter, self.part_style("topic-sidebar--count")))
            return self.text_strip(line, width, style)
        hint = str(row) if row <= 9 and entry.kind != "provider" else " "
        marked = self.is_marked(entry)
        mark = "✓" if marked else " "
        name_width = max(1, width - len(counter) - 5)
        label = Text(entry.name, self.part_style("topic-sidebar--active") if marked else "")
        label.truncate(name_width, overflow="ellipsis", pad=True)
        line = Text.assemble(
            (hint, self.part_style("topic-sidebar--key")),
            (mark, self.part_style("topic-sidebar--active")),
            " ",
            label,
            " ",
            (counter, self.part_style("topic-sidebar--count")),
        )
        return self.text_strip(line, width, style)
