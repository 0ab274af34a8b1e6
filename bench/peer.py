"""newsdeck side by side with newsboat, on the same articles (issue 10).

    python bench/run.py --peer                  # 1,000, 14,000 and 100,000 articles
    python bench/run.py --peer --sizes 1000     # a quicker run

The benchmark's seed directory is written as 20 RSS 2.0 feeds plus an "All
articles" query feed (rss.py); newsboat imports them with `-x reload`. Then,
repeated REPEATS times and interleaved (one program, then the other), with both
caches warm and the files in the page cache:

- cold import, CPU seconds: user + system time of `newsboat -x reload` into an
  empty cache, and of `newsdeck check DIR` with an empty cache folder (which it
  fills), child processes included (resource.getrusage(RUSAGE_CHILDREN) before
  and after); wall time in brackets.
- warm load, headless: wall time of `newsdeck check DIR` and of
  `newsboat -x print-unread`, each with its cache in place.
- In tmux at 160x50, from the moment the program is started (a FIFO releases the
  already-running pane shell, which then execs it) until `tmux capture-pane`,
  polled every POLL seconds, shows:
  - first screen: newsdeck's first article row; newsboat's feed list; the bare
    Textual app's one Static widget (bare_textual.py: the toolkit's floor).
  - every article listed: newsdeck's status line shows all N articles and no
    longer says "Loading…"; newsboat, once its feed list is up, is sent Enter on
    the "All articles" query feed (the first line) and shows "(… unread, N total)".
  - search result on screen: from sending `/` once every article is listed
    (then SEARCH_WORD as soon as the search field or prompt shows, and for
    newsboat Enter), until newsdeck's status line shows the search's count (not
    "preparing search…") or newsboat shows "Search results".
  - peak memory: VmHWM of the program's process and of every process below it,
    sampled while it runs and once the search result is on screen (the "All
    articles" view open); newsdeck's helper processes are given apart.

Everything the programs write (caches, marks, newsboat's history) goes to a
temporary folder: HOME, XDG_* and NEWSDECK_CACHE_DIR / NEWSDECK_STATE_DIR point
into it, and tmux runs on a socket in that folder with no configuration file.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.bare_textual import MARKER as BARE_MARKER
from bench.rss import ALL_ARTICLES, feeds_for

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REPEATS = 3
POLL = 0.010
SIZE = (160, 50)
SEARCH_WORD = "kalo"
TIMEOUT = 600.0
SEARCH_TIMEOUT = 60.0
_MEMORY_EVERY = 0.1

NEWSBOAT_CONFIG = "show-read-feeds yes\n"

_ND_ROW = re.compile(r"││.*\bProvider \d+")
_ND_SEARCH_FIELD = re.compile(r"^\s*esc Back\s+/ Search", re.MULTILINE)
_NB_FEEDS = re.compile(r"\(\d+/\d+\)\s+Feed \d\d")


class Timeout(Exception):
    pass


# Processes ------------------------------------------------------------------------


def _status(pid: int) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status") as handle:
            return dict(line.split(":", 1) for line in handle if ":" in line)
    except OSError:
        return {}


def _alive(pid: int) -> bool:
    state = _status(pid).get("State", "").strip()
    return bool(state) and not state.startswith(("Z", "X"))


def _tree(root: int) -> list[int]:
    """`root` and every process below it."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _hwm_bytes(pid: int) -> int:
    value = _status(pid).get("VmHWM", "0 kB").split()
    return int(value[0]) * 1024 if value else 0


def _environment(temp: Path) -> dict[str, str]:
    """What both programs see: everything they write stays under `temp`."""
    home = temp / "home"
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "NEWSDECK_CACHE_DIR": str(temp / "newsdeck-cache"),
        "NEWSDECK_STATE_DIR": str(temp / "newsdeck-state"),
        "PYTHONPATH": str(REPO),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }


def _headless(argv: list[str], environment: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (child processes included) and stdout of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        argv, env={**os.environ, **environment}, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv)} failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, completed.stdout


