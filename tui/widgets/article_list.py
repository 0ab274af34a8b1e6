"""The article list: one row per article of the view the screen gives it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tui.data.model import Article
from tui.data.reading import ReadingMarks
from tui.data.search import match_spans
from tui.data.view_spec import VisibleView
from tui.widgets.row_layout import MAX_TITLE, headline_row, title_width
from tui.widgets.virtual_list import VirtualList

SIDEBAR_SHOWN_AT = 110
"""Below this many columns the sidebar is hidden until `t` shows it (see `tui.app`)."""
SIDEBAR_WIDTH = 28


@dataclass(frozen=True, slots=True, eq=False)
class Listing:
    """What the list shows: a view, the row its cursor starts on, and what to say when it is empty."""

    view: VisibleView
    row: int = 0
    empty_message: str = ""
    steady: bool = False
    """Keep the cursor's row where it is on screen (articles arrived or went above it)."""


class ArticleList(VirtualList):
    """Title, provider and date of each article in the listing the screen binds to it."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "article-list--provider",
        "article-list--date",
        "article-list--match",
        "article-list--unread",
        "article-list--flag",
        "article-list--sources",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right",
            "unfold(True)",
            "Unfold",
            show=False,
            tooltip="On a story's row (the list grouped by story, c): show its articles under it",
            id="newsdeck.story-unfold",
        ),
        Binding(
            "left",
            "unfold(False)",
            "Fold",
            show=False,
            tooltip="On a story's articles: fold them back under the story's row",
            id="newsdeck.story-fold",
        ),
    ]

    class Unfold(Message):
        """Show (or fold back) the articles of the story at `position`; the screen decides."""

        def __init__(self, position: int, unfold: bool) -> None:
            super().__init__()
            self.position = position
            self.unfold = unfold

    listing: reactive[Listing | None] = reactive(None, init=False, always_update=True)
    marks: reactive[ReadingMarks | None] = reactive(None, init=False, always_update=True)
    """Read and starred flags of the index the articles come from."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(empty_message="Loading…", id=id, classes=classes)
        self.iso_dates = False
        """Dates as `2024-03-24` rather than `Mar 24` (the settings file's `date_style`)."""

    def watch_listing(self, listing: Listing | None) -> None:
        if listing is None:
            return
        self.empty_message = listing.empty_message
        self.reset(len(listing.view.articles), listing.row, steady=listing.steady)

    def watch_marks(self) -> None:
        self.refresh()

    @property
    def title_cap(self) -> int:
        """Below the width where the sidebar shows, titles stay as short as they are there.

        Hiding the sidebar gives the list more room on a small window; capping the
        title there keeps it from getting shorter when the window grows past it.
        """
        if self.app.size.width < SIDEBAR_SHOWN_AT:
            # The list there: the window less the sidebar, the list's two borders and its scrollbar.
            return title_width(SIDEBAR_SHOWN_AT - SIDEBAR_WIDTH - 3)
        return MAX_TITLE

    @property
    def title_width(self) -> int:
        """Cells the title text gets in each row at the list's present width."""
        return title_width(self.scrollable_content_region.width, self.title_cap)

    @property
    def articles(self) -> Sequence[Article]:
        return self.listing.view.articles if self.listing is not None else ()

    @property
    def current(self) -> Article | None:
        articles = self.articles
        return articles[self.cursor] if articles else None

    def current_position(self) -> int | None:
        """The index position of the highlighted article."""
        if self.listing is None or not self.listing.view.articles:
            return None
        return self.listing.view.articles.position_at(self.cursor)

    def action_unfold(self, unfold: bool) -> None:
        position = self.current_position()
        if position is not None and self.listing is not None and self.listing.view.stories is not None:
            self.post_message(self.Unfold(position, unfold))

    def render_row(self, row: int, width: int, style: Style) -> Strip:
        assert self.listing is not None
        view = self.listing.view
        article = view.articles[row]
        flag: Text | None = None
        title_style: Style | str = ""
        marks = self.marks
        position = view.articles.position_at(row)
        stories = view.stories
        # A story's row is unread while any of its articles is; an unfolded article is indented.
        members = stories.members_at(position) if stories is not None and stories.sources(position) else ()
        inner = stories is not None and position in stories.inner
        # A cell each, so a starred article still shows whether it is read.
        kept = "≡" if view.index.fetched.has_text(position) else " "
        if marks is not None and marks.index is view.index:
            unread = not marks.read[position] or any(not marks.read[member] for member in members)
            symbols = ("●" if unread else " ") + ("★" if marks.starred[position] else " ") + kept
            flag = Text(symbols, self.part_style("article-list--flag"))
            if unread:
                title_style = self.part_style("article-list--unread")
        elif kept != " ":
            flag = Text("  " + kept, self.part_style("article-list--flag"))
        # The provider as the sidebar names it (spellings of one domain are one provider).
        provider = view.index.provider_name(view.index.provider_key_at(position))
        title = f"└ {article.title}" if inner else article.title
        sources = len(members) - 1
        label = f" +{sources} source" if sources == 1 else f" +{sources} sources"
        note = Text(label, self.part_style("article-list--sources")) if sources > 0 else None
        line = headline_row(
            title,
            provider,
            article.published,
            width,
            provider_style=self.part_style("article-list--provider"),
            date_style=self.part_style("article-list--date"),
            matches=[(start + 2, end + 2) for start, end in match_spans(article.title, view.highlight)]
            if inner
            else match_spans(article.title, view.highlight),
            match_style=self.part_style("article-list--match"),
            flag=flag,
            title_style=title_style,
            title_cap=self.title_cap,
            iso_dates=self.iso_dates,
            note=note,
        )
        return self.text_strip(line, width, style)
