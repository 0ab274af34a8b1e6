"""The YAML side of reading a file: its bytes as text, its front matter, and YAML values.

What every other part of parsing stands on: `decode` (empty, binary and
non-UTF-8 files refused, each with its reason), `split_front_matter`, the cut
of one top-level block out of the front matter (`cut_top_level` on text,
`_block_span` on the bytes of a file too large to decode whole) and
`_load_yaml`, which reads YAML with the safe C loader (tags that would build
objects are refused, never run) and turns every failure into a `SkipFile`
that says what is wrong and on which line. The underscored names are shared
with `parse` and `extras` only.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

import frontmatter
import yaml

from tui.data.sanitize import clean_line, yaml_printable


class SkipFile(Exception):
    """A file that is not an article; the message is shown to the user."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


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
assert _YAML.FM_BOUNDARY is not None
_BOUNDARY: re.Pattern[str] = _YAML.FM_BOUNDARY


_SNIFF_BYTES = 8192


def _sniff(data: bytes) -> None:
    """SkipFile if `data` is empty or binary (judged without copying it)."""
    if not data or data.isspace():
        raise SkipFile("empty file")
    if data.find(b"\x00", 0, _SNIFF_BYTES) >= 0:
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
    text = text.removeprefix("\ufeff")
    # Looking for the byte is far cheaper than a replace that finds nothing.
    return text.replace("\r\n", "\n") if b"\r" in data else text


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
    opening = _BOUNDARY.match(text)
    if opening is None:
        raise SkipFile("no front matter (the file must start with a --- line)")
    # What `_YAML.split` finds, without running its pattern over every character of the
    # file: the closing boundary is the first line after the opening that it matches.
    at = opening.end()
    while (at := text.find("\n---", at)) >= 0:
        closing = _BOUNDARY.match(text, at + 1)
        if closing is not None:
            return text[opening.end() : at + 1], text[closing.end() :]
        at += 1
    raise SkipFile("front matter is not closed by a --- line")


# A top-level key ends where the next line starts at column 0 with something
# other than a sequence dash, a comment or white space.
_NEXT_TOP_LEVEL_LINE = re.compile(r"\n(?=[^\s#-])")


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


# The plain YAML nearly every front matter is written in, read without PyYAML: block
# mappings and sequences, one scalar a line. Anything else (flow collections, anchors,
# tags, comments, block or multi-line scalars, most escapes, tabs, odd indentation, characters
# YAML refuses or reads as line breaks) makes `_simple_yaml` give up and PyYAML read the
# text as before. What it does read, it builds exactly as `_ArticleLoader` would: plain
# scalars are resolved by PyYAML's own implicit resolvers.
_NOT_SIMPLE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# A line: its indentation, a sequence dash, a key, and the rest (a scalar, or nothing).
_LINE = re.compile(r"^( *)(- +)?(?:([A-Za-z_][A-Za-z0-9_]{0,99}):(?: +|$))?([^\n]*)", re.MULTILINE)
_Line = tuple[int, str, str, str]
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*(?:\\["\\][^"\\]*)*)"')  # of the escapes, only \" and \\
_ESCAPED = re.compile(r'\\(["\\])')
_SINGLE_QUOTED = re.compile(r"'([^']*(?:''[^']*)*)'")
_SIMPLE_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_STR = "tag:yaml.org,2002:str"
_AS_TEXT = frozenset({_STR, "tag:yaml.org,2002:timestamp"})
_PLAIN_CACHE: dict[str, object] = {}
"""Plain scalars as read (`news`, `true`, `1200`): most files repeat most of them."""
_TEXT_KEYS: set[str] = set()


class _NotSimple(Exception):
    pass


