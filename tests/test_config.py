"""The settings file: every setting read, bad config never wins, and `newsdeck config` / `newsdeck keys`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from textual.theme import BUILTIN_THEMES

from tui.data.config import DEFAULT_CONFIG_TEXT, Config, ReaderSettings, config_path, load_config
from tui.data.key_names import key_problem, textual_keys
from tui.keys import all_bindings

BINDING_IDS = [binding.id for binding in all_bindings() if binding.id]


def load(path: Path, text: str) -> tuple[Config, list[str]]:
    path.write_text(text, encoding="utf-8")
    config, problems = load_config(path, themes=BUILTIN_THEMES, binding_ids=BINDING_IDS)
    return config, [str(problem) for problem in problems]


@pytest.fixture
def file(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def test_every_setting_is_read(file: Path, tmp_path: Path) -> None:
    config, problems = load(
        file,
        f"""
directory = "{tmp_path / "news"}"
theme = "nord"
sort = "rank"
unread_only = true
pictures = false
date_style = "iso"
sidebar_width = 40

[reader]
connect_timeout = 3
read_timeout = 20.5

[keymap]
"newsdeck.search" = "ctrl+f"
"newsdeck.help" = "f1, ?"
""",
    )
    assert problems == []
    assert config == Config(
        directory=tmp_path / "news",
        theme="nord",
        sort="rank",
        unread_only=True,
        pictures=False,
        date_style="iso",
        sidebar_width=40,
        reader=ReaderSettings(connect_timeout=3.0, read_timeout=20.5),
        # As Textual matches keys: a keymap's "?" would never fire.
        keymap={"newsdeck.search": "ctrl+f", "newsdeck.help": "f1,question_mark"},
    )


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    config, problems = load_config(tmp_path / "absent.toml", themes=BUILTIN_THEMES, binding_ids=BINDING_IDS)
    assert (config, problems) == (Config(), [])


def test_the_home_directory_is_expanded(file: Path) -> None:
    config, _ = load(file, 'directory = "~/news"\n')
    assert config.directory == Path.home() / "news"


def test_a_syntax_error_skips_its_line_and_names_it(file: Path) -> None:
    config, problems = load(file, 'theme = "nord"\nsort = = "rank"\nunread_only = true\n')
    assert problems == [f"{file}:2: is not valid TOML (column 8): Invalid value; the line is skipped"]
    assert (config.theme, config.sort, config.unread_only) == ("nord", "newest", True)


def test_a_broken_table_header_skips_its_table_only(file: Path) -> None:
    config, problems = load(
        file, 'theme = "nord"\n[reader\nconnect_timeout = 2\n[keymap]\n"newsdeck.quit" = "x"\n'
    )
    assert len(problems) == 1 and problems[0].startswith(f"{file}:2: is not valid TOML")
    assert "Expected ']'" in problems[0]
    assert config.reader == ReaderSettings()
    assert (config.theme, dict(config.keymap)) == ("nord", {"newsdeck.quit": "x"})


def test_an_unclosed_string_skips_its_line(file: Path) -> None:
    config, problems = load(file, 'theme = "nord"\nsort = "rank\npictures = false\n')
    assert problems == [
        f"{file}:2: is not valid TOML (column 13): Illegal character '\\n'; the line is skipped"
    ]
    assert (config.theme, config.sort, config.pictures) == ("nord", "newest", False)


def test_an_unclosed_multiline_string_skips_the_rest_of_the_file(file: Path) -> None:
    config, problems = load(file, 'theme = "nord"\nsort = """rank\npictures = false\n')
    assert problems == [f"{file}:2: is not valid TOML: Unterminated string; from here to the end is skipped"]
    assert (config.theme, config.sort, config.pictures) == ("nord", "newest", True)


def test_an_unknown_key_is_named_with_its_line(file: Path) -> None:
    config, problems = load(file, 'theme = "nord"\n\ncolour = "red"\n[reader]\nspeed = 2\nread_timeout = 4\n')
    assert problems == [
        f"{file}:3: colour: is not a setting; expected one of date_style, directory, keymap, pictures, "
        "reader, sidebar_width, sort, theme, unread_only",
        f"{file}:5: reader.speed: is not a setting; expected one of connect_timeout, read_timeout",
    ]
    assert (config.theme, config.reader.read_timeout) == ("nord", 4.0)


