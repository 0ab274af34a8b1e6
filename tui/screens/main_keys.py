"""The main screen's own keys: moving between panes, sorting, searching, the topic numbers.

Kept apart from `main.py`, which puts the screen together; the help screen and
`newsdeck keys` read them from `MainScreen.BINDINGS` like every other binding.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

MAIN_BINDINGS: list[BindingType] = [
    Binding(
        "t",
        "focus_topics",
        "Topics",
        tooltip="Go to the sidebar: topics, then providers",
        id="newsdeck.topics",
    ),
    Binding(
        "o",
        "open_link",
        "Open",
        show=False,
        tooltip="Open the original URL (or the focused related or similar item) in your browser",
        id="newsdeck.open",
    ),
    # In the status line ("press !") when there are any: the footer keeps room for q and ?.
    Binding(
        "exclamation_mark",
        "show_skipped",
        "Skipped",
        show=False,
        tooltip="List the files that were skipped, and why",
        id="newsdeck.skipped",
    ),
    Binding(
        "escape",
        "back",
        "Back",
        tooltip="Back from the full-window article; in the search, clear and close it",
        id="newsdeck.back",
    ),
    Binding(
        "slash",
        "search",
        "Search",
        tooltip='Search as you type (words, "a phrase", -not, topic:, provider:, after:, before:)',
        id="newsdeck.search",
    ),
    Binding(
        "s",
        "sort",
        "Sort",
        show=False,
        tooltip="Sort: newest first, oldest first, by rank",
        id="newsdeck.sort",
    ),
    Binding(
        "a",
        "match_every",
        "Any/all topics",
        show=False,
        tooltip="With several topics chosen: articles in any of them, or in all",
        id="newsdeck.any-all",
    ),
    Binding(
        "m",
        "toggle_read",
        "Read",
        tooltip="Mark the article (a folded story: all its articles) read or unread",
        id="newsdeck.toggle-read",
    ),
    Binding(
        "M",
        "mark_all_read",
        "All read",
        show=False,
        tooltip="Mark every article in the list read (asks first past a screenful)",
        id="newsdeck.mark-all-read",
    ),
    Binding(
        "n",
        "next_unread(1)",
        "Next",
        show=False,
        tooltip="Go to the next unread article",
        id="newsdeck.next-unread",
    ),
    Binding(
        "N",
        "next_unread(-1)",
        "Previous unread",
        show=False,
        tooltip="Go to the previous unread article",
        id="newsdeck.previous-unread",
    ),
    Binding(
        "asterisk,f",
        "toggle_star",
        "Star",
        show=False,
        tooltip="Star the article, or take the star away",
        id="newsdeck.star",
    ),
    Binding(
        "u",
        "unread_only",
        "Unread only",
        show=False,
        tooltip="Show only unread articles, or all again",
        id="newsdeck.unread-only",
    ),
    Binding(
        "0",
        "topic(0)",
        "All articles",
        show=False,
        tooltip="Show all articles (every topic, every provider)",
        id="newsdeck.topic-0",
    ),
    *(
        Binding(
            str(number),
            f"topic({number})",
            f"Topic {number}",
            show=False,
            tooltip=f"Show topic {number} of the sidebar",
            id=f"newsdeck.topic-{number}",
        )
        for number in range(1, 10)
    ),
]
