"""The word index searching reads, and its copy on disk.

Word -> sorted positions (in `ArticleIndex` order) of the articles holding
it, kept flat: the sorted vocabulary, one array of every word's positions
end to end and where each word's run starts. That costs a few bytes per
entry rather than an object per word, and it is written to disk and read
back as it is, so a warm start can search at once instead of spending
seconds building it again. What a query means is `search`'s business.

The copy on disk belongs to one saved index (`snapshot`): it names that
index's checksum, carries its own, and is checked before use (sorted
vocabulary, runs in order, positions in range); anything else is ignored
and the index is built afresh.
"""

from __future__ import annotations

import struct
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import accumulate, pairwise
from pathlib import Path

from tui.data.folding import WORD, normalize
from tui.data.model import Article, Provider
from tui.data.section_file import Damaged, Part, read_start, write_parts

_MAGIC = b"newsdeck-words\x00\x02"
_HEADER = struct.Struct("<Q")  # the identity of the saved index it belongs to
_SEP = "\x00"


class BadWords(Exception):
    """Not a word index for this saved index, or damaged."""


class WordIndex:
    """Which articles hold which word, and each article's words in order (for phrases)."""

    def __init__(
        self,
        articles: Sequence[Article],
        vocabulary: list[str],
        starts: array[int],
        positions: array[int],
        texts: bytes,
        text_starts: array[int],
    ) -> None:
        self._articles = articles
        self.vocabulary = vocabulary
        self._starts = starts
        self._positions = positions
        self._texts = texts
        """Every article's title, excerpt, provider and topic words, normalised, end to end, as
        UTF-8: phrases are looked for in the bytes, without a string object per article."""
        self._text_starts = text_starts
        self.size = len(text_starts) - 1

    @classmethod
    def build(
        cls, articles: Sequence[Article], fields: Iterable[tuple[str, str, Provider, str, Sequence[str], str]]
    ) -> WordIndex:
        """`fields`: each article's title, excerpt, provider, body words, topic names and sidebar
        provider name, in index order (given apart, so no article object need be made)."""
        postings: dict[str, array[int]] = {}
        texts: list[bytes] = []
        for position, (title, excerpt, provider, body_words, topics, provider_name) in enumerate(fields):
            # The sidebar's name finds the provider too when it differs ("ABC News" for ABCNews).
            named = (provider.name, provider.domain) + (
                (provider_name,) if provider_name != provider.name else ()
            )
            found = WORD.findall(normalize(" \n ".join((title, excerpt, *named, " ".join(topics)))))
            # The body's words are already held by the article (`body_words`): not copied here.
            texts.append(" ".join(found).encode())
            for word in set(found).union(body_words.split()):
                entries = postings.get(word)
                if entries is None:
                    entries = postings[word] = array("I")
                entries.append(position)
        vocabulary = sorted(postings)
        starts: array[int] = array("Q", [0])
        flat: array[int] = array("I")
        for word in vocabulary:
            flat.extend(postings.pop(word))
            starts.append(len(flat))
        text_starts: array[int] = array("Q", accumulate((len(text) + 1 for text in texts), initial=0))
        return cls(articles, vocabulary, starts, flat, b"\x00".join(texts) + b"\x00", text_starts)

    def positions(self, word: str) -> array[int]:
        at = bisect_left(self.vocabulary, word)
        if at < len(self.vocabulary) and self.vocabulary[at] == word:
            return self._positions[self._starts[at] : self._starts[at + 1]]
        return array("I")

    def holding(self, word: str) -> int:
        """How many articles hold `word`, without copying their positions."""
        at = bisect_left(self.vocabulary, word)
        if at < len(self.vocabulary) and self.vocabulary[at] == word:
            return self._starts[at + 1] - self._starts[at]
        return 0

    def prefix_positions(self, prefix: str, limit: int) -> set[int]:
        """Articles holding a word that starts with `prefix`, over at most `limit` such words."""
        first = bisect_left(self.vocabulary, prefix)
        last = first
        end = min(len(self.vocabulary), first + limit)
        while last < end and self.vocabulary[last].startswith(prefix):
            last += 1
        return set(self._positions[self._starts[first] : self._starts[last]])

    def text_length(self, position: int) -> int:
        """Bytes of the article's normalised title, excerpt, provider and topic words."""
        return self._text_starts[position + 1] - self._text_starts[position] - 1

    def has_phrase(self, position: int, phrase: list[str]) -> bool:
        wanted = f" {' '.join(phrase)} "
        text = self._texts[self._text_starts[position] : self._text_starts[position + 1] - 1]
        if wanted.encode() in b" " + text + b" ":
            return True
        body = self._articles[position].body_words
        return bool(body) and wanted in f" {body} "

    # On disk ---------------------------------------------------------------------------

    def write(self, path: Path, belongs_to: int) -> None:
        """Save next to the saved index `belongs_to` (its identity), atomically. Raises OSError."""
        sections = [
            _SEP.join(self.vocabulary).encode(),
            self._starts.tobytes(),
            self._positions.tobytes(),
            self._texts,
            self._text_starts.tobytes(),
        ]
        write_parts(path, _MAGIC + _HEADER.pack(belongs_to), [sections])

    @classmethod
    def read(cls, path: Path, belongs_to: int, articles: Sequence[Article]) -> WordIndex:
        """The word index saved for `belongs_to`; BadWords unless whole and consistent. Raises OSError."""
        with open(path, "rb") as handle:
            try:
                if read_start(handle, _MAGIC, _HEADER) != (belongs_to,):
                    raise BadWords("of another saved index")
                # A section at a time, each let go once decoded: these are tens of megabytes.
                sections = Part(handle).sections()
                vocabulary = _text(next(sections, b"")).split(_SEP)
                starts, flat = _array("Q", next(sections, b"")), _array("I", next(sections, b""))
                texts = next(sections, b"")  # only ever searched, never shown: left as bytes
                text_starts = _array("Q", next(sections, b""))
                if next(sections, None) is not None:
                    raise BadWords("layout")
            except Damaged as error:
                raise BadWords(str(error)) from None
        if vocabulary == [""]:
            vocabulary = []
        count = len(articles)
        if not (
            len(starts) == len(vocabulary) + 1
            and len(text_starts) == count + 1
            and starts[0] == 0
            and starts[-1] == len(flat)
            and text_starts[0] == 0
            and text_starts[-1] == len(texts)
            and (not flat or max(flat) < count)
            and all(earlier < later for earlier, later in pairwise(vocabulary))
            and all(earlier <= later for earlier, later in pairwise(starts))
            and all(earlier < later for earlier, later in pairwise(text_starts))
        ):
            raise BadWords("inconsistent")
        return cls(articles, vocabulary, starts, flat, texts, text_starts)


def _text(data: bytes) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise BadWords("text") from None


def _array(kind: str, data: bytes) -> array[int]:
    column: array[int] = array(kind)
    if len(data) % column.itemsize:
        raise BadWords("length")
    column.frombytes(data)
    return column


def words_path(snapshot_file: Path) -> Path:
    return snapshot_file.with_suffix(".words")
