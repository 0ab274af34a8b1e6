"""Links: the original URL (o), related and similar items (enter), links in the body; http and https only."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from tui.data.index import Selection
from tui.data.model import Article
from tui.data.sanitize import visible
from tui.data.urls import is_web_url, web_url_problem
from tui.data.view_spec import ViewSpec, build_view
from tui.screens.reader import ReaderScreen
from tui.widgets.related_list import RelatedList
from tui.widgets.similar_list import SimilarList

if TYPE_CHECKING:
    from textual.widgets import Markdown


class LinksPart(ReaderScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "y",
            "copy_link",
            "Copy link",
            show=False,
            tooltip="Copy the article's URL to the clipboard",
            id="newsdeck.copy-link",
        ),
        Binding(
            "Y",
            "copy_title_and_link",
            "Copy title and link",
            show=False,
            tooltip="Copy the article's title and URL to the clipboard",
            id="newsdeck.copy-title-link",
        ),
    ]

    def action_copy_link(self, with_title: bool = False) -> None:
        # The terminal's clipboard (OSC 52): most terminals take it, tmux with set-clipboard on.
        article = self.current
        if article is None or not article.url:
            self.notify("This article has no link to copy.", severity="warning", markup=False)
            return
        text = f"{article.title}\n{article.url}" if with_title and article.title else article.url
        self.app.copy_to_clipboard(text)
        what = "title and link" if with_title else "link"
        self.notify(visible(article.url[:200]), title=f"Copied the {what}", markup=False, timeout=3)

    def action_copy_title_and_link(self) -> None:
        self.action_copy_link(with_title=True)

    def action_open_link(self) -> None:
        related = self.query_one(RelatedList)
        if related.has_focus and related.current is not None:
            self.open_link(related.current.url)
            return
        similar = self.query_one(SimilarList)
        if similar.has_focus and similar.current is not None:
            self.open_link(similar.current.url)
            return
        article = self.articles.current
        if article is None:
            self.notify("No article is selected.", severity="warning")
            return
        if not article.url and article.link_problem:
            self.notify(article.link_problem, title="No link to open", severity="warning", markup=False)
            return
        if self.open_link(article.url):
            self.mark_read(article)

    def open_link(self, url: str) -> bool:
        """Hand `url` to the browser, but only if it is an http(s) link. Was it handed?"""
        if not url:
            self.notify("This item has no link to open.", severity="warning")
        elif not is_web_url(url):
            self.notify(
                f"Not opening “{visible(url[:200])}”: {web_url_problem(url)}; "
                "only http and https links are opened.",
                title="Link refused",
                severity="warning",
                markup=False,
            )
        else:
            self.app.open_url(url)
            self.notify(visible(url[:200]), title="Opening in your browser", markup=False)
            return True
        return False

    @on(RelatedList.Selected, "#related")
    def on_related_selected(self) -> None:
        item = self.query_one(RelatedList).current
        if item is not None:
            self.follow_link(item.url)

    def follow_link(self, url: str) -> None:
        """Show the article at `url` when the index holds it; else open it in the browser."""
        index = self.index
        article = index.find_url(url) if index is not None else None
        if article is None or index is None:
            self.open_link(url)
            return
        self.go_to_article(article)

    def go_to_article(self, article: Article) -> None:
        """Show `article` of the index in the narrowest list that holds it; back returns here."""
        index = self.index
        if index is None:
            return
        found = self._list_holding(article)
        if found is None:
            self.notify("That article is no longer in the directory.", severity="warning", timeout=4)
            return
        wider, why = found
        if article is not self.current:
            self.remember_place()
        if self.maximized is not None:
            self.minimize()
        if why:
            if wider.query != self.spec.query:
                self.clear_search_silently()
            self.notify(f"Showing all articles: {why}.", timeout=4)
        self.show(wider, article)
        self.articles.focus()

    def _list_holding(self, article: Article) -> tuple[ViewSpec, str] | None:
        """The narrowest list that holds `article` on a row of its own, and why it is wider
        than this one ("" when it is not); None when no list does (it left the index)."""
        spec, index = self.spec, self.index
        if index is None:
            return None
        every = Selection(every=spec.selection.every)
        read_too = spec.but(selection=every, unread_only=False)
        candidates = [
            (spec, ""),
            (spec.but(selection=every), ""),
            (read_too, "unread-only left it out"),
            (read_too.but(query=""), "the search left it out"),
        ]
        position = index.position_of(article)
        listing = self.listing
        for wider, why in candidates:
            # The list shown is the first asked about: it is not built again.
            if listing is not None and listing.view.spec == wider and listing.view.index is index:
                shown = listing.view
            else:
                shown = build_view(wider, index, self.marks, self.stories_for(index))
            if self.row_in(shown, article) is None:
                continue
            rows = shown.stories
            story = rows.story_id(position) if rows is not None and position is not None else None
            if story is not None and position is not None and shown.articles.row_of(position) is None:
                # Folded under another article of its story: unfolded, it has its own row.
                wider = wider.but(unfolded=wider.unfolded | {story})
            return wider, why
        return None

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        self.open_link(event.href)
