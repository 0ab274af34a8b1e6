"""The reader: topic sidebar, article list and detail view over one directory.

`MainScreen` is the parts (loading, marking, searching, links) put together
over the state of `ReaderScreen`, plus what ties the panes to it: the
bindings, the layout and the events the panes post.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from tui.data.demo import DEMO_LABEL
from tui.data.index import Selection
from tui.data.model import Article
from tui.data.sanitize import visible
from tui.data.view_spec import ViewSpec
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryPart
from tui.screens.jumps import JumpsPart
from tui.screens.links import LinksPart
from tui.screens.loading import LoadingPart
from tui.screens.main_keys import MAIN_BINDINGS
from tui.screens.marking import MarkingPart
from tui.screens.more_like_this import MoreLikeThisPart
from tui.screens.over_time import StatisticsPart
from tui.screens.pictures import PicturesPart
from tui.screens.reader import ReaderScreen
from tui.screens.reader_mode import ReaderModePart
from tui.screens.searching import SearchPart
from tui.screens.skipped import SkippedScreen
from tui.screens.stories import StoriesPart
from tui.screens.watching import WatchingPart
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList
from tui.widgets.day_sparkline import DaySparkline
from tui.widgets.related_list import RelatedList
from tui.widgets.similar_list import SimilarList
from tui.widgets.topic_sidebar import TopicSidebar

if TYPE_CHECKING:
    from textual.command import Provider


def news_commands() -> type[Provider]:
    """The palette's news commands, imported when the palette first opens (not needed to start)."""
    from tui.screens.commands import NewsCommands

    return NewsCommands