# The terminal ---------------------------------------------------------------------


@dataclass
class Session:
    terminal: Terminal
    name: str
    pid: int
    started: float = 0.0
    hwm: dict[int, int] = field(default_factory=dict)
    _sampled: float = 0.0
    text: str = ""

    def screen(self) -> str:
        completed = self.terminal.tmux("capture-pane", "-p", "-t", self.name, check=False)
        if completed.returncode == 0:
            self.text = completed.stdout
        return self.text

    def sample_memory(self) -> None:
        for pid in _tree(self.pid):
            self.hwm[pid] = max(self.hwm.get(pid, 0), _hwm_bytes(pid))
        self._sampled = time.perf_counter()

    def wait_for(
        self, what: str, seen: Callable[[str], bool], since: float, timeout: float = TIMEOUT
    ) -> float:
        """Seconds from `since` until the screen satisfies `seen`."""
        deadline = time.perf_counter() + timeout
        while True:
            polled = time.perf_counter()
            text = self.screen()
            if seen(text):
                return polled - since
            if not _alive(self.pid):
                raise Timeout(f"{self.name} ended before {what}; last screen:\n{text}")
            if polled > deadline:
                raise Timeout(f"{self.name}: no {what} within {timeout:.0f} s; last screen:\n{text}")
            if polled - self._sampled >= _MEMORY_EVERY:
                self.sample_memory()
            time.sleep(POLL)

    def keys(self, *keys: str, literal: bool = True) -> None:
        self.terminal.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def peak(self) -> tuple[int, int]:
        """Peak resident bytes of the program and of its helper processes (summed)."""
        return self.hwm.get(self.pid, 0), sum(v for pid, v in self.hwm.items() if pid != self.pid)

    def close(self, quit_keys: list[tuple[str, bool]]) -> None:
        for key, literal in quit_keys:
            self.keys(key, literal=literal)
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None:
                for pid in reversed(_tree(self.pid)):
                    with contextlib.suppress(OSError):
                        os.kill(pid, sig)
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline and any(_alive(pid) for pid in _tree(self.pid)):
                time.sleep(0.02)
            if not any(_alive(pid) for pid in _tree(self.pid)):
                break
        self.terminal.tmux("kill-session", "-t", self.name, check=False)


class Terminal:
    """tmux on a private socket in the bench's temporary folder, killed with everything in it on exit."""

    def __init__(self, temp: Path) -> None:
        self.temp = temp
        self.socket = str(temp / "tmux.sock")
        self.count = 0
        # Without this the server quits with its last session, and a session started in that
        # moment fails ("server exited unexpectedly").
        self.tmux("start-server", ";", "set-option", "-g", "exit-empty", "off")

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = ["tmux", "-S", self.socket, "-f", "/dev/null", *args]
        completed = subprocess.run(argv, capture_output=True, text=True, check=False)
        if check and completed.returncode != 0:
            raise RuntimeError(f"{shlex.join(argv[:6])}… failed: {completed.stderr.strip()}")
        return completed

    def start(self, argv: list[str], environment: dict[str, str]) -> Session:
        """Start `argv` in a fresh 160x50 session; the clock starts as it is exec'd."""
        self.count += 1
        name = f"s{self.count}"
        go = self.temp / f"{name}.go"
        os.mkfifo(go)
        assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in environment.items())
        command = f"read _ < {shlex.quote(str(go))}; exec env {assignments} {shlex.join(argv)}"
        width, height = SIZE
        self.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
        pid = int(self.tmux("display-message", "-p", "-t", name, "#{pane_pid}").stdout.strip())
        session = Session(self, name, pid)
        deadline = time.perf_counter() + 10
        while True:
            try:
                fd = os.open(go, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError:  # the pane's shell has not opened it yet
                if time.perf_counter() > deadline:
                    session.close([])
                    raise Timeout(f"{shlex.join(argv)}: the pane did not start") from None
                time.sleep(0.002)
        session.started = time.perf_counter()
        os.write(fd, b"\n")
        os.close(fd)
        return session

    def close(self) -> None:
        self.tmux("kill-server", check=False)


# One size -------------------------------------------------------------------------


@dataclass
class Figures:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, key: str, value: float) -> None:
        self.values.setdefault(key, []).append(value)

    def median(self, key: str) -> float | None:
        values = self.values.get(key)
        return statistics.median(values) if values else None


