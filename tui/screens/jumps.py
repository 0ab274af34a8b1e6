"""Going somewhere: a topic by its number or from the palette, a provider, an article by its title."""

from __future__ import annotations

from textual import on
from textual.message import Message

from tui.data.index import Selection
from tui.data.model import Article
from tui.data.view_spec import ViewSpec
from tui.screens.reader import ReaderScreen


class JumpToTopic(Message):
    """Show this topic, as its number key does (a chosen provider still applies)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class JumpToProvider(Message):
    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class JumpToArticle(Message):
    """Highlight this article: in the list as it is when it is there, else among all articles."""

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article


class JumpsPart(ReaderScreen):
    """The palette's Jump messages, and showing one topic (the number keys use it too)."""

    def show_topic(self, topic: str | None) -> None:
        """Show one topic (None: everything), whichever provider was chosen too."""
        selection = self.spec.selection
        if topic is None:
            self.choose(Selection(every=selection.every))
        else:
            self.choose(Selection(frozenset({topic}), selection.every, selection.provider))

    @on(JumpToTopic)
    def on_jump_to_topic(self, message: JumpToTopic) -> None:
        self.pending_topic = None
        self.minimize()
        self.show_topic(message.key)
        self.articles.focus()

    @on(JumpToProvider)
    def on_jump_to_provider(self, message: JumpToProvider) -> None:
        self.pending_topic = None
        self.minimize()
        self.choose(Selection(provider=message.key, every=self.spec.selection.every))
        self.articles.focus()

    @on(JumpToArticle)
    def on_jump_to_article(self, message: JumpToArticle) -> None:
        if message.article is not self.current:
            self.remember_place()
        self.minimize()
        listing, index = self.listing, self.index
        if listing is None or index is None:
            return
        position = index.position_of(message.article)
        row = listing.view.articles.row_of(position) if position is not None else None
        if row is not None:
            self.articles.cursor = row
        else:
            self.pending_topic = None
            self.clear_search_silently()
            self.show(
                ViewSpec(selection=Selection(every=self.spec.selection.every), sort=self.spec.sort),
                message.article,
            )
        self.articles.focus()
