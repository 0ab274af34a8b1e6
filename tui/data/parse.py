"""Turn the bytes of one article file into an `Article`, or say why not.

Everything here treats the file as hostile: YAML is read with the safe C
loader (tags that would build objects are refused, never run), every field
is checked for its type, and lists are capped so that a file built to blow
up (alias bombs, giant lists) costs no more than its own size.
"""

from __future__ import annotations

import codecs
import re
import types
from collections.abc import Callable
from dataclasses import dataclass

import frontmatter
import yaml

from tui.data.dates import parse_published, read_published
from tui.data.folding import body_words
from tui.data.model import Article, ImageLink, Provider, RelatedItem
from tui.data.sanitize import clean_block, clean_line, yaml_printable

MAX_FILE_BYTES = 64 * 1024 * 1024
"""No file larger than this is read at all (the limit that keeps memory bounded)."""
MAX_LEAN_BYTES = 8 * 1024 * 1024
"""What the list reads of a file (all of it but the `related` block) must fit in this."""
MAX_TOPICS = 64
MAX_IMAGES = 64
MAX_RELATED = 1000
_NESTED_TOPIC_DEPTH = 3
_SNIFF_BYTES = 8192

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _ArticleLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that leaves timestamps as text.

    PyYAML raises on an impossible unquoted date such as 2021-02-30T10:00Z,
    which would lose the whole article; `parse_published` judges dates instead.
    """


_ArticleLoader.add_constructor("tag:yaml.org,2002:timestamp", _BaseLoader.construct_yaml_str)

_SCALAR_KINDS = {"bool": "a boolean", "int": "an integer", "float": "a number"}


class _WrittenInt(int):
    """An integer that remembers how the file wrote it: `title: 007` is the text "007"."""

    written: str


class _WrittenFloat(float):
    """A number that remembers how the file wrote it: `title: 1984.10` is that text."""

    written: str


_WRITTEN: dict[str, type[_WrittenInt] | type[_WrittenFloat]] = {"int": _WrittenInt, "float": _WrittenFloat}
_LONG_DECIMAL = re.compile(r"[-+]?[0-9][0-9_]*")


def _checked_scalar(kind: str) -> Callable[[yaml.SafeLoader, yaml.Node], object]:
    """PyYAML's constructor for `!!kind`, saying what is wrong instead of raising KeyError.

    `!!bool maybe` or `!!int ""` make PyYAML index a table or an empty string:
    KeyError or IndexError, with no line. Every YAML file newsdeck reads (articles and
    `_data`) goes through this loader, so each is told the same clear reason.
    """
    construct = getattr(_BaseLoader, f"construct_yaml_{kind}")

    def checked(loader: yaml.SafeLoader, node: yaml.Node) -> object:
        try:
            value = construct(loader, node)
        except (KeyError, IndexError, ValueError, TypeError, OverflowError):
            if kind == "int" and _LONG_DECIMAL.fullmatch(str(node.value)):
                # More digits than Python turns into an int (its guard against slow
                # conversions): a number past any field's range, kept only as written.
                return _as_written(_WrittenFloat("-inf" if str(node.value).startswith("-") else "inf"), node)
            shown = clean_line(str(node.value))[:40]
            raise yaml.constructor.ConstructorError(
                None, None, f"a !!{kind} value that is not {_SCALAR_KINDS[kind]} ({shown!r})", node.start_mark
            ) from None
        written = _WRITTEN.get(kind)
        return value if written is None else _as_written(written(value), node)

    return checked


def _as_written(number: _WrittenInt | _WrittenFloat, node: yaml.Node) -> object:
    number.written = str(node.value)
    return number


for _kind in _SCALAR_KINDS:
    _ArticleLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", _checked_scalar(_kind))

_YAML = frontmatter.YAMLHandler()


def too_large(size: int) -> SkipFile:
    return SkipFile(
        f"file too large ({size / 1_048_576:.1f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB)"
    )


def _lean_too_large(size: int) -> SkipFile:
    return SkipFile(
        f"file too large: all but its related items is {size / 1_048_576:.1f} MB"
        f" (the limit for that part is {MAX_LEAN_BYTES // 1_048_576} MB)"
    )


class SkipFile(Exception):
    """A file that is not an article; the message is shown to the user."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


