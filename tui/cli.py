"""The `newsdeck` command: open the reader, `check` a directory headlessly, or `fetch` its texts."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import tui
from tui.data.loader import LoadError, check_directory, load_directory
from tui.data.sanitize import visible
from tui.data.state import ENV_STATE_DIR, StateStore, state_path
from tui.data.state_export import StateError, read_export, to_json
from tui.data.wording import plural

if TYPE_CHECKING:
    from tui.app import NewsDeckApp

ENV_DIRECTORY = "NEWSDECK_DIR"


def _search_value_attached(arguments: Sequence[str]) -> list[str]:
    """`--search QUERY` as `--search=QUERY`, so that a query may start with `-` (`--search -trump`).

    argparse takes a word starting with `-` for an option, never for a value; the word after
    `--search` (or an abbreviation argparse would accept, `--sea`) is always the query. After
    `--` every word is positional, as argparse has it.
    """
    result: list[str] = []
    words = iter(arguments)
    for word in words:
        if word == "--":
            result += [word, *words]
            break
        if len(word) >= len("--s") and "--search".startswith(word):
            value = next(words, None)
            result.append(word if value is None else f"--search={value}")
            continue
        result.append(word)
    return result


def _reader_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdeck",
        description="Read a directory of news articles in the terminal.",
        epilog=(
            "With no DIRECTORY, newsdeck opens $NEWSDECK_DIR if set, else a built-in "
            "demo of made-up articles.\n"
            "Run 'newsdeck check DIR [--json]' to report what a directory holds "
            "without opening the reader,\n"
            "'newsdeck fetch DIR' to fetch the articles' full texts now, to read them offline later,\n"
            "'newsdeck state export|import FILE' to back up or restore read and starred marks,\n"
            "'newsdeck config --path|--init|--check' to find, write or check the settings file,\n"
            "'newsdeck keys [--json]' to list every key binding and its id,\n"
            "and 'newsdeck serve [DIR]' to open the same reader in a web browser."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "directory",
        nargs="?",
        metavar="DIRECTORY",
        help="folder of article files (.md, .markdown, .txt), read with its sub-folders",
    )
    parser.add_argument("--topic", metavar="NAME", help="open filtered to this topic")
    parser.add_argument("--search", metavar="QUERY", help="open with this search applied (see the README)")
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file again; neither use nor update the cache"
    )
    parser.add_argument(
        "--no-watch", action="store_true", help="do not watch the directory for changes (ctrl+r reloads)"
    )
    parser.add_argument("--version", action="version", version=f"newsdeck {tui.__version__}")
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdeck check",
        description="Load DIR exactly as the reader does and report what it holds.",
    )
    parser.add_argument("directory", metavar="DIR", help="seed directory of articles")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--search", metavar="QUERY", help="also report the articles this search finds")
    parser.add_argument(
        "--stories", action="store_true", help="also report the stories: articles that report one event"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read every file again; neither use nor update the cache"
    )
    return parser


def _state_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdeck state",
        description=(
            "Back up or restore which articles you have read and starred. "
            f"The marks live in {state_path()} (set ${ENV_STATE_DIR} to use another folder)."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{export,import}")
    export = commands.add_parser("export", help="write the marks to FILE as JSON ('-': standard output)")
    export.add_argument("file", metavar="FILE")
    restore = commands.add_parser("import", help="read marks from FILE (an export); others are kept")
    restore.add_argument("file", metavar="FILE")
    return parser


def _say(message: str) -> None:
    """A line for the terminal: whatever it quotes (a file name, a path) is shown, never obeyed."""
    print(f"newsdeck: {visible(message)}", file=sys.stderr)


def _error(message: str) -> int:
    _say(message)
    return 2


def run_check(arguments: Sequence[str]) -> int:
    from tui.data.check import build_report, format_report

    options = _check_parser().parse_args(_search_value_attached(arguments))
    try:
        result = load_directory(
            options.directory,
            use_cache=not options.no_cache,
            summary_only=options.search is None and not options.stories,
        )
    except LoadError as error:
        return _error(str(error))
    for notice in result.notices:
        _say(notice)
    report = build_report(result, search=options.search, stories=options.stories)
    text = json.dumps(report, ensure_ascii=False, indent=2) if options.json else format_report(report)
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # `newsdeck check DIR | head`: the reader left early, which is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def run_state(arguments: Sequence[str]) -> int:
    options = _state_parser().parse_args(arguments)
    store = StateStore(background=False)
    try:
        for notice in store.notices:
            _say(notice)
        if options.command == "export":
            return _export_state(store, options.file)
        return _import_state(store, options.file)
    finally:
        store.close()


def _export_state(store: StateStore, file: str) -> int:
    if store.problem:
        return _error(store.problem)
    document = store.export()
    text = to_json(document)
    try:
        if file == "-":
            sys.stdout.write(text)
        else:
            Path(file).expanduser().write_text(text, encoding="utf-8")
    except OSError as error:
        return _error(f"cannot write {file} ({error.strerror or error})")
    count = len(document["articles"])  # type: ignore[arg-type]
    if file != "-":
        print(f"Saved the marks of {plural(count, 'article')} to {visible(file)}.")
    return 0


def _import_state(store: StateStore, file: str) -> int:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).expanduser().read_text(encoding="utf-8")
        count = store.import_marks(read_export(text))
    except OSError as error:
        return _error(f"cannot read {file} ({error.strerror or error})")
    except UnicodeDecodeError:
        return _error(f"{file} is not UTF-8 text")
    except StateError as error:
        return _error(f"{file}: {error}")
    if not store.flush():
        return _error(store.problem or "the marks could not be saved")
    print(f"Restored the marks of {plural(count, 'article')} from {visible(file)}.")
    return 0


def choose_directory(given: str | None, configured: Path | None) -> Path | LoadError | None:
    """The folder to read: the command line's, else $NEWSDECK_DIR, else the settings' (None: the demo).

    A folder that cannot be read is an error saying where the name came from.
    """
    from_environment = os.environ.get(ENV_DIRECTORY)
    chosen = given or from_environment or (str(configured) if configured is not None else None)
    if chosen is None:
        return None
    directory = Path(chosen).expanduser()
    try:
        check_directory(directory)
    except LoadError as error:
        origin = "" if given else "$NEWSDECK_DIR: " if from_environment else "settings file: "
        return LoadError(f"{origin}{error}")
    return directory


def build_reader(arguments: Sequence[str]) -> NewsDeckApp | str:
    """The app the command line asks for, or why it cannot be opened."""
    options = _reader_parser().parse_args(_search_value_attached(arguments))
    from tui.config_command import load_checked_config

    # A settings file with mistakes never stops the reader: what is wrong is said once it is open.
    config, problems = load_checked_config()
    directory = choose_directory(options.directory, config.directory)
    if isinstance(directory, LoadError):
        return str(directory)

    from tui.app import NewsDeckApp

    app = NewsDeckApp(
        directory=directory,
        topic=options.topic,
        use_cache=not options.no_cache,
        search=options.search,
        watch=not options.no_watch,
    )
    app.settings, app.settings_problems = config, [str(problem) for problem in problems]
    return app


def run_reader(arguments: Sequence[str]) -> int:
    app = build_reader(arguments)
    if isinstance(app, str):
        return _error(app)
    app.run()
    # The window is gone already; marks another newsdeck kept from us are still being written.
    from tui.screens.marking import recovery_message

    for store, closing in app.closing_stores:
        closing.join(timeout=30)
        if store.recovery_file is not None:
            app.farewell.append(recovery_message(store))
    for message in app.farewell:
        _say(message)
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["check"]:
            return run_check(arguments[1:])
        if arguments[:1] == ["state"]:
            return run_state(arguments[1:])
        if arguments[:1] in (["config"], ["keys"]):
            from tui.config_command import run_config, run_keys

            return (run_config if arguments[0] == "config" else run_keys)(arguments[1:])
        if arguments[:1] == ["fetch"]:
            from tui.fetch_command import run_fetch

            return run_fetch(_search_value_attached(arguments[1:]))
        if arguments[:1] == ["serve"]:
            from tui.serve_command import run_serve

            return run_serve(arguments[1:])
        return run_reader(arguments)
    except KeyboardInterrupt:
        # ctrl+c in `check` (or a second one in `fetch`): stop quietly (the parsing workers end with
        # us), as shells expect.
        return 130
