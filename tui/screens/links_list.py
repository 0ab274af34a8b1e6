"""`l`: the links of the article's text (full text or body), numbered; choosing one follows it."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.data.sanitize import visible


class LinksScreen(ModalScreen[str | None]):
    """Dismissed with the address chosen, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,l,q", "dismiss", "Close", id="newsdeck.close-links"),
        *(
            Binding(str(number), f"choose({number})", show=False, id=f"newsdeck.link-{number}")
            for number in range(1, 10)
        ),
    ]

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(id="links-dialog"):
            yield Static(f"Links in this article ({len(self.links)})", id="links-title", markup=False)
            # Labels and addresses are text from the page: Content, never markup.
            yield OptionList(
                *(
                    Option(Content(f"{number:>2}  {visible(label)}\n    {visible(address)}"), id=str(number))
                    for number, (label, address) in enumerate(self.links, 1)
                ),
                id="links-list",
            )
            yield Static("1 … 9 or enter: follow · escape: close", id="links-hint", markup=False)

    def action_choose(self, number: int) -> None:
        if 1 <= number <= len(self.links):
            self.dismiss(self.links[number - 1][1])

    @on(OptionList.OptionSelected, "#links-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index][1])
