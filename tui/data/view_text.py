"""The words the reader shows about a view: the list's title, the empty list, the status line.

Pure functions of the view and the loading state, so every wording is tested
without Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.data.index import SORT_LABELS, ArticleIndex, Selection
from tui.data.sanitize import visible
from tui.data.view_spec import ViewSpec, VisibleView
from tui.data.wording import plural

ALL_ARTICLES = "All articles"


def selection_label(index: ArticleIndex | None, selection: Selection) -> str:
    """What the list shows, in words: "Climate or Science from CNN"."""
    if index is None or selection.is_everything:
        return ALL_ARTICLES
    # In sidebar order, the order the reader sees them in.
    names = [facet.name for facet in index.topics if facet.key in selection.topics]
    label = (" and " if selection.every else " or ").join(names)
    if selection.starred:
        label = f"Starred in {label}" if label else "Starred"
    if selection.provider is not None:
        provider = index.provider_name(selection.provider)
        label = f"{label} from {provider}" if label else f"From {provider}"
    return label


def empty_message(spec: ViewSpec) -> str:
    """Why the list is empty, and what would fill it."""
    selection = spec.selection
    if spec.searching and spec.unread_only:
        return "No unread articles match this search."
    if spec.searching:
        return "No articles match this search."
    if spec.unread_only:
        return "No unread articles here (u shows them all)."
    if selection.starred and not selection.topics and selection.provider is None:
        return "No starred articles yet: * stars the highlighted one."
    if not selection.is_everything:
        return "No articles here."
    return "No articles in this directory."


def loading_text(progress: tuple[int, int] | None, checking: bool = False) -> str:
    """ "Loading… 1,024 of 14,000 files"; while folders are still walked the total is unknown (0).

    While a saved index is shown and the folder is checked for changes, that is what it says.
    """
    doing = "Checking for changes…" if checking else "Loading…"
    if progress is None:
        return doing if checking else ""
    done, total = progress
    return f"{doing} {done:,} of {plural(total, 'file')}" if total else f"{doing} {plural(done, 'file')}"


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """Everything the status line speaks of besides the view."""

    progress: tuple[int, int] | None = None
    unread: int | None = None
    """Unread articles in the view, once marks are known."""
    duplicates: int = 0
    skipped: int = 0
    marks_problem: bool = False
    checking: bool = False
    """The list comes from the saved index and the folder is being checked for changes."""
    partial: bool = False
    """Only some of the articles are listed yet."""


def status_line(shown: VisibleView | None, facts: StatusFacts) -> str:
    """The line under the panes: what is shown, in which order, and what went wrong."""
    loading = loading_text(facts.progress, facts.checking) or ("Loading…" if facts.partial else "")
    if shown is None:
        return loading or "Loading…"
    spec, index = shown.spec, shown.index
    selection = spec.selection
    stories = shown.stories
    if stories is not None:
        counted = f"{plural(stories.articles, 'article')} in {plural(stories.stories, 'story', 'stories')}"
    else:
        counted = plural(len(shown.articles), "article")
    parts = [f"{selection_label(index, selection)}: {counted}"]
    if facts.unread is not None:
        parts.append(f"({facts.unread:,} unread)")
    if not selection.is_everything or spec.unread_only:
        parts.append(f"of {len(index):,}")
    order = SORT_LABELS[spec.sort]
    parts = [f"{' '.join(parts)}, {'unread only, ' if spec.unread_only else ''}{order}"]
    if len(selection.topics) > 1:
        parts.append("a: any of the topics" if selection.every else "a: all of the topics")
    if facts.duplicates:
        parts.append(f"{plural(facts.duplicates, 'duplicate')} merged")
    if facts.skipped:
        parts.append(f"{plural(facts.skipped, 'file')} skipped (press !)")
    if spec.searching:
        # What is wrong with the query goes first: the line is cut at the window's edge.
        problems = [f"⚠ {problem}" for problem in shown.problems]
        parts[:0] = [f"Search: {visible(spec.query.strip()[:60])}", *problems]
    if spec.grouped and stories is None:
        parts.append("grouping stories…")
    if facts.marks_problem:
        parts.append("⚠ marks not saved")
    if loading:
        parts.insert(0, loading)
    return " · ".join(parts)
