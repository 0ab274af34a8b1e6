"""Pictures: the article's lead picture at the top of the detail view; `i` turns them off and on."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.timer import Timer

from tui.data.fetch import IMAGE_LIMITS
from tui.data.model import Article
from tui.data.pictures import PictureCache, load_picture
from tui.data.urls import is_web_url, web_url_problem
from tui.screens.reader import ReaderScreen
from tui.widgets.lead_picture import LeadPicture

LIMITS = IMAGE_LIMITS
"""For every picture fetched (tests set shorter timeouts)."""
SETTLE_SECONDS = 0.15
"""A picture is asked for once the reader stops on an article, not for every row skimmed past."""


class PicturesPart(ReaderScreen):
    """Fetches (or takes from the disk cache) the picture the detail view asks for, off the UI thread."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i",
            "toggle_pictures",
            "Pictures",
            show=False,
            tooltip="Show the article's picture at the top of the detail view, or stop showing pictures",
            id="newsdeck.pictures",
        ),
    ]

    _picture_timer: Timer | None = None
    pictures_on_start = True
    """Off when the settings file says `pictures = false` (`i` still turns them on)."""

    def on_mount(self) -> None:
        if not self.pictures_on_start:
            self.query_one(LeadPicture).set_enabled(False)

    def action_toggle_pictures(self) -> None:
        picture = self.query_one(LeadPicture)
        enabled = not picture.enabled
        picture.set_enabled(enabled)
        if enabled:
            note = "Pictures on." if self.directory is not None else "Pictures on (the demo has none)."
        else:
            note = "Pictures off: i shows them again."
        self.notify(note, markup=False, timeout=3)

    def on_lead_picture_wanted(self, message: LeadPicture.Wanted) -> None:
        message.stop()
        picture = self.query_one(LeadPicture)
        article, url = message.article, message.url
        if self._picture_timer is not None:
            self._picture_timer.stop()
        self.workers.cancel_group(self, "pictures")  # another picture, or none, is wanted now
        if article is None or not url:
            return
        if not picture.is_for(article, url):
            return  # asked for an article already left behind
        if self.directory is None:
            return  # the demo's articles are made up, and their pictures' addresses too
        if not is_web_url(url):
            picture.show_reason(f"its address is not a web address ({web_url_problem(url) or url}).")
            return
        picture.show_loading(url)
        # Holding j skims past articles: no request goes out for a picture passed by.
        self._picture_timer = self.set_timer(SETTLE_SECONDS, lambda: self._start_picture(article, url))

    def _start_picture(self, article: Article, url: str) -> None:
        picture = self.query_one(LeadPicture)
        if picture.is_for(article, url):
            self._load_picture(article, url, picture.box())

    @work(exclusive=True, group="pictures", exit_on_error=False, description="Fetching the article's picture")
    async def _load_picture(self, article: Article, url: str, box: tuple[int, int]) -> None:
        # Exclusive: moving to another article cancels the fetch of this one's picture.
        result = await load_picture(url, box, cache=PictureCache(), limits=LIMITS)
        picture = self.query_one(LeadPicture)
        if picture.is_for(article, url):
            picture.show_picture(result)

    def job_failed(self, group: str, message: str) -> None:
        picture = self.query_one(LeadPicture)
        if group == "pictures" and picture.state == "loading":
            picture.show_reason("something went wrong (see the notice).")
        super().job_failed(group, message)
