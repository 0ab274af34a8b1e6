"""The reader's state, owned in one place: the base of the main screen.

`ReaderScreen` holds what is shown in reactive `var`s (the view spec, the
listing built from it, the loaded result, the read marks, loading progress)
and derives everything else. Panes receive the state through `data_bind`
and never need to be read back: the list, the sidebar's check marks and the
status line all follow `spec` and `listing`. The parts of the main screen
(loading, marking, searching, links) are subclasses that add behaviour on
top of this state; `MainScreen` puts them together.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

from textual import on, work
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from tui.data.index import ArticleIndex, Selection
from tui.data.loader import LoadResult
from tui.data.model import Article
from tui.data.reading import ReadingMarks
from tui.data.sanitize import visible
from tui.data.state import StateStore
from tui.data.stories import Stories
from tui.data.view_spec import ViewSpec, VisibleView, build_view
from tui.data.view_text import StatusFacts, empty_message, selection_label, status_line
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.article_list import ArticleList, Listing

# What each background job is, for the notice when one fails.
WORKER_PURPOSE = {
    "load": "Loading the articles",
    "state": "Opening the read marks",
    "state-watch": "Reading the marks made in another window",
    "search-index": "Preparing search",
    "save-index": "Saving the index for the next start",
    "article-extras": "Reading this article's file",
    "reader-mode": "Reading the story from its page",
    "fetched-texts": "Reading the kept stories",
}


class ReaderScreen(Screen[None]):
    """State and its derivations; see the module docstring."""

    spec: var[ViewSpec] = var(ViewSpec, init=False)
    """What the list shows: topics, provider, starred, unread only, search, sort."""
    listing: var[Listing | None] = var(None, init=False)
    """The articles `spec` means right now, and the row the cursor starts on."""
    result: var[LoadResult | None] = var(None, init=False, always_update=True)
    """The loaded directory (a partial result while loading goes on)."""
    marks: var[ReadingMarks | None] = var(None, init=False, always_update=True)
    """Read and starred flags over the current index, once the marks file is open."""
    progress: var[tuple[int, int] | None] = var(None, init=False)
    """(files done, files in all) while loading; None once done."""
    current: var[Article | None] = var(None, init=False, always_update=True)
    """The highlighted article, shown in the detail view."""

    def __init__(self, directory: Path | None, *, use_cache: bool = True) -> None:
        super().__init__()
        self.directory = directory
        self.use_cache = use_cache
        self.store: StateStore | None = None
        self.pending_topic: str | None = None
        """The --topic asked for, until a result is shown with it (or the final one without)."""
        self.marks_problem: str | None = None
        """Why read marks are not being saved (or cannot be used at all), while that lasts."""
        self.search_problem: str | None = None
        """Why searching cannot work, if building its word index failed."""
        self._search_builder: tuple[ArticleIndex, Worker[None]] | None = None

    def stories_for(self, index: ArticleIndex) -> Stories | None:
        """The stories of `index`, once found (see `StoriesPart`)."""
        return None

    def folded_story(self) -> tuple[int, ...] | None:
        """The articles the highlighted row stands for, when it is a folded story (see `StoriesPart`)."""
        return None

    @property
    def index(self) -> ArticleIndex | None:
        return self.result.index if self.result else None

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    # The view ------------------------------------------------------------------

    def show(
        self, spec: ViewSpec | None = None, article: Article | None = None, *, keep_place: bool = False
    ) -> None:
        """Show what `spec` (default: the current one) means, with `article` highlighted if it is there.

        With `keep_place` (new articles arrived while loading), the list stays
        at the top unless the reader had moved, then follows their article.
        """
        spec = spec or self.spec
        index = self.index
        if index is None:
            self.spec = spec
            return
        shown = build_view(spec, index, self.marks, self.stories_for(index))
        if shown.needs_search_index and self.search_problem is not None:
            shown = replace(shown, problems=(self.search_problem,))
        elif shown.needs_search_index:
            self.prepare_search(index)
        row = 0
        steady = keep_place and self.reader_engaged
        if article is not None and (steady or not keep_place):
            found = self.row_in(shown, article)
            # The reader's article went (its file deleted): the one now in its place, not the top.
            row = (
                found
                if found is not None
                else min(self.articles.cursor, len(shown.articles) - 1)
                if steady
                else 0
            )
            row = max(0, row)
        self.spec = spec
        self.listing = Listing(shown, row, empty_message(spec), steady=steady)
        # The cursor may stay on its row while the article there changed (the one it was on was
        # deleted): the list then says nothing, so the detail view is told here.
        self.call_later(self._follow_the_list)

    def _follow_the_list(self) -> None:
        article = self.articles.current
        if article is not None and article is not self.current and self.maximized is None:
            self.current = article

    def watch_listing(self, listing: Listing | None) -> None:
        if listing is None:
            return
        # Topic and provider names are data: never read as markup.
        self.articles.border_title = Content(selection_label(listing.view.index, listing.view.spec.selection))
        self.query_one(ArticleDetail).set_highlight(listing.view.highlight)
        if not listing.view.articles:
            self.current = None
        self.update_status()

    @property
    def reader_engaged(self) -> bool:
        """Has the reader moved or started reading? Then new arrivals must not move them."""
        detail_pane = self.query_one("#detail-pane")
        return self.articles.cursor != 0 or self.maximized is not None or detail_pane.has_focus_within

    def row_in(self, shown: VisibleView, article: Article) -> int | None:
        """The row of `article` in `shown`, or of its replacement (a fuller duplicate); None if neither."""
        index = shown.index
        position = index.position_of(article)
        if position is None:
            replacement = index.find_url(article.url)
            position = index.position_of(replacement) if replacement else None
        if position is None:
            return None
        row = shown.articles.row_of(position)
        story = shown.stories.story_id(position) if shown.stories is not None else None
        if row is None and shown.stories is not None and story is not None:
            # Folded into its story: the story's row, headed by another of its articles.
            row = shown.articles.row_of(shown.stories.members[story][0])
        return row

    def keep_current(self, spec: ViewSpec) -> None:
        """Show `spec`, keeping the highlighted article highlighted when it is still there."""
        self.show(spec, self.current)

    def choose(self, selection: Selection) -> None:
        self.show(self.spec.but(selection=selection))

    # The status line -----------------------------------------------------------

    def update_status(self) -> None:
        listing, result, marks = self.listing, self.result, self.marks
        shown = listing.view if listing is not None and result is not None else None
        unread = None
        if shown is not None and marks is not None and marks.index is shown.index:
            # Grouped, a row stands for its story's articles: they are what is counted.
            unread = marks.unread_in(shown.stories.every if shown.stories else shown.articles)
        facts = StatusFacts(
            progress=self.progress,
            unread=unread,
            duplicates=result.duplicates if result else 0,
            skipped=len(result.skipped) if result else 0,
            marks_problem=self.marks_problem is not None,
            checking=result.checking if result else False,
            partial=result is not None and not result.complete,
        )
        # One fixed-size line: no layout pass, which would repaint every pane's
        # scrollbars on each of the hundred progress updates of a large load.
        self.query_one("#status", Static).update(status_line(shown, facts), layout=False)

    def watch_progress(self) -> None:
        self.update_status()

    def watch_marks(self) -> None:
        self.update_status()

    # Search index --------------------------------------------------------------

    def prepare_search(self, index: ArticleIndex) -> None:
        """Build the word index of `index` in the background, once."""
        if self.result is None or not self.result.complete or index.search_ready:
            return
        building = self._search_builder
        # One build per index: a second thread would only duplicate seconds of work,
        # and cancelling a thread worker does not stop its thread anyway.
        if building is not None and building[0] is index and building[1].is_running:
            return
        self._search_builder = (index, self._build_search_index(index))

    @work(thread=True, group="search-index", exit_on_error=False, description="Preparing search")
    def _build_search_index(self, index: ArticleIndex) -> None:
        index.search_index()
        self.app.call_from_thread(self._search_index_ready, index)

    def _search_index_ready(self, index: ArticleIndex) -> None:
        # Hundreds of thousands of long-lived objects now exist; keeping the
        # collector from walking them again and again avoids pauses while typing.
        gc.freeze()
        if index is self.index and self.spec.searching:
            self.keep_current(self.spec)

    # Background jobs -------------------------------------------------------------

    @on(Worker.StateChanged)
    def on_any_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every background job that fails says so; the load's own outcome is handled by `loaded`."""
        worker = event.worker
        if event.state == WorkerState.SUCCESS and worker.group == "load":
            self.load_finished(worker.result)
        elif event.state == WorkerState.ERROR:
            purpose = WORKER_PURPOSE.get(worker.group, worker.description or "A background job")
            self.job_failed(worker.group, f"{purpose} failed: {visible(worker.error)}")

    # Given by the parts (loading, marking): here so that each part can call the others.

    def load_finished(self, outcome: object) -> None:
        """What to do with the load worker's result."""

    def attach_marks(self) -> None:
        """Lay the read marks over the current index."""

    def attach_fetched(self, index: ArticleIndex) -> None:
        """Lay the texts kept by reader mode over `index` (list marks, search)."""

    def mark_read(self, article: Article) -> None:
        """Mark `article` read (opening it in the browser counts as reading)."""

    def follow_link(self, url: str) -> None:
        """Show the article at `url` when the index holds it; else open it in the browser."""

    def go_to_article(self, article: Article) -> None:
        """Show `article` of the index, as a link followed inside newsdeck (the links part)."""

    def start_watching(self) -> None:
        """Watch the directory for changes, once it has been read (the watching part)."""

    def read_again(self, why: str) -> None:
        """Read the directory again ("manual" or "live"), keeping the reader's place (loading part)."""

    def remember_place(self) -> None:
        """About to go to another article by a link: back (the history part) returns here."""

    def clear_search_silently(self) -> None:
        """Forget the query without showing the list it gave (the searching part)."""

    def query_in_field(self, query: str) -> None:
        """Show `query` in the search field, as the list already shows it (the searching part)."""

    def search_for(self, query: str) -> None:
        """Show the list for `query`, in the search field as if typed (the searching part)."""

    def job_failed(self, group: str, message: str) -> None:
        """A background job ended in an error: tell the reader, and stop waiting for it."""
        if group == "search-index":
            self.search_problem = "search is not available: preparing it failed"
            self.show()
        elif group == "article-extras":
            self.query_one(ArticleDetail).extras_failed()
        elif group == "state":
            self.marks_problem = "read marks could not be opened"
            self.update_status()
        self.notify(message, title="newsdeck", severity="error", markup=False, timeout=10)
