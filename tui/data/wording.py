"""Counting words for messages: "1 file", "2 files"."""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`count` with `noun`, pluralised as English wants, thousands separated."""
    word = noun if count == 1 else (plural_noun or noun + "s")
    return f"{count:,} {word}"


def compact(count: int) -> str:
    """A count in at most six cells: 9,999, then 14k, 12.3k, 100k, 1.2M."""
    if count < 10_000:
        return f"{count:,}"
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if count >= size:
            value = count / size
            text = f"{value:.1f}" if value < 100 else f"{value:.0f}"
            return text.removesuffix(".0") + suffix
    return str(count)