_TYPE_NAMES: tuple[tuple[type | types.UnionType, str], ...] = (
    (bool, "true/false"),  # before int: True is an int too
    (int | float, "a number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
    (type(None), "nothing"),
)


def _type_name(value: object) -> str:
    return next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)), type(value).__name__)


# Every field is read as the type it is documented with, and a value of another
# type is ignored (the field is left empty), never converted. Two readings are
# not conversions: a title that YAML reads as a number is the text the file
# wrote (`title: 1984`), and a whole number written in quotes is that number
# (`width: "480"`).


def _text(value: object) -> str:
    """Text, or "" for anything else (a number, a list, true/false)."""
    return value if isinstance(value, str) else ""


def _line(value: object) -> str:
    return clean_line(_text(value))


def _title(value: object) -> str:
    """A title: text, or a number as the file wrote it (`title: 007` is "007", not "7")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        written = getattr(value, "written", None)
        return clean_line(written if isinstance(written, str) else str(value))
    return _line(value)


def _url(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    # A URL with whitespace inside is not one; keep nothing rather than junk.
    return "" if any(ch.isspace() for ch in text) else clean_line(text)


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,19}")
_INT_LIMIT = 2**63  # what SQLite and every JSON reader keep exactly; `0x` + 4,000 f's is no rank


def _int(value: object) -> int | None:
    """A whole number: a YAML integer, or one written in quotes ("480"), of at most 64 bits."""
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not -_INT_LIMIT <= value < _INT_LIMIT:
        return None
    return int(value)


def _provider(value: object) -> Provider:
    if isinstance(value, dict):
        return Provider(name=_line(value.get("name")), domain=_url(value.get("domain")))
    return Provider(name=_line(value))


def _topics(value: object) -> tuple[str, ...]:
    names: list[str] = []

    def collect(item: object, depth: int) -> None:
        if len(names) >= MAX_TOPICS:
            return
        if isinstance(item, str):
            # "Election, Joe Biden" in a hand-written file means two topics.
            names.extend(part for part in (clean_line(p) for p in item.split(",")) if part)
        elif isinstance(item, list) and depth < _NESTED_TOPIC_DEPTH:
            # Only text names a topic: numbers, true/false and mappings are ignored.
            for child in item[:MAX_TOPICS]:
                collect(child, depth + 1)

    collect(value, 0)
    unique: dict[str, str] = {}
    for name in names[:MAX_TOPICS]:
        unique.setdefault(name.casefold(), name)
    return tuple(unique.values())


def _as_list(value: object, limit: int) -> list[object]:
    if isinstance(value, list):
        return value[:limit]
    if isinstance(value, dict | str):
        return [value]
    return []


def _images(value: object) -> tuple[ImageLink, ...]:
    links: list[ImageLink] = []
    for item in _as_list(value, MAX_IMAGES):
        if isinstance(item, dict):
            url = _url(item.get("url"))
            if url:
                links.append(ImageLink(url, _int(item.get("width")), _int(item.get("height"))))
        elif url := _url(item):
            links.append(ImageLink(url))
    return tuple(links)


def _related(value: object) -> tuple[RelatedItem, ...]:
    items: list[RelatedItem] = []
    for item in _as_list(value, MAX_RELATED):
        if not isinstance(item, dict):
            continue
        title = _title(item.get("title"))
        if not title:
            continue
        items.append(
            RelatedItem(
                title=title,
                url=_url(item.get("originalUrl")) or _url(item.get("webUrl")) or _url(item.get("ampWebUrl")),
                excerpt=clean_block(_text(item.get("excerpt"))),
                published=parse_published(item.get("publishedDateTime")),
                provider=_provider(item.get("provider")),
            )
        )
    return tuple(items)


def _count_related(value: object) -> int:
    """Items with a title, beyond the MAX_RELATED kept (bounded by the file's size)."""
    if not isinstance(value, list):
        return 1 if isinstance(value, dict) and _title(value.get("title")) else 0
    return sum(1 for item in value if isinstance(item, dict) and _has_title(item.get("title")))


def _has_title(value: object) -> bool:
    """What `_title` gives something for, without cleaning text that is only counted."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sniff(data: bytes) -> None:
    """SkipFile if `data` is empty or binary (judged without copying it)."""
    if not data or data.isspace():
        raise SkipFile("empty file")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise SkipFile("binary file, not text")


def _not_utf8(data: bytes, error: UnicodeDecodeError, offset: int = 0) -> SkipFile:
    where = offset + error.start
    return SkipFile(f"not UTF-8 text (byte 0x{data[where]:02X} at offset {where})")


def decode(data: bytes) -> str:
    """The file's text, or SkipFile saying why it has none."""
    _sniff(data)
    return _decode_text(data)


def _decode_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, error) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


