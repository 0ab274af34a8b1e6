"""The demo's list grouped by story, with one story unfolded, at the two sizes people use most."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tui.app import NewsDeckApp
from tui.widgets.article_list import ArticleList

SnapCompare = Callable[..., bool]

# Snapshots show the layout: notices time out on their own and are not drawn.
pytestmark = pytest.mark.usefixtures("without_toasts")


async def _grouped_and_one_unfolded(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.app.screen.workers.wait_for_complete()  # the stories, found once loaded
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    articles = pilot.app.screen.query_one(ArticleList)
    stories = articles.listing.view.stories if articles.listing is not None else None
    assert stories is not None
    # The first story of several sources in the list, unfolded.
    view = articles.listing.view.articles if articles.listing is not None else None
    assert view is not None
    row = next(row for row in range(len(view)) if stories.sources(view.position_at(row)))
    articles.focus()
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("right")
    for _ in range(3):  # what the article shown starts: its related items, "More like this"
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_demo_grouped_by_story(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(NewsDeckApp(None), terminal_size=size, run_before=_grouped_and_one_unfolded)
