"""Fetching and extracting an article's page (reader mode's network layer), against a real
local HTTP server: never the internet."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tui.data.extract import extract_page
from tui.data.fetch import Limits, fetch_page, make_client, user_agent

ARTICLE = """<!doctype html>
<html><head><title>Storm reaches the coast</title><meta charset="utf-8"></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article>
<h1>Storm reaches the coast</h1>
<p>The storm reached the coast on Tuesday night, bringing winds of more than a hundred
kilometres an hour and heavy rain to towns that had been told to prepare for the worst.</p>
<p>Officials said that nobody had been hurt, but that thousands of homes were without power
and that the clean-up would take several days. <a href="https://example.org/map">A map</a>
shows the worst hit areas.</p>
<blockquote>We have never seen anything like it, said a fisherman who has lived here
for sixty years.</blockquote>
</article>
<footer>Copyright The Example Times. All rights reserved. Cookie settings.</footer>
</body></html>"""

FAST = Limits(connect_seconds=2.0, read_seconds=0.3, redirects=5, max_bytes=64 * 1024)


def page(text: str = ARTICLE, status: int = 200) -> Response:
    return Response(text, status=status, content_type="text/html; charset=utf-8")


def moved(location: str, status: int = 302) -> Response:
    return Response(status=status, headers={"Location": location})


async def fetch(url: str, **kwargs: object) -> object:
    async with make_client(FAST) as client:
        return await fetch_page(client, url, limits=FAST, **kwargs)  # type: ignore[arg-type]


async def test_an_article_page_gives_its_story_and_not_its_navigation(httpserver: HTTPServer) -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return page()

    httpserver.expect_request("/story").respond_with_handler(handler)
    outcome = await fetch(httpserver.url_for("/story"))
    assert outcome.ok and outcome.status == 200  # type: ignore[attr-defined]
    assert seen[0].headers["User-Agent"] == user_agent() and user_agent().startswith("newsdeck/")
    assert {"gzip", "br"} <= {part.strip() for part in seen[0].headers["Accept-Encoding"].split(",")}
    extracted = extract_page(outcome.body, outcome.final_url)  # type: ignore[attr-defined]
    assert extracted is not None
    assert "The storm reached the coast on Tuesday night" in extracted.markdown
    assert "[A map](https://example.org/map)" in extracted.markdown
    assert "Subscribe now" not in extracted.markdown and "Cookie settings" not in extracted.markdown
    assert extracted.title == "Storm reaches the coast"
    assert extracted.words > 50 and extracted.minutes == 1


async def test_redirects_are_followed_and_every_hop_is_checked(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_response(moved("/b", 301))
    httpserver.expect_request("/b").respond_with_response(moved("/story", 302))
    httpserver.expect_request("/story").respond_with_response(page())
    outcome = await fetch(httpserver.url_for("/a"))
    assert outcome.ok and outcome.final_url == httpserver.url_for("/story")  # type: ignore[attr-defined]

    for target in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "ftp://x.example/"):
        httpserver.clear()
        httpserver.expect_request("/evil").respond_with_response(moved(target, 302))
        refused = await fetch(httpserver.url_for("/evil"))
        assert refused.kind == "not-web", target  # type: ignore[attr-defined]
        assert refused.message.startswith("Refused a redirect")  # type: ignore[attr-defined]

    httpserver.clear()
    for hop in range(7):
        httpserver.expect_request(f"/hop{hop}").respond_with_response(
            Response(status=302, headers={"Location": f"/hop{hop + 1}"})
        )
    looping = await fetch(httpserver.url_for("/hop0"))
    assert looping.kind == "too-many-redirects"  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", [404, 500])
async def test_http_errors_say_the_status(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/gone").respond_with_response(page("nope", status=status))
    outcome = await fetch(httpserver.url_for("/gone"))
    assert outcome.kind == "http-error" and outcome.status == status  # type: ignore[attr-defined]
    assert f"answered {status}" in outcome.message  # type: ignore[attr-defined]


async def test_a_server_that_stalls_times_out(httpserver: HTTPServer) -> None:
    release = threading.Event()

    def stall(request: Request) -> Response:
        release.wait(10)  # until the client has given up
        return page()

    httpserver.expect_request("/slow").respond_with_handler(stall)
    try:
        outcome = await fetch(httpserver.url_for("/slow"))
    finally:
        release.set()
    assert outcome.kind == "timeout" and "did not answer in time" in outcome.message  # type: ignore[attr-defined]


async def test_an_endless_body_is_cut_off_while_it_streams(httpserver: HTTPServer) -> None:
    sent = [0]

    def endless() -> Iterator[bytes]:
        while sent[0] < 100 * 1024 * 1024:  # a safety stop far beyond the cap
            sent[0] += 4096
            yield b"<p>" + b"x" * 4089 + b"</p>"

    httpserver.expect_request("/endless").respond_with_response(
        Response(endless(), content_type="text/html", direct_passthrough=True)
    )
    outcome = await fetch(httpserver.url_for("/endless"))
    assert outcome.kind == "too-large" and outcome.body == b""  # type: ignore[attr-defined]
    assert sent[0] < 10 * 1024 * 1024, "the whole body was read before the cap was applied"


async def test_a_declared_length_over_the_cap_is_refused_before_reading(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_response(
        Response(b"x" * (FAST.max_bytes + 1), content_type="text/html")
    )
    outcome = await fetch(httpserver.url_for("/big"))
    assert outcome.kind == "too-large"  # type: ignore[attr-defined]


async def test_what_is_not_a_web_page_is_not_read(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/paper.pdf").respond_with_response(
        Response(b"%PDF-1.7 ...", content_type="application/pdf")
    )
    outcome = await fetch(httpserver.url_for("/paper.pdf"))
    assert outcome.kind == "not-a-page" and "application/pdf" in outcome.message  # type: ignore[attr-defined]
    assert "o opens it" in outcome.message  # type: ignore[attr-defined]


async def test_only_web_addresses_are_fetched() -> None:
    for url in ("file:///etc/passwd", "javascript:alert(1)", "https://x.example/\x1b[31m"):
        outcome = await fetch(url)
        assert outcome.kind == "not-web"  # type: ignore[attr-defined]


async def test_nobody_listening_is_offline() -> None:
    outcome = await fetch("http://127.0.0.1:9/")  # the discard port: nothing listens there
    assert outcome.kind == "offline"  # type: ignore[attr-defined]
    assert outcome.message == "Could not reach 127.0.0.1: nothing answered (offline, or the site is down?)."  # type: ignore[attr-defined]


async def test_validators_make_a_conditional_request(httpserver: HTTPServer) -> None:
    def conditional(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(ARTICLE, content_type="text/html", headers={"ETag": '"v1"', "Last-Modified": "x"})

    httpserver.expect_request("/story").respond_with_handler(conditional)
    first = await fetch(httpserver.url_for("/story"))
    assert first.ok and first.etag == '"v1"'  # type: ignore[attr-defined]
    again = await fetch(httpserver.url_for("/story"), etag=first.etag)  # type: ignore[attr-defined]
    assert again.kind == "not-modified"  # type: ignore[attr-defined]


def test_a_page_with_nothing_readable_gives_nothing() -> None:
    script_only = b"<html><body><div id='app'></div><script>render()</script></body></html>"
    assert extract_page(script_only, "https://x.example/") is None


def test_markup_and_escape_sequences_in_a_page_stay_text() -> None:
    hostile = ARTICLE.replace(
        "Officials said", "[bold red]Officials[/] \x1b[2J\x1b]0;owned\x07 said &#27;[31m"
    ).encode()
    extracted = extract_page(hostile, "https://x.example/")
    assert extracted is not None
    assert "\x1b" not in extracted.markdown and "\x07" not in extracted.markdown
    # Brackets escaped as Markdown: shown as written, never taken as style; escapes spelled out.
    assert "\\[bold red\\]Officials\\[/\\]" in extracted.markdown
    assert "␛\\[2J" in extracted.markdown and "␛\\[31m" in extracted.markdown


def test_the_links_of_a_text_in_order_once_each_and_not_its_images() -> None:
    from tui.data.extract import markdown_links

    text = (
        "See [A map](https://example.org/map) and ![a photo](https://x.example/i.png), "
        '[A \\[bracketed\\] label](http://y.example/z "title") and [A map again](https://example.org/map), '
        "[the [bold red]report[/]](https://n.example/report)."
    )
    assert markdown_links(text) == [
        ("A map", "https://example.org/map"),
        ("A [bracketed] label", "http://y.example/z"),
        ("the [bold red]report[/]", "https://n.example/report"),
    ]


async def test_a_name_that_cannot_be_looked_up_is_said_plainly() -> None:
    import httpx

    from tui.data.fetch import fetch_page

    def no_dns(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(no_dns)) as client:
        outcome = await fetch_page(client, "https://news.example/story", limits=FAST)
    assert outcome.kind == "offline"
    assert (
        outcome.message
        == "Could not find news.example: its name has no address (offline, or a mistyped link?)."
    )


async def test_tests_never_reach_past_the_local_server() -> None:
    # The guard in conftest: a name that would resolve on a networked machine fails as offline.
    outcome = await fetch("https://images.example/a-picture.jpg")
    assert outcome.kind == "offline"  # type: ignore[attr-defined]
    assert "stay off the internet" in outcome.message  # type: ignore[attr-defined]


async def test_a_body_that_cannot_be_decoded_is_an_outcome_not_a_crash(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/broken").respond_with_data(
        b"this is not gzip at all", content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    outcome = await fetch(httpserver.url_for("/broken"))
    assert outcome.kind == "http-error"  # type: ignore[attr-defined]
    assert "could not be decoded" in outcome.message  # type: ignore[attr-defined]
