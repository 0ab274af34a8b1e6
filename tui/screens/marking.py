"""Read and starred marks in the reader: the marks file, the read timer, m, M, n/N, */f, u."""

from __future__ import annotations

from array import array

from textual import work
from textual.timer import Timer

from tui.data.model import Article
from tui.data.reading import ReadingMarks
from tui.data.state import StateStore
from tui.data.view_text import selection_label
from tui.data.wording import plural
from tui.screens.confirm import ConfirmScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_detail import ArticleDetail


def recovery_message(store: StateStore) -> str:
    kept = store.recovery_file
    return (
        f"some read marks could not be saved ({store.problem or 'no state file'}). "
        f"They are in {kept}: run 'newsdeck state import {kept}' to restore them."
    )


READ_AFTER_SECONDS = 1.0
"""How long an article is shown in the detail view before it counts as read."""


OTHER_WINDOWS_SECONDS = 1.0
"""How often the marks file is asked whether another window wrote to it (a cheap PRAGMA)."""


class MarkingPart(ReaderScreen):
    _read_timer: Timer | None = None

    # The marks file --------------------------------------------------------------

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
            self.show(self.spec, self.articles.current, keep_place=True)
        self.check_state_problems()
        # Another newsdeck window may mark articles too: its marks show here within a second.
        self.set_interval(OTHER_WINDOWS_SECONDS, self._look_at_other_windows)

    def _look_at_other_windows(self) -> None:
        if self.store is not None and not any(
            worker.group == "state-watch" and worker.is_running for worker in self.workers
        ):
            self._marks_from_other_windows(self.store)

    @work(thread=True, group="state-watch", exit_on_error=False, description="Reading others' marks")
    def _marks_from_other_windows(self, store: StateStore) -> None:
        if store.changed_elsewhere():
            self.app.call_from_thread(self._other_windows_marked, store)

    def _other_windows_marked(self, store: StateStore) -> None:
        if store is self.store:
            self.attach_marks()

    def attach_marks(self) -> None:
        """Lay the stored marks over the current index (a new one arrives with each snapshot)."""
        if self.store is None or self.index is None:
            return
        self.marks = ReadingMarks(self.index, self.store, self.result.root if self.result else None)

    def check_state_problems(self) -> None:
        """Say so once when marks stop being saved (read-only or full disk), and when they are again."""
        store = self.store
        problem = store.problem if store is not None else None
        if problem == self.marks_problem or store is None:
            return
        if problem is not None:
            self.notify(
                f"{problem} newsdeck goes on working; marks are kept until it can save them.",
                title="Read marks",
                severity="warning",
                markup=False,
                timeout=15,
            )
        elif self.marks_problem is not None and not store.unsaved:
            self.notify("Read marks are being saved again.", title="Read marks", markup=False)
        self.marks_problem = problem
        self.update_status()

    def close_marks(self) -> None:
        """On the way out: save what is pending without keeping the terminal from the reader.

        A quick try first; if another newsdeck holds the file, the rest is written
        in the background and the command line waits for it after the window is gone.
        """
        store = self.store
        if store is None:
            return
        self.store = None
        closing = getattr(self.app, "closing_stores", None)
        if store.flush(wait=0.2) or closing is None:
            store.close()
        else:
            closing.append((store, store.close_in_background()))
        if store.recovery_file is not None:
            self.app.farewell.append(recovery_message(store))  # type: ignore[attr-defined]

    def marks_changed(self) -> None:
        self.mutate_reactive(ReaderScreen.marks)

    # What counts as reading --------------------------------------------------------

    def watch_current(self, article: Article | None) -> None:
        self.mark_read_later(article)

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
        return self.articles.has_focus or self.query_one("#detail-pane").has_focus_within

    def mark_read(self, article: Article) -> None:
        index, marks = self.index, self.marks
        position = index.position_of(article) if index is not None else None
        if marks is None or position is None:
            return
        if marks.set_read((position,)):
            self.marks_changed()

    # Keys --------------------------------------------------------------------------

    def _markable(self) -> tuple[ReadingMarks, int] | None:
        """The marks and the highlighted article's position, or None (the reader is told why)."""
        position = self.articles.current_position()
        if self.marks is None or position is None:
            if self.marks is not None:
                message = "No article is selected."
            elif self.marks_problem is not None:
                message = f"Read marks are not available: {self.marks_problem}"
            else:
                message = "Read marks are still loading."
            self.notify(message, markup=False)
            return None
        return self.marks, position

    def action_toggle_read(self) -> None:
        if (target := self._markable()) is None:
            return
        marks, position = target
        self.mark_read_later(None)  # the reader's own choice wins over the timer
        story = self.folded_story()
        if story is not None:
            # A folded story is one row: read while any of its articles is unread, and all marked.
            unread = any(not marks.is_read(member) for member in story)
            marks.set_read(story, unread)
        else:
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
        listing = self.listing
        if self.marks is None or listing is None or not listing.view.articles:
            return
        view = listing.view.articles
        unread = self.marks.unread_in(view)
        if not unread:
            self.notify("Everything here is read already.")
            return
        # What was asked about is what gets marked, even if loading adds articles meanwhile.
        marks = self.marks
        positions = array("I", (view.position_at(row) for row in range(len(view))))
        if len(view) > self.articles.scrollable_content_region.height:
            label = selection_label(self.index, self.spec.selection)
            question = f"Mark {plural(unread, 'unread article')} in “{label}” as read?"
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
        listing = self.listing
        if self.marks is None or listing is None or not listing.view.articles:
            return
        articles = self.articles
        row = self.marks.next_unread(listing.view.articles, articles.cursor, step)
        if row is None:
            self.notify(f"No unread article {'below' if step > 0 else 'above'} this one.", timeout=3)
            return
        articles.cursor = row
        if self.maximized is None:
            articles.focus()  # reading full-window, the next unread article is read there too

    def action_unread_only(self) -> None:
        self.keep_current(self.spec.but(unread_only=not self.spec.unread_only))
