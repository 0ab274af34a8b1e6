"""`newsdeck serve`: the same reader in a web browser, through textual-serve.

Each browser tab that opens the page starts its own `python -m tui DIR` on the
server, drawn in the page by xterm.js. Everything the app does happens on the
server: it reads the server's files, keeps marks in the server's state file and
fetches full texts from the server; only "open in the browser" and copying reach
the visitor's browser.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.data.loader import LoadError
from tui.data.sanitize import visible

if TYPE_CHECKING:
    from aiohttp import web

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
ANNOUNCE_SECONDS = 10.0
"""How long the server waits to be reachable before it says where it is all the same."""
_ANNOUNCE_STEP = 0.02
QUIT_SECONDS = 3.0
"""How long the apps of open pages get to save their marks and quit when the server stops."""


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdeck serve",
        description=(
            "Serve the reader to a web browser. Each page opened starts its own newsdeck on this "
            "machine, reading DIR (else $NEWSDECK_DIR, the settings file's directory, or the demo)."
        ),
        epilog=(
            "Only this machine can reach the page unless --host says otherwise. Anyone who reaches "
            "the port reads every article in DIR, changes your read and starred marks, and makes this "
            "machine fetch the articles' pages: there is no password. See the README before exposing it."
        ),
    )
    parser.add_argument("directory", nargs="?", metavar="DIR", help="seed directory of articles")
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use for the page, when it is not http://HOST:PORT (a proxy, a name)",
    )
    parser.add_argument("--no-watch", action="store_true", help="do not watch the directory for changes")
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file again; neither use nor update the cache"
    )
    return parser


def is_loopback(host: str) -> bool:
    """Whether only this machine can connect to `host` (`localhost` counts)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def page_url(host: str, port: int) -> str:
    """Where a browser finds the page served on `host`:`port`."""
    if host in ("", "0.0.0.0", "::", "[::]"):
        # Listening everywhere: the page must name an address visitors can reach.
        host = socket.gethostname()
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def exposure_warning(host: str, port: int) -> str | None:
    """What serving on a non-loopback address means, said before the server starts."""
    if is_loopback(host):
        return None
    return (
        f"Warning: listening on {host}:{port}. Anyone who can reach this port reads every article "
        "in the directory, changes your marks and makes this machine fetch pages; there is no password. "
        "Put it behind a proxy with authentication, or serve on 127.0.0.1."
    )


def app_command(directory: Path | None, *, watch: bool, cache: bool) -> str:
    """The shell command textual-serve runs for each page opened: this Python, this newsdeck."""
    words = [sys.executable, "-m", "tui"]
    if directory is not None:
        words += ["--", str(directory.resolve())]
    if not watch:
        words.insert(3, "--no-watch")
    if not cache:
        words.insert(3, "--no-cache")
    return shlex.join(words)


def run_serve(arguments: Sequence[str]) -> int:
    options = _serve_parser().parse_args(arguments)
    from tui.cli import choose_directory
    from tui.config_command import load_checked_config

    if not 0 < options.port < 65536:
        return _error(f"--port must be between 1 and 65535, not {options.port}")
    config, _problems = load_checked_config()  # the app says what is wrong in the page itself
    directory = choose_directory(options.directory, config.directory)
    if isinstance(directory, LoadError):
        return _error(str(directory))
    warning = exposure_warning(options.host, options.port)
    if warning is not None:
        print(warning, file=sys.stderr, flush=True)

    server = _server_class()(
        app_command(directory, watch=not options.no_watch, cache=not options.no_cache),
        host=options.host,
        port=options.port,
        title="newsdeck",
        public_url=options.public_url or page_url(options.host, options.port),
    )
    server.shown_directory = visible(str(directory)) if directory is not None else "the demo"
    try:
        server.serve()
    except OSError as error:
        # The port taken, or an address this machine does not have: said in one line.
        reason = visible(error.strerror or str(error))
        return _error(f"cannot listen on {visible(options.host)}:{options.port}: {reason}")
    return 0


def _server_class() -> type:
    # textual-serve (and aiohttp) are imported only by this command.
    from textual_serve.server import Server

    class NewsdeckServer(Server):
        """textual-serve's server, stopping at once with pages open, and saying where it is."""

        shown_directory = ""
        announcing: asyncio.Task[None] | None = None

        def __init__(self, *arguments: Any, **options: Any) -> None:
            super().__init__(*arguments, **options)
            self.pages: set[asyncio.Task[object]] = set()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            page = asyncio.current_task()
            if page is not None:
                self.pages.add(page)
            try:
                response: web.WebSocketResponse = await super().handle_websocket(request)
                return response
            finally:
                if page is not None:
                    self.pages.discard(page)

        async def on_startup(self, app: web.Application) -> None:
            # aiohttp starts listening only after this: the line is said once the port answers,
            # so whoever reads it (a person, a script, a test) can open the page at once.
            self.announcing = asyncio.create_task(self._announce())

        async def _announce(self) -> None:
            reachable = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
            for _ in range(round(ANNOUNCE_SECONDS / _ANNOUNCE_STEP)):
                try:
                    _reader, writer = await asyncio.open_connection(reachable.strip("[]"), self.port)
                except OSError:
                    await asyncio.sleep(_ANNOUNCE_STEP)
                    continue
                writer.close()
                break
            print(f"newsdeck serve: {self.shown_directory} at {self.public_url} (ctrl+c stops)", flush=True)

        async def on_shutdown(self, app: web.Application) -> None:
            # aiohttp would wait a minute for open pages: each page's app is asked to quit now (it
            # is gone within a moment; closing the page's websocket takes the rest).
            pages = list(self.pages)
            for page in pages:
                page.cancel()
            if pages:
                await asyncio.wait(pages, timeout=QUIT_SECONDS)

    return NewsdeckServer


def _error(message: str) -> int:
    print(f"newsdeck serve: {message}", file=sys.stderr)
    return 2
