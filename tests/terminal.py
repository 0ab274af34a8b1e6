"""newsdeck run as typed in a shell: in a pseudo-terminal, read and typed into."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from collections.abc import Sequence


class Terminal:
    """One `python -m tui …` process on its own pseudo-terminal (POSIX only)."""

    def __init__(self, arguments: Sequence[str], environment: dict[str, str] | None = None) -> None:
        import pty

        self.leader, follower = pty.openpty()
        # Textual draws on stderr: both streams go to the terminal, as in a shell.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", *arguments],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env={**os.environ, "TERM": "xterm-256color", **(environment or {})},
        )
        os.close(follower)
        self.screen = b""

    def read(self, seconds: float, until: bytes | None = None) -> bool:
        """Collect output for up to `seconds`, or until `until` has been drawn."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and (until is None or until not in self.screen):
            if select.select([self.leader], [], [], 0.1)[0]:
                try:
                    self.screen += os.read(self.leader, 65536)
                except OSError:  # the terminal closed: the process has ended
                    break
        return until is None or until in self.screen

    def type(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def quit(self, timeout: float = 20) -> int | None:
        """Press q and wait, reading on: a terminal nobody reads blocks the app's output."""
        self.type(b"q")
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.2)
        self.read(0.3)
        return self.process.poll()

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.leader)