def _tag(plain: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (`BaseResolver.resolve`)."""
    resolvers = _ArticleLoader.yaml_implicit_resolvers
    for tag, pattern in resolvers.get(plain[0], []) + resolvers.get(None, []):
        if pattern.match(plain):
            return str(tag)
    return _STR


def _key(name: str) -> str:
    if name not in _TEXT_KEYS:
        if _tag(name) != _STR:  # `true:`, `null:` are keys of other types
            raise _NotSimple
        if len(_TEXT_KEYS) < 4096:
            _TEXT_KEYS.add(name)
    return name


def _plain(raw: str) -> object:
    first = raw[0]
    if (first in _NOT_PLAIN_START and not (first == "-" and raw[1:2].isdigit())) or (
        ": " in raw or " #" in raw or raw.endswith(":")
    ):
        raise _NotSimple
    tag = _tag(raw)
    if tag in _AS_TEXT:
        return raw
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BaseLoader.bool_values[raw.lower()]
    if tag != "tag:yaml.org,2002:int" or not _SIMPLE_INT.fullmatch(raw):
        raise _NotSimple
    number = _WrittenInt(raw)
    number.written = raw
    return number


def _scalar(raw: str) -> object:
    first = raw[0]
    if first in "\"'":
        quoted = (_DOUBLE_QUOTED if first == '"' else _SINGLE_QUOTED).fullmatch(raw)
        if quoted is None:
            raise _NotSimple
        if first == "'":
            return quoted.group(1).replace("''", "'")
        return _ESCAPED.sub(r"\1", quoted.group(1)) if "\\" in raw else quoted.group(1)
    value = _PLAIN_CACHE.get(raw, _PLAIN_CACHE)
    if value is _PLAIN_CACHE:
        value = _plain(raw)
        if len(_PLAIN_CACHE) >= 4096:
            _PLAIN_CACHE.clear()
        _PLAIN_CACHE[raw] = value
    return value


def _mapping(lines: list[_Line], at: int, indent: int) -> tuple[object, int]:
    mapping: dict[object, object] = {}
    end = len(lines)
    while at < end and lines[at][0] == indent:
        _, dash, key, raw = lines[at]
        if dash or not key:
            raise _NotSimple
        at += 1
        if raw:
            value = _scalar(raw.rstrip(" "))
        elif at < end and lines[at][0] > indent:  # a block of its own: a list if it opens with a dash
            value, at = (_sequence if lines[at][1] else _mapping)(lines, at, lines[at][0])
        else:
            value = None
        mapping[key if key in _TEXT_KEYS else _key(key)] = value
        if at < end and lines[at][0] > indent:
            raise _NotSimple
    return mapping, at


def _sequence(lines: list[_Line], at: int, indent: int) -> tuple[object, int]:
    items: list[object] = []
    end = len(lines)
    while at < end and lines[at][0] == indent:
        _, dash, key, raw = lines[at]
        if not dash or not (key or raw):
            raise _NotSimple
        if key:  # `- key: value` opens a mapping at the column of its key
            lines[at] = (indent + len(dash), "", key, raw)
            value, at = _mapping(lines, at, indent + len(dash))
        else:
            value, at = _scalar(raw.rstrip(" ")), at + 1
        items.append(value)
        if at < end and lines[at][0] > indent:
            raise _NotSimple
    return items, at


def _simple_yaml(text: str) -> object:
    """The mapping `text` holds if it is written in the plain subset; _NotSimple if not."""
    if _NOT_SIMPLE.search(text):
        raise _NotSimple
    lines = [(len(ind), dash, key, raw) for ind, dash, key, raw in _LINE.findall(text) if dash or key or raw]
    if not lines or lines[0][0] != 0:
        raise _NotSimple
    value, at = _mapping(lines, 0, 0)
    if at != len(lines):
        raise _NotSimple
    return value


def _load_yaml(front: str, what: str = "front matter", first_line: int = 1) -> object:
    """The YAML value of `front`; SkipFile with a reason for people whatever goes wrong.

    `first_line` is the line of the file that `front` starts on, so the lines named in
    reasons are the lines an editor shows. Front matter as split keeps the newline
    that ends the opening "---", so it starts on line 1 too.
    """

    def _line_of(error: yaml.MarkedYAMLError) -> str:
        return f", line {error.problem_mark.line + first_line}" if error.problem_mark else ""

    try:
        return _simple_yaml(front)
    except (_NotSimple, RecursionError):
        pass  # PyYAML decides, and words any problem
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
