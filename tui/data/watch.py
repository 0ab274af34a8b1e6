"""Watching the seed directory while the reader is open (watchfiles), so new articles appear by themselves.

Changes come in batches: watchfiles gathers what happens within a moment (a
`git pull` of thousands of files is a handful of batches, not thousands of
events), and only article files and `_data` definitions count. What to do
with a batch is the caller's business (newsdeck reads the directory again
through the cache, so only changed files are parsed).

Where the system's watching fails (too many inotify watches, a network file
system), the folder is polled instead, and the caller is told why.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from tui.data.sanitize import visible
from tui.data.scan import ARTICLE_SUFFIXES, METADATA_FOLDER

DEBOUNCE_MS = 400
"""Changes within this long of each other are one batch."""
POLL_MS = 1000


def counts(root: Path, path: str) -> bool:
    """Is a change to `path` one the reader would see (an article file, or the definitions)?"""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return False
    if not parts or any(part.startswith(".") for part in parts):
        return False
    return parts[0] == METADATA_FOLDER or Path(parts[-1]).suffix.lower() in ARTICLE_SUFFIXES


def watch_directory(
    root: Path,
    on_change: Callable[[int], None],
    stop: threading.Event,
    on_problem: Callable[[str], None],
    *,
    debounce_ms: int = DEBOUNCE_MS,
) -> None:
    """Call `on_change(number of paths changed)` for each batch until `stop` is set.

    Runs in a thread of its own. If the system cannot watch the folder, says so
    through `on_problem` and polls it instead; if even that fails, says so and returns.
    """
    import watchfiles

    root = root.resolve()

    def wanted(_change: watchfiles.Change, path: str) -> bool:
        return counts(root, path)

    polling = False
    while not stop.is_set():
        try:
            for batch in watchfiles.watch(
                root,
                watch_filter=wanted,
                debounce=debounce_ms,
                stop_event=stop,
                force_polling=polling,
                poll_delay_ms=POLL_MS,
                raise_interrupt=False,
                ignore_permission_denied=True,
            ):
                on_change(len(batch))
            return
        except (OSError, RuntimeError) as error:
            reason = visible(str(error) or type(error).__name__)
            if polling or stop.is_set():
                on_problem(f"The folder cannot be watched ({reason}): press ctrl+r to read it again.")
                return
            on_problem(f"The folder cannot be watched ({reason}): it is checked every second instead.")
            polling = True
