"""Immutable records for articles and the things they point to."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.data.urls import is_web_url

BLOCK_TEXT = {"text": "block"}
"""Field metadata: this text keeps its line breaks (every other text is one line)."""


@dataclass(frozen=True, slots=True)
class Provider:
    """Who published an article."""

    name: str = ""
    domain: str = ""

    @property
    def label(self) -> str:
        return self.name or self.domain or "Unknown provider"


@dataclass(frozen=True, slots=True)
class ImageLink:
    url: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """An entry of an article's `related` list."""

    title: str
    url: str = ""
    excerpt: str = ""
    published: float | None = None
    provider: Provider = Provider()


@dataclass(frozen=True, slots=True)
class Article:
    """One article, as read from one file.

    `published` is a UTC POSIX timestamp so sorting never compares mixed
    naive and aware datetimes. The Markdown body and the `related` list are
    not held here (they are most of a file's size); `extras.read_extras`
    reads them when an article is shown.
    """

    path: str
    title: str
    excerpt: str = field(default="", metadata=BLOCK_TEXT)
    published: float | None = None
    original_url: str = ""
    web_url: str = ""
    provider: Provider = Provider()
    topics: tuple[str, ...] = ()
    images: tuple[ImageLink, ...] = ()
    related_size: int = field(default=0, metadata={"count": True})
    """Characters of the file's `related` list: read on demand, never held here."""
    related_links: str = ""
    """Digests of the links its first related items name (`related_links`), for finding stories."""
    quality: int | None = None
    heat: int | None = None
    has_body: bool = False
    body_words: str = ""
    """The body's words, folded for searching (the body itself is read on demand)."""
    date_problem: str = ""
    """Why a `publishedDateTime` the file has is not used (it cannot be read, or is out of range)."""
    link_problem: str = ""
    """Why the article has no link although the file fills in `originalUrl` or `webUrl` (say, `42`)."""

    @property
    def url(self) -> str:
        """The link to open: the original article, else the aggregator's page.

        A web link wins over one that is not (a `javascript:` originalUrl beside a good
        webUrl), so the article still opens.
        """
        if self.original_url and not is_web_url(self.original_url) and is_web_url(self.web_url):
            return self.web_url
        return self.original_url or self.web_url

    @property
    def completeness(self) -> tuple[int, int]:
        """How much of an article a file holds; duplicates keep the fullest copy."""
        fields = (
            self.excerpt,
            self.published is not None,
            self.original_url,
            self.web_url,
            self.provider.name,
            self.provider.domain,
            self.topics,
            self.images,
            self.related_size,
            self.has_body,
        )
        return sum(1 for field in fields if field), self.related_size
