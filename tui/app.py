"""The newsdeck application object."""

from __future__ import annotations

import asyncio
import shutil
import signal
import threading
from contextlib import suppress
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import ClassVar, cast

from textual.app import App
from textual.binding import Binding, BindingType

import tui
from tui.data.config import Config, config_path
from tui.data.config_write import NotWritten, save_setting
from tui.data.state import StateStore
from tui.screens.main import MainScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.related_list import RelatedList


def stylesheet() -> Path:
    """The installed copy of styles/ (inside the wheel), else the checkout's."""
    package = Path(__file__).resolve().parent
    for folder in (package / "styles", package.parent / "styles"):
        candidate = folder / "app.tcss"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("newsdeck's stylesheet (styles/app.tcss) is missing from the installation")


class NewsDeckApp(App[None]):
    """Read a directory of news articles: topics, list and detail."""

    CSS_PATH = stylesheet()
    TITLE = "newsdeck"
    # Under 110 columns the sidebar hides until `t` shows it; from 195 the article sits beside
    # the list rather than under it (the list keeps the room a whole headline needs).
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (110, "-narrow"), (195, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="Quit", id="newsdeck.quit"),
        Binding("question_mark", "help", "Help", tooltip="This help", id="newsdeck.help"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            tooltip="Command palette: jump to a topic, a provider or an article by its title (fuzzy)",
            id="newsdeck.palette",
        ),
    ]

    def __init__(
        self,
        directory: Path | None = None,
        topic: str | None = None,
        *,
        use_cache: bool = True,
        search: str | None = None,
        watch: bool = True,
    ) -> None:
        super().__init__()
        self.directory = directory
        self.topic = topic
        self.use_cache = use_cache
        self.search = search
        self.watch_folder = watch
        self._demo_directory: Path | None = None
        self.farewell: list[str] = []
        """Messages for the terminal once the app has closed."""
        self.settings: Config | None = None
        """The settings file's, when opened from the command line (tests open it without)."""
        self.settings_problems: list[str] = []
        self.closing_stores: list[tuple[StateStore, threading.Thread]] = []
        """Marks files still being written as the window closes (another newsdeck held them)."""

    def on_mount(self) -> None:
        # `kill` (SIGTERM) quits as `q` does: the terminal is restored and marks are saved.
        with suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)
        screen = MainScreen(
            self.directory, self.topic, use_cache=self.use_cache, search=self.search, watch=self.watch_folder
        )
        if self.settings is not None:
            self.apply_settings(screen, self.settings)
        self.push_screen(screen)
        if self.settings_problems:
            shown = "\n".join(self.settings_problems[:5])
            more = len(self.settings_problems) - 5
            self.notify(
                shown + (f"\n… and {more} more (newsdeck config --check)" if more > 0 else ""),
                title="Settings: defaults used for what is wrong",
                severity="warning",
                markup=False,
                timeout=15,
            )

    def watch_theme(self, theme: str) -> None:
        # Chosen in the palette: kept for the next start, when the settings file is in use.
        settings = getattr(self, "settings", None)  # the theme is set once before __init__ ends
        if settings is not None and theme != settings.theme:
            self.settings = replace(settings, theme=theme)
            self.run_worker(
                partial(self._keep_theme, theme),
                thread=True,
                group="settings",
                exit_on_error=False,
                description="Saving the theme in the settings file",
            )

    def _keep_theme(self, theme: str) -> None:
        try:
            save_setting(config_path(), "theme", theme)
        except NotWritten as error:
            self.call_from_thread(
                self.notify, str(error), title="Theme not kept", severity="warning", markup=False
            )

    def apply_settings(self, screen: MainScreen, settings: Config) -> None:
        """What the settings file says, before the first screen shows (problems already left out)."""
        self.theme = settings.theme
        if settings.keymap:
            self.set_keymap(dict(settings.keymap))
        screen.set_reactive(
            ReaderScreen.spec, screen.spec.but(sort=settings.sort, unread_only=settings.unread_only)
        )
        screen.pictures_on_start = settings.pictures
        screen.call_after_refresh(self._lay_out_as_set, screen, settings)

    def _lay_out_as_set(self, screen: MainScreen, settings: Config) -> None:
        """The list's dates and the sidebar's width, once the screen's widgets exist."""
        for dated in (screen.query_one(ArticleList), screen.query_one(RelatedList)):
            dated.iso_dates = settings.date_style == "iso"
            dated.refresh()
        # A width from the user's settings, over the stylesheet's (which has the default).
        screen.query_one("#topics").styles.width = settings.sidebar_width

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette  # not needed to start: imported when asked for

        # Textual's palette, saying what ours is for: news first, app commands too.
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(
                CommandPalette(placeholder="Go to a topic, a provider or an article…", id="--command-palette")
            )

    def set_demo_directory(self, directory: Path) -> None:
        self._demo_directory = directory

    def action_help(self) -> None:
        if isinstance(self.screen, MainScreen):
            self.screen.action_help()

    def on_unmount(self) -> None:
        if self._demo_directory is not None:
            shutil.rmtree(self._demo_directory, ignore_errors=True)

    @property
    def version(self) -> str:
        return tui.__version__
