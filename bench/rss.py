"""The benchmark's articles as RSS 2.0 feeds, for newsboat (see peer.py).

Every article of a seed directory goes into one of FEEDS feeds, round-robin by
file order: title, link (its originalUrl), description (its excerpt), pubDate
(RFC 822) and a guid (its file name). A newsboat `urls` file lists the feeds as
file:// URLs after an "All articles" query feed that matches every article.
"""

from __future__ import annotations

import os
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

FEEDS = 20
ALL_ARTICLES = "All articles"
RSS_VERSION = "1"
# True for every article, read or not (age depends on the clock and the dates).
_QUERY = f'"query:{ALL_ARTICLES}:unread = \\"yes\\" or unread = \\"no\\""'
_HEAD = 16384


def _front_matter(path: Path) -> dict:
    """The top-level fields of an article (its `related` list is not needed here)."""
    with open(path, "rb") as handle:
        text = handle.read(_HEAD).decode("utf-8", errors="replace")
        if "\nrelated:" not in text and "\nsecured:" not in text:
            text += handle.read().decode("utf-8", errors="replace")
    front = text.removeprefix("---\n")
    for end in ("\nrelated:", "\nsecured:", "\n---"):
        if end in front:
            front = front.split(end, 1)[0]
    return yaml.load(front, Loader=yaml.CSafeLoader) or {}


def _item(path: Path, fields: dict) -> str:
    published = fields.get("publishedDateTime")
    if isinstance(published, str):
        published = datetime.fromisoformat(published.replace("Z", "+00:00"))
    date = f"<pubDate>{format_datetime(published)}</pubDate>" if isinstance(published, datetime) else ""
    return (
        f"<item><title>{escape(str(fields.get('title', '')))}</title>"
        f"<link>{escape(str(fields.get('originalUrl', '')))}</link>"
        f"<description>{escape(str(fields.get('excerpt', '')))}</description>"
        f'{date}<guid isPermaLink="false">{escape(path.stem)}</guid></item>\n'
    )


def _article_files(seed: Path) -> list[Path]:
    files = []
    for folder, _, names in os.walk(seed):
        files += [Path(folder, name) for name in names if name.endswith((".md", ".markdown", ".txt"))]
    return sorted(files)


def write_feeds(seed: Path, target: Path) -> int:
    """Write FEEDS feed files and `urls` under `target`; returns the number of articles."""
    target.mkdir(parents=True, exist_ok=True)
    items: list[list[str]] = [[] for _ in range(FEEDS)]
    files = _article_files(seed)
    for number, path in enumerate(files):
        items[number % FEEDS].append(_item(path, _front_matter(path)))
    urls = [_QUERY]
    for number, feed in enumerate(items, 1):
        path = target / f"feed-{number:02d}.xml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Feed {number:02d}</title><link>https://feed{number:02d}.example/</link>"
            f"<description>Benchmark feed {number:02d}</description>\n"
            + "".join(feed)
            + "</channel></rss>\n",
            encoding="utf-8",
        )
        urls.append(path.resolve().as_uri())
    (target / "urls").write_text("\n".join(urls) + "\n")
    return len(files)


def feeds_for(seed: Path, workdir: Path) -> tuple[Path, int]:
    """The feed folder of a seed directory, written once and reused: (folder, articles)."""
    target = workdir / f"rss-{seed.name}"
    marker = target / ".generated"
    stamp = f"{RSS_VERSION} {(seed / '.generated').read_text() if (seed / '.generated').exists() else ''}"
    if marker.is_file():
        version, _, count = marker.read_text().rpartition(" ")
        if version == stamp:
            return target, int(count)
    count = write_feeds(seed, target)
    marker.write_text(f"{stamp} {count}")
    return target, count