def test_an_unknown_table_is_named_at_its_header(file: Path) -> None:
    _, problems = load(file, 'theme = "nord"\n[colours]\nlist = "red"\n')
    assert problems[0].startswith(f"{file}:2: colours: is not a setting;")


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("unread_only = 1", "unread_only", "is a number (1); expected true or false"),
        ('pictures = "off"', "pictures", "is a string ('off'); expected true or false"),
        ("sidebar_width = true", "sidebar_width", "is a boolean (true); expected a whole number of columns"),
        ("sidebar_width = 25.5", "sidebar_width", "is a number (25.5); expected a whole number of columns"),
        ("sidebar_width = 300", "sidebar_width", "is 300; expected a whole number of columns from 16 to 60"),
        ("sort = 2", "sort", "is a number (2); expected a string, one of newest, oldest, rank"),
        ('sort = "random"', "sort", 'is "random", unknown; expected one of newest, oldest, rank'),
        ('date_style = "us"', "date_style", 'is "us", unknown; expected one of compact, iso'),
        ("directory = 3", "directory", "is a number (3); expected a folder as a string"),
        ("reader = 5", "reader", "is a number (5); expected a table [reader]"),
        ("[reader]\nread_timeout = 0", "reader.read_timeout", "is 0; expected seconds, a number from 0.5"),
        ('[reader]\nconnect_timeout = "5"', "reader.connect_timeout", "is a string ('5'); expected seconds"),
    ],
)
def test_a_wrong_value_keeps_the_default_and_says_what_was_expected(
    file: Path, text: str, key: str, expected: str
) -> None:
    config, problems = load(file, f'theme = "nord"\n{text}\n')
    line = text.count("\n") + 2
    assert len(problems) == 1
    assert problems[0].startswith(f"{file}:{line}: {key}: {expected}")
    assert config == Config(theme="nord")


def test_an_unknown_theme_lists_the_themes(file: Path) -> None:
    config, problems = load(file, 'sort = "oldest"\ntheme = "solarised"\n')
    assert problems == [
        f'{file}:2: theme: is "solarised", unknown; expected one of {", ".join(sorted(BUILTIN_THEMES))}'
    ]
    assert (config.theme, config.sort) == ("textual-dark", "oldest")


def test_an_unknown_binding_id_or_a_bad_key_drops_that_entry_only(file: Path) -> None:
    config, problems = load(
        file,
        '[keymap]\n"newsdeck.search" = "ctrl+f"\n"newsdeck.nope" = "x"\n'
        '"newsdeck.quit" = "ctrl+nosuchkey"\n"newsdeck.help" = "hyper+h"\n"newsdeck.sort" = 5\n',
    )
    assert problems == [
        f"{file}:3: keymap.newsdeck.nope: is not a binding id; expected one that 'newsdeck keys' lists",
        f'{file}:4: keymap.newsdeck.quit: "nosuchkey" is not a key name; '
        'expected keys such as "ctrl+f", "f3" or "ctrl+f,f3"',
        f'{file}:5: keymap.newsdeck.help: "hyper" in "hyper+h" is not a modifier; '
        'expected keys such as "ctrl+f", "f3" or "ctrl+f,f3"',
        f'{file}:6: keymap.newsdeck.sort: is a number (5); expected keys as a string ("ctrl+f")',
    ]
    assert dict(config.keymap) == {"newsdeck.search": "ctrl+f"}


def test_a_dotted_key_is_found_on_its_line(file: Path) -> None:
    _, problems = load(file, 'theme = "nord"\nreader.read_timeout = -1\n')
    assert problems[0].startswith(f"{file}:2: reader.read_timeout: is -1;")


