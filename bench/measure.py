"""Running one measurement in a fresh process: its own cache and marks, the figures back as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def measure_in_process(script: str, arguments: list[str], cache_dir: Path) -> dict[str, Any]:
    """`python SCRIPT --measure ARGUMENTS…` with NEWSDECK_CACHE_DIR set to `cache_dir`; its last line."""
    environment = {
        **os.environ,
        "NEWSDECK_CACHE_DIR": str(cache_dir),
        # The benchmark's read marks stay out of the user's own.
        "NEWSDECK_STATE_DIR": str(cache_dir / "state"),
        "PYTHONPATH": str(REPO),
    }
    completed = subprocess.run(
        [sys.executable, script, "--measure", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure_sizes(
    script: str, sizes: list[int], seed: Callable[[int], Path], what: str, arguments: list[str] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """`measure_in_process` over each size's seed directory, each with a cache of its own."""
    for size in sizes:
        directory = seed(size)
        print(f"  {size:,}: {what}…", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="newsdeck-bench-cache-") as cache:
            yield size, measure_in_process(script, [str(directory), *(arguments or [])], Path(cache))


async def pilot_overhead(pilot: Any) -> float:
    """Pilot's own round trip (press, wait, repaint), the same at every size: the median time
    of a key bound to nothing, to take off each key measured."""
    import statistics
    import time

    idle = []
    for _ in range(12):
        started = time.perf_counter()
        await pilot.press("f12")
        await pilot.pause()
        idle.append(time.perf_counter() - started)
    return statistics.median(idle)
