"""Finding the article files below a seed directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
METADATA_FOLDER = "_data"


@dataclass(frozen=True, slots=True)
class FoundFile:
    path: str
    """Absolute path, as found (symbolic links not resolved)."""
    relative: str
    """POSIX path relative to the seed directory: how the user knows the file."""
    size: int
    mtime_ns: int


def iter_article_files(
    root: str | os.PathLike[str],
    on_skip: Callable[[str, str], None],
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[FoundFile]:
    """Every article file below `root`, in a stable (sorted) order.

    Hidden entries and the `_data` metadata folder are passed over. Links are
    followed, but a folder or file reached twice (a link loop, or two links to
    one place) is visited once. Folders that cannot be read go to `on_skip`.
    """
    top = os.fspath(root)
    top_stat = os.stat(top)
    seen_dirs = {(top_stat.st_dev, top_stat.st_ino)}
    seen_files: set[tuple[int, int]] = set()
    # (absolute folder, its path relative to the root with a trailing "/")
    stack = [(top, "")]
    while stack:
        if cancelled():
            return
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            on_skip(prefix or "./", f"folder could not be read: {error.strerror or error}")
            continue
        subfolders: list[tuple[str, str]] = []
        for number, entry in enumerate(entries):
            if number % 512 == 511 and cancelled():
                return
            if entry.name.startswith("."):
                continue
            suffix = os.path.splitext(entry.name)[1].lower()
            try:
                is_dir = entry.is_dir()
                info = entry.stat() if is_dir or suffix in ARTICLE_SUFFIXES else None
            except OSError as error:
                if suffix in ARTICLE_SUFFIXES:
                    on_skip(prefix + entry.name, f"could not be read: {error.strerror or error}")
                continue
            if info is None:
                continue
            identity = (info.st_dev, info.st_ino)
            if is_dir:
                if folder == top and entry.name == METADATA_FOLDER:
                    continue
                if identity not in seen_dirs:
                    seen_dirs.add(identity)
                    subfolders.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_file() and identity not in seen_files:
                seen_files.add(identity)
                yield FoundFile(entry.path, prefix + entry.name, info.st_size, info.st_mtime_ns)
        # Reversed so the stack pops folders in name order.
        stack.extend(reversed(subfolders))