def test_text_from_the_file_is_shown_not_obeyed(file: Path) -> None:
    # An escape cannot be written in TOML text, only as \\u001b; a bidi override can.
    _, problems = load(file, 'theme = "\\u001b[31mred"\n"\u202eevil" = 1\n')
    assert problems[0].startswith(f'{file}:1: theme: is "␛[31mred", unknown')
    assert problems[1].startswith(f"{file}:2: \\u202eevil: is not a setting")
    assert not any("\x1b" in problem or "\u202e" in problem for problem in problems)


def test_a_line_that_is_not_utf8_is_skipped(file: Path) -> None:
    file.write_bytes(b'theme = "nord"\nsort = "r\xe9cent"\npictures = false\n')
    config, problems = load_config(file, themes=BUILTIN_THEMES, binding_ids=BINDING_IDS)
    assert config == Config(theme="nord", pictures=False)
    assert [str(problem) for problem in problems] == [
        f"{file}:2: is not UTF-8 text (TOML files are); the line is skipped"
    ]


def test_a_setting_in_an_inline_table_is_found_on_the_table_line(file: Path) -> None:
    config, problems = load(file, 'theme = "nord"\nreader = { connect_timeout = 2, read_timeout = 0 }\n')
    assert problems == [f"{file}:2: reader.read_timeout: is 0; expected seconds, a number from 0.5 to 300"]
    assert config == Config(theme="nord", reader=ReaderSettings(connect_timeout=2.0))


def test_the_default_file_loads_to_the_defaults_and_names_every_setting(file: Path) -> None:
    assert load(file, DEFAULT_CONFIG_TEXT) == (Config(), [])
    # Every setting is there, commented out with its default: taking away the `#` changes nothing.
    uncommented = re.sub(r"(?m)^# ([a-z_]+ = )", r"\1", DEFAULT_CONFIG_TEXT)
    config, problems = load(file, uncommented)
    assert problems == []
    assert config == Config(directory=Path("~/news").expanduser())
    for name in ("directory", "theme", "sort", "unread_only", "pictures", "date_style", "sidebar_width"):
        assert f"\n# {name} = " in DEFAULT_CONFIG_TEXT
    assert "[reader]\n" in DEFAULT_CONFIG_TEXT and "[keymap]\n" in DEFAULT_CONFIG_TEXT
    assert '# "newsdeck.search" = "ctrl+f"' in DEFAULT_CONFIG_TEXT


@pytest.mark.parametrize("keys", ["ctrl+f", "f3", "ctrl+shift+up", "?", "question_mark", "ctrl+f,f3", "G"])
def test_key_names_textual_binds_are_accepted(keys: str) -> None:
    assert key_problem(keys) is None


@pytest.mark.parametrize(
    ("keys", "why"),
    [
        ("", "no key given"),
        ("Enter", '"Enter" is not a key name'),
        ("ctrl+", '"ctrl+" has no key name (+ is "plus", a comma "comma")'),
        ("ctrl+ctrl+a", '"ctrl+ctrl+a" repeats a modifier'),
        ("f3,cmd+k", '"cmd" in "cmd+k" is not a modifier'),
    ],
)
def test_key_names_textual_cannot_bind_are_refused(keys: str, why: str) -> None:
    assert key_problem(keys) == why


def test_keys_are_written_as_textual_names_them() -> None:
    from textual.keys import _character_to_key

    for character in "!\"#$%&'()*/:;<=>?@[\\]^_`{|}~-.":
        assert textual_keys(character) == _character_to_key(character)
    assert textual_keys("ctrl+/, f1") == "ctrl+slash,f1"


# The commands, as a user runs them.


