"""Read and starred flags laid over one index: by position, with unread counts per facet.

Counts change by one article at a time as the reader marks, so marking stays
instant at 100,000 articles; only building a `ReadingMarks` for a new index
looks at every article.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from pathlib import Path

from tui.data.index import ArticleIndex, ArticleView
from tui.data.state import StateStore, article_id


class ReadingMarks:
    def __init__(self, index: ArticleIndex, store: StateStore, root: Path | None) -> None:
        self.index = index
        self.store = store
        self.root = root.resolve() if root is not None else None
        size = len(index)
        self.read = bytearray(size)
        self.starred = bytearray(size)
        self.unread_total = size
        self.unread_topics = {facet.key: facet.count for facet in index.topics}
        self.unread_providers = {facet.key: facet.count for facet in index.providers}
        self.starred_count = 0
        self._changes = 0
        self._counted: tuple[ArticleView, int, int] | None = None
        # A new index arrives with every loading snapshot: this must cost the
        # number of marks, not the number of articles.
        for identity, mark in list(store.marks.items()):
            position = self._position_of(identity)
            if position is None:
                continue
            if mark.read:
                self._count(position, read=True)
            if mark.starred and not self.starred[position]:
                self.starred[position] = 1
                self.starred_count += 1

    def _position_of(self, identity: str) -> int | None:
        if identity.startswith("file:"):
            if self.root is None:
                return None
            try:
                relative = Path(identity[5:]).relative_to(self.root)
            except ValueError:
                return None
            position = self.index.position_of_path(relative.as_posix())
        else:
            article = self.index.find_url(identity)
            position = self.index.position_of(article) if article is not None else None
        # find_url also answers for a web URL of an article known by its original URL,
        # and a file that has since gained a URL is known by that URL now.
        if position is None or self.id_of(position) != identity:
            return None
        return position

    def id_of(self, position: int) -> str:
        return article_id(self.index.articles[position], self.root)

    def _count(self, position: int, *, read: bool) -> None:
        if bool(self.read[position]) == read:
            return
        self._changes += 1
        self.read[position] = read
        step = -1 if read else 1
        self.unread_total += step
        for key in self.index.topic_keys_at(position):
            self.unread_topics[key] += step
        provider = self.index.provider_key_at(position)
        self.unread_providers[provider] = self.unread_providers.get(provider, 0) + step

    def is_read(self, position: int) -> bool:
        return bool(self.read[position])

    def set_read(self, positions: Iterable[int], read: bool = True) -> int:
        """Mark articles read (or unread); returns how many changed."""
        changed = []
        for position in positions:
            if bool(self.read[position]) != read:
                self._count(position, read=read)
                changed.append(self.id_of(position))
        self.store.set_many(changed, read=read)
        return len(changed)

    def toggle_read(self, position: int) -> bool:
        read = not self.read[position]
        self.set_read((position,), read)
        return read

    def toggle_star(self, position: int) -> bool:
        starred = not self.starred[position]
        self.starred[position] = starred
        self.starred_count += 1 if starred else -1
        self.store.set(self.id_of(position), starred=starred)
        return starred

    def unread_in(self, view: ArticleView) -> int:
        if self.unread_total == len(self.read):
            return len(view)  # nothing read: the common case needs no count
        if len(view) == len(self.read):
            return self.unread_total
        # The status line asks on every progress update and keystroke: count a view once
        # per change of marks.
        if self._counted is not None and self._counted[0] is view and self._counted[1] == self._changes:
            return self._counted[2]
        read = self.read
        count = sum(1 for row in range(len(view)) if not read[view.position_at(row)])
        self._counted = (view, self._changes, count)
        return count

    def next_unread(self, view: ArticleView, row: int, step: int) -> int | None:
        """The row of the nearest unread article after `row` (before, with step -1)."""
        read = self.read
        row += step
        while 0 <= row < len(view):
            if not read[view.position_at(row)]:
                return row
            row += step
        return None

    def narrow(self, view: ArticleView, *, unread_only: bool, starred_only: bool) -> ArticleView:
        """`view` keeping only unread and/or starred articles, in the same order."""
        if not unread_only and not starred_only:
            return view
        read, starred = self.read, self.starred
        kept = array(
            "I",
            (
                position
                for position in (view.position_at(row) for row in range(len(view)))
                if not (unread_only and read[position]) and not (starred_only and not starred[position])
            ),
        )
        return ArticleView(self.index.articles, kept, ordered=view.is_ordered)
