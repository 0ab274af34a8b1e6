"""Articles found in more than one file: one is kept per URL."""

from __future__ import annotations

from tui.data.model import Article


def merge_duplicates(articles: list[Article]) -> tuple[list[Article], int]:
    """One article per URL: the most complete copy, then the first path.

    Decided by content and path alone, never by arrival order, so parallel
    and serial loading keep the same copy.
    """
    kept: dict[str, Article] = {}
    unique: list[Article] = []
    for article in articles:
        url = article.url
        if not url:
            unique.append(article)
            continue
        best = kept.get(url)
        if best is None or (article.completeness, best.path) > (best.completeness, article.path):
            kept[url] = article
    merged = unique + list(kept.values())
    return merged, len(articles) - len(merged)
