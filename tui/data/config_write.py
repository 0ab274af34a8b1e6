"""Writing one setting back to the settings file (the theme chosen from the palette), keeping the rest.

The file is the user's: tomlkit edits the one value and keeps every comment,
blank line and order; the new text replaces the old in one rename, so a crash
leaves either file whole. A file that does not parse is left alone (its
problems are the user's to fix, and `config --check` says where).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tui.data.sanitize import visible


class NotWritten(Exception):
    """Why the setting could not be kept (for a notice)."""


def save_setting(path: Path, key: str, value: str | bool | int | float) -> None:
    """Set the top-level `key` to `value` in the settings file at `path` (made if missing)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise NotWritten(f"cannot read {visible(path)} ({visible(error)})") from None
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise NotWritten(
            f"{visible(path)} has mistakes ({visible(error)}): newsdeck config --check"
        ) from None
    document[key] = value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(tomlkit.dumps(document))
        os.replace(temporary, path)
    except OSError as error:
        raise NotWritten(f"cannot write {visible(path)} ({visible(error.strerror or error)})") from None
