"""The help screen: every key newsdeck knows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "Move between the panes"),
    ("up / down, k / j", "Move in a list"),
    ("pageup / pagedown, home / end", "Move by a page, to the first or last"),
    ("enter", "Apply the topic (sidebar), read the article (list), open a related item"),
    ("t", "Go to the topic sidebar"),
    ("1 … 9", "Show the n-th topic of the sidebar"),
    ("0", "Show all articles"),
    ("o", "Open the article's original URL (or the focused related item) in your browser"),
    ("!", "List the files that were skipped, and why"),
    ("?", "This help"),
    ("q", "Quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: list[BindingType] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="newsdeck.close-help"),
    ]

    def compose(self) -> ComposeResult:
        width = max(len(key) for key, _ in KEYS)
        lines = "\n".join(f"{key:>{width}}  {meaning}" for key, meaning in KEYS)
        with Vertical(id="help-dialog"):
            yield Static("Keys", id="help-title")
            yield Static(lines, id="help-keys", markup=False)
            yield Static("Press escape to close.", id="help-hint")
