"""The list grouped by story: one row per story, its members folded under it or shown.

A story's row is its best article by the list's own order (the first of its
members the view holds), with how many other sources it has; unfolded, the
other members follow it, each on its row. Only what the view holds counts: a
topic or a search that keeps two of a story's five articles shows a story of two.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from tui.data.index import ArticleIndex, ArticleView
from tui.data.stories import Stories


@dataclass(frozen=True, slots=True)
class StoryRows:
    """How the rows of a grouped list stand to its stories."""

    every: ArticleView
    """The view before grouping: every article a story row stands for."""
    stories: int
    """Rows that stand for a story (or a lone article): the view's length less unfolded members."""
    story_of: dict[int, int]
    """Position -> story id, for the articles of stories of more than one in the view."""
    members: dict[int, tuple[int, ...]]
    """Story id -> the positions of its articles in the view, in list order (head first)."""
    inner: frozenset[int]
    """Positions shown unfolded under their story's first row."""

    @property
    def articles(self) -> int:
        """Articles in the view before grouping (the status line says both)."""
        return len(self.every)

    def sources(self, position: int) -> int:
        """Other articles of the story headed by `position` (0 for a member row or a lone one)."""
        if position in self.inner:
            return 0
        story = self.story_of.get(position)
        return len(self.members[story]) - 1 if story is not None else 0

    def members_at(self, position: int) -> tuple[int, ...]:
        """Every article in the view of the story `position` belongs to (itself when alone)."""
        story = self.story_of.get(position)
        return self.members[story] if story is not None else (position,)

    def story_id(self, position: int) -> int | None:
        return self.story_of.get(position)


def group_view(
    view: ArticleView, index: ArticleIndex, stories: Stories, unfolded: frozenset[int]
) -> tuple[ArticleView, StoryRows]:
    """`view` with each story's articles folded under its first, or unfolded after it."""
    seen: dict[int, list[int]] = {}
    order: list[int] = []
    for row in range(len(view)):
        position = view.position_at(row)
        story = stories.story_of[position]
        if story in seen:
            seen[story].append(position)
        else:
            seen[story] = [position]
            order.append(story)
    rows = array("I")
    inner: list[int] = []
    story_of: dict[int, int] = {}
    members: dict[int, tuple[int, ...]] = {}
    for story in order:
        held = seen[story]
        rows.append(held[0])
        if len(held) > 1:
            members[story] = tuple(held)
            for position in held:
                story_of[position] = story
            if story in unfolded:
                rows.extend(held[1:])
                inner.extend(held[1:])
    grouped = ArticleView(index.articles, rows, ordered=False)
    return grouped, StoryRows(view, len(order), story_of, members, frozenset(inner))
