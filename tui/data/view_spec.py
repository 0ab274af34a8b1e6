"""What the list shows, described once: a `ViewSpec`, and the pure function that makes it visible.

The screen holds one `ViewSpec` (topics, any/all, provider, starred, unread
only, query, sort) and asks `build_view` for the articles it means. Filtering,
search, marks and ordering happen here, in that order, and nowhere else, so a
feature that changes what is shown changes the spec, not the screen.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from tui.data.index import SORTS, ArticleIndex, ArticleView, Selection
from tui.data.reading import ReadingMarks
from tui.data.search import Prefix, find, parse_query
from tui.data.stories import Stories
from tui.data.story_view import StoryRows, group_view

PREPARING_SEARCH = "preparing search…"


@dataclass(frozen=True, slots=True)
class ViewSpec:
    selection: Selection = field(default_factory=Selection)
    """Topics (any or all of them), a provider, starred only."""
    unread_only: bool = False
    query: str = ""
    """The search as typed ("" for none)."""
    sort: str = SORTS[0]
    grouped: bool = False
    """One row per story (`c`)."""
    unfolded: frozenset[int] = frozenset()
    """Stories (by id) whose articles are shown under their first row."""

    @property
    def searching(self) -> bool:
        return bool(self.query.strip())

    def but(self, **changes: object) -> ViewSpec:
        """This spec with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def next_sort(self) -> ViewSpec:
        return self.but(sort=SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])


@dataclass(frozen=True, slots=True)
class VisibleView:
    """The articles a spec means over one index, with what the search said about itself."""

    spec: ViewSpec
    index: ArticleIndex
    articles: ArticleView
    problems: tuple[str, ...] = ()
    """What could not be read in the query, in words."""
    highlight: Sequence[str | Prefix] = ()
    """What the search matched, for `search.match_spans`."""
    needs_search_index: bool = False
    """The query waits for the word index: build it, then build the view again."""
    marks_applied: bool = False
    """Read and starred marks were known (unread only and starred could apply)."""
    stories: StoryRows | None = None
    """How rows stand to stories, when the list is grouped and the stories are known."""


def build_view(
    spec: ViewSpec,
    index: ArticleIndex,
    marks: ReadingMarks | None = None,
    stories: Stories | None = None,
) -> VisibleView:
    """The articles of `spec` in `index`, in the spec's order; `marks` and `stories` when known."""
    selection = spec.selection
    problems: tuple[str, ...] = ()
    highlight: Sequence[str | Prefix] = ()
    waiting = False
    if not spec.searching:
        view = index.select(selection)
    elif not index.search_ready:
        # Until the word index exists, the list shows the selection unsearched.
        view = index.select(selection)
        problems, waiting = (PREPARING_SEARCH,), True
    else:
        query = parse_query(spec.query, typing=True)
        view = find(index, query, selection)
        problems, highlight = tuple(query.problems), tuple(query.highlight_words)
    applied = marks is not None and marks.index is index
    if applied:
        assert marks is not None
        view = marks.narrow(view, unread_only=spec.unread_only, starred_only=selection.starred)
    elif selection.starred:
        view = ArticleView(index.articles, array("I"))  # no marks read yet: nothing is starred
    ordered = index.ordered(view, spec.sort)
    rows: StoryRows | None = None
    if spec.grouped and stories is not None and len(stories.story_of) == len(index):
        ordered, rows = group_view(ordered, index, stories, spec.unfolded)
    return VisibleView(
        spec,
        index,
        ordered,
        problems,
        highlight,
        needs_search_index=waiting,
        marks_applied=applied,
        stories=rows,
    )
