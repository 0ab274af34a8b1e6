"""What the detail view reads from an article's file on demand: its body and related items.

The list never holds these (they are most of a file's bytes); `read_extras`
reads them when an article is shown, and never raises: a file that changed
or broke since loading gives an `ArticleExtras` with a `problem` instead.
Only the first MAX_RELATED related items are built, the rest counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.data.fields import MAX_RELATED, _count_related, _related
from tui.data.front_matter import SkipFile, _block_span, _load_yaml, cut_top_level, decode, split_front_matter
from tui.data.model import RelatedItem
from tui.data.sanitize import clean_block


@dataclass(frozen=True, slots=True)
class ArticleExtras:
    """What the detail view reads from the file on demand."""

    body: str = ""
    related: tuple[RelatedItem, ...] = ()
    related_total: int = 0
    problem: str = ""
    """Why the related items could not be read, if they could not."""


def read_extras(data: bytes) -> ArticleExtras:
    """The body and related items of a file, made safe to show; never raises."""
    try:
        return _read_extras(data)
    except Exception as error:  # a file we failed to foresee must not cost the detail view
        return ArticleExtras(problem=f"this article's file could not be read ({type(error).__name__})")


def _read_extras(data: bytes) -> ArticleExtras:
    capped, beyond = _first_related_items(data, MAX_RELATED)
    extras = _extras_of(capped, beyond)
    if capped is not data and extras.problem:
        # The cut split something it should not have (a value over several lines): read it all.
        return _extras_of(data, 0)
    return extras


# An alias (`*name`) or a merge key (`<<:`): the related items refer to something
# that may be defined elsewhere in the front matter. (Text that only looks like
# one, `*bold*` in a quoted excerpt, costs reading the front matter whole: no harm.)
_REFERENCE = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},]|<<")


def _extras_of(data: bytes, beyond: int) -> ArticleExtras:
    """Body and related items of `data`, with `beyond` more related items than it holds."""
    try:
        front, body = split_front_matter(decode(data))
    except SkipFile as error:
        return ArticleExtras(problem=error.reason)
    related_text = cut_top_level(front, "related")[1]
    if related_text is None:
        return ArticleExtras(body=clean_block(body))
    first_line = front[: front.find(related_text)].count("\n") + 1
    # On its own the block is quick to read; one that refers to anchors is read as part of
    # the whole front matter, where they are defined (aliases, merge keys), as the file has it.
    attempts = [(related_text, first_line)]
    if _REFERENCE.search(related_text):
        attempts.insert(0, (front, 1))
    problem = ""
    for text, line in attempts:
        try:
            fields = _load_yaml(text, first_line=line)
        except SkipFile as error:
            problem = problem or f"related items could not be read: {error.reason}"
            continue
        value = fields.get("related") if isinstance(fields, dict) else None
        return ArticleExtras(
            body=clean_block(body), related=_related(value), related_total=_count_related(value) + beyond
        )
    return ArticleExtras(body=clean_block(body), problem=problem)


# A list item of the `related` block in block style: a dash at the items' indentation.
_FIRST_ITEM = re.compile(rb"\n( *)-(?=[ \t\r\n])")
# What may stand between `related:` and its first item: an anchor, comments, blank lines.
_LIST_OPENING = re.compile(rb"(?:[ \t]+&[^\s]+)?[ \t\r]*(?:#[^\n]*)?(?:\n[ \t\r]*(?:#[^\n]*)?)*")


def _first_related_items(data: bytes, limit: int) -> tuple[bytes, int]:
    """`data` with its `related` list cut after `limit` items, and how many were cut.

    Only MAX_RELATED items are ever shown, so a list of 30,000 (a 20 MB file) is
    read as its first thousand and counted, not built whole in memory. A list
    not written one item per `- ` line is left whole (no more than the file).
    """
    span = _block_span(data, "related")
    if span is None:
        return data, 0
    start, end = span
    opened = start + len(b"\nrelated:")
    first = _FIRST_ITEM.search(data, opened, end)
    if first is None or not _LIST_OPENING.fullmatch(data, opened, first.start()):
        return data, 0
    item = re.compile(b"\n" + re.escape(first.group(1)) + rb"-(?=[ \t\r\n])")
    cut, count = -1, 0
    for count, found in enumerate(item.finditer(data, first.start(), end), start=1):
        if count == limit + 1:
            cut = found.start()
    if cut < 0:
        return data, 0
    return data[:cut] + data[end:], count - limit
