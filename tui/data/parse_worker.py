"""A parsing worker process: `python -m tui.data.parse_worker PARENT_PID`.

It reads chunks of files to parse from its standard input, one JSON line each,
and answers each chunk on its standard output (see `parallel` for the
format). It lives exactly as long as its parent wants it: when the parent
closes the pipe, or dies in any way (SIGKILL included, which closes the pipe
too), standard input ends and so does the worker. On Linux the kernel is
also asked to end it the moment the parent goes, so even a worker busy with
a long chunk does not outlive it.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys

from tui.data.parallel import FoundFile, encode_results, parse_chunk


def _end_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the pipe still ends us, a chunk later
    if os.getppid() != parent:  # the parent died before we could ask
        os._exit(0)


def main() -> None:
    # ctrl+c goes to the whole process group: the parent decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent(int(sys.argv[1]))
    answers = os.fdopen(os.dup(1), "wb")
    # Nothing else may write to the answer pipe or to the terminal the reader draws on.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    # What is loaded by now (modules, tables) lives as long as the worker: kept out of the
    # collector's scans, which otherwise walk it again and again as parsing allocates.
    gc.freeze()
    try:
        for line in sys.stdin.buffer:
            chunk = [FoundFile(*item) for item in json.loads(line)]
            answers.write(encode_results(parse_chunk(chunk)))
            answers.flush()
    except (OSError, ValueError, TypeError):
        pass  # the parent went away mid-answer, or sent what we cannot read: stop
    os._exit(0)


if __name__ == "__main__":
    main()
