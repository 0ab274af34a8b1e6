"""`newsdeck check`: what a directory holds, without the UI."""

from __future__ import annotations

from tui.data.dates import iso_utc
from tui.data.loader import LoadResult
from tui.data.sanitize import visible
from tui.data.search import find, parse_query
from tui.data.wording import plural


def search_report(result: LoadResult, text: str) -> dict[str, object]:
    """What `text` finds, in list order (newest first), as the reader would show it.

    The reader's rule, not a stricter one: a last word of three letters or more also
    matches longer words (`bid` finds Biden), as it does while typing in the reader.
    """
    query = parse_query(text, typing=True)
    view = find(result.index, query)
    report: dict[str, object] = {
        "query": visible(text),
        "count": len(view),
        "matches": [
            {
                "title": article.title,
                "url": article.url,
                "published": iso_utc(article.published),
                "path": visible(article.path),
            }
            for article in view
        ],
    }
    if query.problems:
        report["problems"] = [visible(problem) for problem in query.problems]
    return report


def stories_report(result: LoadResult) -> list[dict[str, object]]:
    """The stories of more than one article, the biggest first, each member newest first."""
    from tui.data.stories import find_stories

    index = result.index
    stories = find_stories(index.articles)
    members = sorted(stories.members.values(), key=lambda group: (-len(group), group[0]))
    return [
        {
            "size": len(group),
            "titles": [index.articles[position].title for position in group],
            "urls": [index.articles[position].url for position in group],
        }
        for group in members
    ]


def build_report(result: LoadResult, search: str | None = None, stories: bool = False) -> dict[str, object]:
    """The `check --json` object; topics come in sidebar order."""
    report = _base_report(result)
    if search is not None:
        report["search"] = search_report(result, search)
    if stories:
        report["stories"] = stories_report(result)
    return report


def _base_report(result: LoadResult) -> dict[str, object]:
    index = result.summary
    return {
        "directory": visible(result.root),
        "articles": index.size,
        "duplicates": result.duplicates,
        "topics": [{"name": facet.name, "count": facet.count} for facet in index.topics],
        "providers": [{"name": facet.name, "count": facet.count} for facet in index.providers],
        "skipped": [{"path": item.path, "reason": item.reason} for item in result.skipped],
        "seconds": round(result.seconds, 3),
    }


def format_report(report: dict[str, object]) -> str:
    """The same report for people.

    Every string in the report is safe to show already (titles are cleaned on
    load, names and paths pass through `visible` when the report is built).
    """
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
    search: dict[str, object] | None = report.get("search")  # type: ignore[assignment]
    if search is not None:
        matches: list[dict[str, object]] = search["matches"]  # type: ignore[assignment]
        lines += ["", f"Search for {search['query']}: {plural(len(matches), 'match', 'matches')}"]
        lines += [f"  problem: {problem}" for problem in search.get("problems", [])]  # type: ignore[attr-defined]
        lines += [f"  {match['published'] or 'undated':20}  {match['title']}" for match in matches]
    groups: list[dict[str, object]] | None = report.get("stories")  # type: ignore[assignment]
    if groups is not None:
        lines += ["", f"Stories of more than one article ({len(groups)}):"]
        for group in groups:
            titles: list[str] = group["titles"]  # type: ignore[assignment]
            lines.append(f"  {group['size']} sources: {titles[0]}")
            lines += [f"      {title}" for title in titles[1:]]
    return "\n".join(lines)
