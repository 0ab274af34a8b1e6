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
from collections.abc import Iterator
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
title: "Alpha \e[31mREDTAG \e]0;EVILTITLE\a \x9b2JCSITAG [bold red]x[/] [link=https://evil.example]y[/link] \u202eREVTAG"
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
  - title: "Rel \e]0;EVILREL\a \x9b2JRELCSI"
    originalUrl: "https://related.example/1"
    provider: "RelProv\e[31mRELTAG"
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

# The stand-ins that prove the hostile text was on screen: each is drawn in one piece.
SHOWN_IN_THE_READER = [
    # the folder, in the header
    DIRECTORY_SHOWN,
    # title, excerpt, provider, topics (alpha)
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
    "Top␛[5mic",
    "\\u202eRevTopic",
    "[bold]Markup[/]",
    # the related item
    "␛]0;EVILREL␇",
    "\\x9b2JRELCSI",
    # the body (alpha)
    "␛[31mBODYRED␛[0m",
    "␛]0;EVILBODY␇",
    "␛]52;c;Qk9EWQ==␛\\",
    "\\x9b2JBODYCSI",
    "\\x90pwnBODYDCS␛\\",
    "\\u202eBODYREV",
    "\\u202eENTBIDI",
    "[bold red]bodymarkup[/]",
    # raw control characters in YAML scalars and an ASCII body (beta)
    "␛[31mRAWTAG",
    "␛]0;EVILRAW␇",
    "\\x9b2JRAWCSI",
    "␛]52;c;UkFXRVhD␛\\",
    "\\x90rawdcs␛\\",
    "␛]0;EVILRAWPROV␇",
    "Raw␛[5mTopic",
    "␛[2JRAWCLEAR",
    "␛]0;EVILRAWBODY␇",
    # images, heading, table, code (gamma)
    "␛]0;EVILGAMMA␇",
    "https://img.example/␛]0;EVILIMG␇.png",
    "␛]0;EVILHEAD␇",
    "␛]0;EVILCELL␇",
    "␛]0;EVILCODE␇",
    # the skipped files, each highlighted in turn
    *SKIPPED_FILES.values(),
]


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


def drawn(stream: bytes) -> str:
    """The text drawn, with colours and attributes left out (so a styled word stays whole)."""
    return _SGR.sub("", stream.decode("utf-8", errors="replace"))


# --- driving the reader ---------------------------------------------------------------


def wait_for(terminal: Terminal, *texts: str, after: int = 0) -> None:
    """Read on until every one of `texts` has been drawn since byte `after` of the stream."""
    deadline = time.monotonic() + WAIT
    while True:
        missing = [text for text in texts if text not in drawn(terminal.screen[after:])]
        if not missing:
            return
        if time.monotonic() > deadline or terminal.process.poll() is not None:
            tail = drawn(terminal.screen[-3000:])
            pytest.fail(f"never drawn: {missing!r}; exit code {terminal.process.poll()}; last: {tail!r}")
        terminal.read(0.2)


def press(terminal: Terminal, keys: bytes, *then_drawn: str) -> None:
    """Type `keys`, then read on until each of `then_drawn` is drawn afresh."""
    mark = len(terminal.screen)
    terminal.type(keys)
    wait_for(terminal, *then_drawn, after=mark)


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
def run(tmp_path: Path) -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for terminal in started:
        if terminal.process.poll() is None:
            terminal.close()


def start(run: list[Terminal], arguments: list[str], tmp_path: Path) -> Terminal:
    terminal = Terminal(arguments, environment(tmp_path))
    run.append(terminal)
    return terminal


# --- the tests ---------------------------------------------------------------------------


