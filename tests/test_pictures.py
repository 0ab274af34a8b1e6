"""Pictures in the detail view: fetched from a real local server, kept on disk, `i` turns them off."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import REPO, ArticleWriter, loaded
from PIL import Image
from pytest_httpserver import HTTPServer
from test_fetch import FAST
from textual.pilot import Pilot
from textual.widgets import Static
from werkzeug import Request, Response

import tui.screens.pictures
import tui.screens.reader_mode
from tui.app import NewsDeckApp
from tui.data.fetch import Limits
from tui.data.pictures import MAX_PIXELS, PictureCache, decode_picture, fit_cells, load_picture
from tui.screens.main import MainScreen
from tui.widgets.article_detail import ArticleDetail
from tui.widgets.lead_picture import LeadPicture, choose_graphics

PICTURE_LIMITS = Limits(connect_seconds=2.0, read_seconds=2.0, max_bytes=200_000)


@pytest.fixture(autouse=True)
def quick_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tui.screens.pictures, "LIMITS", PICTURE_LIMITS)
    monkeypatch.setattr(tui.screens.reader_mode, "LIMITS", FAST)


def png(width: int = 64, height: int = 40, color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG header saying `width` × `height`, with next to no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def image_response(data: bytes, content_type: str = "image/png") -> Response:
    return Response(data, content_type=content_type)


def with_picture(
    write_article: ArticleWriter, name: str, title: str, picture: str, published: str = "2024-03-01T10:00:00Z"
) -> None:
    write_article(
        name,
        title=title,
        url=f"https://news.example/{name}",
        published=published,
        extra=f'images:\n  - url: "{picture}"',
    )


@asynccontextmanager
async def reading(app: NewsDeckApp) -> AsyncIterator[tuple[Pilot[None], MainScreen, LeadPicture]]:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await loaded(pilot)
        picture = screen.query_one(LeadPicture)
        await settled(pilot, screen, picture)
        yield pilot, screen, picture


async def settled(pilot: Pilot[None], screen: MainScreen, picture: LeadPicture) -> None:
    """Once the picture asked for is shown, or said not to be (or none was asked for)."""
    for _ in range(200):
        await pilot.pause()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        if picture.state != "loading":
            return
    raise AssertionError("the picture never finished loading")


def line(picture: LeadPicture) -> str:
    return str(picture.query_one("#lead-picture-line", Static).content)


def image_shown(picture: LeadPicture) -> bool:
    images = picture.query("#lead-picture-image")
    return picture.display and picture.state == "picture" and bool(images) and images.first().display


async def test_the_picture_is_shown_and_i_turns_pictures_off_and_on(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/lead.png").respond_with_response(image_response(png()))
    with_picture(write_article, "a.md", "Storm reaches the coast", httpserver.url_for("/lead.png"))
    async with reading(NewsDeckApp(seed)) as (pilot, screen, picture):
        assert image_shown(picture)
        detail = screen.query_one(ArticleDetail)
        assert detail.children[0] is picture  # at the top of the detail view
        image = picture.query_one("#lead-picture-image")
        assert 0 < image.size.width <= detail.scrollable_content_region.width and 0 < image.size.height <= 16
        await pilot.press("i")
        assert not picture.display and picture.state == "empty"
        await pilot.press("i")
        await settled(pilot, screen, picture)
        assert image_shown(picture)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"plain words, served as a PNG", "Not a picture newsdeck can read"),
        (png(300, 200)[:200], "The picture is damaged"),
        (png_declaring(100_000, 100_000), "too large to decode"),
        (png_declaring(8_000, 6_000), "too large to decode (8,000×6,000 pixels)"),
        (b"\0" * 300_000, "larger than"),  # over the cap (200 kB here, 10 MB for real)
    ],
    ids=["not-an-image", "truncated", "bomb", "over-max-pixels", "over-the-cap"],
)
async def test_a_broken_or_huge_picture_is_one_line_saying_why(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer, body: bytes, said: str
) -> None:
    httpserver.expect_request("/lead.png").respond_with_response(image_response(body))
    with_picture(write_article, "a.md", "Storm reaches the coast", httpserver.url_for("/lead.png"))
    async with reading(NewsDeckApp(seed)) as (_pilot, _screen, picture):
        assert picture.state == "placeholder" and not image_shown(picture)
        assert line(picture).startswith("Picture not shown: ") and said in line(picture)
        assert "\n" not in line(picture)


async def test_the_page_picture_is_shown_with_the_full_text(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    page = (
        '<html><head><title>Storm</title><meta property="og:image" content="/og.png"></head><body>'
        "<article><h1>Storm reaches the coast</h1>"
        + "<p>The storm reached the coast on Tuesday night, bringing winds and heavy rain.</p>" * 5
        + "</article></body></html>"
    )
    httpserver.expect_request("/story").respond_with_response(Response(page, content_type="text/html"))
    httpserver.expect_request("/og.png").respond_with_response(image_response(png()))
    write_article("a.md", title="Storm reaches the coast", url=httpserver.url_for("/story"))
    async with reading(NewsDeckApp(seed)) as (pilot, screen, picture):
        assert picture.state == "empty" and not picture.display  # nothing named yet
        await pilot.press("r")
        await settled(pilot, screen, picture)
        assert image_shown(picture) and picture.url == httpserver.url_for("/og.png")
        await pilot.press("r")  # back to the summary: the article's picture stays
        await settled(pilot, screen, picture)
        assert image_shown(picture)


@pytest.mark.parametrize("second_has_picture", [False, True], ids=["none", "its-own"])
async def test_moving_on_never_shows_the_previous_articles_picture(
    write_article: ArticleWriter, seed: Path, second_has_picture: bool
) -> None:
    server = HTTPServer(threaded=True)  # the slow answer must not hold up the other
    server.start()
    answer = threading.Event()

    def slow(request: Request) -> Response:
        answer.wait(10)  # until the reader has moved on
        return image_response(png(color=(255, 0, 0)))

    try:
        server.expect_request("/first.png").respond_with_handler(slow)
        server.expect_request("/second.png").respond_with_response(image_response(png(color=(0, 0, 255))))
        # Shown first, without a picture: loading the app never waits on the slow one.
        write_article(
            "0.md", title="The newest", url="https://news.example/0", published="2025-01-01T00:00:00Z"
        )
        with_picture(write_article, "a.md", "Slow picture", server.url_for("/first.png"))
        if second_has_picture:
            with_picture(
                write_article, "b.md", "Older", server.url_for("/second.png"), "2020-01-01T00:00:00Z"
            )
        else:
            write_article(
                "b.md", title="Older", url="https://news.example/b", published="2020-01-01T00:00:00Z"
            )
        async with NewsDeckApp(seed).run_test(size=(120, 40)) as pilot:
            screen = await loaded(pilot)
            picture = screen.query_one(LeadPicture)
            detail = screen.query_one(ArticleDetail)
            await pilot.press("down")
            assert picture.state == "loading" and "Loading the picture from" in line(picture)
            await pilot.press("down")
            answer.set()
            await settled(pilot, screen, picture)
            assert detail.article is not None and detail.article.title == "Older"
            if second_has_picture:
                assert image_shown(picture) and picture.url == server.url_for("/second.png")
                assert picture.shown is not None and picture.shown.image is not None
                assert picture.shown.image.getpixel((0, 0)) == (0, 0, 255)
            else:
                assert picture.state == "empty" and not picture.display
    finally:
        answer.set()
        server.clear()
        if server.is_running():
            server.stop()


async def test_a_picture_shown_once_is_shown_with_the_server_gone(
    write_article: ArticleWriter, seed: Path
) -> None:
    server = HTTPServer()
    server.start()
    server.expect_request("/lead.png").respond_with_response(image_response(png()))
    with_picture(write_article, "a.md", "Storm reaches the coast", server.url_for("/lead.png"))
    async with reading(NewsDeckApp(seed)) as (_pilot, _screen, picture):
        assert image_shown(picture)
    server.stop()
    async with reading(NewsDeckApp(seed)) as (_pilot, _screen, picture):
        assert image_shown(picture)


async def test_markup_and_escapes_from_the_network_are_shown_as_they_are(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/lead.png").respond_with_response(
        Response(b"<html></html>", headers={"Content-Type": "text/[bold red]html[/]"})
    )
    with_picture(write_article, "a.md", "Storm", httpserver.url_for("/lead.png"))
    write_article(
        "b.md",
        title="Odd address",
        published="2020-01-01T00:00:00Z",
        extra='images:\n  - url: "javascript:[bold]alert[/bold]\\e[31m"',
    )
    async with reading(NewsDeckApp(seed)) as (pilot, screen, picture):
        assert line(picture) == "Picture not shown: Not an image (text/[bold red]html[/])."
        await pilot.press("down")
        await settled(pilot, screen, picture)
        shown = line(picture)
        assert shown.startswith("Picture not shown: ") and "\x1b" not in shown
        assert "javascript" in shown
        # What reached the screen: the brackets as typed, no escape taking effect.
        strip = picture.query_one("#lead-picture-line").render_line(0)
        assert "\x1b" not in strip.text


# The disk cache ------------------------------------------------------------------------


def test_the_cache_keeps_to_its_bound_dropping_the_least_recently_used(tmp_path: Path) -> None:
    cache = PictureCache(tmp_path / "images", max_bytes=2_500)
    for number in range(3):
        cache.put(f"https://pictures.example/{number}.png", bytes(700))
        os.utime(cache.path_for(f"https://pictures.example/{number}.png"), (1_000 + number, 1_000 + number))
    assert cache.get("https://pictures.example/0.png") == bytes(700)  # used now: the most recent
    cache.put("https://pictures.example/3.png", bytes(700))
    assert cache.size() <= 2_500
    assert cache.get("https://pictures.example/1.png") is None  # the least recently used went
    for kept in (0, 2, 3):
        assert cache.get(f"https://pictures.example/{kept}.png") == bytes(700)
    cache.put("https://pictures.example/big.png", bytes(5_000))  # larger than the bound: not kept
    assert cache.size() <= 2_500


def test_a_damaged_or_foreign_cache_file_is_absent(tmp_path: Path) -> None:
    cache = PictureCache(tmp_path / "images")
    url = "https://pictures.example/a.png"
    cache.put(url, png())
    path = cache.path_for(url)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert cache.get(url) is None and not path.exists()
    path.write_bytes(b"not ours")
    assert cache.get(url) is None
    unwritable = PictureCache(tmp_path / "file-not-folder" / "images")
    (tmp_path / "file-not-folder").write_text("")
    unwritable.put(url, png())  # not kept, and no error
    assert unwritable.get(url) is None


async def test_a_damaged_kept_picture_is_fetched_again(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/lead.png").respond_with_response(image_response(png()))
    url = httpserver.url_for("/lead.png")
    cache = PictureCache(tmp_path / "images")
    assert (await load_picture(url, (80, 32), cache=cache, limits=PICTURE_LIMITS)).ok
    assert len(httpserver.log) == 1
    assert (await load_picture(url, (80, 32), cache=cache, limits=PICTURE_LIMITS)).ok
    assert len(httpserver.log) == 1  # from the disk
    cache.path_for(url).write_bytes(cache.path_for(url).read_bytes()[:-20])  # cut short
    assert (await load_picture(url, (80, 32), cache=cache, limits=PICTURE_LIMITS)).ok
    assert len(httpserver.log) == 2
    cache.put(url, b"kept whole, but no picture")  # checksum right, contents wrong
    assert (await load_picture(url, (80, 32), cache=cache, limits=PICTURE_LIMITS)).ok
    assert len(httpserver.log) == 3 and cache.get(url) == png()


# Decoding, fitting and choosing how to draw ------------------------------------------------


def test_decoding_scales_down_to_the_box_keeping_the_shape() -> None:
    picture = decode_picture("u", png(1200, 800), (300, 300))
    assert picture.ok and picture.image is not None
    assert picture.image.size == (300, 200) and picture.size == (1200, 800)
    small = decode_picture("u", png(40, 20), (300, 300)).image
    assert small is not None and small.size == (40, 20)  # never enlarged
    assert not decode_picture("u", png_declaring(MAX_PIXELS // 1000 + 1, 1000), (10, 10)).ok


def test_fit_cells_keeps_the_shape_within_the_room() -> None:
    assert fit_cells((1200, 800), (1, 2), 80, 16) == (48, 16)  # too tall at full width: narrower
    assert fit_cells((1600, 400), (1, 2), 80, 16) == (80, 10)
    assert fit_cells((1200, 800), (10, 20), 60, 40) == (60, 20)
    assert fit_cells((0, 0), (1, 2), 80, 16) == (80, 1)


@pytest.mark.parametrize(
    ("environ", "terminal", "expected"),
    [
        ({"TERM": "xterm-kitty"}, True, "kitty"),
        ({"TERM": "xterm-ghostty", "TERM_PROGRAM": "ghostty"}, True, "kitty"),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, True, "sixel"),
        ({"TERM": "foot"}, True, "sixel"),
        ({"TERM": "mlterm"}, True, "sixel"),
        ({"TERM": "xterm-256color"}, True, "halfblocks"),
        ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-1/default,1,0"}, True, "halfblocks"),
        ({"TERM": "screen-256color"}, True, "halfblocks"),
        ({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-1/default,1,0"}, True, "halfblocks"),
        ({"TERM": "xterm-kitty"}, False, "halfblocks"),  # standard output is not the terminal
        ({"TERM": "xterm", "NEWSDECK_GRAPHICS": "sixel"}, True, "sixel"),
        ({"TERM": "xterm-kitty", "NEWSDECK_GRAPHICS": "halfblocks"}, True, "halfblocks"),
        ({"TERM": "xterm", "NEWSDECK_GRAPHICS": "nonsense"}, True, "halfblocks"),
    ],
)
def test_how_pictures_are_drawn_is_chosen_from_the_environment(
    environ: dict[str, str], terminal: bool, expected: str
) -> None:
    assert choose_graphics(environ, terminal) == expected


def test_textual_image_asks_a_real_terminal_nothing(tmp_path: Path) -> None:
    """Imported under Textual, textual-image must not write its questions to the terminal."""
    import fcntl
    import pty
    import termios

    code = (
        "from tui.widgets.lead_picture import image_class\n"
        "for kind in ('halfblocks', 'sixel', 'kitty'): image_class(kind)\n"
        "import sys; sys.stderr.write('done')\n"
    )
    main, terminal = pty.openpty()
    # 24 rows of 80 columns, no size in pixels: as tmux says (textual-image would ask then).
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        completed = subprocess.run(
            [sys.executable, "-c", code],
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.PIPE,
            cwd=REPO,
            timeout=60,
            check=False,
        )
        assert completed.returncode == 0 and completed.stderr == b"done", completed.stderr
        os.set_blocking(main, False)
        try:
            written = os.read(main, 4096)
        except BlockingIOError:
            written = b""
        assert written == b"", written
    finally:
        os.close(main)
        os.close(terminal)


async def test_skimming_past_articles_asks_for_none_of_their_pictures(
    write_article: ArticleWriter, seed: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(5):
        httpserver.expect_request(f"/p{number}.png").respond_with_response(image_response(png()))
        with_picture(
            write_article,
            f"a{number}.md",
            f"Story {number}",
            httpserver.url_for(f"/p{number}.png"),
            published=f"2024-03-0{9 - number}T10:00:00Z",
        )
    app = NewsDeckApp(seed)
    async with reading(app) as (pilot, screen, picture):
        assert [entry[0].path for entry in httpserver.log] == ["/p0.png"]
        # Stopping on an article is what asks for its picture: rows passed by ask for nothing.
        monkeypatch.setattr(tui.screens.pictures, "SETTLE_SECONDS", 30.0)
        await pilot.press("j", "j", "j", "j")
        await screen.workers.wait_for_complete()
        shown = screen.query_one(ArticleDetail).article
        assert shown is not None and shown.title == "Story 4" and picture.state == "loading"
        assert [entry[0].path for entry in httpserver.log] == ["/p0.png"]
