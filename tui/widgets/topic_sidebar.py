"""The topic sidebar: "All articles", then every topic with its count."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.strip import Strip

from tui.data.index import Facet
from tui.widgets.virtual_list import VirtualList

ALL_ARTICLES = "All articles"


class TopicSidebar(VirtualList):
    """Row 0 is every article; row n (1-9 also a key) is the n-th topic."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "topic-sidebar--key",
        "topic-sidebar--count",
        "topic-sidebar--active",
    }

    class TopicChosen(Message):
        def __init__(self, topic: str | None) -> None:
            super().__init__()
            self.topic = topic
            """Topic key, or None for all articles."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="Loading…", id=id, classes=classes)
        self.topics: tuple[Facet, ...] = ()
        self.total = 0
        self.active: str | None = None

    def show(self, topics: tuple[Facet, ...], total: int) -> None:
        """New counts; the cursor stays on the topic it was on."""
        highlighted = self.topic_at(self.cursor) if self.row_count else self.active
        self.topics = topics
        self.total = total
        self.reset(len(topics) + 1, self.row_of(highlighted))

    def row_of(self, topic: str | None) -> int:
        for row, facet in enumerate(self.topics, start=1):
            if facet.key == topic:
                return row
        return 0

    def topic_at(self, row: int) -> str | None:
        return self.topics[row - 1].key if 0 < row <= len(self.topics) else None

    def set_active(self, topic: str | None) -> None:
        """Mark the topic being shown (and move the cursor to it)."""
        self.active = topic
        self.cursor = self.row_of(topic)
        self.refresh()

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.TopicChosen(self.topic_at(self.cursor)))

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        if row == 0:
            name, count, key = ALL_ARTICLES, self.total, None
        else:
            facet = self.topics[row - 1]
            name, count, key = facet.name, facet.count, facet.key
        hint = str(row) if row <= 9 else " "
        counter = f"{count:,}"
        name_width = max(1, width - len(counter) - 4)
        label = Text(name, self.part_style("topic-sidebar--active") if key == self.active else "")
        label.truncate(name_width, overflow="ellipsis", pad=True)
        line = Text.assemble(
            (hint, self.part_style("topic-sidebar--key")),
            " ",
            label,
            " ",
            (counter, self.part_style("topic-sidebar--count")),
        )
        return self.text_strip(line, width, style)
