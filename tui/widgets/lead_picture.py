"""The article's lead picture at the top of the detail view, drawn by textual-image.

Which way a picture is drawn is decided from the environment, never by asking the
terminal: textual-image asks (and waits up to a tenth of a second for each answer) when
it is first imported, which at start-up would cost every launch that wait, and once
Textual reads the keyboard would race it for the answers (they would arrive as key
presses). So textual-image is imported only when the first picture is shown, with its
questions turned off (`_no_terminal_queries`), and the widget class is chosen here:
Kitty graphics in kitty and Ghostty, Sixel in WezTerm, foot, mlterm and iTerm2, Unicode
half-blocks everywhere else, tmux and screen included (they pass neither through
reliably). `$NEWSDECK_GRAPHICS` (kitty, sixel or halfblocks) overrides the choice, for a
terminal this cannot recognise (xterm started with Sixel, say).
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from tui.data.model import Article
from tui.data.pictures import Picture, fit_cells
from tui.data.sanitize import visible

if TYPE_CHECKING:
    from textual_image.widget._base import Image as ImageWidget

Graphics = Literal["kitty", "sixel", "halfblocks"]
GRAPHICS_ENV = "NEWSDECK_GRAPHICS"
MAX_ROWS = 16
"""The tallest a picture is drawn, in rows; it also takes at most half of the pane's height."""
_FALLBACK_CELL = (10, 20)
"""A cell's size in pixels when the terminal does not say (textual-image's own guess, a VT340's)."""


def choose_graphics(environ: Mapping[str, str], stdout_is_terminal: bool) -> Graphics:
    """How pictures are drawn, from the environment alone (see the module docstring)."""
    forced = environ.get(GRAPHICS_ENV, "").strip().lower()
    if forced == "halfblocks" or not stdout_is_terminal:
        return "halfblocks"  # Kitty and Sixel data go to standard output: it must be the terminal
    if forced in ("kitty", "sixel"):
        return "kitty" if forced == "kitty" else "sixel"
    term = environ.get("TERM", "").lower()
    program = environ.get("TERM_PROGRAM", "").lower()
    if environ.get("TMUX") or term.startswith(("screen", "tmux")):
        return "halfblocks"
    if term in ("xterm-kitty", "xterm-ghostty") or program == "ghostty":
        return "kitty"  # both draw Kitty images in place of Unicode placeholders, as textual-image does
    # WezTerm answers Kitty's query but not its placeholders; its Sixel works.
    if program in ("wezterm", "iterm.app") or term.startswith(("wezterm", "foot", "mlterm")):
        return "sixel"
    return "halfblocks"


def _stdout_is_terminal() -> bool:
    stdout = sys.__stdout__
    try:
        return stdout is not None and stdout.isatty()
    except (ValueError, OSError):  # closed
        return False


@functools.cache
def graphics() -> Graphics:
    return choose_graphics(os.environ, _stdout_is_terminal())


