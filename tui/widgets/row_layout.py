"""The one-line "title · provider · date" row shared by the article and related lists."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from tui.data.dates import format_local

DATE_WIDTH = 16
_NARROW = 48


def headline_row(
    title: str,
    provider: str,
    published: float | None,
    width: int,
    *,
    provider_style: Style,
    date_style: Style,
    matches: list[tuple[int, int]] = (),  # type: ignore[assignment]
    match_style: Style | None = None,
    flag: Text | None = None,
    title_style: Style | str = "",
) -> Text:
    """Columns that line up from row to row: the title takes what is left.

    `flag` comes before the title (unread and starred marks); a space without it.
    """
    provider_width = max(8, min(22, width // 5))
    date_width = DATE_WIDTH if width >= _NARROW else 10
    title_width = max(1, width - provider_width - date_width - 3)
    lead = flag or Text(" ")
    title_text = Text.assemble(lead, (title, title_style), no_wrap=True)
    for start, end in matches:
        title_text.stylize(match_style or "", start + len(lead), end + len(lead))
    title_text.truncate(title_width, overflow="ellipsis", pad=True)
    provider_text = Text(provider, provider_style)
    provider_text.truncate(provider_width, overflow="ellipsis", pad=True)
    date_text = Text(format_local(published)[:date_width] or "undated", date_style)
    date_text.truncate(date_width, overflow="ellipsis", pad=True)
    return Text.assemble(title_text, " ", provider_text, " ", date_text, " ")
