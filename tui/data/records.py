"""Articles as flat tuples of plain values, for the cache (marshal) and back.

Decoding shares equal strings and providers between articles: at 100,000
articles a few hundred providers and topics would otherwise be stored
100,000 times over.
"""

from __future__ import annotations

import marshal
import sys

from tui.data.metadata import Metadata
from tui.data.model import Article, ImageLink, Provider

Record = tuple[object, ...]


def encode(article: Article) -> bytes:
    return marshal.dumps(
        (
            article.title,
            article.excerpt,
            article.published,
            article.original_url,
            article.web_url,
            article.provider.name,
            article.provider.domain,
            article.topics,
            tuple((image.url, image.width, image.height) for image in article.images),
            article.related_size,
            article.quality,
            article.heat,
            article.has_body,
            article.body_words,
        )
    )


class Decoder:
    """Turns cached records back into articles, sharing repeated values."""

    def __init__(self, metadata: Metadata | None = None) -> None:
        self._metadata = metadata or Metadata()
        self._providers: dict[tuple[str, str], Provider] = {}
        self._topics: dict[tuple[str, ...], tuple[str, ...]] = {}

    def provider(self, name: str, domain: str) -> Provider:
        key = (name, domain)
        provider = self._providers.get(key)
        if provider is None:
            # The _data definitions fill in whichever of name and domain is missing.
            known_name = name or self._metadata.provider_names.get(domain.lower(), "")
            known_domain = domain or self._metadata.provider_domains.get(name.casefold(), "")
            provider = self._providers[key] = Provider(sys.intern(known_name), sys.intern(known_domain))
        return provider

    def topics(self, topics: tuple[str, ...]) -> tuple[str, ...]:
        shared = self._topics.get(topics)
        if shared is None:
            shared = self._topics[topics] = tuple(sys.intern(name) for name in topics)
        return shared

    def decode(self, path: str, payload: bytes) -> Article:
        (
            title,
            excerpt,
            published,
            original_url,
            web_url,
            provider_name,
            provider_domain,
            topics,
            images,
            related_size,
            quality,
            heat,
            has_body,
            body_words,
        ) = marshal.loads(payload)
        return Article(
            path=path,
            title=title,
            excerpt=excerpt,
            published=published,
            original_url=original_url,
            web_url=web_url,
            provider=self.provider(provider_name, provider_domain),
            topics=self.topics(topics),
            images=tuple(ImageLink(url, width, height) for url, width, height in images),
            related_size=related_size,
            quality=quality,
            heat=heat,
            has_body=has_body,
            body_words=body_words,
        )