def _newsdeck_argv() -> list[str]:
    return [sys.executable, "-m", "tui"]


def _page_in(*folders: Path) -> None:
    """Read every file once, so that both programs start with their files in the page cache."""
    for folder in folders:
        for parent, _, names in os.walk(folder):
            for name in names:
                with open(os.path.join(parent, name), "rb") as handle:
                    while handle.read(1 << 20):
                        pass


def _newsboat_argv(folder: Path, feeds: Path, *extra: str) -> list[str]:
    return [
        "newsboat",
        "-u",
        str(feeds / "urls"),
        "-c",
        str(folder / "newsboat-cache.db"),
        "-C",
        str(folder / "newsboat-config"),
        *extra,
    ]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _terminal_newsdeck(
    terminal: Terminal, seed: Path, environment: dict[str, str], articles: int, out: Figures
) -> None:
    session = terminal.start([*_newsdeck_argv(), str(seed)], environment)
    try:
        out.add(
            "nd_first",
            session.wait_for("first article row", lambda t: bool(_ND_ROW.search(t)), session.started),
        )
        listed = f"All articles: {articles:,} article"
        out.add(
            "nd_listed",
            session.wait_for(
                "every article listed", lambda t: listed in t and "Loading…" not in t, session.started
            ),
        )
        asked = time.perf_counter()
        session.keys("/")
        # Typed into the search field once it has the focus (its key hints show), as a reader would.
        session.wait_for("search field", lambda t: bool(_ND_SEARCH_FIELD.search(t)), asked, SEARCH_TIMEOUT)
        session.keys(SEARCH_WORD)
        answered = re.compile(rf"Search: {SEARCH_WORD} · All articles: [\d,]+ article")
        out.add(
            "nd_search",
            session.wait_for(
                "search result",
                lambda t: bool(answered.search(t)) and "preparing search" not in t,
                asked,
                SEARCH_TIMEOUT,
            ),
        )
        session.sample_memory()
        main, helpers = session.peak()
        out.add("nd_memory", main)
        out.add("nd_helpers", helpers)
    finally:
        session.close([("Escape", False), ("Escape", False), ("q", True)])


def _terminal_newsboat(
    terminal: Terminal, folder: Path, feeds: Path, environment: dict[str, str], articles: int, out: Figures
) -> None:
    session = terminal.start(_newsboat_argv(folder, feeds), environment)
    try:
        out.add(
            "nb_first", session.wait_for("feed list", lambda t: bool(_NB_FEEDS.search(t)), session.started)
        )
        session.keys("Enter", literal=False)  # the "All articles" query feed is the first line
        listed = re.compile(rf"Articles in feed '{ALL_ARTICLES}' \(\d+ unread, {articles} total\)")
        out.add(
            "nb_listed",
            session.wait_for("every article listed", lambda t: bool(listed.search(t)), session.started),
        )
        asked = time.perf_counter()
        session.keys("/")
        session.wait_for("search prompt", lambda t: "Search for:" in t, asked, SEARCH_TIMEOUT)
        session.keys(SEARCH_WORD)
        session.keys("Enter", literal=False)
        out.add(
            "nb_search",
            session.wait_for(
                "search result", lambda t: "Search results (" in t or "No results" in t, asked, SEARCH_TIMEOUT
            ),
        )
        session.sample_memory()
        main, helpers = session.peak()
        out.add("nb_memory", main + helpers)
    finally:
        session.close([("Q", True)])


def _terminal_bare(terminal: Terminal, environment: dict[str, str], out: Figures) -> None:
    session = terminal.start([sys.executable, str(HERE / "bare_textual.py")], environment)
    try:
        out.add("bare_first", session.wait_for("its Static", lambda t: BARE_MARKER in t, session.started))
    finally:
        session.close([("q", True)])


