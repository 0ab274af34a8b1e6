"""Loading a seed directory: find files, parse them, merge duplicates, index.

The app (in a worker thread) and `newsdeck check` both call
`load_directory`, so they always agree on what a directory holds.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tui.data.index import ArticleIndex
from tui.data.metadata import Metadata, load_metadata
from tui.data.model import Article, Provider
from tui.data.parse import MAX_FILE_BYTES, SkipFile, parse_article
from tui.data.scan import FoundFile, iter_article_files

Progress = Callable[[int, int], None]
"""Called with (files parsed, files found) as loading goes on."""


class LoadError(Exception):
    """The seed directory itself cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(slots=True)
class LoadResult:
    root: Path
    index: ArticleIndex
    skipped: list[SkippedFile] = field(default_factory=list)
    duplicates: int = 0
    seconds: float = 0.0


def check_directory(root: Path) -> None:
    """Raise LoadError with a one-line reason if `root` cannot be loaded."""
    try:
        if not root.exists():
            raise LoadError(f"no such directory: {root}")
        if not root.is_dir():
            raise LoadError(f"not a directory: {root}")
        with os.scandir(root):
            pass
    except PermissionError:
        raise LoadError(f"cannot read directory {root}: permission denied") from None
    except OSError as error:
        raise LoadError(f"cannot read directory {root}: {error.strerror or error}") from None


def _read(found: FoundFile) -> bytes:
    if found.size > MAX_FILE_BYTES:
        # Judged from the size alone so a huge file is never read into memory.
        raise SkipFile(
            f"file too large ({found.size / 1_048_576:.1f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB)"
        )
    try:
        with open(found.path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SkipFile(f"could not be read: {error.strerror or error}") from None


def _with_known_provider(article: Article, metadata: Metadata) -> Article:
    provider = article.provider
    name = provider.name or metadata.provider_names.get(provider.domain.lower(), "")
    domain = provider.domain or metadata.provider_domains.get(provider.name.casefold(), "")
    if (name, domain) == (provider.name, provider.domain):
        return article
    return dataclasses.replace(article, provider=Provider(name, domain))


def merge_duplicates(articles: list[Article]) -> tuple[list[Article], int]:
    """One article per URL, keeping the most complete copy (first file on ties)."""
    kept: dict[str, Article] = {}
    unique: list[Article] = []
    for article in articles:
        url = article.url
        if not url:
            unique.append(article)
            continue
        best = kept.get(url)
        if best is None or article.completeness > best.completeness:
            kept[url] = article
    merged = unique + list(kept.values())
    return merged, len(articles) - len(merged)


def load_directory(
    root: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> LoadResult:
    """Read every article below `root`; files that are not articles are reported."""
    started = time.perf_counter()
    root_path = Path(root).expanduser()
    check_directory(root_path)
    skipped: list[SkippedFile] = []

    def skip(path: str, reason: str) -> None:
        skipped.append(SkippedFile(path, reason))

    metadata = load_metadata(root_path)
    files = list(iter_article_files(root_path, skip, cancelled))
    articles: list[Article] = []
    report_every = max(1, len(files) // 100)
    for done, found in enumerate(files, start=1):
        if cancelled():
            break
        try:
            article = parse_article(_read(found), found.relative)
        except SkipFile as error:
            skip(found.relative, error.reason)
        else:
            articles.append(_with_known_provider(article, metadata))
        if progress is not None and (done % report_every == 0 or done == len(files)):
            progress(done, len(files))
    articles, duplicates = merge_duplicates(articles)
    skipped.sort(key=lambda item: item.path)
    return LoadResult(
        root=root_path,
        index=ArticleIndex(articles, metadata),
        skipped=skipped,
        duplicates=duplicates,
        seconds=time.perf_counter() - started,
    )


def read_article_body(root: Path, article: Article) -> str:
    """The article's Markdown body, read from its file now (bodies are not kept)."""
    from tui.data.parse import read_body

    if not article.has_body:
        return ""
    try:
        with open(root / article.path, "rb") as handle:
            return read_body(handle.read(MAX_FILE_BYTES + 1))
    except OSError:
        return ""