def test_hostile_names_and_articles_never_reach_the_terminal_as_controls(
    hostile: Path, tmp_path: Path, run: list[Terminal]
) -> None:
    terminal = start(run, [str(hostile)], tmp_path)
    # The newest article is highlighted first; its body comes a moment after the list.
    wait_for(terminal, "Zanzibar", "␛]0;EVILTITLE␇", "␛]0;EVILPROV␇")
    press(terminal, b"j", "Quokka")
    press(terminal, b"j", "Wombat", "␛]0;EVILCODE␇")
    # The skipped files: the first is highlighted on opening, then each in turn.
    shown = sorted(SKIPPED_FILES.values())
    press(terminal, b"!", f"{len(shown)} files skipped", shown[0])
    for name in shown[1:]:
        press(terminal, b"\x1b[B", name)
    # Back on the list, the article behind the dialog is drawn again.
    press(terminal, b"\x1b", "Wombat")
    assert terminal.quit() == 0
    stream = terminal.screen

    assert b"Traceback" not in stream
    missing = [text for text in SHOWN_IN_THE_READER if text not in drawn(stream)]
    assert not missing, f"not drawn as visible text: {missing}"
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
    text = output.decode("utf-8")
    expected = [DIRECTORY_SHOWN, "Top␛[5mic", "Raw␛[5mTopic", "\\u202eRevTopic", "␛]0;EVILPROV␇"]
    expected += SKIPPED_FILES.values()
    if not json_output:
        missing = [shown for shown in expected if shown not in text]
        assert not missing, f"not printed as visible text: {missing}"
        return

    report = json.loads(completed.stdout)

    def strings(value: object) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    # Escaped in JSON ("\u001b") would still be a live ESC for whatever prints the value.
    unsafe = [value for value in strings(report) if _UNSAFE_TEXT.search(value)]
    assert not unsafe, f"control characters in the JSON's values: {unsafe}"
    assert sorted(item["path"] for item in report["skipped"]) == sorted(SKIPPED_FILES.values())
    assert DIRECTORY_SHOWN in report["directory"]
    missing = [shown for shown in expected if shown not in list(strings(report))]
    missing = [shown for shown in missing if not any(shown in value for value in strings(report))]
    assert not missing, f"not in the JSON as visible text: {missing}"


# --- known holes: strict xfail, so a fix turns them into failures to be unmarked ---------------


@pytest.mark.xfail(
    strict=True,
    raises=SequenceFromData,
    reason="bug: in a body that is all ASCII, Markdown turns &#x202e; into a live bidi override",
)
def test_a_bidi_override_written_as_an_entity_in_an_ascii_body_is_shown_not_obeyed(
    tmp_path: Path, run: list[Terminal]
) -> None:
    directory = tmp_path / "seed"
    directory.mkdir()
    write(
        directory,
        b"a.md",
        "---\ntitle: Entities\nprovider: Plain\ntopics: [World]\n---\n"
        "Numbat RLO&#x202e;rlo LRI&#x2066;lri PDI&#x2069;pdi end\n",
    )
    terminal = start(run, [str(directory)], tmp_path)
    wait_for(terminal, "Numbat", "end")
    assert terminal.quit() == 0
    assert b"Traceback" not in terminal.screen
    assert_nothing_live(terminal.screen, "an entity in an ASCII body")


@pytest.mark.xfail(
    strict=True,
    raises=SequenceFromData,
    reason=(
        "bug: a clicked body link is unquoted by Textual (%1B -> ESC) and tui/screens/links.py "
        "quotes it in the 'Link refused' notice without visible()"
    ),
)
def test_a_clicked_body_link_with_an_encoded_escape_is_quoted_as_text(
    tmp_path: Path, run: list[Terminal]
) -> None:
    directory = tmp_path / "seed"
    directory.mkdir()
    write(
        directory,
        b"a.md",
        "---\ntitle: A link\nprovider: Plain\ntopics: [World]\noriginalUrl: https://a.example/1\n---\n"
        "[CLICKME](ftp://evil.example/%1B]52;c;Q0xJQ0tFRA==%1B%5C) and more\n",
    )
    terminal = start(run, [str(directory)], tmp_path)
    wait_for(terminal, "CLICKME")
    # Where the link was drawn: the last cursor move before it, plus the cells between.
    stream = terminal.screen.decode("utf-8", errors="replace")
    at = stream.rindex("CLICKME")
    move = list(re.finditer(r"\x1b\[(\d+);(\d+)H", stream[:at]))[-1]
    row = int(move.group(1))
    column = int(move.group(2)) + len(_SEQUENCE.sub("", stream[move.end() : at])) + 2
    # A left click (press and release) as an xterm reports it in SGR mouse mode.
    press(terminal, f"\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m".encode(), "Link refused")
    assert terminal.quit() == 0
    assert b"Traceback" not in terminal.screen
    assert_nothing_live(terminal.screen, "a clicked link")
