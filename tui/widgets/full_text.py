"""The story itself, fetched from the article's page, shown in the detail view (reader mode)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.style import Style
from textual.timer import Timer
from textual.widgets import Static

from tui.data.dates import format_local
from tui.data.extract import WORDS_PER_MINUTE
from tui.data.sanitize import visible
from tui.data.search import Prefix, match_spans
from tui.data.text_store import StoredText

if TYPE_CHECKING:
    from textual.widgets import Markdown

# Markdown is laid out on the UI thread: beyond this, the text is cut short.
_MAX_CHARS = 120_000


def source_line(stored: StoredText) -> str:
    """`Full text · time.com · fetched 2026-12-04 14:02 · 1,240 words · 6 min`."""
    host = visible(urlsplit(stored.final_url or stored.url).hostname or stored.url)
    minutes = max(1, round(stored.words / WORDS_PER_MINUTE))
    fetched = format_local(stored.fetched_at)
    return f"Full text · {host} · fetched {fetched} · {stored.words:,} words · {minutes} min"


class FullText(Vertical):
    """A line saying where the text came from, then the text as Markdown."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.markdown = ""
        """The text shown, once there is one (for its links)."""
        self._waiting: tuple[str, float] | None = None
        self._clock: Timer | None = None
        self._highlight: tuple[list[str | Prefix], Style] = ([], Style())
        self._generation = 0
        self._laid_out = ""
        """The text the Markdown widget holds, once laid out."""
        self._unmarked: dict[int, Content] = {}
        """Each shown block's text before search marks were laid on it, by the block's id()."""

    def compose(self) -> ComposeResult:
        yield Static(id="full-text-source", markup=False)

    def waiting(self, host: str) -> None:
        """Fetching: says from where, and for how long so far (every key keeps working)."""
        self._waiting = (visible(host), time.monotonic())
        self._tick()
        if self._clock is None:
            self._clock = self.set_interval(1.0, self._tick)
        else:
            self._clock.resume()
        self._text(None)

    def _tick(self) -> None:
        if self._waiting is None:
            return
        host, started = self._waiting
        elapsed = int(time.monotonic() - started)
        self._say(f"Fetching the full text from {host}… {elapsed} s (r again: the summary)")

    def stop_waiting(self) -> None:
        self._waiting = None
        if self._clock is not None:
            self._clock.pause()

    def failed(self, message: str) -> None:
        self.stop_waiting()
        self._say(f"The full text could not be read: {visible(message)} The summary stays below.")
        self._text(None)

    def show(self, stored: StoredText) -> None:
        self.stop_waiting()
        self.markdown = stored.markdown
        self._say(source_line(stored))
        text = stored.markdown
        if len(text) > _MAX_CHARS:
            text = text[:_MAX_CHARS] + "\n\n*(cut short here: it is very long)*"
        self._text(text)

    def _say(self, line: str) -> None:
        self.query_one("#full-text-source", Static).update(line)

    def set_highlight(self, words: Sequence[str | Prefix], style: Style) -> None:
        """Mark what the search matched in the text, as in the title and excerpt."""
        self._highlight = (list(words), style)
        self._mark()

    def _text(self, markdown: str | None) -> None:
        self._generation += 1
        if markdown is None:
            self.markdown = ""
        # Imported and made for the first text: the Markdown widget is not needed to start.
        from textual.widgets import Markdown

        shown = self.query("#full-text-body")
        if markdown is None or markdown != self._laid_out:
            for widget in shown:
                widget.display = False  # never a moment of the story shown before
        if markdown is None:
            return
        if shown and markdown == self._laid_out:
            shown.first(Markdown).display = True  # r, r and r again: the same story, as it was
            return
        if shown:
            self.call_later(self._lay_out, shown.first(Markdown), markdown, self._generation)
        else:
            widget = Markdown(id="full-text-body", open_links=False)
            self.mount(widget)
            self.call_after_refresh(self._lay_out, widget, markdown, self._generation)  # once mounted

    async def _lay_out(self, widget: Markdown, markdown: str, generation: int) -> None:
        if generation != self._generation:
            return  # another text (or none) was asked for meanwhile
        self._laid_out = ""
        await widget.update(markdown)
        self._unmarked.clear()
        if generation == self._generation:
            self._laid_out = markdown
            widget.display = True
            self._mark()

    def _mark(self) -> None:
        """Lay the search marks on every block of text shown (the blocks as Markdown made them)."""
        from textual.widgets.markdown import MarkdownBlock

        words, style = self._highlight
        if not words and not self._unmarked:
            return
        for block in self.query(MarkdownBlock):
            content = self._unmarked.get(id(block), block.content)
            if not isinstance(content, Content) or not content.plain:
                continue
            self._unmarked[id(block)] = content
            marked = content
            for start, end in match_spans(content.plain, words):
                marked = marked.stylize(style, start, end)
            if marked is not block.content:
                block.update(marked)
