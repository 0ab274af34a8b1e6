"""The detail view: everything known about the highlighted article."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Static

from tui.data.dates import format_local
from tui.data.loader import read_article_extras
from tui.data.model import Article
from tui.data.search import Prefix, match_spans
from tui.data.text_store import StoredText
from tui.data.urls import web_url_problem
from tui.widgets.full_text import FullText
from tui.widgets.lead_picture import LeadPicture

if TYPE_CHECKING:
    from tui.data.extras import ArticleExtras

# Markdown is laid out on the UI thread: beyond this, the body is cut short.
_MAX_BODY_CHARS = 60_000
_SETTLE_SECONDS = 0.08


def _link_text(article: Article) -> str:
    """The link to show, with why newsdeck will not open it; else why there is none."""
    if article.url:
        problem = web_url_problem(article.url)
        return f"{article.url}\n(newsdeck will not open it: {problem})" if problem else article.url
    return article.link_problem or "This article has no link."


class ArticleDetail(VerticalScroll, can_focus=True):
    """Title, provider, date, topics, excerpt, body, images and link."""

    COMPONENT_CLASSES = {"article-detail--match"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "j",
            "scroll_down",
            "Scroll down",
            show=False,
            tooltip="Scroll the article down",
            id="newsdeck.article.scroll-down",
        ),
        Binding(
            "k",
            "scroll_up",
            "Scroll up",
            show=False,
            tooltip="Scroll the article up",
            id="newsdeck.article.scroll-up",
        ),
    ]

    class ExtrasLoaded(Message):
        """The body and related items of `article`, read from its file."""

        def __init__(self, article: Article, extras: ArticleExtras) -> None:
            super().__init__()
            self.article = article
            self.extras = extras

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.root: Path | None = None
        self.highlight: list[str | Prefix] = []
        """Normalised search words to mark in the title and excerpt."""
        self._pending: Timer | None = None
        self._body_of: Article | None = None
        self._body_text = ""
        """The article whose body the Markdown view holds, once read."""
        self._awaiting: Article | None = None

    def compose(self) -> ComposeResult:
        yield LeadPicture(id="lead-picture")
        yield Static(id="detail-title", markup=False)
        yield Static(id="detail-meta", markup=False)
        yield Static(id="detail-topics", markup=False)
        yield FullText(id="full-text")
        yield Static(id="detail-excerpt", markup=False)
        yield Label("Images", classes="field-label", id="images-label")
        yield Static(id="detail-images", markup=False)
        yield Label("Original URL", classes="field-label", id="url-label")
        yield Static(id="detail-url", markup=False)

    def on_mount(self) -> None:
        self.show(None)

    def set_highlight(self, words: Sequence[str | Prefix]) -> None:
        """Mark what the search matched (see `search.match_spans`) in the title and excerpt."""
        if list(words) == list(self.highlight):
            return
        self.highlight = list(words)
        full_text = self.query_one(FullText)
        full_text.set_highlight(self.highlight, self.get_visual_style("article-detail--match", partial=True))
        if self.article is not None:
            self._set("#detail-title", self.article.title, marked=True)
            self._set("#detail-excerpt", self.article.excerpt, marked=True)

    def _set(self, selector: str, text: str, *, marked: bool = False) -> None:
        widget = self.query_one(selector, Static)
        content = Content(text)
        if marked:
            style = self.get_visual_style("article-detail--match", partial=True)
            for start, end in match_spans(text, self.highlight):
                content = content.stylize(style, start, end)
        widget.update(content)
        widget.display = bool(text)

    # Reader mode: the story fetched from the article's page, in place of the summary.

    @property
    def text_with_links(self) -> str:
        """The Markdown shown: the full text when it is, else the body from the file."""
        if self.has_class("-full-text"):
            return self.query_one(FullText).markdown
        return self._body_text if self._body_of is self.article else ""

    @property
    def reading_full_text(self) -> bool:
        """Fetching or showing the full text (rather than the summary from the file)."""
        return self.has_class("-reading")

    def show_fetching(self, host: str) -> None:
        self.add_class("-reading")
        self.screen.refresh_bindings()  # escape now goes back to the summary
        self.remove_class("-full-text")
        self.query_one(FullText).waiting(host)
        self._bring_source_line_into_view()

    def show_full_text(self, stored: StoredText) -> None:
        self.add_class("-reading", "-full-text")
        self.query_one(FullText).show(stored)
        self.query_one(LeadPicture).want_from_page(self.article, stored.image)
        self._summary_shown(False)
        self.scroll_home(animate=False)
        self._bring_source_line_into_view()

    def show_fetch_failed(self, message: str) -> None:
        self.remove_class("-full-text")
        self.query_one(FullText).failed(message)
        self._summary_shown(True)
        self._bring_source_line_into_view()

    def _bring_source_line_into_view(self) -> None:
        """On a short pane a picture and the heading can fill it: the line saying what `r` did shows."""
        line = self.query_one("#full-text-source")
        self.call_after_refresh(self.scroll_to_widget, line, animate=False)

    def show_summary(self) -> None:
        if self.reading_full_text:
            self.screen.refresh_bindings()
            self.query_one(FullText).stop_waiting()
        self.remove_class("-reading", "-full-text")
        self._summary_shown(True)

    def _summary_shown(self, shown: bool) -> None:
        """The excerpt and body from the file, or (reading the full text) neither."""
        article = self.article
        self.query_one("#detail-excerpt").display = shown and article is not None and bool(article.excerpt)
        for body in self.query("#detail-body"):
            body.display = shown and self._body_of is article and article is not None

    def show(self, article: Article | None, topics: tuple[str, ...] = ()) -> None:
        if article is not self.article:
            self.show_summary()
        self.article = article
        self.query_one(LeadPicture).want(article, article.images[0].url if article and article.images else "")
        self.scroll_home(animate=False)
        for body in self.query("#detail-body"):
            body.display = False
        self._body_of = None
        if article is None:
            for selector in (
                "#detail-meta",
                "#detail-topics",
                "#detail-excerpt",
                "#detail-images",
                "#detail-url",
            ):
                self._set(selector, "")
            self._set("#detail-title", "No article selected")
            self.query_one("#images-label").display = False
            self.query_one("#url-label").display = False
            return
        self._set("#detail-title", article.title, marked=True)
        provider = article.provider.label
        if article.provider.domain and article.provider.domain != provider:
            provider = f"{provider} ({article.provider.domain})"
        date = format_local(article.published) or (
            f"undated ({article.date_problem})" if article.date_problem else "undated"
        )
        self._set("#detail-meta", " · ".join(filter(None, (provider, date))))
        self._set("#detail-topics", "Topics: " + ", ".join(topics) if topics else "")
        self._set("#detail-excerpt", article.excerpt, marked=True)
        images = "\n".join(
            image.url + (f"  ({image.width}×{image.height})" if image.width and image.height else "")
            for image in article.images
        )
        self._set("#detail-images", images)
        self.query_one("#images-label").display = bool(images)
        self._set("#detail-url", _link_text(article))
        self.query_one("#url-label").display = True
        if self._pending is not None:
            self._pending.stop()
        self._awaiting = None
        if (article.has_body or article.related_size) and self.root is not None:
            self._awaiting = article
            # Holding j or down skims past articles: read a file only once the
            # reader stops on it, rather than queueing a read for every row passed.
            root = self.root
            self._pending = self.set_timer(_SETTLE_SECONDS, lambda: self._load_extras(root, article))

    def _load_extras(self, root: Path, article: Article) -> None:
        # Run by the screen, so that its one Worker.StateChanged handler hears of a failure
        # (worker messages do not bubble up from a widget).
        self.screen.run_worker(
            partial(self._read_extras, root, article),
            thread=True,
            exclusive=True,
            group="article-extras",
            exit_on_error=False,
            description="Reading this article's file",
        )

    def _read_extras(self, root: Path, article: Article) -> None:
        if article is not self.article:
            return
        extras = read_article_extras(root, article)
        self.post_message(self.ExtrasLoaded(article, extras))

    @property
    def extras_pending(self) -> bool:
        """Is the body and related list of the article shown still to be read from its file?"""
        return self._awaiting is not None

    def extras_failed(self) -> None:
        """Reading them failed (the screen said so): nothing more is coming."""
        self._awaiting = None

    def on_article_detail_extras_loaded(self, message: ExtrasLoaded) -> None:
        if message.article is self._awaiting:
            self._awaiting = None
        if message.article is not self.article or not message.extras.body:
            return
        body = message.extras.body
        if len(body) > _MAX_BODY_CHARS:
            body = body[:_MAX_BODY_CHARS] + "\n\n*(body cut short here: it is very long)*"
        # Imported and made for the first body: the Markdown widget is not needed to start.
        from textual.widgets import Markdown

        self._body_of, self._body_text = message.article, body
        shown = self.query("#detail-body")
        if shown:
            markdown = shown.first(Markdown)
            markdown.update(body)
            markdown.display = not self.has_class("-full-text")
        else:
            markdown = Markdown(body, id="detail-body", open_links=False)
            markdown.display = not self.has_class("-full-text")
            self.mount(markdown, before="#images-label")
