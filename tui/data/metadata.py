"""The `_data` folder: topic and provider definitions that improve display.

Also how providers are told apart for the sidebar (`provider_facets`): by
domain, named as `_data` names them.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tui.data.model import Provider
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
    problems: list[tuple[str, str]] = field(default_factory=list)
    """(definition file relative to the seed directory, why it was not used)."""


def find_metadata_folder(root: Path) -> Path | None:
    """`_data` in the seed directory, else beside it (`corpus/articles` + `corpus/_data`)."""
    for candidate in (root / METADATA_FOLDER, root.parent / METADATA_FOLDER):
        try:
            if candidate.is_dir():
                return candidate
        except OSError:  # a parent folder we may not look into
            continue
    return None


def _mappings(folder: Path, pattern: str, metadata: Metadata, root: Path) -> list[dict[object, object]]:
    """The definitions in `folder`; a file that cannot be used is left out, with its reason."""
    # The YAML reader is needed only when definitions are read, not on a warm start.
    from tui.data.front_matter import SkipFile, decode
    from tui.data.parse import read_yaml_mapping

    found: list[dict[object, object]] = []
    try:
        paths = sorted(folder.glob(pattern))
    except OSError:
        return found
    for path in paths:
        try:
            size = path.stat().st_size
            if size > _MAX_METADATA_BYTES:
                raise SkipFile(f"file too large ({size:,} bytes; the limit for a definition is 1 MB)")
            found.append(read_yaml_mapping(decode(path.read_bytes())))
        except OSError as error:
            metadata.problems.append(
                (_shown(path, root), f"definition not used: could not be read: {error.strerror or error}")
            )
        except SkipFile as error:
            # Metadata only refines display: the rest loads without this definition.
            metadata.problems.append((_shown(path, root), f"definition not used: {error.reason}"))
    return found


def _shown(path: Path, root: Path) -> str:
    """How the user knows a definition file: relative to the seed directory."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def _text(value: object) -> str:
    return clean_line(value) if isinstance(value, str) else ""


def load_metadata(root: Path) -> Metadata:
    metadata = Metadata()
    folder = find_metadata_folder(root)
    if folder is None:
        return metadata
    for topic in _mappings(folder / "topics", "*.y*ml", metadata, root):
        name = _text(topic.get("name"))
        if not name:
            continue
        for alias in (name, _text(topic.get("shortname"))):
            if alias:
                metadata.topic_names.setdefault(alias.casefold(), name)
    for organization in _mappings(folder / "organizations", "*.md", metadata, root):
        name = _text(organization.get("name"))
        domain = _text(organization.get("domain")).lower()
        if name and domain:
            metadata.provider_names.setdefault(domain, name)
            metadata.provider_domains.setdefault(name.casefold(), domain)
    return metadata


def provider_facets(
    counts: Counter[Provider], metadata: Metadata
) -> tuple[dict[Provider, str], dict[str, str]]:
    """Each provider's facet key, and each facet's name in the sidebar.

    Providers are one when they share a domain (`ABC` and `ABCNews`, both at
    abcnews.go.com) or a name in any case (`CNN` with and without its domain).
    A facet is keyed by its most used domain, or by its name when it has none,
    and named as `_data` names its domains, else by the spelling most of its
    articles use (ties: the alphabetically first, so file order does not matter).
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = node = parent[parent[node]]
        return node

    def nodes(provider: Provider) -> list[str]:
        # Names and domains share one space: a provider named "omaha.com" is the one at omaha.com.
        return [node for node in (provider.domain.lower(), provider.name.casefold()) if node] or [
            provider.label.casefold()
        ]

    for provider in counts:
        first, *others = nodes(provider)
        for other in others:
            parent[root(other)] = root(first)
    groups: dict[str, list[Provider]] = {}
    for provider in counts:
        groups.setdefault(root(nodes(provider)[0]), []).append(provider)

    keys: dict[Provider, str] = {}
    names: dict[str, str] = {}
    for members in groups.values():
        domains: Counter[str] = Counter()
        spellings: Counter[str] = Counter()
        for provider in members:
            if provider.domain:
                domains[provider.domain.lower()] += counts[provider]
            if provider.name:
                spellings[provider.name] += counts[provider]
        by_use = sorted(domains, key=lambda domain: (-domains[domain], domain))
        spelled = sorted(spellings, key=lambda name: (-spellings[name], name))
        key = by_use[0] if by_use else members[0].label.casefold()
        known = [metadata.provider_names[domain] for domain in by_use if domain in metadata.provider_names]
        names[key] = next(iter(known + spelled), by_use[0] if by_use else members[0].label)
        keys.update(dict.fromkeys(members, key))
    return keys, names


def metadata_stamp(root: Path) -> list[list[object]]:
    """Which definition files `load_metadata` would read, with their sizes and times: cheap to compare."""
    folder = find_metadata_folder(root)
    if folder is None:
        return []
    stamp: list[list[object]] = [[str(folder)]]
    for pattern in ("topics/*.y*ml", "organizations/*.md"):
        try:
            paths = sorted(folder.glob(pattern))
        except OSError:
            continue
        for path in paths:
            try:
                info = path.stat()
            except OSError as error:
                stamp.append([path.name, str(error)])
                continue
            stamp.append([str(path.relative_to(folder)), info.st_size, info.st_mtime_ns])
    return stamp
