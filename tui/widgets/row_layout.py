"""The one-line "title · provider · date" row shared by the article and related lists.

Columns line up from row to row. The title column takes what is left after
the provider and the date, up to `MAX_TITLE` cells: past that, a wider
window gives the room to the detail view instead (see the breakpoints in
`tui.app`), so the title never gets shorter as the window grows.
"""

from __future__ import annotations

import time

from rich.style import Style
from rich.text import Text

MAX_TITLE = 80
"""Cells for the title: a typical headline (60 to 80 characters) fits whole."""
DATE_WIDTH = 11
"""`Mar 24`, or `Mar 24 2023` when it is not this year; the full date is in the detail view."""
_GAPS = 2 + 2 + 1
FLAG_CELLS = 3
"""Before the title: unread, starred, and full text kept (reader mode)."""


def provider_width(width: int) -> int:
    return max(8, min(22, width // 6))


def title_width(width: int, cap: int = MAX_TITLE) -> int:
    """Cells for the title text in a row `width` cells wide (the flag cells aside)."""
    return max(1, min(cap, width - FLAG_CELLS - provider_width(width) - DATE_WIDTH - _GAPS))


def compact_date(timestamp: float | None, now: float | None = None, *, iso: bool = False) -> str:
    """`Mar 24` this year, `Mar 24 2023` otherwise (`iso`: `2023-03-24`), in local time; "undated"
    without a date."""
    if timestamp is None:
        return "undated"
    try:
        moment = time.localtime(timestamp)
        if iso:
            return time.strftime("%Y-%m-%d", moment)
        this_year = time.localtime(now if now is not None else time.time()).tm_year
    except (OverflowError, OSError, ValueError):
        return "undated"
    day = f"{time.strftime('%b', moment)} {moment.tm_mday:>2}"
    return day if moment.tm_year == this_year else f"{day} {moment.tm_year:04d}"


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
    title_cap: int = MAX_TITLE,
    iso_dates: bool = False,
    note: Text | None = None,
) -> Text:
    """Flag, title, provider and date; the row is padded to `width`.

    `flag` comes before the title (unread, starred and kept-text marks); spaces without it.
    """
    lead = flag or Text(" " * FLAG_CELLS)
    title_cells = title_width(width, title_cap)
    title_text = Text(title, style=title_style, no_wrap=True)
    for start, end in matches:
        title_text.stylize(match_style or "", start, end)
    if note is not None:
        # "+5 sources" stays whole: the title gives way to it.
        title_text.truncate(max(1, title_cells - note.cell_len), overflow="ellipsis")
        title_text.append_text(note)
    title_text.truncate(title_cells, overflow="ellipsis", pad=True)
    # What the title does not use goes to the provider, so a long name is not cut needlessly.
    spare = width - FLAG_CELLS - title_cells - DATE_WIDTH - _GAPS
    provider_text = Text(provider, provider_style)
    provider_text.truncate(max(1, spare), overflow="ellipsis", pad=True)
    date_text = Text(compact_date(published, iso=iso_dates), date_style, justify="right")
    date_text.truncate(DATE_WIDTH, overflow="ellipsis")
    date_text.pad_left(DATE_WIDTH - date_text.cell_len)
    return Text.assemble(lead, title_text, "  ", provider_text, "  ", date_text, " ")
