"""The settings file (TOML): where it is, what it may say, and reading it so that bad config never wins.

`load_config` reads the file into a frozen `Config` and a list of `Problem`s.
Every setting is checked on its own: a syntax error skips its line, an unknown
key, a wrong type or an unknown value is reported and that setting keeps its
default, and the settings that are fine still apply. Each problem names the
file, the line, the key, what is wrong and what was expected.

The theme names and binding ids come from Textual and the screens; they are
parameters here, so that this module (like all of `tui.data`) runs without
Textual: the command line and the app pass them in.

Text from the file is data: every message quoting it goes through `visible`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import platformdirs

from tui.data.index import SORTS
from tui.data.key_names import key_problem, textual_keys
from tui.data.sanitize import visible

ENV_CONFIG = "NEWSDECK_CONFIG"
DATE_STYLES = ("compact", "iso")
SIDEBAR_WIDTHS = range(16, 61)
"""Narrower and topic names are cut to nothing; wider and the list loses its titles."""
TIMEOUT_RANGE = (0.5, 300.0)
# How many syntax errors are skipped before the rest of the file is given up.
_MAX_SYNTAX_ERRORS = 20


def _empty_keymap() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    """Reader mode (`r`): how long a page may take to connect and to arrive, in seconds."""

    connect_timeout: float = 10.0
    read_timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class Config:
    directory: Path | None = None
    """Opened when neither the command line nor `$NEWSDECK_DIR` names one; None: the demo."""
    theme: str = "textual-dark"
    sort: str = SORTS[0]
    unread_only: bool = False
    pictures: bool = True
    date_style: str = DATE_STYLES[0]
    sidebar_width: int = 28
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    keymap: Mapping[str, str] = field(default_factory=_empty_keymap)
    """Binding id -> keys, as Textual's `App.set_keymap` takes them ("ctrl+f" or "ctrl+f,f3")."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in the file, said so that it can be found and fixed."""

    file: Path
    line: int | None
    key: str | None
    """Dotted, as the file spells the table: "theme", "reader.read_timeout", "keymap.newsdeck.search"."""
    message: str
    """What is wrong and what was expected; already safe to show."""

    def __str__(self) -> str:
        where = visible(str(self.file)) + (f":{self.line}" if self.line else "")
        key = f" {visible(self.key)}:" if self.key else ""
        return f"{where}:{key} {self.message}"


def config_path() -> Path:
    """`$NEWSDECK_CONFIG`, else config.toml in the user config directory (~/.config/newsdeck on Linux)."""
    configured = os.environ.get(ENV_CONFIG)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_config_dir("newsdeck")) / "config.toml"


def load_config(
    path: Path | None = None,
    *,
    themes: Collection[str],
    binding_ids: Collection[str],
    key_names: Collection[str] = (),
) -> tuple[Config, list[Problem]]:
    """The settings in `path` (default: `config_path()`), and what is wrong in it.

    `themes` are the theme names that exist, `binding_ids` the ids a keymap may name,
    `key_names` extra key names to accept. A missing file is no problem: the defaults apply.
    """
    path = config_path() if path is None else path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Config(), []
    except OSError as error:
        return Config(), [
            Problem(path, None, None, f"cannot be read ({visible(error.strerror or str(error))})")
        ]
    lines, problems = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            # One bad line (an editor's Latin-1 "é") need not cost the others their settings.
            problems.append(
                Problem(path, number, None, "is not UTF-8 text (TOML files are); the line is skipped")
            )
            lines.append("")
    reader = _Reader(path, "\n".join(lines), themes=themes, binding_ids=binding_ids, key_names=key_names)
    reader.problems += problems
    config = reader.read()
    return config, sorted(reader.problems, key=lambda problem: problem.line or 0)


_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_SYNTAX_AT_END = re.compile(r"\s*\(at end of document\)$")


def _header_line(line: str) -> bool:
    return line.lstrip().startswith("[")


