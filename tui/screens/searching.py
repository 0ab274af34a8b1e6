"""The search bar: / opens it, every key narrows the list, escape clears it."""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from tui.screens.reader import ReaderScreen


class SearchPart(ReaderScreen):
    """The query lives in `spec.query`; the search field only edits it."""

    @property
    def search_field(self) -> Input:
        return self.query_one("#search", Input)

    def open_search(self) -> None:
        self.minimize()
        self.set_class(True, "-searching")
        self.refresh_bindings()
        self.search_field.focus()
        if self.index is not None:
            self.prepare_search(self.index)

    def close_search(self) -> None:
        self.set_class(False, "-searching")
        self.refresh_bindings()
        if self.search_field.value:
            self.search_field.value = ""  # Input.Changed clears the query

    def clear_search_silently(self) -> None:
        """Forget the query without showing the list it gave (the caller shows another)."""
        self.set_class(False, "-searching")
        self.refresh_bindings()
        with self.search_field.prevent(Input.Changed):
            self.search_field.value = ""

    def query_in_field(self, query: str) -> None:
        if self.search_field.value == query:
            return
        self.set_class(bool(query), "-searching")
        self.refresh_bindings()
        with self.search_field.prevent(Input.Changed):
            self.search_field.value = query

    def search_for(self, query: str) -> None:
        self.minimize()
        self.set_class(True, "-searching")
        self.refresh_bindings()
        with self.search_field.prevent(Input.Changed):
            self.search_field.value = query
        self.show(self.spec.but(query=query))
        self.articles.focus()

    @on(Input.Changed, "#search")
    def on_search_changed(self, event: Input.Changed) -> None:
        if event.value != self.spec.query:
            self.show(self.spec.but(query=event.value))

    @on(Input.Submitted, "#search")
    def on_search_submitted(self) -> None:
        self.articles.focus()
