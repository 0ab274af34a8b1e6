"""The floor: one process that reads every file and parses its front matter.

This is the least work any reader of these files must do (PyYAML's C loader
over the whole front matter, on one core). The benchmark reports newsdeck's
times as multiples of it, which travel between machines better than seconds.
"""

from __future__ import annotations

import os
import sys
import time

import yaml


def floor_seconds(root: str) -> tuple[float, int]:
    started = time.perf_counter()
    parsed = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if not name.endswith((".md", ".markdown", ".txt")):
                continue
            with open(os.path.join(folder, name), "rb") as handle:
                text = handle.read().decode("utf-8")
            front = text.split("\n---", 1)[0].removeprefix("---")
            yaml.load(front, Loader=yaml.CSafeLoader)
            parsed += 1
    return time.perf_counter() - started, parsed


if __name__ == "__main__":
    seconds, parsed = floor_seconds(sys.argv[1])
    print(f"{seconds:.4f} {parsed}")
