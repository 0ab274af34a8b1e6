"""newsdeck: a terminal news reader over a directory of articles."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up when asked for: importlib.metadata costs a noticeable part of start-up.
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsdeck")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0+checkout"