def _attempt(what: str, run: Callable[[], None]) -> None:
    """One measurement; a failure is reported and leaves that figure short of a value."""
    try:
        run()
    except (Timeout, RuntimeError, subprocess.CalledProcessError, OSError) as error:
        _log(f"    {what} failed: {error}")


def _interleave(label: str, repeats: int, runs: list[tuple[str, Callable[[], None]]]) -> None:
    """Each run `repeats` times, taking turns, the first of each round rotating."""
    for repeat in range(repeats):
        _log(f"  {label} {repeat + 1}/{repeats}…")
        turn = repeat % len(runs)
        for what, run in runs[turn:] + runs[:turn]:
            _attempt(what, run)


def measure_size(seed: Path, workdir: Path, repeats: int, newsboat: bool, tmux: bool) -> Figures:
    out = Figures()
    size = seed.name.removeprefix("seed-")
    feeds, articles_rss = None, 0
    if newsboat:
        _log(f"  {size}: RSS feeds…")
        feeds, articles_rss = feeds_for(seed, workdir)
    _page_in(seed, *([feeds] if feeds else []))
    with tempfile.TemporaryDirectory(prefix="newsdeck-peer-") as temp_name:
        temp = Path(temp_name)
        environment = _environment(temp)
        (temp / "home").mkdir()
        (temp / "newsboat-config").write_text(NEWSBOAT_CONFIG)
        newsdeck_check = [*_newsdeck_argv(), "check", str(seed)]

        def headless(
            key: str, argv: list[str], fresh: Callable[[], None] | None = None
        ) -> Callable[[], None]:
            def run() -> None:
                if fresh is not None:
                    fresh()
                wall, cpu, _ = _headless(argv, environment)
                out.add(f"{key}_wall", wall)
                out.add(f"{key}_cpu", cpu)

            return run

        def fresh_newsdeck() -> None:
            shutil.rmtree(environment["NEWSDECK_CACHE_DIR"], ignore_errors=True)

        def fresh_newsboat() -> None:
            for stale in temp.glob("newsboat-cache.db*"):
                stale.unlink()

        # Cold import into an empty cache each time; the last ones stay for what follows.
        cold = [("newsdeck check, cold", headless("nd_cold", newsdeck_check, fresh_newsdeck))]
        warm = [("newsdeck check, warm", headless("nd_warm", newsdeck_check))]
        if feeds is not None:
            reload = _newsboat_argv(temp, feeds, "-x", "reload")
            cold.append(("newsboat -x reload", headless("nb_cold", reload, fresh_newsboat)))
            warm.append(
                (
                    "newsboat -x print-unread",
                    headless("nb_warm", _newsboat_argv(temp, feeds, "-x", "print-unread")),
                )
            )
        _interleave(f"{size}: cold import", repeats, cold)

        # How many articles each program holds: the terminal figures wait for all of them.
        _, _, report = _headless([*_newsdeck_argv(), "check", "--json", str(seed)], environment)
        articles_nd = int(json.loads(report)["articles"])
        if feeds is not None:
            _, _, unread = _headless(_newsboat_argv(temp, feeds, "-x", "print-unread"), environment)
            _log(f"  {size}: newsdeck holds {articles_nd:,} articles; newsboat says {unread.strip()!r}")
        _interleave(f"{size}: warm load, headless", repeats, warm)
        if not tmux:
            return out

        terminal = Terminal(temp)
        try:
            runs: list[tuple[str, Callable[[], None]]] = [
                ("bare Textual app", lambda: _terminal_bare(terminal, environment, out)),
                ("newsdeck", lambda: _terminal_newsdeck(terminal, seed, environment, articles_nd, out)),
            ]
            if feeds is not None:
                nb_feeds = feeds
                runs.append(
                    (
                        "newsboat",
                        lambda: _terminal_newsboat(terminal, temp, nb_feeds, environment, articles_rss, out),
                    )
                )
            _interleave(f"{size}: in tmux", repeats, runs)
        finally:
            terminal.close()
    return out


