"""`newsdeck fetch DIR`: many articles' texts fetched ahead of time, against a real local HTTP
server (never the internet), in-process, in a subprocess and in a pseudo-terminal."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ArticleWriter
from pytest_httpserver import HTTPServer
from test_fetch import ARTICLE
from werkzeug import Request, Response

from tui.cli import main
from tui.data.bulk_fetch import fetch_articles
from tui.data.fetch import Limits, fetch_page, make_client, retry_after
from tui.data.fetch_tally import LONG_BACKOFF, SHORT_BACKOFF, Tally, failed_recently
from tui.data.public_addresses import PublicAddresses, address_kind
from tui.data.text_store import StoredText, TextStore
from tui.fetch_command import ProgressLine, eta_seconds, progress_text

SCRIPT_ONLY = "<html><body><div id='app'></div><script>render()</script></body></html>"
FAST = Limits(connect_seconds=5.0, read_seconds=5.0)
GUARD = 20.0
"""The longest any test waits for an event that should come at once: a hang fails, never a pass."""


def html(text: str = ARTICLE, status: int = 200) -> Response:
    return Response(text, status=status, content_type="text/html; charset=utf-8")


class Site:
    """One handler for every path of the local server: what each path answers, what was asked,
    and how many requests were in flight at once (overall and by host name)."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.routes: dict[str, Callable[[Request], Response]] = {}
        self.asked: list[str] = []
        self.lock = threading.Condition()
        self.in_flight: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.most_overall = 0
        self.gate_at = 0
        """Requests wait until this many are in flight at once (then never again): room to overfill."""
        self.gate = threading.Event()
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.server.port}{path}"

    def handle(self, request: Request) -> Response:
        host = request.host.rsplit(":", 1)[0]
        with self.lock:
            self.asked.append(request.path)
            self.in_flight[host] += 1
            self.most[host] = max(self.most[host], self.in_flight[host])
            total = sum(self.in_flight.values())
            self.most_overall = max(self.most_overall, total)
            if self.gate_at and total >= self.gate_at:
                self.gate.set()
        try:
            if self.gate_at:
                assert self.gate.wait(GUARD), "the requests allowed at once never came"
            route = self.routes.get(request.path)
            return route(request) if route is not None else html("nothing here", 404)
        finally:
            with self.lock:
                self.in_flight[host] -= 1

    def count(self, path: str) -> int:
        return self.asked.count(path)


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    # Threaded, so requests at once are answered at once, and on 127.0.0.1 (a loopback address).
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def site(server: HTTPServer) -> Site:
    server.clear()
    return Site(server)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("NEWSDECK_CACHE_DIR", str(path))
    return path


def stored(cache_dir: Path, url: str) -> StoredText | None:
    store = TextStore.open(cache_dir / "texts.sqlite3")
    try:
        return store.get(url)
    finally:
        store.close()


def when(minutes_ago: int) -> str:
    moment = datetime(2024, 3, 1, 10, tzinfo=UTC) - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_pages(write_article: ArticleWriter, urls: list[str], **fields: object) -> None:
    """One article a URL, the first the newest."""
    for number, url in enumerate(urls):
        write_article(
            f"a{number:03d}.md", url=url, published=when(number), **{"title": f"Story {number}", **fields}
        )


def fetch_json(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, object]:
    assert main(["fetch", *arguments, "--json"]) == 0
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


# --- 200 pages, failures, a second run, --retry-failed ------------------------------------


