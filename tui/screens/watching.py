"""Live: the seed directory is watched while newsdeck is open, and what changes in it is read again."""

from __future__ import annotations

import threading
from contextlib import suppress

from tui.data.sanitize import visible
from tui.data.watch import watch_directory
from tui.screens.reader import ReaderScreen


class WatchingPart(ReaderScreen):
    """Starts watching once the directory is first read; each batch of changes reads it again.

    The watching runs in a plain daemon thread, not a worker: it never finishes while
    the reader is open, and a worker that never finishes would be waited for by whatever
    waits for the app's background work to end. Its failures are said all the same.
    """

    watch_folder = True
    """False with --no-watch."""
    _watching: threading.Event | None = None

    def start_watching(self) -> None:
        if self.watch_folder and self.directory is not None and self._watching is None:
            stop = self._watching = threading.Event()
            threading.Thread(target=self._watch, args=(stop,), name="newsdeck-watch", daemon=True).start()

    def stop_watching(self) -> None:
        if self._watching is not None:
            self._watching.set()  # the thread ends within a moment; quitting does not wait for it

    def _watch(self, stop: threading.Event) -> None:
        assert self.directory is not None

        def tell(message: str) -> None:
            if not stop.is_set():
                with suppress(RuntimeError):  # the app closed meanwhile
                    self.app.call_from_thread(
                        self.notify, message, severity="warning", markup=False, timeout=8
                    )

        def changed(_paths: int) -> None:
            if not stop.is_set():
                with suppress(RuntimeError):
                    self.app.call_from_thread(self.read_again, "live")

        try:
            watch_directory(self.directory, changed, stop, tell)
        except Exception as error:  # whatever it was, the reader hears of it; ctrl+r still reads
            tell(f"Watching the folder failed ({visible(error)}): press ctrl+r to read it again.")
