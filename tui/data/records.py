"""Articles as compact JSON records, for the cache and the parsing workers, and back.

The record layout is derived from the `Article` dataclass: one JSON array,
a value per field in declaration order (the path is the cache's key, so it
is left out). Adding a field to `Article` needs no edit here unless its type
is new, and `RECORD_VERSION` (a hash of the field list) changes by itself,
so caches written by another layout are dropped.

A record is never trusted more than the file it came from: JSON cannot
claim more memory than its own length, and `Decoder.decode` checks every
value for its type, its range and that it is text `sanitize` could have
produced, raising `BadRecord` on any surprise, which callers treat as a
cache miss. Decoding shares equal strings and providers between articles:
at 100,000 articles a few hundred providers and topics would otherwise be
stored 100,000 times over.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Callable
from dataclasses import fields
from importlib.util import find_spec
from pathlib import Path

from tui.data.dates import in_range
from tui.data.fields import MAX_IMAGES, MAX_TOPICS
from tui.data.metadata import Metadata
from tui.data.model import Article, ImageLink, Provider
from tui.data.sanitize import is_safe_block, is_safe_line

MAX_RECORD_BYTES = 4 * 1024 * 1024
"""No article's lean record comes near this: a longer one is damage."""
_MAX_ITEMS = 1000


class BadRecord(Exception):
    """A record that is not what `encode` writes: treat it as absent."""


def _line(value: object) -> str:
    if not isinstance(value, str) or not is_safe_line(value):
        raise BadRecord("text")
    return value


def _block(value: object) -> str:
    if not isinstance(value, str) or not is_safe_block(value):
        raise BadRecord("text")
    return value


_INTEGER_LIMIT = 1 << 63
"""What a fresh parse can store: a number larger than this is damage (and cannot become a float)."""