def test_two_hundred_pages_then_again_from_cache_and_failures_held_back(
    site: Site, write_article: ArticleWriter, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = {
        **{f"/gone{n}": html("gone", 404) for n in range(5)},
        **{f"/broken{n}": html("oops", 500) for n in range(5)},
        **{f"/paper{n}.pdf": Response(b"%PDF-1.7", content_type="application/pdf") for n in range(5)},
        **{f"/script{n}": html(SCRIPT_ONLY) for n in range(5)},
    }
    for path, response in failing.items():
        site.routes[path] = lambda request, response=response: response
    for number in range(180):
        site.routes[f"/story{number}"] = lambda request: html()
    paths = sorted(site.routes)
    write_pages(write_article, [site.url(path) for path in paths])

    first = fetch_json(capsys, str(seed), "--allow-private")
    assert first["articles"] == 200 and first["fetched"] == 180
    assert first["from_cache"] == 0 and first["skipped_failed_recently"] == 0
    assert first["failed"] == 20
    assert first["failed_by_reason"] == {"http-error": 10, "not-a-page": 5, "nothing-readable": 5}
    assert first["http_statuses"] == {"404": 5, "500": 5}
    assert first["stopped"] is False and first["not_asked"] == 0
    failures = {item["url"]: item for item in first["failures"]}  # type: ignore[attr-defined]
    assert failures[site.url("/gone0")]["status"] == 404
    assert "answered 404" in failures[site.url("/gone0")]["message"]
    assert sorted(site.asked) == paths  # each page asked once
    kept = stored(Path(os.environ["NEWSDECK_CACHE_DIR"]), site.url("/story7"))
    assert kept is not None and kept.readable and "storm reached the coast" in kept.markdown

    site.asked.clear()
    assert main(["fetch", str(seed), "--allow-private"]) == 0
    summary = capsys.readouterr().out
    assert site.asked == []  # nothing asked again: texts kept, failures too recent
    assert re.search(r"^\s+0  fetched$", summary, re.M)
    assert re.search(r"^\s+180  from cache$", summary, re.M)
    assert re.search(r"^\s+20  skipped, failed recently$", summary, re.M)

    again = fetch_json(capsys, str(seed), "--allow-private", "--retry-failed")
    assert sorted(site.asked) == sorted(failing)
    assert again["from_cache"] == 180 and again["failed"] == 20 and again["fetched"] == 0


def test_the_summary_words_each_failure(
    site: Site, write_article: ArticleWriter, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/ok"] = lambda request: html()
    site.routes["/gone"] = lambda request: html("gone", 404)
    site.routes["/paper.pdf"] = lambda request: Response(b"%PDF", content_type="application/pdf")
    site.routes["/script"] = lambda request: html(SCRIPT_ONLY)
    site.routes["/loop"] = lambda request: Response(status=302, headers={"Location": "/loop"})
    write_pages(write_article, [site.url(path) for path in sorted(site.routes)])
    write_article("offline.md", url="http://127.0.0.1:9/", title="Nobody listens")  # the discard port
    assert main(["fetch", str(seed), "--allow-private"]) == 0
    summary = capsys.readouterr().out
    for line in (
        "6 articles with a web address in",
        "1  fetched",
        "5  failed:",
        "1  HTTP error (404: 1)",
        "1  not a web page",
        "1  nothing readable extracted",
        "1  too many redirects",
        "1  offline or name not found",
        "Failed:",
        "Texts are kept in ",
    ):
        assert line in summary, line
    assert f"{site.url('/gone')}: 127.0.0.1 answered 404" in summary


# --- private addresses ------------------------------------------------------------------


def test_private_addresses_are_refused_unless_allowed(
    site: Site, write_article: ArticleWriter, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.routes["/one"] = site.routes["/two"] = lambda request: html()
    write_pages(write_article, [site.url("/one"), site.url("/two", host="localhost")])
    refused = fetch_json(capsys, str(seed))
    assert site.asked == []  # nothing was asked of the server, not even once
    assert refused["failed_by_reason"] == {"refused": 2} and refused["fetched"] == 0
    messages = sorted(item["message"] for item in refused["failures"])  # type: ignore[attr-defined]
    assert messages[0].startswith("Refused 127.0.0.1: a loopback address (only public addresses")
    assert messages[1].startswith("Refused localhost: at ")  # its name looked up, then refused
    assert main(["fetch", str(seed)]) == 0
    assert "2  refused (private address)" in capsys.readouterr().out

    # A refusal is not held back: allowed now, both are fetched at once.
    allowed = fetch_json(capsys, str(seed), "--allow-private")
    assert allowed["fetched"] == 2 and sorted(site.asked) == ["/one", "/two"]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert address_kind(address) == kind


async def test_a_redirect_to_a_private_address_is_refused_at_that_hop(site: Site) -> None:
    # `localhost` stands for a public host: the lookup is told it is at a public address.
    async def public(host: str) -> list[str]:
        return ["93.184.216.34"] if host == "localhost" else ["127.0.0.1"]

    site.routes["/away"] = lambda request: Response(status=302, headers={"Location": site.url("/inside")})
    site.routes["/inside"] = site.routes["/fine"] = lambda request: html()
    check = PublicAddresses(5.0, resolve=public)
    async with make_client(FAST) as client:
        fine = await fetch_page(client, site.url("/fine", "localhost"), limits=FAST, check_address=check)
        moved = await fetch_page(client, site.url("/away", "localhost"), limits=FAST, check_address=check)
    assert fine.ok
    assert moved.kind == "refused" and moved.final_url == site.url("/inside")
    assert moved.message.startswith("Refused 127.0.0.1: a loopback address")
    assert site.asked == ["/fine", "/away"]  # the private hop was never asked


async def test_a_name_that_cannot_be_found_is_offline_not_refused() -> None:
    async def unknown(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async def slow(host: str) -> list[str]:
        await asyncio.Event().wait()
        return []

    async with make_client(FAST) as client:
        missing = PublicAddresses(5.0, resolve=unknown)
        outcome = await fetch_page(client, "https://nowhere.example/a", limits=FAST, check_address=missing)
        assert outcome.kind == "offline" and outcome.message.startswith("Could not find nowhere.example")
        stalled = PublicAddresses(0.01, resolve=slow)
        outcome = await fetch_page(client, "https://nowhere.example/b", limits=FAST, check_address=stalled)
        assert outcome.kind == "timeout"


# --- at most --jobs at once, 2 a host ----------------------------------------------------


def test_at_most_jobs_at_once_and_two_a_host(
    site: Site, write_article: ArticleWriter, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = []
    for number in range(12):
        site.routes[f"/p{number}"] = lambda request: html()
        urls.append(site.url(f"/p{number}", host="127.0.0.1" if number % 2 else "localhost"))
    write_pages(write_article, urls)
    site.gate_at = 3  # the first requests wait until three are in flight: room for a fourth to show
    report = fetch_json(capsys, str(seed), "--allow-private", "--jobs", "3")
    assert report["fetched"] == 12
    assert site.most_overall == 3
    # The newest article's host takes its two, the other host the third: never a third at one host.
    assert site.most["localhost"] == 2 and 1 <= site.most["127.0.0.1"] <= 2


async def test_two_at_once_at_one_host_whatever_the_jobs(site: Site, cache_dir: Path) -> None:
    for number in range(10):
        site.routes[f"/p{number}"] = lambda request: html()
    site.gate_at = 2
    store = TextStore.open()
    try:
        urls = [site.url(f"/p{number}") for number in range(10)]
        tally = await fetch_articles(urls, store, jobs=8, allow_private=True, limits=FAST)
    finally:
        store.close()
    assert tally.fetched == 10 and site.most_overall == 2


# --- Retry-After --------------------------------------------------------------------------


def test_a_busy_site_is_asked_again_after_the_time_it_gives(
    site: Site, write_article: ArticleWriter, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {
        "/busy": [Response("busy", status=429, headers={"Retry-After": "0"})],
        "/later": [Response("down", status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})],
        "/never": [Response("busy", status=429, headers={"Retry-After": "0"}) for _ in range(3)],
    }

    def answer(request: Request) -> Response:
        waiting = answers[request.path]
        return waiting.pop(0) if waiting else html()

    for path in answers:
        site.routes[path] = answer
    write_pages(write_article, [site.url(path) for path in answers])
    report = fetch_json(capsys, str(seed), "--allow-private")
    assert site.count("/busy") == 2 and site.count("/later") == 2
    assert site.count("/never") == 3  # asked again twice, then given up on for now
    assert report["fetched"] == 2 and report["retries"] == 4
    assert report["http_statuses"] == {"429": 1}


def test_retry_after_is_seconds_or_a_date() -> None:
    assert retry_after("0") == 0.0 and retry_after(" 120 ") == 120.0
    assert retry_after("Thu, 01 Jan 1970 00:02:00 GMT", now=60.0) == 60.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # passed already
    assert retry_after("soon") is None and retry_after("-5") is None and retry_after("") is None


def test_failures_are_held_back_for_their_back_off() -> None:
    def failure(outcome: str, message: str = "", age: float = 0.0) -> StoredText:
        return StoredText("https://x.example/", "", 1_000_000.0 - age, "", "", outcome, message)

    now = 1_000_000.0
    for outcome, message, hold in (
        ("offline", "", SHORT_BACKOFF),
        ("timeout", "", SHORT_BACKOFF),
        ("http-error", "x.example answered 503 Service Unavailable.", SHORT_BACKOFF),
        ("http-error", "x.example answered 429 Too Many Requests.", SHORT_BACKOFF),
        ("http-error", "x.example answered 404 Not Found.", LONG_BACKOFF),
        ("not-a-page", "", LONG_BACKOFF),
        ("nothing-readable", "", LONG_BACKOFF),
    ):
        assert failed_recently(failure(outcome, message, age=hold - 1), now), outcome
        assert not failed_recently(failure(outcome, message, age=hold + 1), now), outcome
    assert not failed_recently(failure("refused"), now)  # decided here: asked again each run
    assert not failed_recently(failure("offline", age=-60), now)  # kept "in the future": the clock moved


# --- choosing articles ----------------------------------------------------------------------


def test_topic_search_and_limit_narrow_what_is_fetched(
    site: Site, write_article: ArticleWriter, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    titles = ["Rocket launch", "Rocket lands", "Gallery opens", "Moon rocket", "Painting sold"]
    topics = [["Space"], ["Space"], ["Art"], ["Space"], ["Art"]]
    for number, (title, topic) in enumerate(zip(titles, topics, strict=True)):
        site.routes[f"/s{number}"] = lambda request: html()
        write_article(
            f"s{number}.md", title=title, topics=topic, url=site.url(f"/s{number}"), published=when(number)
        )
    write_article("same.md", title="Rocket again", topics=["Space"], url=site.url("/s0"), published=when(9))

    def fetched(*arguments: str) -> list[str]:
        site.asked.clear()
        report = fetch_json(capsys, str(seed), "--allow-private", "--retry-failed", *arguments)
        assert report["fetched"] + report["from_cache"] == report["articles"]  # type: ignore[operator]
        return [url.rsplit("/", 1)[1] for url in site.asked]

    assert sorted(fetched("--topic", "art")) == ["s2", "s4"]
    assert sorted(fetched("--search", "rocket", "--limit", "2")) == ["s0", "s1"]  # the newest two
    report = fetch_json(capsys, str(seed), "--allow-private", "--search", "-rocket")
    assert report["articles"] == 2 and report["from_cache"] == 2  # kept already: Gallery, Painting
    assert sorted(fetched("--search", "rocket", "--topic", "space")) == ["s3"]  # s0, s1 kept already

    assert main(["fetch", str(seed), "--topic", "cooking"]) == 2
    assert "no topic named “cooking”" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", str(tmp_path / "nowhere")]) == 2
    assert "no such directory" in capsys.readouterr().err
    for wrong in (["--jobs", "0"], ["--jobs", "many"], ["--limit", "-1"]):
        with pytest.raises(SystemExit) as exit_info:
            main(["fetch", str(tmp_path), *wrong])
        assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "newsdeck fetch DIR" in capsys.readouterr().out


def test_stored_texts_that_cannot_be_opened_exit_1(
    write_article: ArticleWriter,
    seed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_article("a.md", url="https://a.example/1")
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("NEWSDECK_CACHE_DIR", str(tmp_path / "a-file"))
    assert main(["fetch", str(seed)]) == 1
    assert "cannot open the stored texts" in capsys.readouterr().err


# --- stopping ---------------------------------------------------------------------------


async def test_a_stop_ends_the_run_at_once_keeping_what_was_fetched(site: Site, cache_dir: Path) -> None:
    release = threading.Event()

    def first_three(request: Request) -> Response:
        if request.path not in ("/p0", "/p1", "/p2"):
            release.wait(GUARD)  # the rest hang until the test is over
        return html()

    urls = []
    for number in range(20):
        site.routes[f"/p{number}"] = first_three
        urls.append(site.url(f"/p{number}"))
    stop = asyncio.Event()

    def progress(tally: Tally) -> None:
        if tally.fetched == 3:
            stop.set()

    store = TextStore.open()
    try:
        tally = await fetch_articles(
            urls, store, jobs=2, allow_private=True, limits=FAST, on_progress=progress, stop=stop
        )
        readable = [url for url in urls if (row := store.get(url)) is not None and row.readable]
    finally:
        release.set()
        store.close()
    assert tally.stopped and tally.fetched == 3 and tally.failed_total == 0
    assert len(readable) == 3 and tally.total - tally.done == 17


# --- the real command ------------------------------------------------------------------------


def environment(tmp_path: Path) -> dict[str, str]:
    # The conftest's guard on hosts does not reach a subprocess: only the local server's URLs are used.
    return {**os.environ, "NEWSDECK_CACHE_DIR": str(tmp_path / "cache"), "TERM": "xterm-256color"}


def test_the_command_in_a_subprocess(
    site: Site, write_article: ArticleWriter, seed: Path, tmp_path: Path
) -> None:
    site.routes["/a"] = site.routes["/b"] = lambda request: html()
    write_pages(write_article, [site.url("/a"), site.url("/b")])
    completed = subprocess.run(
        [sys.executable, "-m", "tui", "fetch", str(seed), "--allow-private", "--json"],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["fetched"] == 2 and report["store"] == str(tmp_path / "cache" / "texts.sqlite3")
    assert completed.stderr == ""  # not a terminal: no progress line
    kept = stored(tmp_path / "cache", site.url("/b"))
    assert kept is not None and kept.readable


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_progress_on_a_terminal_and_ctrl_c_stops_cleanly(
    site: Site, write_article: ArticleWriter, seed: Path, tmp_path: Path
) -> None:
    from terminal import Terminal

    class ControllingTerminal(Terminal):
        """The pseudo-terminal as the process's controlling terminal, so that ctrl+c is a SIGINT."""

        def __init__(self, arguments: list[str], environment: dict[str, str]) -> None:
            import fcntl
            import pty
            import termios

            self.leader, follower = pty.openpty()

            def take_terminal() -> None:
                os.setsid()
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

            self.process = subprocess.Popen(
                [sys.executable, "-m", "tui", *arguments],
                stdin=follower,
                stdout=follower,
                stderr=follower,
                env=environment,
                preexec_fn=take_terminal,
            )
            os.close(follower)
            self.screen = b""

    release = threading.Event()

    def first_four(request: Request) -> Response:
        if request.path not in ("/p0", "/p1", "/p2", "/p3"):
            release.wait(GUARD)  # the rest hang until ctrl+c has been pressed
        return html()

    urls = []
    for number in range(30):
        site.routes[f"/p{number}"] = first_four
        urls.append(site.url(f"/p{number}"))
    write_pages(write_article, urls)
    terminal = ControllingTerminal(
        ["fetch", str(seed), "--allow-private", "--jobs", "2"], environment(tmp_path)
    )
    try:
        assert terminal.read(60, until=b" 4 fetched"), terminal.screen[-500:]
        assert re.search(
            r"\[#+\.+\] 4/30 · ETA [0-9:–]+ · 4 fetched · 0 from cache", terminal.screen.decode()
        )
        terminal.type(b"\x03")
        deadline = time.monotonic() + GUARD
        while terminal.process.poll() is None and time.monotonic() < deadline:
            terminal.read(0.2)
        terminal.read(0.3)
    finally:
        release.set()
        terminal.close()
    assert terminal.process.returncode == 130
    screen = terminal.screen.decode("utf-8", "replace")
    assert "Traceback" not in screen and "KeyboardInterrupt" not in screen
    assert "Stopped (ctrl+c) after 4 of 30 articles" in screen
    assert re.search(r"^\s+4  fetched\r?$", screen, re.M) and re.search(
        r"^\s+26  not asked\r?$", screen, re.M
    )
    assert "What was fetched is kept" in screen
    kept = [url for url in urls if (row := stored(tmp_path / "cache", url)) is not None and row.readable]
    assert kept == urls[:4]


# --- hostile input ---------------------------------------------------------------------------


def test_nothing_from_the_network_or_the_files_reaches_the_terminal_raw(
    site: Site, write_article: ArticleWriter, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_page = ARTICLE.replace("Officials said", "\x1b]0;owned\x07[bold red]Officials[/] \x1b[2J said")
    site.routes["/page"] = lambda request: html(hostile_page)
    site.routes["/[bold]x[/bold]"] = lambda request: Response(
        b"x", content_type="text/\x1b[31mevil\x9b2J", headers={"X-Note": "\x1b[5m"}
    )
    site.routes["/status"] = lambda request: Response("no", status="418 \x1b]52;c;aGk=\x07Teapot")
    write_pages(write_article, [site.url("/page"), site.url("/[bold]x[/bold]"), site.url("/status")])
    assert main(["fetch", str(seed), "--allow-private"]) == 0
    shown = capsys.readouterr()
    assert main(["fetch", str(seed), "--allow-private", "--retry-failed", "--json"]) == 0
    as_json = capsys.readouterr()
    for text in (shown.out, shown.err, as_json.out, as_json.err):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), repr(text)
    assert "[bold]x[/bold]" in shown.out  # shown as written, never taken as style
    assert "␛[31m" in shown.out or "␛\\[31m" in shown.out
    kept = stored(Path(os.environ["NEWSDECK_CACHE_DIR"]), site.url("/page"))
    assert kept is not None and kept.readable and "\x1b" not in kept.markdown


def test_the_progress_line_is_numbers_only_and_fits_the_width() -> None:
    tally = Tally(total=200, fetched=90, cached=5, skipped=3, fetching_since=100.0)
    tally.failed.update({"http-error": 1, "timeout": 1})
    line = progress_text(tally, 120, now=110.0)
    assert line.startswith("[") and len(line) <= 119
    assert "100/200" in line and "90 fetched" in line and "5 from cache" in line and "3 skipped" in line
    assert "2 failed (http 1, timeout 1)" in line or "2 failed (timeout 1, http 1)" in line
    assert eta_seconds(tally, 110.0) == pytest.approx(100 / (92 / 10))
    assert "100/200 · ETA 0:11 · 90 fetched" in line
    narrow = progress_text(tally, 40, now=110.0)
    assert len(narrow) == 39 and "ETA 0:11" in narrow

    class Screen:
        written = ""

        def write(self, text: str) -> None:
            self.written += text

        def flush(self) -> None:
            pass

    screen = Screen()
    ticks = iter([0.0, 0.05, 0.5])
    drawn = ProgressLine(screen, clock=lambda: next(ticks))  # type: ignore[arg-type]
    drawn.update(tally)
    drawn.update(tally)  # too soon: not drawn again
    drawn.update(tally)
    assert screen.written.count("\r") == 2 and screen.written.endswith("\x1b[K")
