"""Turn the bytes of one article file into an `Article`, or say why not.

Everything here treats the file as hostile: YAML is read with the safe C
loader (`front_matter`), every field is checked for its type (`fields`), and
lists are capped, so that a file built to blow up (alias bombs, giant lists)
costs no more than its own size. This module holds the limits on a file's
size and the two entry points: `parse_article` for an article file, and
`read_yaml_mapping` for a `_data` file. What the detail view reads on demand
is in `extras`.
"""

from __future__ import annotations

import re

from tui.data.dates import read_published
from tui.data.fields import (
    _images,
    _int,
    _link_problem,
    _provider,
    _text,
    _title,
    _topics,
    _type_name,
    _url,
)
from tui.data.folding import body_words
from tui.data.front_matter import (
    _BOUNDARY,
    _YAML,
    SkipFile,
    _block_span,
    _check_utf8,
    _decode_text,
    _load_yaml,
    _sniff,
    cut_top_level,
    decode,
    split_front_matter,
)
from tui.data.model import Article
from tui.data.related_links import MAX_SCANNED, related_link_keys
from tui.data.sanitize import clean_block

MAX_FILE_BYTES = 64 * 1024 * 1024
"""No file larger than this is read at all (the limit that keeps memory bounded)."""
MAX_LEAN_BYTES = 8 * 1024 * 1024
"""What the list reads of a file (all of it but the `related` block) must fit in this."""


def too_large(size: int) -> SkipFile:
    return SkipFile(
        f"file too large ({size / 1_048_576:.1f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB)"
    )


def _lean_too_large(size: int) -> SkipFile:
    return SkipFile(
        f"file too large: all but its related items is {size / 1_048_576:.1f} MB"
        f" (the limit for that part is {MAX_LEAN_BYTES // 1_048_576} MB)"
    )


# An anchor (`&name`) as YAML writes one, not the `&` of a link's query.
_ANCHOR_BYTES = re.compile(rb"[\s\[{,]&[^\s\[\]{},]")


def parse_article(data: bytes, path: str) -> Article:
    """Parse one file; `path` is what the article is known by (relative).

    The list needs all of a file but its `related` block, which can be most of
    its bytes. A file over MAX_LEAN_BYTES has that block left out before it is
    decoded at all, so a 20 MB file of related items costs its bytes once and
    no more; it is skipped only when what remains is over MAX_LEAN_BYTES too.
    """
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    if len(data) <= MAX_LEAN_BYTES:
        return _parse_text(decode(data), path)
    _sniff(data)
    _check_utf8(data)
    span = _block_span(data, "related")
    start, end = span if span is not None else (len(data), len(data))
    lean_size = len(data) - (end - start)
    if lean_size > MAX_LEAN_BYTES:
        raise _lean_too_large(lean_size)
    try:
        return _parse_text(
            _decode_text(data[:start] + data[end:]),
            path,
            related_size=max(0, end - start - 1),
            related_links=related_link_keys(
                data[start : min(end, start + MAX_SCANNED)].decode("utf-8", "replace")
            ),
        )
    except SkipFile:
        if not _ANCHOR_BYTES.search(data, start, end):
            raise
        # The rest may use an anchor defined among the related items: read the file whole.
        return _parse_text(_decode_text(data), path)


# Where a line may end a top-level block (`cut_top_level`) or close the front matter: lines
# opening with a space do neither, and in a related block nearly every line does.
_UNINDENTED_LINE = re.compile(r"\n[^ ]")
_RELATED = "\nrelated:"