def _integer(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not -_INTEGER_LIMIT < value < _INTEGER_LIMIT:
        raise BadRecord("integer")
    return value


def _count(value: object) -> int:
    number = _integer(value)
    if number < 0:
        raise BadRecord("count")
    return number


def _optional_integer(value: object) -> int | None:
    return None if value is None else _integer(value)


def _optional_number(value: object) -> float | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise BadRecord("number")
    if isinstance(value, int) and not -_INTEGER_LIMIT < value < _INTEGER_LIMIT:
        raise BadRecord("number")  # before math.isfinite, which cannot take a 400-digit integer
    if not math.isfinite(value):
        raise BadRecord("number")
    return float(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise BadRecord("flag")
    return value


def _items(value: object, size: int | None = None, limit: int = _MAX_ITEMS) -> list[object]:
    if not isinstance(value, list) or len(value) > limit or (size is not None and len(value) != size):
        raise BadRecord("list")
    return value


def _names(value: object) -> tuple[str, ...]:
    names = tuple(_line(name) for name in _items(value, limit=MAX_TOPICS))
    if len({name.casefold() for name in names}) != len(names):
        raise BadRecord("topics")  # parsing keeps one of each
    return names


def _provider(value: object) -> tuple[str, str]:
    name, domain = _items(value, 2)
    return _line(name), _line(domain)


def _image(value: object) -> ImageLink:
    url, width, height = _items(value, 3)
    return ImageLink(_line(url), _optional_integer(width), _optional_integer(height))


def _images(value: object) -> tuple[ImageLink, ...]:
    return tuple(_image(item) for item in _items(value, limit=MAX_IMAGES))


# How each field type is written (to a JSON value) and read back (checked).
# A field of a type missing here fails at import, not at run time.
_Codec = tuple[Callable[[object], object], Callable[[object], object]]


def _same(value: object) -> object:
    return value


_CODECS: dict[str, _Codec] = {
    "str": (_same, _line),
    "int": (_same, _integer),
    "int | None": (_same, _optional_integer),
    "float | None": (_same, _optional_number),
    "bool": (_same, _flag),
    "tuple[str, ...]": (lambda names: list(names), _names),  # type: ignore[call-overload]
    "Provider": (lambda provider: [provider.name, provider.domain], _provider),  # type: ignore[attr-defined]
    "tuple[ImageLink, ...]": (
        lambda images: [[image.url, image.width, image.height] for image in images],  # type: ignore[attr-defined]
        _images,
    ),
}

_FIELDS = [field for field in fields(Article) if field.name != "path"]
_WRITERS: list[tuple[str, Callable[[object], object]]] = []
_READERS: list[tuple[str, Callable[[object], object]]] = []
for _field in _FIELDS:
    _kind = str(_field.type)
    if _kind not in _CODECS:
        raise TypeError(f"Article.{_field.name} has a type records cannot store: {_kind}")
    _write, _read = _CODECS[_kind]
    if _field.metadata.get("text") == "block":
        _read = _block
    if _field.metadata.get("count"):
        _read = _count
    _WRITERS.append((_field.name, _write))
    _READERS.append((_field.name, _read))


def _parsing_sources() -> bytes:
    """The code that decides what a file yields: a change to it makes every record stale.

    Read from the files without importing them: a warm start needs this version,
    not the YAML reader those modules bring in.
    """
    sources = b""
    for name in (
        "parse",
        "front_matter",
        "fields",
        "sanitize",
        "urls",
        "dates",
        "folding",
        "metadata",
        "related_links",
    ):
        module = f"tui.data.{name}"
        spec = find_spec(module)
        try:
            sources += Path(spec.origin if spec is not None and spec.origin else "").read_bytes()
        except OSError:  # installed without sources: the field list still versions the layout
            sources += module.encode()
    return sources


RECORD_VERSION = int(
    hashlib.sha256(
        ";".join(f"{field.name}:{field.type}" for field in _FIELDS).encode() + _parsing_sources()
    ).hexdigest()[:6],
    16,
)
"""Changes whenever `Article`'s fields or the parsing code do, so no stale record is ever read."""


def encode(article: Article) -> bytes:
    values = [write(getattr(article, name)) for name, write in _WRITERS]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


class Decoder:
    """Turns records back into checked articles, sharing repeated values."""

    def __init__(self, metadata: Metadata | None = None) -> None:
        self._metadata = metadata or Metadata()
        self._providers: dict[tuple[str, str], Provider] = {}
        self._topics: dict[tuple[str, ...], tuple[str, ...]] = {}

    def provider(self, name: str, domain: str) -> Provider:
        key = (name, domain)
        provider = self._providers.get(key)
        if provider is None:
            # The _data definitions fill in whichever of name and domain is missing.
            known_name = name or self._metadata.provider_names.get(domain.lower(), "")
            known_domain = domain or self._metadata.provider_domains.get(name.casefold(), "")
            provider = self._providers[key] = Provider(sys.intern(known_name), sys.intern(known_domain))
        return provider

    def topics(self, topics: tuple[str, ...]) -> tuple[str, ...]:
        shared = self._topics.get(topics)
        if shared is None:
            shared = self._topics[topics] = tuple(sys.intern(name) for name in topics)
        return shared

    def decode(self, path: str, payload: object) -> Article:
        """The article `payload` holds; BadRecord if it is anything but a record `encode` wrote."""
        if not isinstance(payload, bytes) or len(payload) > MAX_RECORD_BYTES:
            raise BadRecord("payload")
        try:
            values = json.loads(payload)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise BadRecord("not JSON") from None
        if not isinstance(values, list) or len(values) != len(_READERS):
            raise BadRecord("layout")
        checked = {name: read(value) for (name, read), value in zip(_READERS, values, strict=True)}
        published = checked["published"]
        if not checked["title"] or (isinstance(published, float) and not in_range(published)):
            raise BadRecord("title or date")
        checked["provider"] = self.provider(*checked["provider"])  # type: ignore[misc]
        checked["topics"] = self.topics(checked["topics"])  # type: ignore[arg-type]
        return Article(path=path, **checked)  # type: ignore[arg-type]

    def decode_fresh(self, path: str, payload: bytes) -> Article:
        """The article a parse of ours has just encoded (in this process or a worker of ours).

        Not checked again field by field as a cache row is: the parse that wrote it is
        what the checks stand for, and at 100,000 files they were a fifth of a first load.
        ValueError or TypeError if the payload is not a record at all.
        """
        values = json.loads(payload)
        if not isinstance(values, list) or len(values) != len(_TRUSTED):
            raise ValueError("not a record")
        fields = {name: convert(value) for (name, convert), value in zip(_TRUSTED, values, strict=True)}
        fields["provider"] = self.provider(*fields["provider"])  # type: ignore[misc]
        fields["topics"] = self.topics(fields["topics"])  # type: ignore[arg-type]
        return Article(path=path, **fields)  # type: ignore[arg-type]


def _as_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _as_images(value: object) -> tuple[ImageLink, ...]:
    return tuple(ImageLink(*image) for image in value)  # type: ignore[attr-defined]


_AS_WRITTEN: dict[str, Callable[[object], object]] = {
    "float | None": _as_float,
    "tuple[str, ...]": tuple,  # type: ignore[dict-item]
    "Provider": tuple,  # type: ignore[dict-item]
    "tuple[ImageLink, ...]": _as_images,
}
_TRUSTED = [(field.name, _AS_WRITTEN.get(str(field.type), _same)) for field in _FIELDS]