class _Reader:
    """One reading of one file: its text, and the problems found so far."""

    def __init__(
        self,
        path: Path,
        text: str,
        *,
        themes: Collection[str],
        binding_ids: Collection[str],
        key_names: Collection[str],
    ) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.themes = themes
        self.binding_ids = binding_ids
        self.key_names = key_names
        self.problems: list[Problem] = []
        self.skipped_tables: set[str] = set()

    def problem(self, line: int | None, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, key, message))

    def parse(self) -> dict[str, Any]:
        """The file's TOML, each line with a syntax error skipped (and said)."""
        lines = list(self.lines)
        for attempt in range(_MAX_SYNTAX_ERRORS):
            try:
                return tomllib.loads("\n".join(lines))
            except tomllib.TOMLDecodeError as error:
                reason = str(error)
                position = _SYNTAX_POSITION.search(reason)
                if position is None or attempt == _MAX_SYNTAX_ERRORS - 1 or int(position[1]) > len(lines):
                    return self.parse_start(lines, _SYNTAX_AT_END.sub("", _SYNTAX_POSITION.sub("", reason)))
                number, column = int(position.group(1)), int(position.group(2))
                reason = _SYNTAX_POSITION.sub("", reason)
                message = f"is not valid TOML (column {column}): {visible(reason)}; the line is skipped"
                self.problem(number, None, message)
                # A broken table header is replaced by one of ours, so that its keys are skipped
                # with it rather than read as keys of the table before.
                if _header_line(lines[number - 1]):
                    skipped = f"newsdeck-skipped-{attempt}"
                    self.skipped_tables.add(skipped)
                    lines[number - 1] = f'["{skipped}"]'
                else:
                    lines[number - 1] = ""
        return {}

    def parse_start(self, lines: list[str], reason: str) -> dict[str, Any]:
        """The longest start of the file that is TOML: an unclosed string runs to the end of it."""
        for end in range(len(lines) - 1, -1, -1):
            try:
                document = tomllib.loads("\n".join(lines[:end]))
            except tomllib.TOMLDecodeError:
                continue
            message = f"is not valid TOML: {visible(reason)}; from here to the end is skipped"
            self.problem(end + 1, None, message)
            return document
        return {}

    def line_of(self, table: str | None, key: str) -> int | None:
        """The line where `key` is set (in `[table]`, or at the top when None); for a table, its header."""
        quoted = r"""(?:{0}|"{0}"|'{0}')""".format(re.escape(key))
        assignment = re.compile(rf"\s*{quoted}\s*=")
        header = re.compile(rf"\s*\[\s*{quoted}\s*\]")
        dotted = re.compile(rf"\s*{re.escape(table)}\s*\.\s*{quoted}\s*=") if table else None
        current: str | None = None
        for number, line in enumerate(self.lines, start=1):
            if table is None and header.match(line):
                return number
            found = re.match(r"\s*\[\s*([^\]]*?)\s*\]", line)
            if found:
                current = found.group(1).strip("\"'")
            elif (current == table and assignment.match(line)) or (
                dotted is not None and current is None and dotted.match(line)
            ):
                return number
        # Not on a line of its own (an inline table, `reader = { read_timeout = 0 }`): its table's line.
        return self.line_of(None, table) if table else None

    def read(self) -> Config:
        document = {key: value for key, value in self.parse().items() if key not in self.skipped_tables}
        values = self.settings(None, document, _CHECKS, tables=("reader", "keymap"))
        if isinstance(document.get("reader"), dict):
            values["reader"] = ReaderSettings(**self.settings("reader", document["reader"], _READER_CHECKS))
        if isinstance(document.get("keymap"), dict):
            values["keymap"] = MappingProxyType(self.read_keymap(document["keymap"]))
        return Config(**values)

    def settings(
        self, table: str | None, data: dict[str, Any], checks: dict[str, _Rule], tables: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The settings of `data` (the top of the file, or `[table]`) that pass their check."""
        values: dict[str, Any] = {}
        for key, value in data.items():
            dotted = f"{table}.{key}" if table else key
            if key in tables and not isinstance(value, dict):
                self.problem(self.line_of(table, key), dotted, f"is {_kind(value)}; expected a table [{key}]")
            elif key in checks:
                checked = checks[key](self, value)
                if isinstance(checked, _Wrong):
                    self.problem(self.line_of(table, key), dotted, checked.text)
                else:
                    values[key] = checked
            elif key not in tables:
                names = ", ".join(sorted([*checks, *tables]))
                self.problem(self.line_of(table, key), dotted, f"is not a setting; expected one of {names}")
        return values

    def read_keymap(self, table: dict[str, Any]) -> dict[str, str]:
        keymap: dict[str, str] = {}
        for binding_id, keys in table.items():
            line = self.line_of("keymap", binding_id)
            dotted = f"keymap.{binding_id}"
            if binding_id not in self.binding_ids:
                self.problem(line, dotted, "is not a binding id; expected one that 'newsdeck keys' lists")
            elif not isinstance(keys, str):
                self.problem(line, dotted, f'is {_kind(keys)}; expected keys as a string ("ctrl+f")')
            elif (why := key_problem(keys, self.key_names)) is not None:
                self.problem(line, dotted, f'{why}; expected keys such as "ctrl+f", "f3" or "ctrl+f,f3"')
            else:
                keymap[binding_id] = textual_keys(keys)
        return keymap


@dataclass(frozen=True, slots=True)
class _Wrong:
    text: str


# A setting's check: the value as the setting takes it, or what is wrong with it.
_Rule = Callable[[_Reader, object], object]


def _kind(value: object) -> str:
    """What a TOML value is, in words, quoting it when short."""
    if isinstance(value, dict | list):
        return "a table" if isinstance(value, dict) else "an array"
    kinds = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    kind = next((name for cls, name in kinds.items() if isinstance(value, cls)), "a date or time")
    shown = (
        repr(value)
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
    return f"{kind} ({visible(shown)})" if len(shown) <= 40 else kind


def _choice(names: Callable[[_Reader], Collection[str]]) -> _Rule:
    def rule(reader: _Reader, value: object) -> object:
        allowed = names(reader)
        if not isinstance(value, str):
            return _Wrong(f"is {_kind(value)}; expected a string, one of {', '.join(sorted(allowed))}")
        if value not in allowed:
            return _Wrong(f'is "{visible(value)}", unknown; expected one of {", ".join(sorted(allowed))}')
        return value

    return rule


def _boolean(reader: _Reader, value: object) -> object:
    if isinstance(value, bool):
        return value
    return _Wrong(f"is {_kind(value)}; expected true or false")


def _directory(reader: _Reader, value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        return _Wrong(f'is {_kind(value)}; expected a folder as a string ("~/news")')
    return Path(value).expanduser()


def _sidebar_width(reader: _Reader, value: object) -> object:
    low, high = SIDEBAR_WIDTHS[0], SIDEBAR_WIDTHS[-1]
    if isinstance(value, bool) or not isinstance(value, int):
        return _Wrong(f"is {_kind(value)}; expected a whole number of columns from {low} to {high}")
    if value not in SIDEBAR_WIDTHS:
        return _Wrong(f"is {value}; expected a whole number of columns from {low} to {high}")
    return value


def _timeout(reader: _Reader, value: object) -> object:
    low, high = TIMEOUT_RANGE
    expected = f"expected seconds, a number from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _Wrong(f"is {_kind(value)}; {expected}")
    if not low <= value <= high:
        return _Wrong(f"is {value:g}; {expected}")
    return float(value)


_CHECKS: dict[str, _Rule] = {
    "directory": _directory,
    "theme": _choice(lambda reader: reader.themes),
    "sort": _choice(lambda reader: SORTS),
    "unread_only": _boolean,
    "pictures": _boolean,
    "date_style": _choice(lambda reader: DATE_STYLES),
    "sidebar_width": _sidebar_width,
}
_READER_CHECKS: dict[str, _Rule] = {"connect_timeout": _timeout, "read_timeout": _timeout}


def _default_text() -> str:
    defaults, reader = Config(), ReaderSettings()
    return f"""\
# newsdeck's settings. Remove the `#` before a setting to change it; each line shows the default.
# 'newsdeck config --check' says whether this file is right; a wrong setting keeps its default.

# The folder opened when neither the command line nor $NEWSDECK_DIR names one
# (not set: the demo).
# directory = "~/news"

# Colours: one of Textual's themes ("textual-dark", "nord", "gruvbox", "dracula" …;
# ctrl+p, then "Change theme", shows them all).
# theme = "{defaults.theme}"

# The list's order on start: {", ".join(f'"{name}"' for name in SORTS)} (s changes it).
# sort = "{defaults.sort}"

# Start showing only the articles not read yet (u changes it).
# unread_only = {str(defaults.unread_only).lower()}

# The article's picture at the top of the detail view (i changes it).
# pictures = {str(defaults.pictures).lower()}

# Dates in the list: "compact" (Mar 24, with the year when not this year) or "iso" (2026-03-24).
# date_style = "{defaults.date_style}"

# The sidebar's width in columns, {SIDEBAR_WIDTHS[0]} to {SIDEBAR_WIDTHS[-1]}.
# sidebar_width = {defaults.sidebar_width}

[reader]
# Reader mode (r): seconds a page may take to connect, and to arrive.
# connect_timeout = {reader.connect_timeout:g}
# read_timeout = {reader.read_timeout:g}

[keymap]
# A binding's keys: its id (as 'newsdeck keys' lists them) = the keys that replace its own,
# several with commas ("ctrl+f,f3").
# "newsdeck.search" = "ctrl+f"
"""


DEFAULT_CONFIG_TEXT = _default_text()
