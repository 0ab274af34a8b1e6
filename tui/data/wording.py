"""Counting words for messages: "1 file", "2 files"."""

from __future__ import annotations


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`count` with `noun`, pluralised as English wants, thousands separated."""
    word = noun if count == 1 else (plural_noun or noun + "s")
    return f"{count:,} {word}"
