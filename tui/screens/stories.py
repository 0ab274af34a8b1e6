"""Stories on the main screen: found in the background once loaded, and the list grouped by them (`c`)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.worker import get_current_worker

from tui.data.index import ArticleIndex
from tui.data.loader import LoadResult
from tui.data.stories import Stories
from tui.data.stories_apart import find_stories_apart
from tui.screens.reader import WORKER_PURPOSE, ReaderScreen
from tui.widgets.article_list import ArticleList

WORKER_PURPOSE["stories"] = "Finding the stories"


class StoriesPart(ReaderScreen):
    """Keeps `stories` in step with the index; `c` groups the list, right and left unfold and fold."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "c",
            "toggle_stories",
            "Stories",
            show=False,
            tooltip="Group the list by story (articles that report one event), or not",
            id="newsdeck.stories",
        ),
    ]

    stories: var[tuple[ArticleIndex, Stories] | None] = var(None, init=False)
    """The stories of an index, once found (they are found again for each new index)."""

    def on_mount(self) -> None:
        self.watch(self, "result", self._index_changed, init=False)

    def stories_for(self, index: ArticleIndex) -> Stories | None:
        found = self.stories
        return found[1] if found is not None and found[0] is index else None

    _finding: ArticleIndex | None = None
    """The index whose stories are being found."""

    def _index_changed(self, result: LoadResult | None) -> None:
        # A saved index shown while the folder is checked is worth its stories at once: the
        # check usually keeps it (the same index), and when it does not, they are found again.
        if result is None or not result.complete:
            return
        index = result.index
        if self._finding is not index and (self.stories is None or self.stories[0] is not index):
            self._finding = index
            self.find_stories(index)

    @work(thread=True, exclusive=True, group="stories", exit_on_error=False, description="Finding stories")
    def find_stories(self, index: ArticleIndex) -> None:
        worker = get_current_worker()
        stories = find_stories_apart(
            index.articles, index.fetched.words_of, cancelled=lambda: worker.is_cancelled
        )
        if not worker.is_cancelled:
            self.app.call_from_thread(self._found, index, stories)

    def _found(self, index: ArticleIndex, stories: Stories) -> None:
        if self._finding is index:
            self._finding = None
        if self.index is not index:
            return  # a newer index came meanwhile: its own stories are on their way
        self.stories = (index, stories)
        if self.spec.grouped:
            self.show(article=self.articles.current)

    def job_failed(self, group: str, message: str) -> None:
        running = any(worker.group == "stories" and not worker.is_finished for worker in self.app.workers)
        if group == "stories" and not running:
            self._finding = None  # the same index may ask again (a reload that changed nothing)
        super().job_failed(group, message)

    def action_toggle_stories(self) -> None:
        grouped = not self.spec.grouped
        self.show(self.spec.but(grouped=grouped, unfolded=frozenset()), self.articles.current)
        if grouped and self.index is not None and self.stories_for(self.index) is None:
            self.notify("Finding the stories…", timeout=3)
        self.notify("One row per story." if grouped else "One row per article.", timeout=2)

    @on(ArticleList.Unfold)
    def unfold(self, message: ArticleList.Unfold) -> None:
        listing = self.listing
        rows = listing.view.stories if listing is not None else None
        if rows is None or listing is None:
            return
        story = rows.story_id(message.position)
        if story is None:
            return
        unfolded = self.spec.unfolded
        if message.unfold and story not in unfolded:
            head = listing.view.index.articles[rows.members[story][0]]
            self.show(self.spec.but(unfolded=unfolded | {story}), head)
            # Unfolded on the list's last line, its articles would be out of sight below.
            shown = self.listing
            row = shown.view.articles.row_of(rows.members[story][0]) if shown is not None else None
            if row is not None:
                self.call_after_refresh(self.articles.reveal, row, len(rows.members[story]))
        elif not message.unfold and story in unfolded:
            # Folding from a member row goes to the story's row: the member row is gone.
            head = listing.view.index.articles[rows.members[story][0]]
            self.show(self.spec.but(unfolded=unfolded - {story}), head)

    def folded_story(self) -> tuple[int, ...] | None:
        """The articles the highlighted row stands for, when it is a folded story of several."""
        listing = self.listing
        position = self.articles.current_position()
        rows = listing.view.stories if listing is not None else None
        if rows is None or position is None or not rows.sources(position):
            return None
        story = rows.story_id(position)
        if story is None or story in self.spec.unfolded:
            return None
        return rows.members_at(position)
