"""Nothing from disk takes control of a real terminal: every byte newsdeck writes is checked.

newsdeck runs on a pseudo-terminal over a directory built to attack the terminal: file and
folder names holding OSC 52 (clipboard), OSC 0 (window title), DCS and one-byte C1 CSI
sequences, a name that is not UTF-8, and articles whose title, excerpt, provider, topics,
images, related items and Markdown body hold escape sequences (raw, as YAML escapes and as
HTML entities), C1 controls, Rich markup and bidirectional overrides. Everything written to
the terminal while all of that is on screen (the list, the article with its body, the
skipped-files dialog with each entry highlighted) is then read back as a terminal would
read it: every escape sequence in the stream must be one Textual itself writes, the
payloads must never appear live, and their visible stand-ins (`␛`, `\\x9b`, `\\u202e`)
must, so the hostile text was drawn rather than merely absent. `check` and `check --json`
are held to the same standard.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from terminal import Terminal

from tui.data.cache import ENV_CACHE_DIR
from tui.data.state import ENV_STATE_DIR

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs a POSIX pseudo-terminal")

COLUMNS, LINES = 200, 50  # wide: sidebar, list and article side by side, all on screen
WAIT = 30.0  # seconds to wait for something to be drawn; only ever reached on failure

# The folder itself has a name that would set the window title.
DIRECTORY_NAME = "news\x1b]0;DIRTITLE\x07dir"
DIRECTORY_SHOWN = "news␛]0;DIRTITLE␇dir"

# Files that are not articles (no front matter): listed by `!` and by `check`, by the name
# newsdeck shows for them. The dialog lists them in this order (sorted as shown).
SKIPPED_FILES = {
    b"x\x1b]52;c;Zm5hbWUtY2xpcA==\x1b\\y.md": "x␛]52;c;Zm5hbWUtY2xpcA==␛\\y.md",
    b"t\x1b]0;PWNEDTITLE\x07.md": "t␛]0;PWNEDTITLE␇.md",
    b"bad\xff\xfename.md": "bad\\xff\\xfename.md",
    b"d\x1bPpwned\x1b\\.md": "d␛Ppwned␛\\.md",
    "c\u009b31mcsi.md".encode(): "c\\x9b31mcsi.md",
}

# The newest article: every field hostile through YAML double-quoted escapes (\e is ESC,
# \a is BEL), and a body that is not ASCII holding raw escapes and HTML entities.
ALPHA = (
    r"""---