class MainScreen(
    LoadingPart,
    WatchingPart,
    MoreLikeThisPart,
    MarkingPart,
    SearchPart,
    LinksPart,
    JumpsPart,
    HistoryPart,
    ReaderModePart,
    PicturesPart,
    StoriesPart,
    StatisticsPart,
):
    """Owns what is shown (see `ReaderScreen`); the panes only display it."""

    # Escape is ours: it leaves the reading view and puts focus back on the list.
    ESCAPE_TO_MINIMIZE = False

    COMMANDS = {news_commands}

    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS

    def __init__(
        self,
        directory: Path | None,
        topic: str | None = None,
        *,
        use_cache: bool = True,
        search: str | None = None,
        watch: bool = True,
    ) -> None:
        super().__init__(directory, use_cache=use_cache)
        self.watch_folder = watch
        self.pending_topic = topic
        self.set_reactive(ReaderScreen.spec, ViewSpec(query=search or ""))

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield TopicSidebar(id="topics", classes="panel").data_bind(ReaderScreen.spec, ReaderScreen.marks)
            with Vertical(id="reading"):
                with Vertical(id="list-pane"):
                    yield Input(
                        placeholder='Search: words  "a phrase"  -not  topic:…  provider:…  after:2021-01-31',
                        id="search",
                    )
                    yield DaySparkline(id="day-spark").data_bind(ReaderScreen.listing)
                    yield ArticleList(id="articles", classes="panel").data_bind(
                        ReaderScreen.listing, ReaderScreen.marks
                    )
                with Vertical(id="detail-pane", classes="panel"):
                    yield ArticleDetail(id="detail")
                    yield RelatedList(id="related")
                    yield SimilarList(id="similar")
        with Horizontal(id="status-bar"):
            yield Static("Loading…", id="status", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#topics").border_title = "Topics"
        self.articles.border_title = "Articles"
        self.query_one("#detail-pane").border_title = "Article"
        self.query_one("#related").border_title = "Related"
        self.sub_title = DEMO_LABEL if self.directory is None else visible(self.directory)
        self.articles.focus()
        if self.spec.query:
            self.set_class(True, "-searching")
            with self.search_field.prevent(Input.Changed):
                self.search_field.value = self.spec.query
        self.open_state()
        self.load()
        self.set_interval(1.0, self.check_state_problems)

    def on_unmount(self) -> None:
        self.stop_watching()
        self.close_marks()

    # The article shown -----------------------------------------------------------

    def watch_current(self, article: Article | None) -> None:
        super().watch_current(article)
        detail = self.query_one(ArticleDetail)
        if article is detail.article and article is not None:
            return
        detail.root = self.result.root if self.result else None
        topics = self.index.topics_of(article) if self.index and article else ()
        detail.show(article, topics)
        related = self.query_one(RelatedList)
        related.show(())
        related.display = False

    @on(ArticleDetail.ExtrasLoaded)
    def on_extras_loaded(self, message: ArticleDetail.ExtrasLoaded) -> None:
        """The related items arrive after the article is shown: they are read on demand."""
        if message.article is not self.query_one(ArticleDetail).article:
            return
        extras = message.extras
        related = self.query_one(RelatedList)
        related.show(extras.related)
        related.display = bool(extras.related)
        if extras.related_total > len(extras.related):
            related.border_title = f"Related ({len(extras.related):,} of {extras.related_total:,})"
        else:
            related.border_title = f"Related ({len(extras.related):,})"
        if extras.problem:
            self.notify(extras.problem, title="This article's file", severity="warning", markup=False)

    # Events from the panes ---------------------------------------------------------

    @on(ArticleList.Highlighted, "#articles")
    def on_article_highlighted(self) -> None:
        self.current = self.articles.current

    @on(ArticleList.Selected, "#articles")
    def on_article_selected(self) -> None:
        """Enter on an article: read it with the whole window."""
        if self.articles.current is None:
            return
        self.maximized = self.query_one("#detail-pane")
        self.query_one(ArticleDetail).focus()

    @on(TopicSidebar.TopicChosen)
    def on_topic_chosen(self, event: TopicSidebar.TopicChosen) -> None:
        self.pending_topic = None  # the reader's choice wins over --topic
        self.show_topic(event.topic)
        if not event.stay:
            self.articles.focus()

    @on(TopicSidebar.TopicToggled)
    def on_topic_toggled(self, event: TopicSidebar.TopicToggled) -> None:
        # The sidebar keeps focus: the reader is picking several topics.
        self.pending_topic = None
        self.keep_current(self.spec.but(selection=self.spec.selection.toggled(event.topic)))

    @on(TopicSidebar.ProviderChosen)
    def on_provider_chosen(self, event: TopicSidebar.ProviderChosen) -> None:
        """Enter chooses a provider; space adds it or takes it away."""
        self.pending_topic = None
        selection = self.spec.selection
        provider: str | None = event.provider
        if event.toggle and selection.provider == event.provider:
            provider = None
        self.choose(Selection(selection.topics, selection.every, provider, selection.starred))
        if not event.toggle:
            self.articles.focus()

    @on(TopicSidebar.StarredChosen)
    def on_starred_chosen(self, event: TopicSidebar.StarredChosen) -> None:
        self.pending_topic = None
        selection = self.spec.selection
        self.choose(Selection(every=selection.every, starred=not selection.starred))
        if not event.stay:
            self.articles.focus()

    # Actions ---------------------------------------------------------------------------

    def action_focus_topics(self) -> None:
        self.minimize()
        self.add_class("-topics-shown")  # on a small window the sidebar hides until asked for
        self.query_one(TopicSidebar).focus()

    def on_resize(self, event: events.Resize) -> None:
        # Under 80 columns the footer drops its padding so that q and ? stay in it.
        self.query_one(Footer).compact = event.size.width < 80

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not isinstance(event.widget, TopicSidebar):
            self.remove_class("-topics-shown")

    def action_back(self) -> None:
        """Leave the full text for the summary, the reading view for the list; or close the search."""
        detail = self.query_one(ArticleDetail)
        if detail.reading_full_text:
            detail.show_summary()
            return
        if self.maximized is not None:
            self.minimize()
        elif self.has_class("-searching"):
            self.close_search()
        self.articles.focus()

    def action_sort(self) -> None:
        """Newest first, oldest first, by rank: the list starts again from its top."""
        self.show(self.spec.next_sort())

    def action_search(self) -> None:
        self.open_search()

    def action_match_every(self) -> None:
        """Switch several chosen topics between any of them and all of them."""
        selection = self.spec.selection
        every = not selection.every
        self.keep_current(
            self.spec.but(selection=Selection(selection.topics, every, selection.provider, selection.starred))
        )
        if len(selection.topics) < 2:
            how = "all of" if every else "any of"
            self.notify(f"Several topics (space in the sidebar) will now show articles in {how} them.")

    def action_topic(self, number: int) -> None:
        if self.index is None:
            return
        self.minimize()
        sidebar = self.query_one(TopicSidebar)
        self.pending_topic = None  # the reader's choice wins over --topic
        if number == 0:
            self.show_topic(None)
        elif number <= len(sidebar.topics):
            self.show_topic(sidebar.topics[number - 1].key)
        else:
            self.notify(f"There is no topic {number}.", severity="warning")

    def action_show_skipped(self) -> None:
        if self.result is None:
            return
        if not self.result.skipped:
            self.notify("No files were skipped.")
            return
        self.app.push_screen(SkippedScreen(self.result.skipped))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def watch_maximized(self) -> None:
        # "escape Back" belongs in the footer only while reading full-window or searching.
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            reading = self.query_one(ArticleDetail).reading_full_text
            return self.maximized is not None or self.has_class("-searching") or reading
        return True
