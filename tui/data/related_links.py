"""The links an article's `related` list names, kept small enough to hold for every article.

A file's related items are most of its bytes and are never held (see `extras`);
grouping stories needs only where they point. So the links of the first
`MAX_LINKS` items are read with a line pattern (no YAML: this runs for every
file on a cold load) and each kept as a short digest (`link_key`): 12 hex
digits, a few hundred bytes for an article, none for most.

These keys are evidence, never trusted: a damaged cache may hold any text here,
and a key that matches no article's own link simply links nothing.
"""

from __future__ import annotations

import hashlib

MAX_LINKS = 10
"""Links read from the top of a related list: the items nearest the article come first."""
KEY_LENGTH = 12
"""Hex digits of a link's digest: 48 bits, so 100,000 articles' links almost never collide."""
MAX_SCANNED = 64 * 1024
"""Characters of a related block looked through for its first links: the rest is further items."""
_WEB = ("http://", "https://")
_LINK_FIELDS = ("web", "original")
"""An item's own link, as the reader opens it (`RelatedItem.url`)."""


def link_key(url: str) -> str:
    """The digest by which a link is known here (the same for the same text)."""
    return hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=KEY_LENGTH // 2).hexdigest()


def _scalar(value: str) -> str:
    """A one-line YAML scalar's text: quoted or plain (a ` #` comment ends a plain one)."""
    value = value.strip()
    if value[:1] in {'"', "'"}:
        closing = value.find(value[0], 1)
        return value[1:closing] if closing > 0 else ""
    return value.split(" #", 1)[0].strip()


def related_link_keys(block: str, start: int = 0, stop: int | None = None) -> str:
    """The keys (`link_key`) of the first links a related block (`block[start:stop]`, not
    copied out) names, end to end.

    Found with `str.find`, which runs at memory speed, not with a pattern tried at every
    line: this runs over every file of a cold load, and most of a file is its related block.
    """
    end = min(len(block) if stop is None else stop, start + MAX_SCANNED)
    keys: list[str] = []
    at = block.find("Url:", start, end)
    while at >= 0:
        # The field's own line (`    webUrl:`, `  - originalUrl:`), not `ampWebUrl:` or a value.
        for name in _LINK_FIELDS:
            opening = at - len(name)
            if (
                opening >= start
                and block.startswith(name, opening)
                and (opening == start or block[opening - 1] in " -\n")
            ):
                line_end = block.find("\n", at, end)
                url = _scalar(block[at + 4 : line_end if line_end >= 0 else end])
                if url.startswith(_WEB) and " " not in url and (key := link_key(url)) not in keys:
                    keys.append(key)
                    if len(keys) == MAX_LINKS:
                        return "".join(keys)
                break
        at = block.find("Url:", at + 4, end)
    return "".join(keys)


def split_keys(keys: str) -> list[str]:
    """The keys `related_link_keys` wrote (anything else yields keys that match nothing)."""
    return [keys[at : at + KEY_LENGTH] for at in range(0, len(keys) - KEY_LENGTH + 1, KEY_LENGTH)]
