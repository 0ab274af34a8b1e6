"""Loading the seed directory in the background, with progress and articles shown as they come."""

from __future__ import annotations

import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ProgressBar
from textual.worker import get_current_worker

from tui.data.demo import write_demo_corpus
from tui.data.index import Selection
from tui.data.loader import LoadError, LoadResult, load_directory
from tui.data.sanitize import visible
from tui.data.wording import plural
from tui.screens.reader import ReaderScreen
from tui.widgets.topic_sidebar import TopicSidebar


class LoadProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        # Only the newest count matters; a burst collapses into one update.
        return isinstance(message, LoadProgress)


class LoadPartial(Message):
    """Articles read so far, while loading goes on."""

    def __init__(self, result: LoadResult) -> None:
        super().__init__()
        self.result = result

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadPartial)


class IndexSaved(Message):
    """The saved index of a result was written (or could not be: `problem` says why)."""

    def __init__(self, result: LoadResult, problem: str | None, *, reloaded: bool) -> None:
        super().__init__()
        self.result = result
        self.problem = problem
        self.reloaded = reloaded


class LoadSaved(Message):
    """Every article, from the saved index, while the directory is checked for changes."""

    def __init__(self, result: LoadResult, shown: threading.Event) -> None:
        super().__init__()
        self.result = result
        self.shown = shown
        """Set once the list is drawn: the check for changes waits for it."""


_DRAWING_SECONDS = 2.0
_PROGRESS_EVERY_SECONDS = 0.1
_SAVING = threading.Lock()
"""One saved index is written at a time: a newer result's waits for an older one being written."""
SEARCH_AFTER_QUIET_SECONDS = 3.0
"""After a reload, searching is prepared once the folder has been quiet this long (at once for
a search under way): seconds of work at 100,000 articles, which the next change would waste."""