def _closing_at(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first line in text[start:end] that closes front matter (`split_front_matter`'s rule)."""
    at = start
    while (at := text.find("\n---", at, end)) >= 0:
        closing = _BOUNDARY.match(text, at + 1)
        if closing is not None:
            return closing
        at += 1
    return None


def _split_related(text: str) -> tuple[int, int, str, str, int | None]:
    """Where the front matter is in `text`, the body, the front matter without its `related`
    block, and that block's length (None without one).

    What `split_front_matter` and `cut_top_level(front, "related")` give, in one pass over
    the related block, which is most of a typical file: the closing `---` is looked for
    beyond it only, where the block's end is found. The front matter itself is not copied
    out (a copy scans every character again): it is needed only when the rest cannot be read.
    """
    opening = _BOUNDARY.match(text)
    if opening is None:
        raise SkipFile("no front matter (the file must start with a --- line)")
    start = opening.end()
    marker = text.find(_RELATED, start)
    closing = _closing_at(text, start, len(text) if marker < 0 else marker)
    if closing is not None:  # no related block in the front matter
        return start, closing.start(), text[closing.end() :], text[start : closing.start()], None
    at = marker + len(_RELATED)
    while marker >= 0 and (line := _UNINDENTED_LINE.search(text, at)) is not None:
        block_end = line.start()
        opening_char = text[block_end + 1]
        if (opening_char.isspace() or opening_char in "#-") and not text.startswith("---", block_end + 1):
            at = block_end + 1  # a blank line, a comment, a list item: the block goes on
            continue
        if opening_char == "-":
            closing = _BOUNDARY.match(text, block_end + 1)
            if closing is None:
                at = block_end + 1
                continue
            # The block runs to the end of the front matter, its last line break included.
            block_end += 1
        else:
            closing = _closing_at(text, block_end, len(text))
            if closing is None:
                break
        lean = text[start:marker] + text[block_end : closing.start()]
        return start, closing.start(), text[closing.end() :], lean, block_end - marker - 1
    raise SkipFile("front matter is not closed by a --- line")


def _parse_text(text: str, path: str, related_size: int | None = None, related_links: str = "") -> Article:
    """The article in a file's decoded text; `related_size` (and the block's `related_links`)
    when its related block was left out."""
    start, end, body, lean, related = _split_related(text)
    if related is not None:
        marker = text.find(_RELATED, start)
        related_links = related_link_keys(text, marker, marker + related + 1)
    lean, secured = cut_top_level(lean, "secured")
    try:
        fields = _load_yaml(lean)
    except SkipFile:
        if related is None and secured is None:  # nothing was left out
            raise
        # An anchor defined in a part left out (`related:`, `secured:`), or a real
        # problem: either way the whole front matter says which.
        fields = _load_yaml(text[start:end])
    if fields is None:
        raise SkipFile("front matter is empty")
    if not isinstance(fields, dict):
        raise SkipFile(f"front matter is {_type_name(fields)}, not a mapping of fields")
    raw_title = fields.get("title")
    if raw_title is None:
        raise SkipFile("no title")
    if not isinstance(raw_title, str | int | float) or isinstance(raw_title, bool):
        raise SkipFile(f"title is {_type_name(raw_title)}, not text")
    title = _title(raw_title)
    if not title:
        raise SkipFile("empty title")
    published, date_problem = read_published(fields.get("publishedDateTime"))
    excerpt = clean_block(_text(fields.get("excerpt")))
    has_body = bool(body.strip())
    original_url, web_url = _url(fields.get("originalUrl")), _url(fields.get("webUrl"))
    return Article(
        path=path,
        title=title,
        excerpt=excerpt,
        published=published,
        date_problem=date_problem,
        original_url=original_url,
        web_url=web_url,
        provider=_provider(fields.get("provider")),
        topics=_topics(fields.get("topics")),
        images=_images(fields.get("images")),
        related_size=(related or 0) if related_size is None else related_size,
        related_links=related_links,
        quality=_int(fields.get("quality")),
        heat=_int(fields.get("heat")),
        has_body=has_body,
        body_words=body_words(clean_block(body)) if has_body else "",
        # Either link given: no problem to report (what `_link_problem` would find too).
        link_problem=(
            "" if original_url or web_url else _link_problem(fields.get("originalUrl"), fields.get("webUrl"))
        ),
    )


def read_yaml_mapping(text: str) -> dict[object, object]:
    """The mapping a metadata file holds (YAML, or front matter); SkipFile saying why not."""
    if _YAML.detect(text):
        value = _load_yaml(split_front_matter(text)[0], "the file")
    else:
        value = _load_yaml(text, "the file", first_line=1)
    if not isinstance(value, dict):
        raise SkipFile(f"the file holds {_type_name(value)}, not a mapping of fields")
    return value
