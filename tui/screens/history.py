"""Back and forward: `backspace` / `alt+left` return to the article a link, a related item or the
palette was followed from; `alt+right` goes forward again."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from tui.data.history import History, Place
from tui.screens.reader import ReaderScreen


class HistoryPart(ReaderScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "backspace,alt+left",
            "history_back",
            "Go back",
            show=False,
            tooltip="Back to the article you followed a link (a related item, a palette jump) from",
            id="newsdeck.history-back",
        ),
        Binding(
            "alt+right",
            "history_forward",
            "Go forward",
            show=False,
            tooltip="Forward again, to the article you went back from",
            id="newsdeck.history-forward",
        ),
    ]

    _history: History | None = None

    @property
    def history(self) -> History:
        if self._history is None:
            self._history = History()
        return self._history

    def here(self) -> Place:
        article = self.current
        return Place(self.spec, article.path if article is not None else None)

    def remember_place(self) -> None:
        """About to go elsewhere (a link followed inside newsdeck): back returns here."""
        if self.current is not None:
            self.history.leave(self.here())

    def action_history_back(self) -> None:
        place = self.history.back(self.here())
        if place is None:
            self.notify("Nothing to go back to: follow a link or a related item first.", timeout=3)
            return
        self._go(place)

    def action_history_forward(self) -> None:
        place = self.history.forward(self.here())
        if place is None:
            self.notify("Nothing to go forward to.", timeout=3)
            return
        self._go(place)

    def _go(self, place: Place) -> None:
        index = self.index
        position = index.position_of_path(place.path) if index is not None and place.path else None
        article = index.articles[position] if index is not None and position is not None else None
        if article is None and place.path is not None:
            self.notify("That article is no longer in the directory.", severity="warning", timeout=4)
        self.minimize()
        self.show(place.spec, article)
        # Back to a list of a search the reader left: its words are in the field again.
        self.query_in_field(place.spec.query)
        self.articles.focus()
