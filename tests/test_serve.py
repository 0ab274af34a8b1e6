"""`newsdeck serve`: the reader in a real headless Chromium, and the command's own refusals.

The browser test drives Debian's Chromium (`/usr/bin/chromium`, installed by `.ci/run`) with
Playwright; no browser is downloaded. The page draws the terminal with xterm.js on a canvas,
so what it shows is read from the bytes the page received over its websocket, replayed in a
terminal emulator (pyte) at the size the page asked for.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyte
import pytest
from conftest import ArticleWriter

from tui.serve_command import QUIT_SECONDS, app_command, exposure_warning, is_loopback, page_url

CHROMIUM = Path("/usr/bin/chromium")
# As root Chromium needs --no-sandbox; the rest keep it from calling Google's hosts, which this
# machine's closed network refuses many at a time.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 60_000


def run_serve(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "serve", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_help_says_it_is_local_by_default_and_what_exposing_means() -> None:
    done = run_serve("--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "default 127.0.0.1: this machine only" in text
    assert "there is no password" in text


def test_a_missing_directory_is_one_line_before_any_server(tmp_path: Path) -> None:
    done = run_serve(str(tmp_path / "nowhere"), "--port", str(free_port()))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"newsdeck serve: no such directory: {tmp_path / 'nowhere'}"]
    assert "Serving" not in done.stdout


def test_a_port_in_use_is_one_line_not_a_traceback(seed: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_serve(str(seed), "--port", str(port))
    assert done.returncode == 2
    assert f"newsdeck serve: cannot listen on 127.0.0.1:{port}: " in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_port_out_of_range_is_refused() -> None:
    done = run_serve("--port", "70000")
    assert done.returncode == 2
    assert "--port must be between 1 and 65535, not 70000" in done.stderr


def test_only_loopback_addresses_are_quiet() -> None:
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "192.168.1.4", "news.example"))
    assert exposure_warning("127.0.0.1", 8000) is None
    warning = exposure_warning("0.0.0.0", 8000)
    assert warning is not None and "Anyone who can reach this port" in warning


def test_the_page_address_names_a_host_a_browser_can_reach() -> None:
    assert page_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert page_url("::1", 9000) == "http://[::1]:9000"
    assert page_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"


def test_the_app_command_keeps_odd_folder_names_whole(tmp_path: Path) -> None:
    folder = tmp_path / "-news $HOME; rm -rf ~"
    folder.mkdir()
    words = shlex.split(app_command(folder, watch=False, cache=True))
    assert words == [sys.executable, "-m", "tui", "--no-watch", "--", str(folder.resolve())]
    words = shlex.split(app_command(None, watch=True, cache=False))
    assert words == [sys.executable, "-m", "tui", "--no-cache"]


# The browser test.


class PageTerminal:
    """What the page's terminal shows, replayed from the bytes its websocket received."""

    def __init__(self) -> None:
        self.screen: pyte.Screen | None = None
        self.socket: object | None = None

    def attach(self, websocket: object) -> None:
        query = parse_qs(urlparse(websocket.url).query)  # type: ignore[attr-defined]
        screen = pyte.Screen(int(query["width"][0]), int(query["height"][0]))
        stream = pyte.ByteStream(screen)

        def received(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                stream.feed(payload)

        def sent(payload: bytes | str) -> None:
            if isinstance(payload, str):
                kind, *data = json.loads(payload)
                if kind == "resize":
                    screen.resize(data[0]["height"], data[0]["width"])

        websocket.on("framereceived", received)  # type: ignore[attr-defined]
        websocket.on("framesent", sent)  # type: ignore[attr-defined]
        self.screen, self.socket = screen, websocket

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display] if self.screen is not None else []

    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, page: object, condition: Callable[[PageTerminal], bool], what: str) -> None:
        """Until `condition` holds, woken by each frame the page receives."""
        if self.socket is None:
            page.wait_for_event("websocket", timeout=WAIT_MS)  # type: ignore[attr-defined]
        if condition(self):
            return
        try:
            self.socket.wait_for_event(  # type: ignore[attr-defined]
                "framereceived", predicate=lambda _payload: condition(self), timeout=WAIT_MS
            )
        except Exception as error:
            raise AssertionError(f"the page never showed {what}; it shows:\n{self.text()}") from error


