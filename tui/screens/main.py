"""The reader: topic sidebar, article list and detail view over one directory."""

from __future__ import annotations

import gc
import tempfile
from array import array
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Markdown, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui.data.demo import DEMO_LABEL, write_demo_corpus
from tui.data.index import SORT_LABELS, SORTS, ArticleIndex, ArticleView, Selection
from tui.data.loader import LoadError, LoadResult, load_directory
from tui.data.model import Article
from tui.data.reading import ReadingMarks
from tui.data.sanitize import visible
from tui.data.search import find, parse_query
from tui.data.state import StateStore
from tui.data.urls import is_web_url
from tui.data.wording import plural
from tui.screens.commands import NewsCommands
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.skipped import SkippedScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList
from tui.widgets.related_list import RelatedList
from tui.widgets.topic_sidebar import ALL_ARTICLES, TopicSidebar


class LoadProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        # Only the newest count matters; a burst collapses into one update.
        return isinstance(message, LoadProgress)


class LoadSnapshot(Message):
    """Articles read so far, while loading goes on."""

    def __init__(self, result: LoadResult) -> None:
        super().__init__()
        self.result = result

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadSnapshot)


READ_AFTER_SECONDS = 1.0
"""How long an article is shown in the detail view before it counts as read."""


class MainScreen(Screen[None]):
    """Owns the loaded index and which topic is shown; panes only display."""

    # Escape is ours: it leaves the reading view and puts focus back on the list.
    ESCAPE_TO_MINIMIZE = False

    COMMANDS = {NewsCommands}

    BINDINGS: list[BindingType] = [
        Binding("t", "focus_topics", "Topics", id="newsdeck.topics"),
        Binding(
            "o", "open_link", "Open", tooltip="Open the original URL in your browser", id="newsdeck.open"
        ),
        # In the status line ("press !") when there are any: the footer keeps room for q and ?.
        Binding("exclamation_mark", "show_skipped", "Skipped", show=False, id="newsdeck.skipped"),
        Binding("escape", "back", "Back", id="newsdeck.back"),
        Binding("slash", "search", "Search", id="newsdeck.search"),
        Binding("s", "sort", "Sort", id="newsdeck.sort"),
        Binding("a", "match_every", "Any/all topics", show=False, id="newsdeck.any-all"),
        Binding("m", "toggle_read", "Read", tooltip="Mark read or unread", id="newsdeck.toggle-read"),
        Binding("M", "mark_all_read", "All read", show=False, id="newsdeck.mark-all-read"),
        Binding(
            "n",
            "next_unread(1)",
            "Next",
            show=False,
            tooltip="Next unread article",
            id="newsdeck.next-unread",
        ),
        Binding("N", "next_unread(-1)", "Previous unread", show=False, id="newsdeck.previous-unread"),
        Binding("asterisk,f", "toggle_star", "Star", id="newsdeck.star"),
        Binding("u", "unread_only", "Unread only", show=False, id="newsdeck.unread-only"),
        Binding("0", "topic(0)", "All articles", show=False, id="newsdeck.topic-0"),
        *(
            Binding(
                str(number), f"topic({number})", f"Topic {number}", show=False, id=f"newsdeck.topic-{number}"
            )
            for number in range(1, 10)
        ),
    ]

    def __init__(
        self,
        directory: Path | None,
        topic: str | None = None,
        *,
        use_cache: bool = True,
        search: str | None = None,
    ) -> None:
        super().__init__()
        self.directory = directory
        self.query_text = search or ""
        self.sort = SORTS[0]
        self.search_problems: list[str] = []
        self.highlight: list[str] = []
        self.pending_topic = topic
        """The --topic asked for, until a result is shown with it (or the final one without)."""
        self.use_cache = use_cache
        self.progress: tuple[int, int] | None = None
        self.result: LoadResult | None = None
        self.selection = Selection()
        self.load_error: str | None = None
        self._search_builder: tuple[ArticleIndex, Worker[None]] | None = None
        self.store: StateStore | None = None
        self.marks: ReadingMarks | None = None
        self.unread_only = False
        self._read_timer: Timer | None = None
        self._state_problem: str | None = None

    @property
    def index(self) -> ArticleIndex | None:
        return self.result.index if self.result else None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield TopicSidebar(id="topics", classes="panel")
            with Vertical(id="reading"):
                with Vertical(id="list-pane"):
                    yield Input(
                        placeholder='Search: words  "a phrase"  -not  topic:…  provider:…  after:2021-01-31',
                        id="search",
                    )
                    yield ArticleList(id="articles", classes="panel")
                with Vertical(id="detail-pane", classes="panel"):
                    yield ArticleDetail(id="detail")
                    yield RelatedList(id="related")
        with Horizontal(id="status-bar"):
            yield Static("Loading…", id="status", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#topics").border_title = "Topics"
        self.query_one("#articles").border_title = "Articles"
        self.query_one("#detail-pane").border_title = "Article"
        self.query_one("#related").border_title = "Related"
        self.sub_title = DEMO_LABEL if self.directory is None else visible(self.directory)
        self.query_one(ArticleList).focus()
        if self.query_text:
            self.set_class(True, "-searching")
            self.query_one("#search", Input).value = self.query_text
        self.open_state()
        self.load()
        self.set_interval(1.0, self.check_state_problems)

    def on_unmount(self) -> None:
        if self.store is None:
            return
        self.store.close()  # writes what is pending: nothing is lost on quit
        if self.store.recovery_file is not None:
            # The screen is gone: the command line says it once the terminal is back.
            farewell: list[str] | None = getattr(self.app, "farewell", None)
            if farewell is not None:
                kept = self.store.recovery_file
                farewell.append(
                    f"some read marks could not be saved ({self.store.problem or 'no state file'}). "
                    f"They are in {kept}: run 'newsdeck state import {kept}' to restore them."
                )

    # Read and starred marks ---------------------------------------------------

    @work(thread=True, group="state", exit_on_error=False, description="Opening read marks")
    def open_state(self) -> None:
        store = StateStore()
        self.app.call_from_thread(self._state_opened, store)

    def _state_opened(self, store: StateStore) -> None:
        if not self.is_attached:
            store.close()
            return
        self.store = store
        for notice in store.notices:
            self.notify(notice, title="Read marks", severity="warning", markup=False, timeout=15)
        self.attach_marks()
        if self.result is not None:
            self.show_selection(self.selection, self.query_one(ArticleList).current, keep_place=True)
        self.check_state_problems()

    def attach_marks(self) -> None:
        """Lay the stored marks over the current index (a new one arrives with each snapshot)."""
        if self.store is None or self.index is None:
            return
        self.marks = ReadingMarks(self.index, self.store, self.result.root if self.result else None)
        self.query_one(TopicSidebar).marks = self.marks
        self.query_one(ArticleList).marks = self.marks

    def check_state_problems(self) -> None:
        """Say so once when marks stop being saved (read-only or full disk), and when they are again."""
        store = self.store
        problem = store.problem if store is not None else None
        if problem == self._state_problem:
            return
        if problem is not None:
            self.notify(
                f"{problem} newsdeck goes on working; marks are kept until it can save them.",
                title="Read marks",
                severity="warning",
                markup=False,
                timeout=15,
            )
        elif self._state_problem is not None and store is not None and not store.unsaved:
            self.notify("Read marks are being saved again.", title="Read marks", markup=False)
        self._state_problem = problem
        self.update_status()

    def marks_changed(self) -> None:
        self.query_one(TopicSidebar).refresh()
        self.query_one(ArticleList).refresh()
        self.update_status()

    def mark_read_later(self, article: Article | None) -> None:
        """Shown for a second in the detail view: read. Scrolling past does not count."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if article is not None:
            self._read_timer = self.set_timer(READ_AFTER_SECONDS, lambda: self._read_check(article))

    def _read_check(self, article: Article) -> None:
        if article is not self.query_one(ArticleDetail).article:
            return
        if self.is_reading:
            self.mark_read(article)
        else:
            # Choosing topics or typing a search is not reading: count from when they come back.
            self.mark_read_later(article)

    @property
    def is_reading(self) -> bool:
        """Is the reader on the list or the article (not the sidebar, search, a dialog)?"""
        if self.app.screen is not self:
            return False
        return self.query_one(ArticleList).has_focus or self.query_one("#detail-pane").has_focus_within

    def mark_read(self, article: Article) -> None:
        index, marks = self.index, self.marks
        position = index.position_of(article) if index is not None else None
        if marks is None or position is None:
            return
        if marks.set_read((position,)):
            self.marks_changed()

    def _markable(self) -> tuple[ReadingMarks, int] | None:
        """The marks and the highlighted article's position, or None (the reader is told why)."""
        position = self.query_one(ArticleList).current_position()
        if self.marks is None or position is None:
            self.notify("No article is selected." if self.marks else "Read marks are still loading.")
            return None
        return self.marks, position

    def action_toggle_read(self) -> None:
        if (target := self._markable()) is None:
            return
        marks, position = target
        self.mark_read_later(None)  # the reader's own choice wins over the timer
        marks.toggle_read(position)
        self.marks_changed()

    def action_toggle_star(self) -> None:
        if (target := self._markable()) is None:
            return
        marks, position = target
        starred = marks.toggle_star(position)
        self.marks_changed()
        self.notify("Starred." if starred else "Star removed.", timeout=2)

    def action_mark_all_read(self) -> None:
        articles = self.query_one(ArticleList)
        view = articles.articles
        if self.marks is None or not isinstance(view, ArticleView) or not view:
            return
        unread = self.marks.unread_in(view)
        if not unread:
            self.notify("Everything here is read already.")
            return
        # What was asked about is what gets marked, even if loading adds articles meanwhile.
        marks = self.marks
        positions = array("I", (view.position_at(row) for row in range(len(view))))
        if len(view) > articles.scrollable_content_region.height:
            question = f"Mark {plural(unread, 'unread article')} in “{self.selection_label}” as read?"
            self.app.push_screen(
                ConfirmScreen(question, "Mark read"),
                lambda confirmed: self._mark_read(marks, positions) if confirmed else None,
            )
        else:
            self._mark_read(marks, positions)

    def _mark_read(self, marks: ReadingMarks, positions: array[int]) -> None:
        if marks is not self.marks:
            # A loading snapshot replaced the index while asking: its positions differ.
            self.notify("The list changed while asking; press M again.", severity="warning")
            return
        self.mark_read_later(None)
        changed = marks.set_read(positions)
        self.marks_changed()
        self.notify(f"{plural(changed, 'article')} marked read.", timeout=3)

    def action_next_unread(self, step: int) -> None:
        articles = self.query_one(ArticleList)
        view = articles.articles
        if self.marks is None or not isinstance(view, ArticleView) or not view:
            return
        self.minimize()
        row = self.marks.next_unread(view, articles.cursor, step)
        if row is None:
            self.notify(f"No unread article {'below' if step > 0 else 'above'} this one.", timeout=3)
            return
        articles.cursor = row
        articles.focus()

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.show_selection(self.selection, self.query_one(ArticleList).current)

    @on(TopicSidebar.StarredChosen)
    def on_starred_chosen(self) -> None:
        self.pending_topic = None
        selection = self.selection
        self.show_selection(Selection(every=selection.every, starred=not selection.starred))
        self.query_one(ArticleList).focus()

    # Loading -----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Loading articles")
    def load(self) -> LoadResult | str:
        worker = get_current_worker()
        directory = self.directory
        if directory is None:
            # The demo lives only as long as the process: a fresh temporary copy.
            directory = write_demo_corpus(Path(tempfile.mkdtemp(prefix="newsdeck-demo-")))
            self.app.call_from_thread(self.app.set_demo_directory, directory)
        try:
            return load_directory(
                directory,
                progress=lambda done, total: self.post_message(LoadProgress(done, total)),
                cancelled=lambda: worker.is_cancelled,
                use_cache=self.use_cache and self.directory is not None,
                on_snapshot=lambda partial: self.post_message(LoadSnapshot(partial)),
            )
        except LoadError as error:
            return f"Cannot open {error}"

    def on_load_progress(self, message: LoadProgress) -> None:
        # A total of 0 means the folders are still being walked: an indeterminate bar.
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)
        self.progress = (message.done, message.total)
        self.update_status()

    def on_load_snapshot(self, message: LoadSnapshot) -> None:
        if self.result is None or not self.result.complete:
            self.apply(message.result)

    @on(Worker.StateChanged)
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS:
            outcome = event.worker.result
            if isinstance(outcome, LoadResult):
                self.loaded(outcome)
            else:
                self.failed(str(outcome))
        elif event.state == WorkerState.ERROR:
            self.failed(f"Loading failed: {event.worker.error}")

    def failed(self, message: str) -> None:
        message = visible(message)  # an error may quote a path from disk
        self.load_error = message
        self.progress = None
        self.add_class("-loaded")
        self.query_one(ArticleList).set_empty_message(message)
        self.query_one(TopicSidebar).set_empty_message("No topics")
        self.query_one("#status", Static).update(message)
        self.notify(message, title="newsdeck", severity="error", markup=False, timeout=10)

    def loaded(self, result: LoadResult) -> None:
        self.progress = None
        self.add_class("-loaded")
        self.apply(result)
        # Ready before the reader presses /: seconds of work at 100,000 articles.
        self.prepare_search()
        if result.skipped:
            self.notify(
                f"{plural(len(result.skipped), 'file')} skipped: press ! to see which and why.",
                title="Some files are not articles",
                severity="warning",
                markup=False,
            )
        for notice in result.notices:
            self.notify(notice, title="Article cache", severity="warning", markup=False, timeout=8)

    def apply(self, result: LoadResult) -> None:
        """Show a (partial or final) result, keeping the reader where they were."""
        first = self.result is None
        self.result = result
        self.attach_marks()
        self.query_one(TopicSidebar).show(result.index.topics, result.index.providers, len(result.index))
        selection = self.selection
        if self.pending_topic is not None:
            # --topic: its articles may be in files not read yet; all articles meanwhile.
            found = result.index.find_topic(self.pending_topic)
            if found is not None or result.complete:
                selection = Selection(frozenset({found})) if found is not None else Selection()
                if found is None:
                    self.notify(
                        f"No topic named “{visible(self.pending_topic)}”: showing all articles. "
                        "Press t to pick a topic.",
                        severity="warning",
                        markup=False,
                    )
                self.pending_topic = None
                first = True
        if first:
            self.show_selection(selection)
        else:
            self.show_selection(selection, self.query_one(ArticleList).current, keep_place=True)

    # State -------------------------------------------------------------------

    def show_topic(self, topic: str | None) -> None:
        """Show one topic (None: everything, whichever provider was chosen too)."""
        if topic is None:
            self.show_selection(Selection(every=self.selection.every))
        else:
            self.show_selection(Selection(frozenset({topic}), self.selection.every, self.selection.provider))

    def show_selection(
        self,
        selection: Selection,
        article: Article | None = None,
        *,
        keep_place: bool = False,
        sidebar_follows: bool = True,
    ) -> None:
        """Show the articles of `selection`, optionally with `article` highlighted.

        With `keep_place` (new articles arrived while loading), the list stays
        at the top unless the reader had moved, then follows their article.
        Without `sidebar_follows` (a choice made in the sidebar itself), the
        sidebar's cursor stays where the reader is.
        """
        index = self.index
        if index is None:
            return
        self.selection = selection
        view = index.ordered(self.filtered_view(index, selection), self.sort)
        articles = self.query_one(ArticleList)
        row = 0
        if article is not None and not (keep_place and not self.reader_engaged):
            row = self.row_in(view, article)
        articles.set_empty_message(
            "No articles match this search."
            if self.query_text.strip()
            else "No unread articles here (u shows them all)."
            if self.unread_only
            else "No starred articles yet: * stars the highlighted one."
            if selection.starred and not selection.topics and selection.provider is None
            else "No articles here."
            if not selection.is_everything
            else "No articles in this directory."
        )
        articles.highlight = self.highlight
        articles.show(view, row)
        self.query_one(ArticleDetail).set_highlight(self.highlight)
        self.query_one(TopicSidebar).set_selection(selection, move_cursor=sidebar_follows)
        # Topic and provider names are data: never read as markup.
        self.query_one("#articles").border_title = Content(self.selection_label)
        if not view:
            self.show_article(None)
        self.update_status()

    @property
    def reader_engaged(self) -> bool:
        """Has the reader moved or started reading? Then new arrivals must not move them."""
        articles = self.query_one(ArticleList)
        detail_pane = self.query_one("#detail-pane")
        return articles.cursor != 0 or self.maximized is not None or detail_pane.has_focus_within

    def row_in(self, view: ArticleView, article: Article) -> int:
        """The row of `article` in `view`, or of its replacement (a fuller duplicate)."""
        index = self.index
        if index is None:
            return 0
        position = index.position_of(article)
        if position is None:
            replacement = index.find_url(article.url)
            position = index.position_of(replacement) if replacement else None
        row = view.row_of(position) if position is not None else None
        return row or 0

    @property
    def selection_label(self) -> str:
        """What the list shows, in words: "Climate or Science from CNN"."""
        index = self.index
        selection = self.selection
        if index is None or selection.is_everything:
            return ALL_ARTICLES
        # In sidebar order, the order the reader sees them in.
        names = [facet.name for facet in index.topics if facet.key in selection.topics]
        label = (" and " if selection.every else " or ").join(names)
        if selection.starred:
            label = f"Starred in {label}" if label else "Starred"
        if selection.provider is not None:
            provider = index.provider_name(selection.provider)
            label = f"{label} from {provider}" if label else f"From {provider}"
        return label

    def update_status(self) -> None:
        index = self.index
        loading = ""
        if self.progress is not None:
            done, total = self.progress
            # A total of 0: the folders are still being walked, so it is not known yet.
            loading = (
                f"Loading… {done:,} of {plural(total, 'file')}"
                if total
                else f"Loading… {plural(done, 'file')}"
            )
        if index is None or self.result is None:
            self.set_status(loading or "Loading…")
            return
        shown = self.query_one(ArticleList).articles
        parts = [f"{self.selection_label}: {plural(len(shown), 'article')}"]
        if self.marks is not None and self.marks.index is index and isinstance(shown, ArticleView):
            parts.append(f"({self.marks.unread_in(shown):,} unread)")
        if not self.selection.is_everything or self.unread_only:
            parts.append(f"of {len(index):,}")
        order = SORT_LABELS[self.sort]
        parts = [f"{' '.join(parts)}, {'unread only, ' if self.unread_only else ''}{order}"]
        if len(self.selection.topics) > 1:
            parts.append("a: any of the topics" if self.selection.every else "a: all of the topics")
        if self.result.duplicates:
            parts.append(f"{plural(self.result.duplicates, 'duplicate')} merged")
        if self.result.skipped:
            parts.append(f"{plural(len(self.result.skipped), 'file')} skipped (press !)")
        if self.query_text.strip():
            # What is wrong with the query goes first: the line is cut at the window's edge.
            problems = [f"⚠ {problem}" for problem in self.search_problems]
            parts[:0] = [f"Search “{self.query_text.strip()[:60]}”", *problems]
        if self._state_problem:
            parts.append("⚠ marks not saved")
        if loading:
            parts.insert(0, loading)
        self.set_status(" · ".join(parts))

    def set_status(self, text: str) -> None:
        # One fixed-size line: no layout pass, which would repaint every pane's
        # scrollbars on each of the hundred progress updates of a large load.
        self.query_one("#status", Static).update(text, layout=False)

    def show_article(self, article: Article | None) -> None:
        detail = self.query_one(ArticleDetail)
        detail.root = self.result.root if self.result else None
        topics = self.index.topics_of(article) if self.index and article else ()
        detail.show(article, topics)
        self.mark_read_later(article)
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

    # Events from the panes ---------------------------------------------------

    @on(ArticleList.Highlighted, "#articles")
    def on_article_highlighted(self, event: ArticleList.Highlighted) -> None:
        article = self.query_one(ArticleList).current
        if article is None or article is not self.query_one(ArticleDetail).article:
            self.show_article(article)

    @on(ArticleList.Selected, "#articles")
    def on_article_selected(self) -> None:
        """Enter on an article: read it with the whole window."""
        if self.query_one(ArticleList).current is None:
            return
        self.maximized = self.query_one("#detail-pane")
        self.query_one(ArticleDetail).focus()

    @on(TopicSidebar.TopicChosen)
    def on_topic_chosen(self, event: TopicSidebar.TopicChosen) -> None:
        self.pending_topic = None  # the reader's choice wins over --topic
        self.show_topic(event.topic)
        self.query_one(ArticleList).focus()

    @on(TopicSidebar.TopicToggled)
    def on_topic_toggled(self, event: TopicSidebar.TopicToggled) -> None:
        # The sidebar keeps focus: the reader is picking several topics.
        self.pending_topic = None
        self.show_selection(
            self.selection.toggled(event.topic), self.query_one(ArticleList).current, sidebar_follows=False
        )

    @on(TopicSidebar.ProviderChosen)
    def on_provider_chosen(self, event: TopicSidebar.ProviderChosen) -> None:
        self.pending_topic = None
        selection = self.selection
        provider = None if selection.provider == event.provider else event.provider
        selection = Selection(selection.topics, selection.every, provider, selection.starred)
        self.show_selection(selection, sidebar_follows=False)
        if not event.stay:
            self.query_one(ArticleList).focus()

    # Command palette --------------------------------------------------------

    def jump_to_topic(self, key: str) -> None:
        """As the topic's number key does: a chosen provider still applies."""
        self.pending_topic = None
        self.minimize()
        self.show_topic(key)
        self.query_one(ArticleList).focus()

    def jump_to_provider(self, key: str) -> None:
        self.pending_topic = None
        self.minimize()
        self.show_selection(Selection(provider=key, every=self.selection.every))
        self.query_one(ArticleList).focus()

    def jump_to_article(self, article: Article) -> None:
        """Highlight `article`: in the list as it is when it is there, else among all articles."""
        self.minimize()
        articles = self.query_one(ArticleList)
        index = self.index
        if index is None:
            return
        position = index.position_of(article)
        view = articles.articles
        row = view.row_of(position) if isinstance(view, ArticleView) and position is not None else None
        if row is not None:
            articles.cursor = row
        else:
            self.pending_topic = None
            self.query_text = ""
            self.query_one("#search", Input).value = ""
            self.set_class(False, "-searching")
            self.refresh_bindings()
            self.show_selection(Selection(every=self.selection.every), article)
        articles.focus()

    def action_match_every(self) -> None:
        """Switch several chosen topics between any of them and all of them."""
        selection = self.selection
        self.show_selection(
            Selection(selection.topics, not selection.every, selection.provider, selection.starred),
            self.query_one(ArticleList).current,
        )
        if len(selection.topics) < 2:
            how = "all of" if self.selection.every else "any of"
            self.notify(f"Several topics (space in the sidebar) will now show articles in {how} them.")

    @on(RelatedList.Selected, "#related")
    def on_related_selected(self) -> None:
        item = self.query_one(RelatedList).current
        if item is None or self.index is None:
            return
        article = self.index.find_url(item.url)
        if article is not None and self.maximized is not None:
            self.minimize()
        if article is None:
            self.open_link(item.url)
            return
        view = self.index.select(self.selection)
        position = self.index.position_of(article)
        in_view = position is not None and view.row_of(position) is not None
        self.show_selection(self.selection if in_view else Selection(every=self.selection.every), article)
        self.query_one(ArticleList).focus()

    @on(Markdown.LinkClicked)
    def on_body_link_clicked(self, event: Markdown.LinkClicked) -> None:
        self.open_link(event.href)

    # Actions -----------------------------------------------------------------

    def action_focus_topics(self) -> None:
        self.minimize()
        self.query_one(TopicSidebar).focus()

    def action_back(self) -> None:
        """Leave the reading view for the list; or close the search, clearing it."""
        if self.maximized is not None:
            self.minimize()
        elif self.has_class("-searching"):
            self.close_search()
        self.query_one(ArticleList).focus()

    def action_sort(self) -> None:
        """Newest first, oldest first, by rank: the list starts again from its top."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.show_selection(self.selection)

    # Search ------------------------------------------------------------------

    def action_search(self) -> None:
        self.minimize()
        self.set_class(True, "-searching")
        self.refresh_bindings()
        self.query_one("#search", Input).focus()
        self.prepare_search()

    def close_search(self) -> None:
        self.set_class(False, "-searching")
        self.refresh_bindings()
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""  # Input.Changed clears the query

    def prepare_search(self) -> None:
        index = self.index
        if index is None or self.result is None or not self.result.complete or index.search_ready:
            return
        building = self._search_builder
        # One build per index: a second thread would only duplicate seconds of work,
        # and cancelling a thread worker does not stop its thread anyway.
        if building is not None and building[0] is index and building[1].is_running:
            return
        self._search_builder = (index, self._build_search_index(index))

    @work(thread=True, group="search-index", exit_on_error=False)
    def _build_search_index(self, index: ArticleIndex) -> None:
        index.search_index()
        self.app.call_from_thread(self._search_index_ready, index)

    def _search_index_ready(self, index: ArticleIndex) -> None:
        # Hundreds of thousands of long-lived objects now exist; keeping the
        # collector from walking them again and again avoids pauses while typing.
        gc.freeze()
        if index is self.index and self.query_text:
            self.show_selection(self.selection)

    @on(Input.Changed, "#search")
    def on_search_changed(self, event: Input.Changed) -> None:
        if event.value == self.query_text:
            return  # cleared from code, which has already shown the list it wants
        self.query_text = event.value
        self.show_selection(self.selection)

    @on(Input.Submitted, "#search")
    def on_search_submitted(self) -> None:
        self.query_one(ArticleList).focus()

    def filtered_view(self, index: ArticleIndex, selection: Selection) -> ArticleView:
        """The selection's articles, narrowed by the search when there is one."""
        self.search_problems = []
        self.highlight = []
        if not self.query_text.strip():
            view = index.select(selection)
        elif not index.search_ready:
            self.search_problems = ["preparing search…"]
            self.prepare_search()
            view = index.select(selection)
        else:
            query = parse_query(self.query_text, typing=True)
            view = find(index, query, selection)
            self.search_problems = query.problems
            self.highlight = query.highlight_words
        if self.marks is not None and self.marks.index is index:
            view = self.marks.narrow(view, unread_only=self.unread_only, starred_only=selection.starred)
        elif selection.starred:
            view = ArticleView(index.articles, array("I"))  # the marks are not read yet
        return view

    def watch_maximized(self) -> None:
        # "escape Back" belongs in the footer only while reading full-window.
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.maximized is not None or self.has_class("-searching")
        return True

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

    def action_open_link(self) -> None:
        related = self.query_one(RelatedList)
        if related.has_focus and related.current is not None:
            self.open_link(related.current.url)
            return
        article = self.query_one(ArticleList).current
        if article is None:
            self.notify("No article is selected.", severity="warning")
            return
        if self.open_link(article.url):
            self.mark_read(article)

    def open_link(self, url: str) -> bool:
        """Hand `url` to the browser, but only if it is an http(s) link. Was it handed?"""
        if not url:
            self.notify("This item has no link to open.", severity="warning")
        elif not is_web_url(url):
            self.notify(
                f"Not opening “{url[:200]}”: only http and https links are opened.",
                title="Link refused",
                severity="warning",
                markup=False,
            )
        else:
            self.app.open_url(url)
            self.notify(url[:200], title="Opening in your browser", markup=False)
            return True
        return False

    def action_show_skipped(self) -> None:
        if self.result is None:
            return
        if not self.result.skipped:
            self.notify("No files were skipped.")
            return
        self.app.push_screen(SkippedScreen(self.result.skipped))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())
