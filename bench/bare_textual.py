"""The toolkit's floor: a Textual app of one Static widget (peer.py times its first screen)."""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "bare textual floor ready"


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    Bare().run()
