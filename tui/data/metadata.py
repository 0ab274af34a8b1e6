"""The `_data` folder: topic and provider definitions that improve display."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.data.parse import iter_yaml_mappings
from tui.data.sanitize import clean_line
from tui.data.scan import METADATA_FOLDER

_MAX_METADATA_BYTES = 1024 * 1024


@dataclass(slots=True)
class Metadata:
    topic_names: dict[str, str] = field(default_factory=dict)
    """Case-folded topic name or short name -> the topic's display name."""
    provider_names: dict[str, str] = field(default_factory=dict)
    """Lower-case domain -> the provider's display name."""
    provider_domains: dict[str, str] = field(default_factory=dict)
    """Case-folded provider name -> its domain."""


def find_metadata_folder(root: Path) -> Path | None:
    """`_data` in the seed directory, else beside it (`corpus/articles` + `corpus/_data`)."""
    for candidate in (root / METADATA_FOLDER, root.parent / METADATA_FOLDER):
        try:
            if candidate.is_dir():
                return candidate
        except OSError:  # a parent folder we may not look into
            continue
    return None


def _mappings(folder: Path, pattern: str) -> list[dict[object, object]]:
    found: list[dict[object, object]] = []
    try:
        paths = sorted(folder.glob(pattern))
    except OSError:
        return found
    for path in paths:
        try:
            if path.stat().st_size > _MAX_METADATA_BYTES:
                continue
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            # Metadata only refines display; a broken definition is left out.
            continue
        found.extend(iter_yaml_mappings(text))
    return found


def _text(value: object) -> str:
    return clean_line(value) if isinstance(value, str) else ""


def load_metadata(root: Path) -> Metadata:
    metadata = Metadata()
    folder = find_metadata_folder(root)
    if folder is None:
        return metadata
    for topic in _mappings(folder / "topics", "*.y*ml"):
        name = _text(topic.get("name"))
        if not name:
            continue
        for alias in (name, _text(topic.get("shortname"))):
            if alias:
                metadata.topic_names.setdefault(alias.casefold(), name)
    for organization in _mappings(folder / "organizations", "*.md"):
        name = _text(organization.get("name"))
        domain = _text(organization.get("domain")).lower()
        if name and domain:
            metadata.provider_names.setdefault(domain, name)
            metadata.provider_domains.setdefault(name.casefold(), domain)
    return metadata