def list_pane(terminal: PageTerminal) -> tuple[str, list[str]]:
    """The article list's title line and rows: right of the sidebar, down to the pane's bottom border."""
    lines = terminal.lines
    sidebar = next(number for number, line in enumerate(lines) if "╭─ Topics" in line)
    left = lines[sidebar].index("╮") + 1
    # The list's border is under the sparkline of articles per day: a line below the sidebar's.
    top = next(number for number in range(sidebar, len(lines)) if lines[number][left:].startswith("╭"))
    rows: list[str] = []
    for line in lines[top + 1 :]:
        if line[left:].startswith("╰"):
            break
        rows.append(line[left:])
    return lines[top][left:], rows


@pytest.fixture
def server(write_article: ArticleWriter, seed: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    for number in range(3):
        write_article(
            f"harbour-{number}.md",
            title=f"Harbour story {number}",
            topics=["Harbour"],
            url=f"https://news.example/harbour-{number}",
        )
    write_article(
        "orchards-0.md",
        title="Apple blossom came early",
        topics=["Orchards"],
        url="https://news.example/orchards-0",
        published="2024-03-02T09:00:00Z",
    )
    write_article(
        "orchards-1.md",
        title="Pear growers count the frost",
        topics=["Orchards"],
        url="https://news.example/orchards-1",
        published="2024-03-03T09:00:00Z",
    )
    write_article(
        "weather-0.md", title="A mild week ahead", topics=["Weather"], url="https://news.example/weather-0"
    )
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", str(seed), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_listening(process, port)
        yield port, process
    finally:
        # The server and the app it started for the page: the whole session.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_listening(process: subprocess.Popen[bytes], port: int) -> None:
    """Until the server says where it is: it says so once its port answers."""
    assert process.stdout is not None
    said = []
    for line in process.stdout:  # ends when the server does
        said.append(line.decode(errors="replace"))
        if f":{port} (ctrl+c stops)" in said[-1]:
            # The server logs every request: keep reading, so that a full pipe never stalls it.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return
    raise AssertionError(f"newsdeck serve ended ({process.wait()}) without listening:\n{''.join(said)}")


def _chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    message = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_the_reader_in_a_browser_filters_by_topic_with_the_number_key(
    server: tuple[int, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    _chromium_or_skip()
    port, process = server
    from playwright.sync_api import sync_playwright

    terminal = PageTerminal()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1200, "height": 800}, permissions=["clipboard-read", "clipboard-write"]
            )
            page = context.new_page()
            # Only the page's own server: anything else (the template's web font) is refused.
            page.route("**/*", _local_only)
            page.on("websocket", terminal.attach)
            page.goto(f"http://127.0.0.1:{port}/")

            terminal.wait_for(page, lambda shown: "2  Orchards" in shown.text(), "the sidebar")
            assert "Harbour story 0" in terminal.text()
            # The page itself took the first bytes and shows the terminal.
            page.wait_for_selector("body.-first-byte", timeout=WAIT_MS)

            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("2")
            terminal.wait_for(
                page, lambda shown: "Orchards: 2 articles" in shown.text(), "the list filtered to Orchards"
            )
            title, rows = list_pane(terminal)
            assert "─ Orchards ─" in title
            shown = " ".join(rows)
            assert "Pear growers count the frost" in shown and "Apple blossom came early" in shown
            assert "Harbour story" not in shown and "A mild week ahead" not in shown
            # `y` copies through the terminal (OSC 52): it lands in the browser's clipboard.
            page.keyboard.press("y")
            page.wait_for_function(
                # A predicate cannot wait on a promise: each poll reads, the next one compares.
                "(url) => { navigator.clipboard.readText().then((text) => { window.copied = text; });"
                " return window.copied === url; }",
                arg="https://news.example/orchards-1",
                timeout=WAIT_MS,
            )
            page.screenshot(path=str(tmp_path / "filtered.png"))

            # ctrl+c stops the server with the page open: its app is asked to quit, the page is told.
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=QUIT_SECONDS + 5) == 0
            page.wait_for_selector("body.-closed", timeout=WAIT_MS)
        finally:
            browser.close()


def _local_only(route: object) -> None:
    if urlparse(route.request.url).hostname == "127.0.0.1":  # type: ignore[attr-defined]
        route.continue_()  # type: ignore[attr-defined]
    else:
        route.abort()  # type: ignore[attr-defined]