title: "Alpha \e[31mREDTAG \e]0;EVILTITLE\a \x9b2JCSITAG [bold red]x[/]
  [link=https://evil.example]y[/link] \u202eREVTAG"
excerpt: "Excerpt \e]52;c;RVZJTEVYQ0VSUFQ=\e\\ \x90pwnDCS\e\\ \x9b31mEXCSI [bold red]ex[/]"
originalUrl: "https://alpha.example/1"
publishedDateTime: 2024-03-03T10:00:00Z
provider:
  name: "Prov\e]0;EVILPROV\a [link=https://evil.example]p[/link]"
  domain: prov.example
topics:
  - "Top\e[5mic"
  - "\u202eRevTopic"
  - "[bold]Markup[/]"
related:
  - title: "\e]0;EVILREL\a\x9b2J"
    originalUrl: "https://related.example/1"
    provider: "\e[7mRP"
    excerpt: "Related \e]52;c;UkVMQVRFRA==\e\\"
---
"""
    + "Zanzibar body \x1b[31mBODYRED\x1b[0m \x1b]0;EVILBODY\x07 \x1b]52;c;Qk9EWQ==\x1b\\ "
    + "\u009b2JBODYCSI \u0090pwnBODYDCS\x1b\\ \u202eBODYREV café\n\n"
    + "Entities: &#27;]0;ENTITYTITLE&#7; &#x9b;31m &#155;x &#x202e;ENTBIDI\n\n"
    + "[raw link](https://evil.example/\x1b]0;LINKTITLE\x07) "
    + "[entity link](https://evil.example/&#27;]0;ENTLINK&#7;) "
    + "[percent link](https://evil.example/%1B]0;PCTLINK%07) <https://evil.example/&#x9b;q>\n\n"
    + "[bold red]bodymarkup[/] [link=https://evil.example]bodylink[/link]\n"
)

# Raw control characters in plain YAML scalars (YAML itself refuses them; newsdeck shows
# them as pictures) and an ASCII body, which goes to the Markdown parser untouched.
BETA = (
    "---\n"
    "title: Beta raw \x1b[31mRAWTAG \x1b]0;EVILRAW\x07 \u009b2JRAWCSI done\n"
    "excerpt: raw excerpt \x1b]52;c;UkFXRVhD\x1b\\ \u0090rawdcs\x1b\\\n"
    "provider: RawProv\x1b]0;EVILRAWPROV\x07\n"
    "topics:\n  - World\n  - Raw\x1b[5mTopic\n"
    "originalUrl: https://beta.example/2\n"
    "publishedDateTime: 2024-03-02T10:00:00Z\n"
    "---\n"
    "Quokka body ascii \x1b[2JRAWCLEAR \x1b]0;EVILRAWBODY\x07 "
    "&#27;]0;ENTITYTITLE&#7; &#x9b;31m &#155;x &#144;y\n"
)

# Images, headings, a table and a fenced code block, each with escapes in them.
GAMMA = (
    "---\n"
    'title: "Gamma \\e]0;EVILGAMMA\\a"\n'
    "provider: Plain\n"
    "topics: [World]\n"
    "originalUrl: https://gamma.example/3\n"
    "publishedDateTime: 2024-03-01T10:00:00Z\n"
    "images:\n"
    '  - url: "https://img.example/\\e]0;EVILIMG\\a.png"\n'
    "    width: 10\n"
    "    height: 20\n"
    "---\n"
    "# Wombat \x1b]0;EVILHEAD\x07 heading ✓\n\n"
    "| col \x1b[31m | col2 |\n| --- | --- |\n| \x1b]0;EVILCELL\x07 | \u009b2J |\n\n"
    "```\ncode \x1b]0;EVILCODE\x07 \u009b2J\n```\n\n"
    "![image \x1b[31m](https://evil.example/\x1b]0;EVILIMGLINK\x07.png)\n"
)

ARTICLES = {"alpha.md": ALPHA, "beta.md": BETA, "gamma.md": GAMMA}

# What must never reach the terminal live (the checks below also catch any other form).
PAYLOADS = [
    b"\x1b]52;c;",
    b"\x1b]0;",
    b"\x1b]2;",
    b"\x1bP",
    b"\x1b[31m",
    b"\x1b[5m",
    b"\x1b[2J",
    b"\xc2\x9b",
    b"\xc2\x90",
]

# What each view must show, as visible text, to prove the hostile text was drawn rather than
# merely absent. Each is waited for on the screen as the stream leaves it.
SHOWN_WITH_ALPHA = [
    DIRECTORY_SHOWN,  # the header
    # title, excerpt, provider, topics
    "␛[31mREDTAG",
    "␛]0;EVILTITLE␇",
    "\\x9b2JCSITAG",
    "[bold red]x[/]",
    "[link=https://evil.example]y[/link]",
    "\\u202eREVTAG",
    "␛]52;c;RVZJTEVYQ0VSUFQ=␛\\",
    "\\x90pwnDCS␛\\",
    "\\x9b31mEXCSI",
    "␛]0;EVILPROV␇",
    "Top␛[5mic",  # in the article and the sidebar
    "\\u202eRevTopic",
    "[bold]Markup[/]",
    # the body
    "Zanzibar",
    "␛[31mBODYRED␛[0m",
    "␛]0;EVILBODY␇",
    "␛]52;c;Qk9EWQ==␛\\",
    "\\x9b2JBODYCSI",
    "\\x90pwnBODYDCS␛\\",
    "\\u202eBODYREV",
    "\\u202eENTBIDI",
    "[bold red]bodymarkup[/]",
    "[link=https://evil.example]bodylink[/link]",
]
# The related item, at the foot of the article: drawn once the "files skipped" notice over it
# has gone.
SHOWN_WITH_ALPHA_LATER = ["␛]0;EVILREL␇\\x9b2J", "␛[7mRP"]
# Raw control characters in YAML scalars, and an ASCII body.
SHOWN_WITH_BETA = [
    "Quokka",
    "␛[31mRAWTAG",
    "␛]0;EVILRAW␇",
    "\\x9b2JRAWCSI",
    "␛]52;c;UkFXRVhD␛\\",
    "\\x90rawdcs␛\\",
    "␛]0;EVILRAWPROV␇",
    "Raw␛[5mTopic",
    "␛[2JRAWCLEAR",
    "␛]0;EVILRAWBODY␇",
]
# Images, heading, table and code.
SHOWN_WITH_GAMMA = [
    "Wombat",
    "␛]0;EVILGAMMA␇",
    "https://img.example/␛]0;EVILIMG␇.png",
    "␛]0;EVILHEAD␇",
    "␛]0;EVILCELL␇",
    "␛]0;EVILCODE␇",
]
DIALOG_TITLE = f"{len(SKIPPED_FILES)} files skipped: not loaded as articles"


class SequenceFromData(AssertionError):
    """Something from the data reached the terminal as a control, not as text."""


# --- reading the stream as a terminal would ---------------------------------------------

_SEQUENCE = re.compile(
    r"\x1b(?:"
    r"\[(?P<prefix>[<=>?]?)(?P<params>[0-9;:]*)(?P<inter>[ -/]*)(?P<final>[@-~])"
    r"|\](?P<osc>[^\x07\x1b]*)(?:\x07|\x1b\\)"
    r")"
)
_SGR = re.compile(r"\x1b\[[0-9;]*m")
# Attributes Textual writes (bold, dim, italic, underline, reverse, strike and their resets);
# colours are always 38/48 with a palette index or RGB (the terminal is xterm-256color), so a
# plain `31m` or `5m` from the data stands out.
_SGR_ATTRIBUTES = {"0", "1", "2", "3", "4", "7", "9", "21", "22", "23", "24", "27", "29", "39", "49", "53"}
# C0 (but line ends, which Textual writes), DEL, C1, and bidirectional overrides and isolates.
_UNSAFE_TEXT = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _textual_sgr(params: str) -> bool:
    tokens = params.split(";") if params else ["0"]
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if token in ("38", "48"):
            kind = tokens[at + 1] if at + 1 < len(tokens) else ""
            width = {"5": 1, "2": 3}.get(kind)
            values = tokens[at + 2 : at + 2 + width] if width else []
            if not width or len(values) != width or not all(value.isdigit() for value in values):
                return False
            at += 2 + width
        elif token in _SGR_ATTRIBUTES:
            at += 1
        else:
            return False
    return True


def _textual_sequence(match: re.Match[str]) -> bool:
    """Is this one of the sequences Textual (pinned) itself writes?"""
    if match.group("osc") is not None:
        osc = match.group("osc")
        if re.fullmatch(r"22;[a-z-]+", osc):  # the mouse pointer's shape
            return True
        # A hyperlink, were Textual to draw one: never to a URL from the data.
        link = re.fullmatch(r"8;[!-~]*;([!-~]*)", osc)
        return link is not None and "evil" not in link.group(1)
    prefix, params, inter, final = match.group("prefix", "params", "inter", "final")
    if prefix == "" and inter == "" and final == "H":
        return re.fullmatch(r"(\d+;\d+)?", params) is not None
    if prefix == "" and inter == "" and final == "m":
        return _textual_sgr(params)
    if prefix == "?" and params.isdigit():
        return (inter, final) in {("", "h"), ("", "l"), ("$", "p")}
    return prefix in ("<", ">") and inter == "" and final == "u" and (params == "" or params.isdigit())


def _context(text: str, at: int) -> str:
    return repr(_SGR.sub("", text[max(0, at - 60) : at + 60]))


def problems_in(stream: bytes) -> list[str]:
    """Every control in `stream` that Textual did not write, with what was drawn around it."""
    try:
        text = stream.decode("utf-8")
    except UnicodeDecodeError as error:  # a name's raw bytes, or a lone 8-bit C1 byte
        return [f"not UTF-8: {error}: {stream[max(0, error.start - 60) : error.end + 60]!r}"]
    problems: list[str] = []

    def plain(start: int, end: int) -> None:
        for found in _UNSAFE_TEXT.finditer(text, start, end):
            problems.append(f"U+{ord(found.group()):04X} drawn: {_context(text, found.start())}")

    position = 0
    while (start := text.find("\x1b", position)) != -1:
        plain(position, start)
        match = _SEQUENCE.match(text, start)
        if match is None:
            problems.append(f"escape that starts no sequence Textual writes: {_context(text, start)}")
            position = start + 1
            continue
        if not _textual_sequence(match):
            problems.append(f"sequence {match.group()!r} not written by Textual: {_context(text, start)}")
        position = match.end()
    plain(position, len(text))
    return problems


def assert_nothing_live(stream: bytes, what: str) -> None:
    problems = problems_in(stream)
    problems += [f"payload {payload!r} present" for payload in PAYLOADS if payload in stream]
    if problems:
        shown = "\n  ".join(problems[:20])
        raise SequenceFromData(f"{what}: {len(problems)} controls from the data:\n  {shown}")


# --- driving the reader ---------------------------------------------------------------

_TOKEN = re.compile(
    r"\x1b\[([<=>?]?)([0-9;:]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.|\r|\n|[^\x1b\r\n]+"
)


class Screen:
    """What the terminal shows, from the stream: cursor moves, line ends and text are enough
    for Textual, which places every run of text it writes with an absolute cursor move."""

    def __init__(self) -> None:
        self.cells = [[" "] * COLUMNS for _ in range(LINES)]
        self.row = self.column = 0
        self.fed = 0

    def text(self, stream: bytes) -> str:
        # Up to the last ESC: a write may be cut anywhere, but what precedes an ESC is whole.
        end = stream.rfind(b"\x1b", self.fed)
        if end > self.fed:
            self._feed(stream[self.fed : end].decode("utf-8", errors="replace"))
            self.fed = end
        return "\n".join("".join(row) for row in self.cells)

    def _feed(self, text: str) -> None:
        for token in _TOKEN.finditer(text):
            prefix, params, final = token.group(1, 2, 3)
            part = token.group()
            if final == "H" and not prefix:
                row, column = (params or "1;1").split(";")
                self.row, self.column = int(row) - 1, int(column) - 1
            elif final == "h" and prefix == "?" and params == "1049":  # the alternate screen
                self.cells = [[" "] * COLUMNS for _ in range(LINES)]
            elif part == "\r":
                self.column = 0
            elif part == "\n":
                self.row += 1
            elif not part.startswith("\x1b"):
                for character in part:
                    if 0 <= self.row < LINES and 0 <= self.column < COLUMNS:
                        self.cells[self.row][self.column] = character
                    self.column += 2 if unicodedata.east_asian_width(character) in "WF" else 1


class Session:
    """The reader on a pseudo-terminal, driven by keys and read back from what it draws."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.screen = Screen()

    def shown(self) -> str:
        return self.screen.text(self.terminal.screen)

    def wait(self, *texts: str, twice: str = "", gone: str = "") -> str:
        """Read on until `texts` are on screen (`twice`, twice; `gone`, no longer); the screen."""
        deadline = time.monotonic() + WAIT
        while True:
            shown = self.shown()
            missing = [text for text in texts if text not in shown]
            missing += [f"{twice} (twice)"] if twice and shown.count(twice) < 2 else []
            missing += [f"{gone} (gone)"] if gone and gone in shown else []
            if not missing:
                return shown
            if time.monotonic() > deadline or self.terminal.process.poll() is not None:
                # Hostile text that is missing may have been obeyed rather than shown: say so first.
                assert_nothing_live(self.terminal.screen, "the reader, before everything was drawn")
                pytest.fail(
                    f"never drawn: {missing!r}; exit code {self.terminal.process.poll()}; screen:\n{shown}"
                )
            self.terminal.read(0.2)

    def press(self, keys: bytes, *texts: str, twice: str = "", gone: str = "") -> str:
        self.terminal.type(keys)
        return self.wait(*texts, twice=twice, gone=gone)


def environment(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    return {
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        ENV_CACHE_DIR: str(tmp_path / "newsdeck-cache"),
        ENV_STATE_DIR: str(tmp_path / "newsdeck-state"),
        "TZ": "UTC",
        # Read by shutil.get_terminal_size, which Textual asks: the pty itself has no size.
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
        # Nothing here should open a browser; if something did, it opens nothing.
        "BROWSER": "true",
    }


def write(directory: Path, name: bytes, content: str) -> None:
    path = os.path.join(os.fsencode(directory), name)
    with open(path, "wb") as file:
        file.write(content.encode("utf-8"))
    settled = time.time() - 60  # as if written a minute ago: the cache vouches for it
    os.utime(path, (settled, settled))


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    directory = tmp_path / DIRECTORY_NAME
    directory.mkdir()
    for name in SKIPPED_FILES:
        write(directory, name, "No front matter here, so this is not an article.\n")
    for name, content in ARTICLES.items():
        write(directory, name.encode(), content)
    return directory


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[Callable[[Path], Session]]:
    """Starts `python -m tui DIR` on a pseudo-terminal; ends it after the test if still running."""
    started: list[Terminal] = []

    def start(directory: Path) -> Session:
        started.append(Terminal([str(directory)], environment(tmp_path)))
        return Session(started[-1])

    yield start
    for terminal in started:
        terminal.close()


# --- the tests ---------------------------------------------------------------------------


def test_hostile_names_and_articles_never_reach_the_terminal_as_controls(
    hostile: Path, reader: Callable[[Path], Session]
) -> None:
    session = reader(hostile)
    # The newest article is highlighted first; its body comes a moment after the list.
    session.wait(*SHOWN_WITH_ALPHA)
    session.press(b"j", *SHOWN_WITH_BETA)
    session.press(b"j", *SHOWN_WITH_GAMMA)
    # The skipped files: the first is highlighted on opening, then each in turn, its name then
    # shown twice: in the list and in full below it.
    names = sorted(SKIPPED_FILES.values())
    session.press(b"!", DIALOG_TITLE, twice=names[0])
    for name in names[1:]:
        session.press(b"\x1b[B", twice=name)
    session.press(b"\x1b", "Wombat", gone=DIALOG_TITLE)
    session.press(b"g", *SHOWN_WITH_ALPHA, *SHOWN_WITH_ALPHA_LATER)
    assert session.terminal.quit() == 0
    stream = session.terminal.screen

    assert b"Traceback" not in stream
    assert_nothing_live(stream, "the reader")


@pytest.mark.parametrize("json_output", [False, True], ids=["human", "json"])
def test_check_prints_hostile_names_and_articles_as_text(
    hostile: Path, tmp_path: Path, json_output: bool
) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tui", "check", str(hostile), *(["--json"] if json_output else [])],
        capture_output=True,
        env={**os.environ, **environment(tmp_path)},
        timeout=60,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert b"Traceback" not in output
    assert_nothing_live(output, "check")
    assert b"\x1b" not in output  # check writes no escape sequences at all
    expected = [DIRECTORY_SHOWN, "Top␛[5mic", "Raw␛[5mTopic", "\\u202eRevTopic", "␛]0;EVILPROV␇"]
    expected += SKIPPED_FILES.values()
    if json_output:
        report = json.loads(completed.stdout)
        values = list(strings(report))
        # Escaped in JSON ("\u001b") a control is still live for whatever prints the value.
        unsafe = [value for value in values if _UNSAFE_TEXT.search(value)]
        assert not unsafe, f"control characters in the JSON's values: {unsafe}"
        assert sorted(item["path"] for item in report["skipped"]) == sorted(SKIPPED_FILES.values())
        printed = "\n".join(values)
    else:
        printed = output.decode("utf-8")
    missing = [text for text in expected if text not in printed]
    assert not missing, f"not printed as visible text: {missing}"


def strings(value: object) -> Iterator[str]:
    """Every text in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# --- holes found by this file, fixed since: an entity and a clicked link -----------------------


def test_a_bidi_override_written_as_an_entity_in_an_ascii_body_is_shown_not_obeyed(
    tmp_path: Path, reader: Callable[[Path], Session]
) -> None:
    directory = tmp_path / "seed"
    directory.mkdir()
    write(
        directory,
        b"a.md",
        "---\ntitle: Entities\nprovider: Plain\ntopics: [World]\n---\n"
        "Numbat RLO&#x202e;rlo LRI&#x2066;lri PDI&#x2069;pdi end\n",
    )
    session = reader(directory)
    session.wait("Numbat", "RLO\\u202erlo")  # the override spelled out, as the README promises
    assert session.terminal.quit() == 0
    assert b"Traceback" not in session.terminal.screen
    assert_nothing_live(session.terminal.screen, "an entity in an ASCII body")


def test_a_clicked_body_link_with_an_encoded_escape_is_quoted_as_text(
    tmp_path: Path, reader: Callable[[Path], Session]
) -> None:
    directory = tmp_path / "seed"
    directory.mkdir()
    write(
        directory,
        b"a.md",
        "---\ntitle: A link\nprovider: Plain\ntopics: [World]\noriginalUrl: https://a.example/1\n---\n"
        "[CLICKME](ftp://evil.example/%1B]52;c;Q0xJQ0tFRA==%1B%5C) and more\n",
    )
    session = reader(directory)
    rows = session.wait("CLICKME").splitlines()
    row, column = next((row, line.index("CLICKME")) for row, line in enumerate(rows) if "CLICKME" in line)
    # A left click (press and release) on the link, as an xterm reports it in SGR mouse mode.
    click = f"<0;{column + 3};{row + 1}"
    session.press(f"\x1b[{click}M\x1b[{click}m".encode(), "Link refused")
    assert session.terminal.quit() == 0
    assert b"Traceback" not in session.terminal.screen
    assert_nothing_live(session.terminal.screen, "a clicked link")


# --- reader mode: a page fetched from a server is data too ----------------------------------

HOSTILE_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Hostile page</title></head><body>"
    "<nav>Home | World</nav><article><h1>Quokka report</h1>"
    "<p>Quokka paragraph one \x1b]52;c;UEFHRUNMSVA=\x07 then \x1b]0;PAGETITLE\x07 and "
    "\x1b[31mPAGERED and [bold red]PAGEMARKUP[/] and [link=https://evil.example]PAGELINK[/link] "
    "with enough words around them to be the main text of the page, as a story would be.</p>"
    "<p>Quokka paragraph two &#27;]0;PAGEENTITY&#7; and \u009b2JPAGECSI and \u202ePAGEREV, again "
    "with words enough that the extractor keeps this paragraph as a part of the story.</p>"
    "</article><footer>Cookie settings</footer></body></html>"
)


def test_a_fetched_page_never_reaches_the_terminal_as_controls(
    tmp_path: Path, reader: Callable[[Path], Session]
) -> None:
    from pytest_httpserver import HTTPServer

    server = HTTPServer()
    server.start()
    try:
        server.expect_request("/hostile").respond_with_data(
            HOSTILE_PAGE.encode(), content_type="text/html; charset=utf-8"
        )
        directory = tmp_path / "seed"
        directory.mkdir()
        write(
            directory,
            b"a.md",
            "---\ntitle: Read me here\nprovider: Plain\ntopics: [World]\n"
            f"originalUrl: {server.url_for('/hostile')}\n---\n",
        )
        session = reader(directory)
        session.wait("Read me here")
        session.press(b"r", "Quokka paragraph one", "Quokka paragraph two", "Full text · localhost")
        shown = session.wait("[bold red]PAGEMARKUP[/]", "[link=https://evil.example]PAGELINK[/link]", "␛]0;")
        assert "PAGERED" in shown and "PAGECSI" in shown and "PAGEREV" in shown
        assert session.terminal.quit() == 0
    finally:
        server.clear()
        server.stop()
    assert b"Traceback" not in session.terminal.screen
    assert_nothing_live(session.terminal.screen, "a fetched page")