def newsdeck(tmp_path: Path, *arguments: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "NEWSDECK_CACHE_DIR": str(tmp_path / "cache"),
        "NEWSDECK_STATE_DIR": str(tmp_path / "state"),
    }
    environment.pop("NEWSDECK_CONFIG", None)
    if config is not None:
        environment["NEWSDECK_CONFIG"] = str(config)
    return subprocess.run(
        [sys.executable, "-m", "tui", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        timeout=60,
    )


def test_config_path_is_under_the_user_config_directory(tmp_path: Path) -> None:
    shown = newsdeck(tmp_path, "config", "--path")
    assert (shown.returncode, shown.stdout) == (0, f"{tmp_path / 'xdg' / 'newsdeck' / 'config.toml'}\n")


def test_config_path_honours_newsdeck_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = newsdeck(tmp_path, "config", "--path", config=tmp_path / "elsewhere.toml")
    assert (shown.returncode, shown.stdout) == (0, f"{tmp_path / 'elsewhere.toml'}\n")
    monkeypatch.setenv("NEWSDECK_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config_path() == tmp_path / "elsewhere.toml"


def test_check_without_a_file_says_the_defaults_apply(tmp_path: Path) -> None:
    checked = newsdeck(tmp_path, "config", "--check", config=tmp_path / "none.toml")
    assert checked.returncode == 0
    assert checked.stdout == f"no config file at {tmp_path / 'none.toml'}; defaults apply\n"


def test_init_writes_a_valid_file_and_never_overwrites(tmp_path: Path) -> None:
    written = newsdeck(tmp_path, "config", "--init")
    path = tmp_path / "xdg" / "newsdeck" / "config.toml"
    assert written.returncode == 0, written.stderr
    assert str(path) in written.stdout
    assert path.read_text(encoding="utf-8") == DEFAULT_CONFIG_TEXT

    checked = newsdeck(tmp_path, "config", "--check")
    assert (checked.returncode, checked.stdout) == (0, f"{path} is valid\n")

    path.write_text('theme = "nord"\n', encoding="utf-8")
    again = newsdeck(tmp_path, "config", "--init")
    assert again.returncode == 2
    assert (
        again.stderr == f"newsdeck: {path} exists already; not overwritten (edit it, or move it away first)\n"
    )
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'


def test_check_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('theme = "solarised"\nsort = = 1\n[keymap]\n"newsdeck.nope" = "x"\n', encoding="utf-8")
    checked = newsdeck(tmp_path, "config", "--check", config=path)
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert lines[0].startswith(f'{path}:1: theme: is "solarised", unknown; expected one of ansi-dark,')
    assert lines[1:] == [
        f"{path}:2: is not valid TOML (column 8): Invalid value; the line is skipped",
        f"{path}:4: keymap.newsdeck.nope: is not a binding id; expected one that 'newsdeck keys' lists",
        "3 problems: each setting named keeps its default",
    ]


def test_keys_lists_every_binding_aligned(tmp_path: Path) -> None:
    listed = newsdeck(tmp_path, "keys")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert [line.split()[0] for line in lines] == BINDING_IDS
    by_id = {line.split()[0]: line for line in lines}
    assert re.fullmatch(
        r"newsdeck\.star +\* or f +Star the article, or take the star away", by_id["newsdeck.star"]
    )
    # Aligned: every description starts in the same column.
    starts = {
        len(line) - len(binding.tooltip or "") for line, binding in zip(lines, all_bindings(), strict=True)
    }
    assert len(starts) == 1


def test_keys_json(tmp_path: Path) -> None:
    listed = newsdeck(tmp_path, "keys", "--json")
    assert listed.returncode == 0, listed.stderr
    document = json.loads(listed.stdout)
    assert [entry["id"] for entry in document] == BINDING_IDS
    star = next(entry for entry in document if entry["id"] == "newsdeck.star")
    assert star == {
        "id": "newsdeck.star",
        "keys": ["asterisk", "f"],
        "description": "Star the article, or take the star away",
    }


async def test_a_keymap_key_written_as_a_character_fires_in_textual() -> None:
    # Textual names the keys of a binding when it is made, but takes a keymap's keys as they are.
    from textual.app import App
    from textual.binding import Binding

    class Tiny(App[None]):
        BINDINGS = [Binding("h", "hit", "Hit", id="tiny.hit")]
        hits = 0

        def action_hit(self) -> None:
            self.hits += 1

    app = Tiny()
    async with app.run_test() as pilot:
        app.set_keymap({"tiny.hit": textual_keys("?,ctrl+/")})
        await pilot.press("question_mark", "ctrl+slash", "h")
        await pilot.pause()
        assert app.hits == 2
