"""Reader mode: `r` fetches the highlighted article's page and shows its story in the detail view."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import ClassVar
from urllib.parse import urlsplit

from textual import work
from textual.binding import Binding, BindingType

from tui.data.dates import format_local
from tui.data.extract import Extracted, extract_page, markdown_links
from tui.data.fetch import Limits, Outcome, fetch_page, open_client
from tui.data.fetched_texts import READ_CHARS, story_words
from tui.data.folding import MAX_BODY_WORDS_CHARS
from tui.data.index import ArticleIndex
from tui.data.model import Article
from tui.data.sanitize import visible
from tui.data.text_store import StoredText, StoreUnavailable, TextStore, as_stored
from tui.data.urls import is_web_url
from tui.screens.links_list import LinksScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_detail import ArticleDetail

LIMITS = Limits()
"""For every fetch of reader mode (tests set shorter timeouts)."""


def _kept(url: str) -> StoredText | None:
    try:
        store = TextStore.open()
    except StoreUnavailable:
        return None
    try:
        return store.get(url)
    except StoreUnavailable:
        return None
    finally:
        store.close()


class ReaderModePart(ReaderScreen):
    """`r` on the highlighted article: its full text, from the store or fetched; `r` again: the summary."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "read_here",
            "Read here",
            show=False,
            tooltip="Read the full story here, fetched from the article's page (r again: the summary)",
            id="newsdeck.read-here",
        ),
        Binding(
            "R",
            "read_again",
            "Read again",
            show=False,
            tooltip="Fetch the full story again (a page not modified keeps the text kept before)",
            id="newsdeck.read-again",
        ),
        Binding(
            "l",
            "list_links",
            "Links",
            show=False,
            tooltip="List the links of the article's text, numbered: one opens in newsdeck or your browser",
            id="newsdeck.links",
        ),
    ]

    def _catch_up(self) -> None:
        """Show the list's article now, if the list moved and its message is still on its way.

        `j` then `r` typed quickly: `r` is for the article `j` went to, not the one it left.
        """
        article = self.articles.current
        if self.maximized is None and article is not None and article is not self.current:
            self.current = article

    def action_list_links(self) -> None:
        self._catch_up()
        links = markdown_links(self.query_one(ArticleDetail).text_with_links)
        if not links:
            self.notify("No links in this article's text.", markup=False)
            return

        def follow(url: str | None) -> None:
            if url is not None:
                self.follow_link(url)

        self.app.push_screen(LinksScreen(links), follow)

    def action_read_here(self) -> None:
        self._catch_up()
        detail = self.query_one(ArticleDetail)
        if detail.reading_full_text:
            detail.show_summary()
            return
        self._start_reading(again=False)

    def action_read_again(self) -> None:
        """Fetch the story again (a conditional request: unchanged, the kept text stays)."""
        self._catch_up()
        self._start_reading(again=True)

    def _start_reading(self, *, again: bool) -> None:
        article = self.current
        if article is None:
            return
        if not is_web_url(article.url):
            self.notify("This article has no web address to read it from.", severity="warning", markup=False)
            return
        self.query_one(ArticleDetail).show_fetching(urlsplit(article.url).hostname or article.url)
        self._read_here(article, again)

    @work(exclusive=True, group="reader-mode", exit_on_error=False, description="Reading the story")
    async def _read_here(self, article: Article, again: bool) -> None:
        url = article.url
        outcome_failed: str | None = None
        stored = await asyncio.to_thread(_kept, url)
        if again or stored is None or not stored.readable:
            # Asked again: the validators of the kept text let the page answer "not modified".
            etag = stored.etag if again and stored is not None and stored.readable else ""
            since = stored.last_modified if again and stored is not None and stored.readable else ""
            limits = self._limits()
            async with await open_client(limits) as client:
                outcome = await fetch_page(client, url, etag=etag, last_modified=since, limits=limits)
            extracted = None
            if outcome.ok:
                extracted = await asyncio.to_thread(extract_page, outcome.body, outcome.final_url or url)
            stored = await asyncio.to_thread(_keep, outcome, extracted)
            if outcome.kind != "not-modified" and (not outcome.ok or extracted is None):
                outcome_failed = visible(outcome.message or "Nothing readable on the page now.")
        if stored.readable:
            self._text_kept(article, stored.markdown)
        detail = self.query_one(ArticleDetail)
        if detail.article is not article or not detail.reading_full_text:
            return  # the reader moved on, or went back to the summary meanwhile
        if stored.readable:
            detail.show_full_text(stored)
            if again and outcome_failed is not None:
                self.notify(
                    f"{outcome_failed} The text kept from {format_local(stored.fetched_at)} is shown.",
                    title="Could not fetch it again",
                    severity="warning",
                    markup=False,
                )
        else:
            detail.show_fetch_failed(stored.message)

    def _limits(self) -> Limits:
        """The settings file's timeouts, when it gave any."""
        settings = getattr(self.app, "settings", None)
        if settings is None:
            return LIMITS
        reader = settings.reader
        return replace(LIMITS, connect_seconds=reader.connect_timeout, read_seconds=reader.read_timeout)

    def job_failed(self, group: str, message: str) -> None:
        if group == "reader-mode":
            self.query_one(ArticleDetail).show_fetch_failed("something went wrong (see the notice).")
        super().job_failed(group, message)

    # Kept texts: a mark in the list, and their words found by searching --------------

    def attach_fetched(self, index: ArticleIndex) -> None:
        """Lay the texts kept from earlier fetches over `index` (a new one has none yet)."""
        self._find_fetched(index)

    @work(thread=True, group="fetched-texts", exit_on_error=False, description="Reading the kept stories")
    def _find_fetched(self, index: ArticleIndex) -> None:
        try:
            store = TextStore.open()
        except StoreUnavailable:
            return  # nothing kept can be read: articles show no mark, as if none were fetched
        try:
            rows = store.text_starts(READ_CHARS)
        except StoreUnavailable:
            return
        finally:
            store.close()
        found = []
        for url, text in rows:
            article = index.find_url(url)
            position = index.position_of(article) if article is not None else None
            if article is not None and position is not None and article.url == url:
                found.append((position, story_words(text, _room(article))))
        if found:
            index.fetched.add_many(found)
            self.app.call_from_thread(self._fetched_changed, index)

    def _text_kept(self, article: Article, markdown: str) -> None:
        index = self.index
        position = index.position_of(article) if index is not None else None
        if (
            index is not None
            and position is not None
            and index.fetched.add(position, story_words(markdown, _room(article)))
        ):
            self._fetched_changed(index)

    def _fetched_changed(self, index: ArticleIndex) -> None:
        if index is not self.index:
            return
        if self.spec.searching:
            self.keep_current(self.spec)  # a story just kept may hold the words asked for
        else:
            self.articles.refresh()


def _room(article: Article) -> int:
    """What the search budget leaves a fetched story after the file's own body."""
    used = len(article.body_words)
    return MAX_BODY_WORDS_CHARS - used - 1 if used else MAX_BODY_WORDS_CHARS


def _keep(outcome: Outcome, extracted: Extracted | None) -> StoredText:
    """Keep what the fetch gave; shown all the same when it cannot be kept."""
    try:
        store = TextStore.open()
    except StoreUnavailable:
        return as_stored(outcome, extracted, time.time())
    try:
        return store.put(outcome, extracted)
    except StoreUnavailable:
        return as_stored(outcome, extracted, time.time())
    finally:
        store.close()
