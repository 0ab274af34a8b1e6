"""Text folded for comparison: case- and accent-free, so "Pénélope" finds "penelope"."""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+")
# A body is searchable up to this many characters of its words (about 300
# words: the part of a story that says what it is about). Every article holds
# them in memory, so 100,000 long bodies must not cost gigabytes.
MAX_BODY_WORDS_CHARS = 2_000


def normalize(text: str) -> str:
    """Case- and accent-free text: what both queries and articles are compared as."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    return WORD.findall(normalize(text))


def body_words(body: str) -> str:
    """A body's words, folded and space-joined, as searching reads them."""
    if not body.strip():
        return ""
    return " ".join(words(body[: MAX_BODY_WORDS_CHARS * 2]))[:MAX_BODY_WORDS_CHARS]
