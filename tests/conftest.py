"""Shared fixtures: an isolated environment and helpers to write articles."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from tui.data.load_result import LoadResult
    from tui.screens.main import MainScreen

REPO = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path | None:
    """The real corpus: $NEWSDECK_CORPUS, else ../shared/corpus beside the checkout."""
    configured = os.environ.get("NEWSDECK_CORPUS")
    path = Path(configured) if configured else REPO.parent / "shared" / "corpus"
    return path if path.is_dir() else None


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    # Dates render in local time; pin it so assertions and snapshots are stable.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.delenv("NEWSDECK_DIR", raising=False)
    # Articles become read after a second on screen; on a slow machine that second
    # could pass mid-test. Only the test of that rule turns it back on.
    monkeypatch.setattr("tui.screens.marking.READ_AFTER_SECONDS", 3600.0)
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_DOCUMENTS_DIR"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    # Recovery files fall back to the temporary folder: keep them in the test's own.
    monkeypatch.setattr("tempfile.tempdir", str(home))
    _keep_off_the_internet(monkeypatch)
    yield
    time.tzset()


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _keep_off_the_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request a test makes goes to a local server: anything else fails as if offline.

    The demo's articles name pictures and pages at `.example` addresses; a test that shows
    one must not even look their names up.
    """
    import httpx

    real = httpx.AsyncHTTPTransport.handle_async_request

    async def local_only(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        if request.url.host not in LOCAL_HOSTS:
            raise httpx.ConnectError(f"tests stay off the internet ({request.url.host})", request=request)
        return await real(self, request)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", local_only)


@pytest.fixture
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        pytest.skip("the shared corpus (../shared/corpus or $NEWSDECK_CORPUS) is not here")
    return path


ArticleWriter = Callable[..., Path]


def article_text(
    title: str = "A made-up headline",
    *,
    url: str | None = "https://news.example/story",
    published: str | None = "2024-03-01T10:00:00Z",
    provider: str = "Example Times",
    domain: str = "times.example",
    topics: list[str] | None = None,
    extra: str = "",
    body: str = "",
) -> str:
    lines = ["---", f"title: {title!r}" if title is not None else ""]
    if url:
        lines.append(f'originalUrl: "{url}"')
    if published:
        lines.append(f"publishedDateTime: {published}")
    lines += ["provider:", f"  name: {provider}", f"  domain: {domain}"]
    lines.append("topics:")
    lines += [f"  - {topic}" for topic in (topics if topics is not None else ["World"])]
    if extra:
        lines.append(extra)
    lines.append("---")
    return "\n".join(lines) + "\n" + body


@pytest.fixture
def write_article(tmp_path: Path) -> ArticleWriter:
    """Write a made-up article below tmp_path/seed; returns the file's path."""

    def write(name: str, content: str | bytes | None = None, **fields: object) -> Path:
        path = tmp_path / "seed" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content if content is not None else article_text(**fields)  # type: ignore[arg-type]
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        # As if written a minute ago: the cache does not vouch for files still settling.
        settled = time.time() - 60
        os.utime(path, (settled, settled))
        return path

    return write


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "seed"
    path.mkdir(exist_ok=True)
    return path


async def loaded(pilot: Pilot[None]) -> MainScreen:
    """The main screen once loading, read marks and the search index are all done."""
    from tui.screens.main import MainScreen

    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    await screen.workers.wait_for_complete()
    await pilot.pause()
    # The article shown reads its body and related items a moment after it is shown.
    from tui.widgets.article_detail import ArticleDetail

    detail = screen.query_one(ArticleDetail)
    for _ in range(250):
        if not detail.extras_pending:
            break
        await pilot.pause(0.02)
    await screen.workers.wait_for_complete()
    await pilot.pause()
    return screen


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notice (toast) the app shows, in order, through the public `App.notify`."""
    from textual.app import App

    shown: list[str] = []
    real = App.notify

    def recording(self: App[object], message: object, *args: object, **kwargs: object) -> None:
        shown.append(str(message))
        real(self, message, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "notify", recording)
    return shown


def write_definitions(seed: Path) -> tuple[Path, Path]:
    """`_data` naming one topic (election: "Election 2024") and one provider (cnn.com: "CNN")."""
    data = seed / "_data"
    (data / "topics").mkdir(parents=True)
    (data / "organizations").mkdir()
    topic, provider = data / "topics" / "election.yaml", data / "organizations" / "cnn.md"
    topic.write_text("name: Election 2024\nshortname: election\n")
    provider.write_text("---\nname: CNN\ndomain: cnn.com\n---\n")
    return topic, provider


@pytest.fixture
def without_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices are not drawn: a snapshot shows the layout, and a notice times out on its own."""
    from textual.app import App

    def silent(self: App[object], message: object, *args: object, **kwargs: object) -> None:
        return None

    monkeypatch.setattr(App, "notify", silent)


def status(screen: MainScreen) -> str:
    """The status line under the panes, as shown."""
    from textual.widgets import Static

    return str(screen.query_one("#status", Static).content)


def forget_saved_index(seed: Path, cache_dir: Path) -> None:
    """Delete the directory's saved index, so the next load goes the per-file cache's way."""
    from tui.data.cache import cache_path_for
    from tui.data.snapshot import snapshot_path

    snapshot_path(cache_path_for(seed, cache_dir)).unlink()


def everything(result: LoadResult) -> tuple[object, ...]:
    """All a load gives that anyone shows: every article in order, every count, every skipped file."""
    index = result.index
    return (
        tuple(index.articles),
        index.topics,
        index.providers,
        [index.topics_of(article) for article in index.articles],
        [index.provider_key_at(position) for position in range(len(index))],
        result.skipped,
        result.duplicates,
        result.summary,
    )
