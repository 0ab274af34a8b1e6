"""`newsdeck check`: what a directory holds, without the UI."""

from __future__ import annotations

from tui.data.loader import LoadResult
from tui.data.wording import plural


def build_report(result: LoadResult) -> dict[str, object]:
    """The `check --json` object; topics come in sidebar order."""
    index = result.index
    return {
        "directory": str(result.root),
        "articles": len(index),
        "duplicates": result.duplicates,
        "topics": [{"name": facet.name, "count": facet.count} for facet in index.topics],
        "providers": [{"name": facet.name, "count": facet.count} for facet in index.providers],
        "skipped": [{"path": item.path, "reason": item.reason} for item in result.skipped],
        "seconds": round(result.seconds, 3),
    }


def format_report(report: dict[str, object]) -> str:
    """The same report for people."""
    topics: list[dict[str, object]] = report["topics"]  # type: ignore[assignment]
    providers: list[dict[str, object]] = report["providers"]  # type: ignore[assignment]
    skipped: list[dict[str, str]] = report["skipped"]  # type: ignore[assignment]
    lines = [
        f"{report['directory']}",
        f"  {plural(report['articles'], 'article')}, "  # type: ignore[arg-type]
        f"{plural(report['duplicates'], 'duplicate')} merged, "  # type: ignore[arg-type]
        f"{plural(len(skipped), 'file')} skipped ({report['seconds']} s)",
        "",
        f"Topics ({len(topics)}):",
        *(f"  {entry['count']:>7}  {entry['name']}" for entry in topics),
        "",
        f"Providers ({len(providers)}):",
        *(f"  {entry['count']:>7}  {entry['name']}" for entry in providers),
    ]
    if skipped:
        lines += ["", f"Skipped ({len(skipped)}):"]
        lines += [f"  {entry['path']}: {entry['reason']}" for entry in skipped]
    return "\n".join(lines)