_CHECK_CHUNK = 1 << 20


def _check_utf8(data: bytes) -> None:
    """SkipFile naming the first byte that is not UTF-8, as `decode` would, a megabyte at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, len(data), _CHECK_CHUNK):
        pending = len(decoder.getstate()[0])  # the start of a character the last chunk split
        try:
            decoder.decode(view[start : start + _CHECK_CHUNK], final=start + _CHECK_CHUNK >= len(data))
        except UnicodeDecodeError as error:
            raise _not_utf8(data, error, start - pending) from None


def split_front_matter(text: str) -> tuple[str, str]:
    """(front matter, body); SkipFile when the file does not open with `---`."""
    if not _YAML.detect(text):
        raise SkipFile("no front matter (the file must start with a --- line)")
    try:
        front, body = _YAML.split(text)
    except ValueError:
        raise SkipFile("front matter is not closed by a --- line") from None
    return front, body


# A top-level key ends where the next line starts at column 0 with something
# other than a sequence dash, a comment or white space.
_NEXT_TOP_LEVEL_LINE = re.compile(r"\n(?=[^\s#-])")
_LAZY_KEYS = ("related", "secured")


# The same two rules over the bytes of a file, for files too large to decode whole.
# Python's `\s` in a text pattern is every character `str.isspace` accepts: the
# byte patterns spell out the same set in UTF-8, so both find the same lines.
_SPACES = b"|".join(
    re.escape(char.encode())
    for char in map(chr, range(0x3001))
    if char.isspace() and char not in "\t\n\x0b\x0c\r "
)
_SPACE = rb"(?:[\t\n\x0b\x0c\r ]|" + _SPACES + rb")"
_BOUNDARY_BYTES = re.compile(rb"^-{3,}" + _SPACE + rb"*$", re.MULTILINE)
_OPENING_BYTES = re.compile(rb"-{3,}" + _SPACE + rb"*$", re.MULTILINE)  # at a given offset (after a BOM)
_NEXT_TOP_LEVEL_LINE_BYTES = re.compile(rb"\n(?!" + _SPACE + rb"|[#-])(?=[\s\S])")
_BOM = "\ufeff".encode()


def _block_span(data: bytes, key: str) -> tuple[int, int] | None:
    """Where the front matter's top-level `key:` block is in the bytes of a file.

    (start, end): `data[start:end]` is the block that `cut_top_level` cuts from
    the decoded front matter, with the line break before it; `data[end:]`
    begins with the line break after it. None without front matter or block.
    """
    opening = _OPENING_BYTES.match(data, len(_BOM) if data.startswith(_BOM) else 0)
    closing = _BOUNDARY_BYTES.search(data, opening.end()) if opening else None
    if opening is None or closing is None:
        return None
    marker = f"\n{key}:".encode()
    start = data.find(marker, opening.end(), closing.start())
    if start < 0:
        return None
    match = _NEXT_TOP_LEVEL_LINE_BYTES.search(data, start + len(marker), closing.start())
    # The line break that ends the front matter's last line stays, before the closing ---.
    return start, match.start() if match else closing.start() - 1


def cut_top_level(front: str, key: str) -> tuple[str, str | None]:
    """(`front` without the top-level `key:` block, that block) — or (`front`, None).

    The long `related` list is most of a file's bytes and the list view never
    needs it, so loading skips it and the detail view parses it on demand.
    """
    marker = f"\n{key}:"
    start = front.find(marker)
    if start < 0:
        return front, None
    match = _NEXT_TOP_LEVEL_LINE.search(front, start + len(marker))
    end = match.start() if match else len(front)
    return front[:start] + front[end:], front[start + 1 : end]


def _load_yaml(front: str, what: str = "front matter", first_line: int = 1) -> object:
    """The YAML value of `front`; SkipFile with a reason for people whatever goes wrong.

    `first_line` is the line of the file that `front` starts on, so the lines named in
    reasons are the lines an editor shows. Front matter as split keeps the newline
    that ends the opening "---", so it starts on line 1 too.
    """

    def _line_of(error: yaml.MarkedYAMLError) -> str:
        return f", line {error.problem_mark.line + first_line}" if error.problem_mark else ""

    try:
        try:
            return _YAML.load(front, Loader=_ArticleLoader)
        except yaml.reader.ReaderError:
            # Control characters (a raw ESC in a title): show them, keep the article.
            return _YAML.load(yaml_printable(front), Loader=_ArticleLoader)
    except yaml.constructor.ConstructorError as error:
        problem = clean_line(error.problem or "")
        if "constructor for the tag" in problem:
            raise SkipFile(
                f"{what} uses a YAML tag that is not allowed ({problem.split()[-1]}{_line_of(error)})"
            ) from None
        raise SkipFile(f"{what} could not be read: {problem or 'bad YAML'}{_line_of(error)}") from None
    except yaml.MarkedYAMLError as error:
        where = f" at line {error.problem_mark.line + first_line}" if error.problem_mark else ""
        raise SkipFile(f"{what} is not valid YAML{where}: {clean_line(error.problem or '')}") from None
    except RecursionError:
        raise SkipFile(f"{what} is nested too deeply") from None
    except MemoryError:
        raise SkipFile(f"{what} is too large to read") from None
    except Exception as error:  # PyYAML raising what it does not document must not cost the rest
        raise SkipFile(f"{what} could not be read ({type(error).__name__})") from None


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
            _decode_text(data[:start] + data[end:]), path, related_size=max(0, end - start - 1)
        )
    except SkipFile:
        if not _ANCHOR_BYTES.search(data, start, end):
            raise
        # The rest may use an anchor defined among the related items: read the file whole.
        return _parse_text(_decode_text(data), path)


def _parse_text(text: str, path: str, related_size: int | None = None) -> Article:
    """The article in a file's decoded text; `related_size` when its related block was left out."""
    front, body = split_front_matter(text)
    lean, related = cut_top_level(front, "related")
    lean = cut_top_level(lean, "secured")[0]
    try:
        fields = _load_yaml(lean)
    except SkipFile:
        if lean is front:
            raise
        # An anchor defined in a part left out (`related:`, `secured:`), or a real
        # problem: either way the whole front matter says which.
        fields = _load_yaml(front)
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
    return Article(
        path=path,
        title=title,
        excerpt=clean_block(_text(fields.get("excerpt"))),
        published=published,
        date_problem=date_problem,
        original_url=_url(fields.get("originalUrl")),
        web_url=_url(fields.get("webUrl")),
        provider=_provider(fields.get("provider")),
        topics=_topics(fields.get("topics")),
        images=_images(fields.get("images")),
        related_size=len(related or "") if related_size is None else related_size,
        quality=_int(fields.get("quality")),
        heat=_int(fields.get("heat")),
        has_body=bool(body.strip()),
        body_words=body_words(clean_block(body)) if body.strip() else "",
    )


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


def read_yaml_mapping(text: str) -> dict[object, object]:
    """The mapping a metadata file holds (YAML, or front matter); SkipFile saying why not."""
    if _YAML.detect(text):
        value = _load_yaml(split_front_matter(text)[0], "the file")
    else:
        value = _load_yaml(text, "the file", first_line=1)
    if not isinstance(value, dict):
        raise SkipFile(f"the file holds {_type_name(value)}, not a mapping of fields")
    return value
