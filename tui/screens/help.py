"""The help screen: every key newsdeck knows, written from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import key_help


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="newsdeck.close-help"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="newsdeck.help.scroll-down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="newsdeck.help.scroll-up"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static("Keys", id="help-title")
            # First, not last: on a small window the end of the list is out of sight.
            yield Static("Press escape to close; j and k scroll.", id="help-hint")
            with Grid(id="help-keys"):
                for row in key_help():
                    yield Static(row.keys, classes="help-key", markup=False)
                    yield Static(row.meaning, classes="help-meaning", markup=False)

    def action_scroll(self, direction: str) -> None:
        dialog = self.query_one("#help-dialog", VerticalScroll)
        if direction == "down":
            dialog.scroll_down(animate=False)
        else:
            dialog.scroll_up(animate=False)
