"""Where the reader has been: back and forward through articles opened by following a link.

An entry is what was shown (the `ViewSpec`) and the article highlighted, known by
its path in the directory: an `Article` object belongs to one index, and the index
is replaced whenever the directory is read again, while a path still names the
article afterwards (or nothing, when its file went).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.data.view_spec import ViewSpec

MAX_ENTRIES = 200
"""The oldest places are forgotten past this: going back two hundred times is not a use."""


@dataclass(frozen=True, slots=True)
class Place:
    spec: ViewSpec
    path: str | None
    """The highlighted article's path (None: no article was highlighted)."""


class History:
    def __init__(self) -> None:
        self._back: list[Place] = []
        self._forward: list[Place] = []

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def leave(self, here: Place) -> None:
        """The reader goes somewhere new from `here`: it is where back returns; forward is forgotten."""
        if self._back and self._back[-1] == here:
            return  # following two links from one place: one step back, not two
        self._back.append(here)
        del self._back[:-MAX_ENTRIES]
        self._forward.clear()

    def back(self, here: Place) -> Place | None:
        """The place before `here` (which forward then returns to), or None."""
        if not self._back:
            return None
        self._forward.append(here)
        return self._back.pop()

    def forward(self, here: Place) -> Place | None:
        if not self._forward:
            return None
        self._back.append(here)
        return self._forward.pop()
