"""The story itself, fetched from the article's page, shown in the detail view (reader mode)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from tui.data.dates import format_local
from tui.data.extract import WORDS_PER_MINUTE
from tui.data.sanitize import visible
from tui.data.text_store import StoredText

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

    def _text(self, markdown: str | None) -> None:
        if markdown is None:
            self.markdown = ""
        # Imported and made for the first text: the Markdown widget is not needed to start.
        from textual.widgets import Markdown

        shown = self.query("#full-text-body")
        if markdown is None:
            for widget in shown:
                widget.display = False
            return
        if shown:
            widget = shown.first(Markdown)
            widget.update(markdown)
            widget.display = True
        else:
            self.mount(Markdown(markdown, id="full-text-body", open_links=False))