# The table --------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:.0f} ms"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value / 1e6:.0f} MB"


def _ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or theirs <= 0:
        return "—"
    ratio = ours / theirs
    return f"{ratio:.2f}" if ratio < 10 else f"{ratio:.0f}"


def table(results: list[tuple[int, Figures]]) -> str:
    lines = [
        "| figure (median) | articles | newsdeck | newsboat | ratio |",
        "|---|---|---|---|---|",
    ]

    def row(figure: str, size: int, ours: str, theirs: str, ratio: str) -> None:
        lines.append(f"| {figure} | {size:,} | {ours} | {theirs} | {ratio} |")

    def compare(figure: str, key: str, show: Callable[[float | None], str]) -> None:
        for size, figures in results:
            ours, theirs = figures.median(f"nd_{key}"), figures.median(f"nb_{key}")
            row(figure, size, show(ours), show(theirs), _ratio(ours, theirs))

    for size, figures in results:
        first, bare, theirs = (
            figures.median("nd_first"),
            figures.median("bare_first"),
            figures.median("nb_first"),
        )
        floor = f" ({_ratio(first, bare)}× bare Textual)" if first is not None and bare else ""
        row("first screen", size, _seconds(first) + floor, _seconds(theirs), _ratio(first, theirs))
        row("first screen, bare Textual app (one Static)", size, _seconds(bare), "", "")
    compare("every article listed", "listed", _seconds)
    compare("search result on screen", "search", _ms)
    compare("warm load, headless (`check` vs `-x print-unread`)", "warm_wall", _seconds)
    for size, figures in results:
        cpu = {who: figures.median(f"{who}_cold_cpu") for who in ("nd", "nb")}
        wall = {who: figures.median(f"{who}_cold_wall") for who in ("nd", "nb")}
        shown = {who: "—" if cpu[who] is None else f"{cpu[who]:.2f} ({_seconds(wall[who])})" for who in cpu}
        row("cold import, CPU seconds (wall)", size, shown["nd"], shown["nb"], _ratio(cpu["nd"], cpu["nb"]))
    for size, figures in results:
        main, helpers = figures.median("nd_memory"), figures.median("nd_helpers")
        ours = _mb(main) + (f" (+{_mb(helpers)} helper processes)" if main is not None and helpers else "")
        total = None if main is None else main + (helpers or 0)
        row(
            "peak memory",
            size,
            ours,
            _mb(figures.median("nb_memory")),
            _ratio(total, figures.median("nb_memory")),
        )
    return "\n".join(lines)


def _version(argv: list[str]) -> str:
    try:
        completed = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=10)
    except OSError:
        return "?"
    return (
        (completed.stdout or completed.stderr).strip().splitlines()[0]
        if completed.stdout or completed.stderr
        else "?"
    )


def run(
    sizes: list[int], workdir: Path, seed_for: Callable[[Path, int], Path], repeats: int = REPEATS
) -> None:
    newsboat = shutil.which("newsboat") is not None
    tmux = shutil.which("tmux") is not None
    if not newsboat:
        print("newsboat is not on PATH (apt-get install newsboat): the side-by-side figures are skipped; "
              "newsdeck's own are still measured.")  # fmt: skip
    if not tmux:
        print("tmux is not on PATH (apt-get install tmux): the figures taken in a terminal are skipped.")
    results = []
    for size in sizes:
        seed = seed_for(workdir, size)
        results.append((size, measure_size(seed, workdir, repeats, newsboat, tmux)))
    import textual

    print(
        f"newsdeck and newsboat side by side, {date.today()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Textual {textual.__version__}, "
        f"{_version(['newsboat', '--version']) if newsboat else 'no newsboat'}, "
        f"{_version(['tmux', '-V']) if tmux else 'no tmux'}; medians of {repeats}, interleaved; "
        "ratio: newsdeck / newsboat (lower is better for newsdeck)"
    )
    print()
    print(table(results))
