"""Every key newsdeck knows, read from the bindings themselves: the help screen and the README agree.

Each binding carries an `id` (for keymaps) and a `tooltip` (what it does, in
a sentence); this module lists them in the order a reader meets them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

# How keys are spelled for people.
_KEY_NAMES = {
    "exclamation_mark": "!",
    "question_mark": "?",
    "slash": "/",
    "asterisk": "*",
    "space": "space",
    "escape": "escape",
    "enter": "enter",
    "backspace": "backspace",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


@dataclass(frozen=True, slots=True)
class KeyHelp:
    keys: str
    """As typed: "* or f", "1 … 9"."""
    meaning: str
    ids: tuple[str, ...]


def key_name(key: str) -> str:
    return _KEY_NAMES.get(key, key)


def _bindings() -> list[Binding]:
    # Imported here: the screens import this module's callers, not the other way round.
    from tui.app import NewsDeckApp
    from tui.screens.history import HistoryPart
    from tui.screens.links import LinksPart
    from tui.screens.loading import LoadingPart
    from tui.screens.main import MainScreen
    from tui.screens.over_time import StatisticsPart
    from tui.screens.pictures import PicturesPart
    from tui.screens.reader_mode import ReaderModePart
    from tui.screens.statistics import StatisticsScreen
    from tui.screens.stories import StoriesPart
    from tui.widgets.article_detail import ArticleDetail
    from tui.widgets.article_list import ArticleList
    from tui.widgets.period_plot import PeriodPlot
    from tui.widgets.topic_sidebar import TopicSidebar
    from tui.widgets.virtual_list import VirtualList

    found: list[Binding] = []
    owners = (
        VirtualList,
        ArticleList,
        TopicSidebar,
        ArticleDetail,
        MainScreen,
        LoadingPart,
        LinksPart,
        HistoryPart,
        ReaderModePart,
        PicturesPart,
        StoriesPart,
        StatisticsPart,
        StatisticsScreen,
        PeriodPlot,
        NewsDeckApp,
    )
    for owner in owners:
        found += [binding for binding in _as_bindings(owner.BINDINGS) if binding not in found]
    return found


def _as_bindings(bindings: list[BindingType]) -> list[Binding]:
    return [binding for binding in bindings if isinstance(binding, Binding)]


def all_bindings() -> list[Binding]:
    """Every binding of the reader, each with its id."""
    return _bindings()


def key_help() -> list[KeyHelp]:
    """One row per thing a key does; the topic numbers 1 to 9 share a row."""
    # Textual's own focus keys, first: they are how a reader gets anywhere.
    rows = [
        KeyHelp(
            "tab or shift+tab", "Move between the sidebar, the list, the article and its related items", ()
        )
    ]
    numbers: list[str] = []
    for binding in _bindings():
        assert binding.id is not None, binding
        if binding.id.startswith("newsdeck.topic-") and binding.key != "0":
            numbers.append(binding.id)
            if binding.key == "9":
                rows.append(KeyHelp("1 … 9", "Show the n-th topic of the sidebar", tuple(numbers)))
            continue
        keys = " or ".join(key_name(key.strip()) for key in binding.key.split(","))
        rows.append(KeyHelp(keys, binding.tooltip or binding.description, (binding.id,)))
    return rows
