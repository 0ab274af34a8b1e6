"""Which articles of one index have their full text kept (reader mode), and its words for searching.

A fetched story is searched like a body: its words, folded, up to the body
budget (`MAX_BODY_WORDS_CHARS`, less what the file's own body already uses).
They are laid over the word index by position rather than written into it,
so a story fetched now is found at once, and the saved word index stays the
files' alone. One of these belongs to one `ArticleIndex`; a new index starts
empty and is filled from the text store in the background.

Searching runs in a worker thread while `r` adds a story on the UI thread:
every read and write takes the lock.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import Protocol

from tui.data.folding import MAX_BODY_WORDS_CHARS, body_words

# Link targets and image addresses are not words of the story ("https", "www", "jpg").
_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
READ_CHARS = MAX_BODY_WORDS_CHARS * 4
"""Of a stored text, this much is read to find its words (markup and link targets take room)."""


class WordSource(Protocol):
    """What searching asks of a word index (`WordIndex`, or one with fetched stories laid over it)."""

    size: int

    def positions(self, word: str) -> array[int] | set[int]: ...

    def prefix_positions(self, prefix: str, limit: int) -> set[int]: ...

    def has_phrase(self, position: int, phrase: list[str]) -> bool: ...


def story_words(markdown: str, room: int = MAX_BODY_WORDS_CHARS) -> str:
    """The searchable words of a fetched story, at most `room` characters of them, whole words only."""
    if room <= 0:
        return ""
    found = body_words(_TARGET.sub("]", markdown[:READ_CHARS]))
    if len(found) <= room:
        return found
    cut = found[: room + 1]
    return cut[: cut.rfind(" ")] if " " in cut else ""


class FetchedTexts:
    """Kept-text flags by position, and the positions holding each word of those texts."""

    def __init__(self, size: int) -> None:
        self._kept = bytearray(size)
        self._words: dict[int, str] = {}
        self._postings: dict[str, set[int]] = {}
        self._vocabulary: list[str] = []
        self._lock = threading.Lock()
        self.count = 0

    def has_text(self, position: int) -> bool:
        return 0 <= position < len(self._kept) and bool(self._kept[position])

    def add(self, position: int, words: str) -> bool:
        """Mark `position` as read here, searchable by `words` (from `story_words`); False if known."""
        if not 0 <= position < len(self._kept):
            return False
        with self._lock:
            if self._kept[position] and self._words.get(position, "") == words:
                return False
            if not self._kept[position]:
                self.count += 1
            self._kept[position] = 1
            for word in set(self._words.pop(position, "").split()):
                self._postings[word].discard(position)
            self._words[position] = words
            for word in set(words.split()):
                if word not in self._postings:
                    self._postings[word] = set()
                    self._vocabulary.insert(bisect_left(self._vocabulary, word), word)
                self._postings[word].add(position)
            return True

    def add_many(self, found: Iterable[tuple[int, str]]) -> None:
        for position, words in found:
            self.add(position, words)

    def holding(self, word: str) -> int:
        with self._lock:
            return len(self._postings.get(word, ()))

    def words_of(self, position: int) -> str:
        """The words kept for `position`'s fetched story ("" if none)."""
        with self._lock:
            return self._words.get(position, "")

    # What searching asks (see `search.CombinedWords`) -----------------------------

    def positions(self, word: str) -> set[int]:
        with self._lock:
            return set(self._postings.get(word, ()))

    def prefix_positions(self, prefix: str, limit: int) -> set[int]:
        found: set[int] = set()
        with self._lock:
            start = bisect_left(self._vocabulary, prefix)
            for word in self._vocabulary[start : start + limit]:
                if not word.startswith(prefix):
                    break
                found.update(self._postings[word])
        return found

    def has_phrase(self, position: int, phrase: list[str]) -> bool:
        with self._lock:
            words = self._words.get(position)
        return bool(words) and f" {' '.join(phrase)} " in f" {words} "


class CombinedWords:
    """A word index (the files' words) with the fetched stories' words laid over it."""

    def __init__(self, files: WordSource, fetched: FetchedTexts) -> None:
        self._files = files
        self._fetched = fetched
        self.size = files.size

    def positions(self, word: str) -> array[int] | set[int]:
        found = self._files.positions(word)
        extra = self._fetched.positions(word)
        return found if not extra else extra.union(found)

    def prefix_positions(self, prefix: str, limit: int) -> set[int]:
        return self._files.prefix_positions(prefix, limit) | self._fetched.prefix_positions(prefix, limit)

    def has_phrase(self, position: int, phrase: list[str]) -> bool:
        return self._files.has_phrase(position, phrase) or self._fetched.has_phrase(position, phrase)
