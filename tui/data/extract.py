"""A fetched page's main text as Markdown (trafilatura), made safe to show.

Navigation, ads and comments are left out by the extractor; what it keeps
(headings, paragraphs, lists, quotes, links) is text from the network and is
cleaned as a body from disk is: control characters shown, never sent to the
terminal, mojibake repaired. trafilatura (and lxml) are imported only here,
when a page is first extracted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from tui.data.sanitize import clean_block, clean_line, is_safe_line, yaml_printable
from tui.data.urls import is_web_url

WORDS_PER_MINUTE = 230


@dataclass(frozen=True, slots=True)
class Extracted:
    markdown: str
    title: str = ""
    words: int = 0
    image: str = ""
    """The page's main picture (its `og:image`), when it names an http or https one."""

    @property
    def minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))


def extract_page(html: bytes, url: str) -> Extracted | None:
    """The page's main text, or None when nothing readable is there (a paywall, a script-only page)."""
    import trafilatura
    from trafilatura.utils import decode_file

    # Control characters become visible stand-ins before the HTML is parsed: a page full
    # of escape sequences is shown as it is, not dropped, and none reaches the terminal.
    text = yaml_printable(decode_file(html))
    markdown = trafilatura.extract(
        text, url=url, output_format="markdown", include_links=True, include_comments=False, favor_recall=True
    )
    if not markdown or not markdown.strip():
        return None
    cleaned = clean_block(markdown)
    metadata = trafilatura.extract_metadata(text, default_url=url)
    title = clean_line(metadata.title) if metadata is not None and metadata.title else ""
    image = metadata.image if metadata is not None and isinstance(metadata.image, str) else ""
    image = urljoin(url, image.strip()) if image else ""
    if not (is_web_url(image) and is_safe_line(image)):
        image = ""
    return Extracted(cleaned, title, len(cleaned.split()), image)


# Link text may hold brackets of its own, escaped or balanced one level deep ("[the [b]report[/]](…)").
_LINK = re.compile(r'(?<!!)\[((?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
_ESCAPED = re.compile(r"\\(.)")


def markdown_links(markdown: str) -> list[tuple[str, str]]:
    """The links of a Markdown text, as (label, address), each address once, in order; not images."""
    found: dict[str, str] = {}
    for label, address in _LINK.findall(markdown):
        if address not in found:
            found[address] = clean_line(_ESCAPED.sub(r"\1", label)) or address
    return [(label, address) for address, label in found.items()]
