"""`newsdeck config --path|--init|--check` (the settings file) and `newsdeck keys [--json]` (every key).

Exit codes: 0 when all is well; `config --check` 1 when the file has problems (each
printed, as the reader would report them); 2 when the command cannot do what it was
asked (`--init` over an existing file, a file that cannot be written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tui.data.config import DEFAULT_CONFIG_TEXT, ENV_CONFIG, Config, Problem, config_path, load_config
from tui.data.sanitize import visible


def _say(message: str) -> None:
    print(f"newsdeck: {message}", file=sys.stderr)


def _config_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdeck config",
        description=(
            f"newsdeck's settings file (TOML); ${ENV_CONFIG} names another file. "
            "A wrong setting keeps its default and is reported."
        ),
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--path", action="store_true", help="print where the settings file is (or would be)")
    action.add_argument(
        "--init", action="store_true", help="write a commented file with every setting (never overwrites)"
    )
    action.add_argument(
        "--check", action="store_true", help="report every problem in the file; exit 1 if there is one"
    )
    return parser


def load_checked_config(path: Path | None = None) -> tuple[Config, list[Problem]]:
    """The settings, checked against the themes, bindings and key names of this newsdeck."""
    from textual.keys import Keys
    from textual.theme import BUILTIN_THEMES

    from tui.keys import all_bindings

    binding_ids = [binding.id for binding in all_bindings() if binding.id]
    # Textual's named keys ("ctrl+pageup"), by their name alone: modifiers are checked apart.
    key_names = {key.value.rsplit("+", 1)[-1] for key in Keys if not key.value.startswith("<")}
    return load_config(path, themes=BUILTIN_THEMES, binding_ids=binding_ids, key_names=key_names)


def run_config(arguments: Sequence[str]) -> int:
    options = _config_parser().parse_args(arguments)
    path = config_path()
    shown = visible(str(path))
    if options.path:
        print(shown)
        return 0
    if options.init:
        return _init(path)
    if not path.exists():
        print(f"no config file at {shown}; defaults apply")
        return 0
    _config, problems = load_checked_config(path)
    for problem in problems:
        print(problem)
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''}: each setting named keeps its default")
        return 1
    print(f"{shown} is valid")
    return 0


def _init(path: Path) -> int:
    shown = visible(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x": never overwrite, even a file made between a check and the write.
        with path.open("x", encoding="utf-8") as file:
            file.write(DEFAULT_CONFIG_TEXT)
    except FileExistsError:
        _say(f"{shown} exists already; not overwritten (edit it, or move it away first)")
        return 2
    except OSError as error:
        _say(f"cannot write {shown} ({visible(error.strerror or str(error))})")
        return 2
    print(f"Wrote the default settings to {shown}; every setting is commented out, with its default.")
    return 0


def _keys_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdeck keys",
        description="Every key binding: its id (for [keymap] in the settings file), its keys, what it does.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    return parser


def run_keys(arguments: Sequence[str]) -> int:
    options = _keys_parser().parse_args(arguments)
    from tui.keys import all_bindings, key_name

    rows = []
    for binding in all_bindings():
        keys = [key.strip() for key in binding.key.split(",")]
        rows.append((binding.id or "", keys, binding.tooltip or binding.description))
    if options.json:
        document = [{"id": identity, "keys": keys, "description": does} for identity, keys, does in rows]
        text = json.dumps(document, ensure_ascii=False, indent=2)
    else:
        shown = [
            (identity, " or ".join(key_name(key) for key in keys), does) for identity, keys, does in rows
        ]
        id_width = max(len(identity) for identity, _keys, _does in shown)
        keys_width = max(len(keys) for _identity, keys, _does in shown)
        text = "\n".join(
            f"{identity:<{id_width}}  {keys:<{keys_width}}  {does}" for identity, keys, does in shown
        )
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # `newsdeck keys | head`: the reader left early, which is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
