"""The field converters: what each front matter value becomes in an `Article` or `RelatedItem`.

One function per kind of field (text, a line, a title, a link, a whole number,
a provider, topics, images, related items), each taking whatever YAML gave
and returning the documented type or nothing. Lists are capped (MAX_TOPICS,
MAX_IMAGES, MAX_RELATED) so that a file built to blow up costs no more than
its own size. `parse` uses them for the article, `extras` for its related items.
"""

from __future__ import annotations

import re
import types

from tui.data.dates import parse_published
from tui.data.model import ImageLink, Provider, RelatedItem
from tui.data.sanitize import clean_block, clean_line
from tui.data.urls import web_url_problem

MAX_TOPICS = 64
MAX_IMAGES = 64
MAX_RELATED = 1000
_NESTED_TOPIC_DEPTH = 3

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


# `\s` in a text pattern is exactly the characters `str.isspace` accepts.
_SPACE = re.compile(r"\s")


def _url(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    # A URL with whitespace inside is not one; keep nothing rather than junk.
    return "" if _SPACE.search(text) else clean_line(text)


_SHOWN_URL_CHARS = 80


def _url_problem(name: str, value: object) -> str:
    """Why the field `name` gives no link although the file fills it in; "" when it is absent or a link.

    A field left out or blank means the article has no link. One that is there
    but unusable (`originalUrl: 42`, `originalUrl: "htp//x y"`) is a mistake in
    the file: saying which field and what is wrong lets its author fix it.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if not isinstance(value, str):
        return f"{name} is {_type_name(value)}, not a web address"
    if _url(value):
        return ""
    shown = clean_line(value)
    if len(shown) > _SHOWN_URL_CHARS:
        shown = shown[: _SHOWN_URL_CHARS - 1] + "…"
    return f"{name} “{shown}” is not a web address: {web_url_problem(value)}"


def _link_problem(original_url: object, web_url: object) -> str:
    """Why an article with these `originalUrl` and `webUrl` values has no link.

    "" when either gives a link (the article has one) or neither is filled in
    (the file gives none, and "no link" says so).
    """
    if _url(original_url) or _url(web_url):
        return ""
    problems = (_url_problem("originalUrl", original_url), _url_problem("webUrl", web_url))
    return "; ".join(problem for problem in problems if problem)


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


def _collect_topics(item: object, depth: int, names: list[str]) -> None:
    # A module function, not a closure: a recursive closure is a reference cycle per call,
    # left for the garbage collector.
    if len(names) >= MAX_TOPICS:
        return
    if isinstance(item, str):
        # "Election, Joe Biden" in a hand-written file means two topics.
        names.extend(part for part in (clean_line(p) for p in item.split(",")) if part)
    elif isinstance(item, list) and depth < _NESTED_TOPIC_DEPTH:
        # Only text names a topic: numbers, true/false and mappings are ignored.
        for child in item[:MAX_TOPICS]:
            _collect_topics(child, depth + 1, names)


def _topics(value: object) -> tuple[str, ...]:
    names: list[str] = []
    _collect_topics(value, 0, names)
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