@functools.cache
def cell_pixels() -> tuple[int, int]:
    """A cell's (width, height) in pixels, from the terminal's window size: no question asked."""
    try:
        import fcntl
        import struct
        import termios

        assert sys.__stdout__ is not None
        answer = fcntl.ioctl(sys.__stdout__.fileno(), termios.TIOCGWINSZ, bytes(8))
        rows, columns, width, height = struct.unpack("HHHH", answer)
    except (ImportError, AssertionError, OSError, ValueError):
        return _FALLBACK_CELL
    if rows and columns and width >= columns and height >= rows:
        return (width // columns, height // rows)
    return _FALLBACK_CELL


def drawn_cell(kind: Graphics) -> tuple[int, int]:
    """The pixels of a picture one cell shows: a half-block cell is one wide and two high."""
    return (1, 2) if kind == "halfblocks" else cell_pixels()


@contextmanager
def _no_terminal_queries() -> Iterator[None]:
    """While textual-image is imported, standard output is not a terminal to it: it asks nothing."""
    original = sys.__stdout__
    sys.__stdout__ = io.TextIOWrapper(io.BytesIO())  # type: ignore[misc]
    try:
        yield
    finally:
        sys.__stdout__ = original  # type: ignore[misc]


@functools.cache
def image_class(kind: Graphics) -> type[ImageWidget]:
    """textual-image's widget for `kind`, imported the first time a picture is shown."""
    with _no_terminal_queries():
        from textual_image._terminal import CellSize, get_cell_size

        # textual-image keeps the cell size it measured on the function; give it ours, so that
        # importing its widgets (which measure first thing) asks the terminal nothing.
        get_cell_size.__dict__.setdefault("_result", CellSize(*cell_pixels()))
        from textual_image.widget import HalfcellImage, SixelImage, TGPImage
    if kind == "kitty":
        return TGPImage
    return SixelImage if kind == "sixel" else HalfcellImage


class LeadPicture(Vertical):
    """Nothing, a loading line, the picture scaled to the pane, or one line saying why not."""

    class Wanted(Message):
        """`url` is the picture of `article` and should be shown: the screen fetches it.

        With no article or no address, nothing is wanted: a fetch under way can stop.
        """

        def __init__(self, article: Article | None, url: str) -> None:
            super().__init__()
            self.article = article
            self.url = url

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.enabled = True
        """`i` turns pictures off (and on again)."""
        self.article: Article | None = None
        self.url = ""
        self.state: Literal["empty", "loading", "picture", "placeholder"] = "empty"
        self._from_page = False
        self._picture: Picture | None = None
        self._image: ImageWidget | None = None
        self._fitted = (0, 0)

    def compose(self) -> ComposeResult:
        yield Static(id="lead-picture-line", markup=False)

    def on_mount(self) -> None:
        self.display = False

    # What to show ----------------------------------------------------------------

    def want(self, article: Article | None, url: str) -> None:
        """Show `url` as the picture of `article` ("": none); the screen is asked to fetch it."""
        if article is self.article and (url == self.url or (not url and self._from_page)):
            return  # the same article shown again: its picture stays
        self.article, self.url, self._from_page = article, url, False
        self._ask()

    def want_from_page(self, article: Article | None, url: str) -> None:
        """The page's main picture, found with its full text: used when the article names none."""
        if article is self.article and article is not None and url and not self.url:
            self.url, self._from_page = url, True
            self._ask()

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self._ask()

    @property
    def shown(self) -> Picture | None:
        """The picture drawn now, if one is."""
        return self._picture

    def is_for(self, article: Article, url: str) -> bool:
        """Is the picture of `article` at `url` still the one to show? (The reader may have moved on.)"""
        return self.enabled and article is self.article and url == self.url

    def _ask(self) -> None:
        self._clear()
        wanted = self.enabled and self.article is not None and bool(self.url)
        self.post_message(self.Wanted(self.article, self.url) if wanted else self.Wanted(None, ""))

    # How it looks ----------------------------------------------------------------

    def show_loading(self, url: str) -> None:
        try:
            host = urlsplit(url).hostname or url
        except ValueError:
            host = url
        self._line(f"Loading the picture from {visible(host)}…", "loading")

    def show_reason(self, reason: str) -> None:
        self._line(f"Picture not shown: {visible(reason)}", "placeholder")

    def show_picture(self, picture: Picture) -> None:
        if picture.image is None:
            self.show_reason(picture.reason)
            return
        self._picture = picture
        self.query_one("#lead-picture-line").display = False
        if self._image is None:
            self._image = image_class(graphics())(id="lead-picture-image")
            self.mount(self._image)
        self._image.image = picture.image
        self._image.display = True
        self.state = "picture"
        self.display = True
        self._fit()

    def box(self) -> tuple[int, int]:
        """The most pixels a picture can show here: decoded pictures are scaled down to it."""
        cell_width, cell_height = drawn_cell(graphics())
        columns, _ = self._room()
        return (columns * cell_width, MAX_ROWS * cell_height)

    def on_resize(self) -> None:
        self._fit()

    def _room(self) -> tuple[int, int]:
        pane = self.parent
        region = pane.scrollable_content_region if isinstance(pane, Widget) else self.region
        columns = region.width or self.size.width or 80
        return (max(1, columns), max(3, min(MAX_ROWS, region.height // 2)))

    def _fit(self) -> None:
        """The picture as wide as the pane, at most as high as `_room` allows, its shape kept."""
        picture, image = self._picture, self._image
        if picture is None or picture.image is None or image is None or self.state != "picture":
            return
        columns, rows = fit_cells(picture.image.size, drawn_cell(graphics()), *self._room())
        if (columns, rows) != self._fitted:
            # From the picture's shape and the pane's size: set here, not in the stylesheet.
            self._fitted = (columns, rows)
            image.styles.width = columns
            image.styles.height = rows

    def _line(self, text: str, state: Literal["loading", "placeholder"]) -> None:
        self._hide_image()
        line = self.query_one("#lead-picture-line", Static)
        line.update(text)
        line.display = True
        self.state = state
        self.display = True

    def _clear(self) -> None:
        self._hide_image()
        self.query_one("#lead-picture-line", Static).update("")
        self.state = "empty"
        self.display = False

    def _hide_image(self) -> None:
        self._picture = None
        self._fitted = (0, 0)
        if self._image is not None:
            self._image.image = None  # a Kitty image is deleted from the terminal too
            self._image.display = False
