"""Key names as Textual binds them: checking a keymap's keys, and writing them as Textual matches them.

A key is modifiers (ctrl, shift, alt, meta) joined with `+`, then a key name: one
printable character, a named key (f1 … f24, enter, escape, tab, space, up, pageup …),
or Textual's name of a character (`slash`, `question_mark`, `full_stop`: its Unicode
name in lower case, with `_` for spaces and hyphens). Several keys are joined with `,`.
No Textual here: this is the data layer (see tests/test_layers.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from tui.data.sanitize import visible

MODIFIERS = ("ctrl", "shift", "alt", "meta")
_MOVES = ("up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete")
# Textual's names for characters a binding cannot write as themselves (`+` and `,` separate keys)
# or that it renames from their Unicode name.
_CHARACTERS = ("slash", "backslash", "at", "minus", "plus", "underscore", "comma")
# As textual.keys.KEY_NAME_REPLACEMENTS renames the Unicode names of these characters.
_TEXTUAL_RENAMES = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_EDITS = ("enter", "escape", "tab", "space", "backspace")
_NAMED_KEYS = frozenset([*(f"f{number}" for number in range(1, 25)), *_EDITS, *_MOVES, *_CHARACTERS])


def key_problem(keys: str, extra_names: Collection[str] = ()) -> str | None:
    """Why `keys` ("ctrl+f", "ctrl+f,f3") is not a key Textual can bind, or None when it is.

    `extra_names` are more key names to accept (Textual's `Keys`, passed in by the CLI).
    """
    if not keys.strip():
        return "no key given"
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+")
        if not name or "" in modifiers:
            return f'"{visible(key.strip())}" has no key name (+ is "plus", a comma "comma")'
        for modifier in modifiers:
            if modifier not in MODIFIERS:
                return f'"{visible(modifier)}" in "{visible(key.strip())}" is not a modifier'
        if len(set(modifiers)) != len(modifiers):
            return f'"{visible(key.strip())}" repeats a modifier'
        if not _is_key_name(name, extra_names):
            return f'"{visible(name)}" is not a key name'
    return None


def textual_keys(keys: str) -> str:
    """`keys` as Textual matches them: "ctrl+/, ?" is "ctrl+slash,question_mark".

    A binding's key is named so when it is made, but a keymap's keys are taken as they are,
    and a key event is never called "/": without this such a key would never fire.
    """
    named = []
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+")
        if len(name) == 1 and not name.isalnum():
            name = unicodedata.name(name, name).lower().replace("-", "_").replace(" ", "_")
            name = _TEXTUAL_RENAMES.get(name, name)
        named.append("+".join([*modifiers, name]))
    return ",".join(named)


def _is_key_name(name: str, extra_names: Collection[str]) -> bool:
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in _NAMED_KEYS or name in extra_names:
        return True
    # Textual names a character by its Unicode name: "?" is question_mark.
    if not re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", name):
        return False
    try:
        character = unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return character.isprintable() and not character.isalnum() and not character.isspace()
