"""The `newsdeck` command line, including the headless `check`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ArticleWriter, loaded

from tui import __version__
from tui.cli import main


def run_cli(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"newsdeck {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "--topic NAME" in text and "newsdeck check DIR" in text and "demo" in text


def test_check_json_reports_everything(write_article: ArticleWriter, seed: Path) -> None:
    write_article("one.md", title="One", url="https://a.example/1", topics=["Space", "Art"])
    write_article(
        "two.md",
        title="Two",
        url="https://a.example/2",
        topics=["space"],
        provider="Other Paper",
        domain="paper.example",  # its own: providers at one domain are one provider
    )
    write_article("copy.md", title="One again", url="https://a.example/1", topics=["Space"], published=None)
    write_article("nested/bad.md", content="---\ntitle: [unclosed\n---\n")
    completed = run_cli("check", str(seed), "--json")
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert set(report) == {"directory", "articles", "duplicates", "topics", "providers", "skipped", "seconds"}
    assert report["directory"] == str(seed)
    assert report["articles"] == 2
    assert report["duplicates"] == 1
    assert report["topics"] == [{"name": "Space", "count": 2}, {"name": "Art", "count": 1}]
    assert {"name": "Other Paper", "count": 1} in report["providers"]
    assert len(report["skipped"]) == 1
    assert report["skipped"][0]["path"] == "nested/bad.md"
    assert "not valid YAML" in report["skipped"][0]["reason"]
    assert isinstance(report["seconds"], float)


def test_check_text_report(write_article: ArticleWriter, seed: Path) -> None:
    write_article("one.md", title="One", topics=["Space"])
    write_article("empty.md", content="")
    completed = run_cli("check", str(seed))
    assert completed.returncode == 0
    assert "1 articles" in completed.stdout or "1 article" in completed.stdout
    assert "empty.md: empty file" in completed.stdout


@pytest.mark.parametrize("make", ["missing", "file"])
def test_check_bad_directory_exits_2_with_one_line(tmp_path: Path, make: str) -> None:
    target = tmp_path / "target"
    if make == "file":
        target.write_text("not a folder")
    completed = run_cli("check", str(target), "--json")
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in completed.stderr
    assert ("no such directory" if make == "missing" else "not a directory") in lines[0]


def test_reader_refuses_missing_directory_before_opening(tmp_path: Path) -> None:
    completed = run_cli(str(tmp_path / "missing"))
    assert completed.returncode == 2
    assert "no such directory" in completed.stderr and "Traceback" not in completed.stderr


def test_check_agrees_with_the_app_on_the_corpus(corpus: Path) -> None:
    from tui.data.loader import load_directory

    completed = run_cli("check", str(corpus), "--json")
    assert completed.returncode == 0
    report = json.loads(completed.stdout)
    index = load_directory(corpus).index
    assert report["articles"] == len(index)
    assert report["topics"] == [{"name": facet.name, "count": facet.count} for facet in index.topics]


def test_check_search_json_lists_matches_in_list_order(write_article: ArticleWriter, seed: Path) -> None:
    write_article(
        "old.md", title="Old rocket news", url="https://a.example/old", published="2020-01-01T00:00:00Z"
    )
    write_article(
        "new.md", title="New rocket news", url="https://a.example/new", published="2024-01-01T10:30:00Z"
    )
    write_article("other.md", title="Gardening", url="https://a.example/g")
    completed = run_cli("check", str(seed), "--json", "--search", "rocket")
    assert completed.returncode == 0, completed.stderr
    search = json.loads(completed.stdout)["search"]
    assert search["query"] == "rocket"
    assert search["count"] == 2
    assert search["matches"] == [
        {
            "title": "New rocket news",
            "url": "https://a.example/new",
            "published": "2024-01-01T10:30:00Z",
            "path": "new.md",
        },
        {
            "title": "Old rocket news",
            "url": "https://a.example/old",
            "published": "2020-01-01T00:00:00Z",
            "path": "old.md",
        },
    ]
    bad = json.loads(run_cli("check", str(seed), "--json", "--search", "after:soon").stdout)["search"]
    assert bad["count"] == 3 and "wants a date" in bad["problems"][0]


def test_state_export_then_import_on_another_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.data.state import StateStore

    monkeypatch.setenv("NEWSDECK_STATE_DIR", str(tmp_path / "laptop"))
    store = StateStore()
    store.set("https://a.example/read", read=True)
    store.set("https://a.example/starred", starred=True)
    store.close()
    backup = tmp_path / "marks.json"
    exported = run_cli("state", "export", str(backup))
    assert exported.returncode == 0, exported.stderr
    assert "2 articles" in exported.stdout
    document = json.loads(backup.read_text(encoding="utf-8"))
    assert document["format"] == "newsdeck-state"
    assert {entry["id"] for entry in document["articles"]} == {
        "https://a.example/read",
        "https://a.example/starred",
    }

    monkeypatch.setenv("NEWSDECK_STATE_DIR", str(tmp_path / "desktop"))
    imported = run_cli("state", "import", str(backup))
    assert imported.returncode == 0, imported.stderr
    assert "Restored the marks of 2 articles" in imported.stdout
    restored = StateStore(background=False)
    assert restored.get("https://a.example/read").read
    assert restored.get("https://a.example/starred").starred
    restored.close()
    to_stdout = run_cli("state", "export", "-")
    assert json.loads(to_stdout.stdout) == json.loads(backup.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "cannot read"), ("not json", "not JSON"), ('{"articles": []}', "not a newsdeck state export")],
)
def test_state_import_of_a_bad_file_exits_2_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, message: str
) -> None:
    monkeypatch.setenv("NEWSDECK_STATE_DIR", str(tmp_path / "state"))
    source = tmp_path / "marks.json"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    completed = run_cli("state", "import", str(source))
    assert completed.returncode == 2
    assert message in completed.stderr and "Traceback" not in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "arguments",
    [[], ["SEED"], ["SEED", "--topic", "Space", "--search", "rocket -moon", "--no-cache"]],
    ids=["demo", "directory", "every-option"],
)
async def test_the_command_line_opens_the_reader_it_describes(
    write_article: ArticleWriter, seed: Path, arguments: list[str]
) -> None:
    from textual.widgets import Input

    from tui.cli import build_reader

    write_article("a.md", title="Rocket lands", url="https://a.example/1", topics=["Space"])
    app = build_reader([str(seed) if argument == "SEED" else argument for argument in arguments])
    assert not isinstance(app, str)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await loaded(pilot)
        if "--search" in arguments:
            assert screen.query_one("#search", Input).value == "rocket -moon"
            assert screen.spec.selection.topics == {"space"}
            assert not app.use_cache
        assert screen.query_one("#articles").display


def test_a_missing_directory_is_a_one_line_error_before_any_window(tmp_path: Path) -> None:
    from tui.cli import build_reader

    assert build_reader([str(tmp_path / "nowhere")]) == f"no such directory: {tmp_path / 'nowhere'}"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_newsdeck_starts_in_a_real_terminal_and_quits_with_q(
    write_article: ArticleWriter, seed: Path
) -> None:
    """End to end, as typed in a shell: no traceback, exit code 0."""
    from terminal import Terminal

    write_article("a.md", title="Rocket lands", url="https://a.example/1", topics=["Space"])
    terminal = Terminal([str(seed), "--search", "rocket", "--topic", "space"])
    try:
        # The status line, drawn in one piece (the title's matched word is styled apart).
        assert terminal.read(30, until=b"Space: 1 article")
        assert b"Search: rocket" in terminal.screen
        assert terminal.quit() == 0
    finally:
        terminal.close()
    assert b"Traceback" not in terminal.screen
