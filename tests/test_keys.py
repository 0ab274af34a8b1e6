"""Keys: every binding has an id, the help screen is written from them, and the README agrees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, ArticleWriter, loaded
from textual.containers import VerticalScroll

from tui.app import NewsDeckApp
from tui.keys import all_bindings, key_help, key_name

# Keys Textual itself provides (focus moves between panes).
TEXTUAL_KEYS = {"tab", "shift+tab"}


def readme_keys() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Keys", 1)[1].split("\n## ", 1)[0]
    found: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            found |= set(re.findall(r"`([^`]+)`", first_cell))
    return found


def test_every_binding_has_an_id_and_says_what_it_does() -> None:
    bindings = all_bindings()
    assert len(bindings) > 25
    for binding in bindings:
        assert binding.id and binding.id.startswith("newsdeck."), binding
        assert binding.tooltip, binding


def test_the_readme_key_table_matches_the_bindings() -> None:
    documented = readme_keys()
    bound = {key_name(key.strip()) for binding in all_bindings() for key in binding.key.split(",")}
    numbers = {str(n) for n in range(2, 9)}  # the README writes `1` … `9`
    assert bound - numbers - documented == set(), "bound but not in the README's key table"
    assert documented - TEXTUAL_KEYS - bound == set(), "in the README's key table but bound to nothing"


def test_help_lists_every_binding() -> None:
    ids = {identity for row in key_help() for identity in row.ids}
    assert ids == {binding.id for binding in all_bindings()}
    assert any(row.keys == "home or g" for row in key_help())  # g/G were missing from the old help


@pytest.fixture
def few(write_article: ArticleWriter, seed: Path) -> Path:
    write_article("a.md", title="Rocket lands", url="https://a.example/1", topics=["Space"])
    return seed


async def test_help_scrolls_with_j_and_k(few: Path) -> None:
    app = NewsDeckApp(few)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        dialog = app.screen.query_one("#help-dialog", VerticalScroll)
        assert dialog.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        assert dialog.scroll_y > 0
        await pilot.press("k", "k", "k")
        assert dialog.scroll_y == 0
