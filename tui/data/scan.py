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
    for path, relative, size, mtime_ns in _walk(root, on_skip, cancelled):
        yield FoundFile(path, relative, size, mtime_ns)


def article_entries(
    root: str | os.PathLike[str],
    on_skip: Callable[[str, str], None],
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[tuple[str, str, int, int]]:
    """`iter_article_files` as plain (path, relative, size, mtime_ns) tuples: a reload that
    knows most files makes a `FoundFile` only for the few it reads."""
    return _walk(root, on_skip, cancelled)


def file_stamps(
    root: str | os.PathLike[str],
    on_skip: Callable[[str, str], None],
    cancelled: Callable[[], bool] = lambda: False,
) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, modification time) of the files `iter_article_files` finds, in its order."""
    for _, relative, size, mtime_ns in _walk(root, on_skip, cancelled):
        yield relative, size, mtime_ns


def _walk(
    root: str | os.PathLike[str], on_skip: Callable[[str, str], None], cancelled: Callable[[], bool]
) -> Iterator[tuple[str, str, int, int]]:
    # Checking a warm start against the folder walks 100,000 files before anything
    # else can be said: this loop is kept to what the rules above need.
    top = os.fspath(root)
    top_stat = os.stat(top)
    seen_dirs = {(top_stat.st_dev, top_stat.st_ino)}
    seen_files: set[tuple[int, int]] = set()
    suffixes = ARTICLE_SUFFIXES
    # (absolute folder, its path relative to the root with a trailing "/")
    stack = [(top, "")]
    while stack:
        if cancelled():
            return
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_name)
        except OSError as error:
            on_skip(prefix or "./", f"folder could not be read: {error.strerror or error}")
            continue
        subfolders: list[tuple[str, str]] = []
        for number, entry in enumerate(entries):
            if number % 512 == 511 and cancelled():
                return
            name = entry.name
            if name[0] == ".":
                continue
            dot = name.rfind(".")
            is_article = dot > 0 and name[dot:].lower() in suffixes
            try:
                is_dir = entry.is_dir()
                if not (is_dir or is_article):
                    continue
                info = entry.stat()
            except OSError as error:
                if is_article:
                    on_skip(prefix + name, f"could not be read: {error.strerror or error}")
                continue
            identity = (info.st_dev, info.st_ino)
            if is_dir:
                if folder == top and name == METADATA_FOLDER:
                    continue
                if identity not in seen_dirs:
                    seen_dirs.add(identity)
                    subfolders.append((entry.path, f"{prefix}{name}/"))
            elif identity not in seen_files and entry.is_file():
                seen_files.add(identity)
                yield entry.path, prefix + name, info.st_size, info.st_mtime_ns
        # Reversed so the stack pops folders in name order.
        stack.extend(reversed(subfolders))


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
