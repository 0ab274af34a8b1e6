"""The sidebar: "All articles", every topic with its count, then the providers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.data.index import Facet, Selection
from tui.data.reading import ReadingMarks
from tui.data.view_spec import ViewSpec
from tui.data.view_text import ALL_ARTICLES
from tui.data.wording import compact
from tui.widgets.virtual_list import VirtualList

STARRED = "★ Starred"
PROVIDERS = "Providers"

RowKind = Literal["all", "starred", "topic", "heading", "provider"]


@dataclass(frozen=True, slots=True)
class SidebarRow:
    kind: RowKind
    key: str | None
    name: str
    count: int


class TopicSidebar(VirtualList):
    """Every article, the starred ones, the topics (1-9 are keys), then the providers.

    Counts read "unread/total" once read marks are known.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle_topic",
            "Toggle topic",
            show=False,
            tooltip="In the sidebar: add this topic to those shown, or take it away",
            id="newsdeck.sidebar.toggle-topic",
        ),
        Binding(
            "space",
            "toggle_provider",
            "Choose/drop provider",
            show=False,
            tooltip="In the sidebar: show only this provider's articles, or all providers again",
            id="newsdeck.sidebar.toggle-provider",
        ),
        Binding(
            "space",
            "toggle_entry",
            "Show",
            show=False,
            tooltip="In the sidebar, on All articles or Starred: show it, staying in the sidebar",
            id="newsdeck.sidebar.show-here",
        ),
    ]

    spec: reactive[ViewSpec] = reactive(ViewSpec, init=False, always_update=True)
    """What the list shows: the sidebar marks its topics and provider with ✓."""
    marks: reactive[ReadingMarks | None] = reactive(None, init=False, always_update=True)

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "topic-sidebar--key",
        "topic-sidebar--count",
        "topic-sidebar--active",
        "topic-sidebar--heading",
        "topic-sidebar--unread",
    }

    class TopicChosen(Message):
        """Enter on "All articles" (topic None) or on a topic: show just that."""

        def __init__(self, topic: str | None, *, stay: bool = False) -> None:
            super().__init__()
            self.topic = topic
            """Topic key, or None for all articles."""
            self.stay = stay
            """Space: the reader goes on choosing in the sidebar."""

    class TopicToggled(Message):
        """Space on a topic: add it to the topics shown, or take it away."""

        def __init__(self, topic: str) -> None:
            super().__init__()
            self.topic = topic

    class StarredChosen(Message):
        """Enter on "Starred": show the starred articles (again: all articles)."""

        def __init__(self, *, stay: bool = False) -> None:
            super().__init__()
            self.stay = stay

    class ProviderChosen(Message):
        """Enter on a provider: show only its articles. Space: the same, or all providers again."""

        def __init__(self, provider: str, *, toggle: bool = False) -> None:
            super().__init__()
            self.provider = provider
            self.toggle = toggle
            """Space: take the provider away if it is chosen; the reader stays in the sidebar."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="Loading…", id=id, classes=classes)
        self.topics: tuple[Facet, ...] = ()
        self.providers: tuple[Facet, ...] = ()
        self.rows: list[SidebarRow] = []
        self._first_topic_row = 2

    @property
    def selection(self) -> Selection:
        return self.spec.selection

    def watch_spec(self, spec: ViewSpec) -> None:
        # A choice made here leaves the cursor where the reader is; one made elsewhere
        # (a number key, the palette) brings the cursor to the topic shown.
        self.set_selection(spec.selection, move_cursor=not self.has_focus)

    def watch_marks(self) -> None:
        self.refresh()

    # What space does on the row under the cursor, under the sidebar: the footer keeps its room
    # for q and ? on a small window.
    _SPACE_HINTS = {
        "topic": "space: add or remove",
        "provider": "space: choose or drop",
        "all": "space: show here",
        "starred": "space: show here",
    }

    def watch_cursor(self, old: int, new: int) -> None:
        super().watch_cursor(old, new)
        entry = self.entry
        self.border_subtitle = self._SPACE_HINTS.get(entry.kind, "") if entry is not None else ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kinds = {
            "toggle_topic": ("topic",),
            "toggle_provider": ("provider",),
            "toggle_entry": ("all", "starred"),
        }
        if action in kinds:
            entry = self.entry
            return entry is not None and entry.kind in kinds[action]
        return True

    def show(self, topics: tuple[Facet, ...], providers: tuple[Facet, ...], total: int) -> None:
        """New counts; the cursor stays on the row it was on."""
        here = self.rows[self.cursor] if self.row_count else None
        self.topics = topics
        self.providers = providers
        rows = [SidebarRow("all", None, ALL_ARTICLES, total), SidebarRow("starred", None, STARRED, 0)]
        self._first_topic_row = len(rows)
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

    def set_selection(self, selection: Selection, *, move_cursor: bool = True) -> None:
        """Mark what is shown; with `move_cursor`, a single topic also takes the cursor."""
        self.refresh()
        if not move_cursor or selection.provider is not None:
            return
        if not selection.topics:
            self.cursor = self.row_of("starred" if selection.starred else "all", None)
        elif len(selection.topics) == 1:
            self.cursor = self.row_of("topic", next(iter(selection.topics)))

    def is_marked(self, entry: SidebarRow) -> bool:
        if entry.kind == "all":
            return self.selection.is_everything
        if entry.kind == "starred":
            return self.selection.starred
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

    @property
    def entry(self) -> SidebarRow | None:
        """The row under the cursor, unless it is a heading (nothing to choose)."""
        entry = self.rows[self.cursor] if self.row_count else None
        return None if entry is None or entry.kind == "heading" else entry

    def action_select(self) -> None:
        if (entry := self.entry) is None:
            return
        if entry.kind == "provider" and entry.key is not None:
            self.post_message(self.ProviderChosen(entry.key))
        elif entry.kind == "starred":
            self.post_message(self.StarredChosen())
        else:
            self.post_message(self.TopicChosen(entry.key))

    def action_toggle_topic(self) -> None:
        if (entry := self.entry) is not None and entry.kind == "topic" and entry.key is not None:
            self.post_message(self.TopicToggled(entry.key))

    def action_toggle_provider(self) -> None:
        if (entry := self.entry) is not None and entry.kind == "provider" and entry.key is not None:
            self.post_message(self.ProviderChosen(entry.key, toggle=True))

    def action_toggle_entry(self) -> None:
        """Space on All articles or Starred: show it, staying here as space on a topic does."""
        if (entry := self.entry) is None:
            return
        if entry.kind == "starred":
            self.post_message(self.StarredChosen(stay=True))
        elif entry.kind == "all":
            self.post_message(self.TopicChosen(None, stay=True))

    def counter(self, entry: SidebarRow) -> Text:
        """ "12/64": unread of all, or the bare count before marks are known."""
        marks = self.marks
        count_style = self.part_style("topic-sidebar--count")
        if entry.kind == "starred":
            return Text(compact(marks.starred_count if marks else 0), count_style)
        if marks is None or entry.kind == "heading":
            return Text(compact(entry.count), count_style)
        if entry.kind == "all":
            unread = marks.unread_total
        elif entry.kind == "topic":
            unread = marks.unread_topics.get(entry.key or "", 0)
        else:
            unread = marks.unread_providers.get(entry.key or "", 0)
        return Text.assemble(
            (compact(unread), self.part_style("topic-sidebar--unread") if unread else count_style),
            (f"/{compact(entry.count)}", count_style),
        )

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        entry = self.rows[row]
        counter = self.counter(entry)
        if entry.kind == "heading":
            # "Providers (91)": how many providers, not articles, so not in the counts' column.
            label = Text.assemble(
                (f"{entry.name} ({entry.count:,})", self.part_style("topic-sidebar--heading"))
            )
            return self.text_strip(label, width, style)
        number = row - self._first_topic_row + 1 if entry.kind == "topic" else 0
        hint = "0" if entry.kind == "all" else str(number) if 0 < number <= 9 else " "
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
            counter,
        )
        return self.text_strip(line, width, style)