class LoadingPart(ReaderScreen):
    """Runs the load worker and lays each (partial, then final) result over the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r,f5",
            "reload",
            "Reload",
            show=False,
            tooltip="Read the directory again now: new, changed and deleted files",
            id="newsdeck.reload",
        ),
    ]

    reloading = ""
    """Why the directory is being read again ("manual": ctrl+r, "live": the folder changed), or ""."""
    changed_meanwhile = False
    """The folder changed while it was being read: read it again once that is done."""
    save_problem: str | None = None
    """Why the saved index could not be written last time: said once, not at every reload."""
    _search_timer: Timer | None = None

    def action_reload(self) -> None:
        if self.directory is None:
            self.notify("The demo's articles do not change: there is nothing to reload.", timeout=4)
            return
        if self.result is None or not self.result.complete or self.reloading:
            self.notify("Still reading the directory…", timeout=3)
            return
        self.read_again("manual")

    def read_again(self, why: str) -> None:
        """Read the directory again through the cache; the cursor, search and sort stay."""
        if self.result is None or not self.result.complete or self.reloading:
            self.changed_meanwhile = True
            return
        self.reloading = why
        if self._search_timer is not None:
            self._search_timer.stop()  # the index it would prepare is about to be replaced
        if why == "manual":
            self.remove_class("-loaded")  # the progress bar, for a reload asked for
        self.update_status()
        self.load(self.result)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Loading articles")
    def load(self, previous: LoadResult | None = None) -> LoadResult | str:
        """Read the directory; with `previous` (a reload), its articles of unchanged files are reused."""
        worker = get_current_worker()
        directory = self.directory
        if directory is None:
            # The demo lives only as long as the process: a fresh temporary copy.
            directory = write_demo_corpus(Path(tempfile.mkdtemp(prefix="newsdeck-demo-")))
            self.app.call_from_thread(self.app.set_demo_directory, directory)  # type: ignore[attr-defined]

        last_progress = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_progress
            # Each count redraws the status line on the UI thread, and while it holds the
            # interpreter the walk's stat calls wait: a few counts a second say as much.
            now = time.monotonic()
            if now - last_progress >= _PROGRESS_EVERY_SECONDS or (total and done >= total):
                last_progress = now
                self.post_message(LoadProgress(done, total))

        def partial(result: LoadResult) -> None:
            self.post_message(LoadPartial(result))

        def saved(result: LoadResult) -> None:
            shown = threading.Event()
            self.post_message(LoadSaved(result, shown))
            # Walking 100,000 files at once would hold the interpreter while the list is
            # being drawn, and delay it: the walk waits for it (a moment at most).
            waited = 0.0
            while not shown.wait(0.05) and not worker.is_cancelled and waited < _DRAWING_SECONDS:
                waited += 0.05

        try:
            return load_directory(
                directory,
                progress=progress,
                cancelled=lambda: worker.is_cancelled,
                use_cache=self.use_cache and self.directory is not None,
                on_partial=partial,
                on_saved=saved,
                # Made here, in the worker: after a warm start that takes a moment.
                previous=previous.reuse if previous is not None else None,
                # Written once the result is on screen (`after_shown`), not before.
                defer_save=True,
            )
        except LoadError as error:
            return f"Cannot open {error}"

    def on_load_progress(self, message: LoadProgress) -> None:
        # A total of 0 means the folders are still being walked: an indeterminate bar.
        self.query_one(ProgressBar).update(total=message.total or None, progress=message.done)
        self.add_class("-reading-files")
        self.progress = (message.done, message.total)

    def on_load_partial(self, message: LoadPartial) -> None:
        if self.result is None or not self.result.complete:
            self.apply(message.result)

    def on_load_saved(self, message: LoadSaved) -> None:
        if self.result is None or not self.result.complete:
            self.loaded(message.result)
        self.call_after_refresh(message.shown.set)

    def load_finished(self, outcome: object) -> None:
        if isinstance(outcome, LoadResult):
            self.loaded(outcome)
        elif self.reloading:
            # What was read before stays on screen: only the reload failed.
            self.reloading = ""
            self.progress = None
            self.add_class("-loaded")
            self.notify(visible(str(outcome)), title="Reload failed", severity="error", markup=False)
        else:
            self.failed(str(outcome))

    def failed(self, message: str) -> None:
        message = visible(message)  # an error may quote a path from disk
        self.progress = None
        self.add_class("-loaded")
        self.articles.set_empty_message(message)
        self.query_one(TopicSidebar).set_empty_message("No topics")
        self.notify(message, title="newsdeck", severity="error", markup=False, timeout=10)
        self.query_one("#status").update(message)  # type: ignore[attr-defined]

    def job_failed(self, group: str, message: str) -> None:
        if group == "load" and self.reloading:
            self.reloading = ""
            self.add_class("-loaded")
            self.progress = None
        elif group == "load":
            self.failed(message)
            return
        super().job_failed(group, message)

    def loaded(self, result: LoadResult) -> None:
        self.progress = None
        self.add_class("-loaded")
        self.start_watching()
        previous = self.result
        reloaded, self.reloading = self.reloading, ""
        if reloaded and previous is not None:
            self.apply(result)
            self.call_after_refresh(self.after_shown, result, reloaded=True)
            self.announce_changes(previous, result, reloaded=reloaded)
            if self.changed_meanwhile:
                self.changed_meanwhile = False
                self.read_again("live")
            return
        if previous is not None and previous.index is result.index:
            # The saved index was still true: only the status line changes.
            self.result = result
            self.update_status()
            return
        self.apply(result)
        self.call_after_refresh(self.after_shown, result)
        if previous is not None and previous.complete:
            self.announce_changes(previous, result)
        elif result.skipped:
            self.notify(
                f"{plural(len(result.skipped), 'file')} skipped: press ! to see which and why.",
                title="Some files are not articles",
                severity="warning",
                markup=False,
            )
        for notice in result.notices:
            self.notify(notice, title="Article cache", severity="warning", markup=False, timeout=8)

    def after_shown(self, result: LoadResult, *, reloaded: bool = False) -> None:
        """Once `result` is drawn: write its saved index, if it has one to write, then prepare searching.

        Both are up to seconds of work at 100,000 articles, begun only now, as a thread
        holding the interpreter would slow the drawing.
        """
        if result.pending_save is not None:
            self.save_index(result, reloaded=reloaded)
        else:
            self.search_ready_for(result, reloaded=reloaded)

    @work(thread=True, group="save-index", exit_on_error=False, description="Saving the index")
    def save_index(self, result: LoadResult, *, reloaded: bool) -> None:
        with _SAVING:
            # A newer result is on screen: its own save follows, and this one would only undo it.
            problem = result.write_pending() if result is self.result else None
        # A message, not a call: the app may be closing, and this thread must not wait on it.
        self.post_message(IndexSaved(result, problem, reloaded=reloaded))

    def on_index_saved(self, message: IndexSaved) -> None:
        if message.problem is not None and message.problem != self.save_problem:
            self.notify(message.problem, title="Article cache", severity="warning", markup=False, timeout=8)
        self.save_problem = message.problem
        # Only now: the word index is saved beside the saved index it belongs to.
        self.search_ready_for(message.result, reloaded=message.reloaded)

    def search_ready_for(self, result: LoadResult, *, reloaded: bool) -> None:
        """Prepare searching `result` now, or after a reload once the folder is quiet."""
        if result is not self.result:
            return
        if not reloaded:
            self.prepare_search(result.index)
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(
            SEARCH_AFTER_QUIET_SECONDS, lambda: self.search_ready_for(result, reloaded=False)
        )

    def apply(self, result: LoadResult) -> None:
        """Show `result` (partial, saved or final), keeping the reader's place."""
        first = self.result is None
        self.result = result
        self.attach_marks()
        if result.complete:
            self.attach_fetched(result.index)
        summary = result.summary  # from the saved index: whole counts while its newest articles show
        self.query_one(TopicSidebar).show(summary.topics, summary.providers, summary.size)
        spec = self.spec
        if self.pending_topic is not None:
            # --topic: its articles may be in files not read yet; all articles meanwhile.
            found = result.index.find_topic(self.pending_topic)
            if found is not None or result.complete:
                spec = spec.but(selection=Selection(frozenset({found})) if found is not None else Selection())
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
            self.show(spec)
        else:
            self.show(spec, self.articles.current, keep_place=True)

    def announce_changes(self, before: LoadResult, after: LoadResult, *, reloaded: str = "") -> None:
        """The directory changed since the saved index was made (or was reloaded): say how."""
        old = {article.path for article in before.index.articles}
        new = {article.path for article in after.index.articles}
        parts = []
        if added := len(new - old):
            parts.append(f"{plural(added, 'new article')}")
        if gone := len(old - new):
            parts.append(f"{plural(gone, 'article')} gone")
        if len(after.skipped) != len(before.skipped):
            parts.append(f"{plural(len(after.skipped), 'file')} skipped (press !)")
        if reloaded == "manual":
            self.notify(", ".join(parts) or "nothing new, nothing gone", title="Reloaded", markup=False)
            return
        if reloaded:
            if added:
                parts[0] += _where(after, new - old)
            if parts:  # a file changed in place shows as it is now: nothing to announce
                self.notify(", ".join(parts), title="In the folder", markup=False)
            return
        self.notify(
            ", ".join(parts) or "changed files were read again",
            title="The folder changed since last time",
            markup=False,
        )


def _where(result: LoadResult, paths: set[str]) -> str:
    """` in Election` when every new article is in one topic (the topic most of them share otherwise)."""
    index = result.index
    topics: Counter[str] = Counter()
    for path in paths:
        position = index.position_of_path(path)
        if position is not None:
            topics.update(index.topics_of(index.articles[position]))
    if not topics:
        return ""
    name, count = topics.most_common(1)[0]
    return f" in {name}" if count == len(paths) else f", most in {name}"
