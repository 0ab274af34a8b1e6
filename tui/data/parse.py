"""Turn the bytes of one article file into an `Article`, or say why not.

Everything here treats the file as hostile: YAML is read with the safe C
loader (tags that would build objects are refused, never run), every field
is checked for its type, and lists are capped so that a file built to blow
up (alias bombs, giant lists) costs no more than its own size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import frontmatter
import yaml

from tui.data.dates import parse_published, read_published
from tui.data.folding import body_words
from tui.data.model import Article, ImageLink, Provider, RelatedItem
from tui.data.sanitize import clean_block, clean_line, yaml_printable

MAX_FILE_BYTES = 8 * 1024 * 1024
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


def _checked_scalar(kind: str) -> Callable[[yaml.SafeLoader, yaml.Node], object]:
    """PyYAML's constructor for `!!kind`, saying what is wrong instead of raising KeyError.

    `!!bool maybe` or `!!int ""` make PyYAML index a table or an empty string:
    KeyError or IndexError, with no line. Every YAML file newsdeck reads (articles and
    `_data`) goes through this loader, so each is told the same clear reason.
    """
    construct = getattr(_BaseLoader, f"construct_yaml_{kind}")

    def checked(loader: yaml.SafeLoader, node: yaml.Node) -> object:
        try:
            return construct(loader, node)
        except (KeyError, IndexError, ValueError, TypeError, OverflowError):
            shown = clean_line(str(node.value))[:40]
            raise yaml.constructor.ConstructorError(
                None, None, f"a !!{kind} value that is not {_SCALAR_KINDS[kind]} ({shown!r})", node.start_mark
            ) from None

    return checked


for _kind in _SCALAR_KINDS:
    _ArticleLoader.add_constructor(f"tag:yaml.org,2002:{_kind}", _checked_scalar(_kind))

_YAML = frontmatter.YAMLHandler()


def too_large(size: int) -> SkipFile:
    return SkipFile(
        f"file too large ({size / 1_048_576:.1f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB)"
    )


class SkipFile(Exception):
    """A file that is not an article; the message is shown to the user."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


def _type_name(value: object) -> str:
    return {
        list: "a list",
        dict: "a mapping",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _line(value: object) -> str:
    return clean_line(_text(value))


def _url(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    # A URL with whitespace inside is not one; keep nothing rather than junk.
    return "" if any(ch.isspace() for ch in text) else clean_line(text)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


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
        elif isinstance(item, int | float) and not isinstance(item, bool):
            names.append(str(item))
        elif isinstance(item, list) and depth < _NESTED_TOPIC_DEPTH:
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
        title = _line(item.get("title"))
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
        return 1 if isinstance(value, dict) and _line(value.get("title")) else 0
    return sum(1 for item in value if isinstance(item, dict) and _text(item.get("title")).strip())


def decode(data: bytes) -> str:
    """The file's text, or SkipFile saying why it has none."""
    if not data.strip():
        raise SkipFile("empty file")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise SkipFile("binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SkipFile(f"not UTF-8 text (byte 0x{data[error.start]:02X} at offset {error.start})") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


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


def parse_article(data: bytes, path: str) -> Article:
    """Parse one file; `path` is what the article is known by (relative)."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large(len(data))
    front, body = split_front_matter(decode(data))
    lean, related = cut_top_level(front, "related")
    lean = cut_top_level(lean, "secured")[0]
    try:
        fields = _load_yaml(lean)
    except SkipFile:
        if lean is front:
            raise
        # Whatever went wrong is reported as the whole front matter has it.
        fields = _load_yaml(front)
    if fields is None:
        raise SkipFile("front matter is empty")
    if not isinstance(fields, dict):
        raise SkipFile(f"front matter is {_type_name(fields)}, not a mapping of fields")
    raw_title = fields.get("title")
    if raw_title is None:
        raise SkipFile("no title")
    if isinstance(raw_title, list | dict | bool):
        raise SkipFile(f"title is {_type_name(raw_title)}, not text")
    title = _line(raw_title)
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
        related_size=len(related or ""),
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
    try:
        front, body = split_front_matter(decode(data))
    except SkipFile as error:
        return ArticleExtras(problem=error.reason)
    related_text = cut_top_level(front, "related")[1]
    if related_text is None:
        return ArticleExtras(body=clean_block(body))
    try:
        fields = _load_yaml(related_text, first_line=front[: front.find(related_text)].count("\n") + 1)
    except SkipFile as error:
        return ArticleExtras(
            body=clean_block(body), problem=f"related items could not be read: {error.reason}"
        )
    value = fields.get("related") if isinstance(fields, dict) else None
    return ArticleExtras(body=clean_block(body), related=_related(value), related_total=_count_related(value))


def read_yaml_mapping(text: str) -> dict[object, object]:
    """The mapping a metadata file holds (YAML, or front matter); SkipFile saying why not."""
    if _YAML.detect(text):
        value = _load_yaml(split_front_matter(text)[0], "the file")
    else:
        value = _load_yaml(text, "the file", first_line=1)
    if not isinstance(value, dict):
        raise SkipFile(f"the file holds {_type_name(value)}, not a mapping of fields")
    return value
