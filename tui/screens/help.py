"""The help screen: every key newsdeck knows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "Move between the panes"),
    ("up / down, k / j", "Move in a list; scroll the article"),
    ("pageup / pagedown", "Move by a page"),
    ("home / end", "Go to the first or last"),
    ("enter", "Sidebar: show that topic or provider; list: read full-window; related item: open it"),
    ("space", "In the sidebar: add or remove a topic from those shown; choose or drop a provider"),
    ("a", "Several topics: show articles in any of them, or in all of them"),
    ("escape", "Back from the full-window article to the list"),
    ("t", "Go to the sidebar (topics, then providers)"),
    ("1 … 9", "Show the n-th topic of the sidebar"),
    ("0", "Show all articles (every topic and provider)"),
    ("/", 'Search (words, "a phrase", -not, topic:, provider:, after:, before:); escape clears'),
    ("s", "Sort: newest first, oldest first, by rank (quality, then heat, then date)"),
    ("m", "Mark the article read or unread (shown for a second, or opened: read)"),
    ("M", "Mark every article in the list read (asks first when it is more than a screenful)"),
    ("n / N", "Go to the next / previous unread article"),
    ("* or f", "Star the article, or take the star away (the sidebar's Starred lists them)"),
    ("u", "Show only unread articles, or all again"),
    ("o", "Open the article's original URL (or the focused related item) in your browser"),
    ("!", "List the files that were skipped, and why"),
    ("ctrl+p", "Command palette: jump to a topic, a provider or an article by title (fuzzy)"),
    ("?", "This help"),
    ("q", "Quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: list[BindingType] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="newsdeck.close-help"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static("Keys", id="help-title")
            # First, not last: on a small window the end of the list is out of sight.
            yield Static("Press escape to close; scroll for more.", id="help-hint")
            with Grid(id="help-keys"):
                for key, meaning in KEYS:
                    yield Static(key, classes="help-key", markup=False)
                    yield Static(meaning, classes="help-meaning", markup=False)
