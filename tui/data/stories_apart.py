"""Finding the stories in a process of its own, so that they do not share one core with the reader.

Grouping is seconds of pure Python at 100,000 articles; in the reader's process it
shares the interpreter with the interface and with the search's word index, built at
the same time, and takes twice as long. A child (`python -m tui.data.stories_apart`,
this same Python and package, as the parsing workers are started) reads the little
grouping needs of each article (`stories.facts_of`) on its standard input, finds the
stories on the other core and writes one small answer back. Cancelling ends the child
at once. Where no child can be had, or it fails, the work is done here instead.

The two speak pickle: the child is this program, fed by this program, never anything else.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from array import array
from collections.abc import Callable, Sequence

from tui.data.model import Article
from tui.data.stories import Facts, Stories, facts_of, stories_of

_POLL_SECONDS = 0.1


def find_stories_apart(
    articles: Sequence[Article],
    texts: Callable[[int], str] | None = None,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> Stories:
    """`stories.find_stories`, worked out in a child process while this thread waits."""
    facts = facts_of(articles, texts)
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "tui.data.stories_apart"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # nothing of the child's may print over the reader's screen
        )
    except (OSError, ValueError, subprocess.SubprocessError):
        return stories_of(facts, cancelled)
    answer: list[bytes] = []

    def talk() -> None:
        assert child.stdin is not None and child.stdout is not None
        try:
            child.stdin.write(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
            child.stdin.close()
            answer.append(child.stdout.read())
        except (OSError, ValueError):
            pass

    talking = threading.Thread(target=talk, name="newsdeck-stories-child", daemon=True)
    talking.start()
    try:
        while talking.is_alive():
            talking.join(_POLL_SECONDS)
            if cancelled():
                return Stories.alone(len(facts))
        found = _read(answer[0] if answer else b"", len(facts))
        return found if found is not None else stories_of(facts, cancelled)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def _read(data: bytes, count: int) -> Stories | None:
    """The child's answer, checked; None if it is not a whole one."""
    try:
        story_of, members = pickle.loads(data)
    except Exception:  # a child killed half-way writes half an answer
        return None
    if not isinstance(story_of, array) or len(story_of) != count or not isinstance(members, dict):
        return None
    return Stories(story_of, members)


def _serve() -> None:
    facts: list[Facts] = pickle.loads(sys.stdin.buffer.read())
    stories = stories_of(facts)
    answer = (stories.story_of, stories.members)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve()
