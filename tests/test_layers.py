"""Layering: the data layer (and the command line that uses it headlessly) never imports Textual."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import tui.data

# Each module is imported in a fresh interpreter of its own: one that imports Textual, even
# through another module, cannot hide behind a module imported earlier.
_CHECK = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))))
"""


def data_modules() -> list[str]:
    found = [module.name for module in pkgutil.walk_packages(tui.data.__path__, prefix="tui.data.")]
    return ["tui.data", *sorted(found)]


def test_the_walk_finds_the_data_layer() -> None:
    modules = data_modules()
    for expected in ("tui.data.search", "tui.data.loader", "tui.data.check", "tui.data.state"):
        assert expected in modules
    assert len(modules) > 15


def test_no_data_module_imports_textual() -> None:
    offenders = {}
    for module in [*data_modules(), "tui.cli"]:
        completed = subprocess.run(
            [sys.executable, "-c", _CHECK, module], capture_output=True, text=True, timeout=60
        )
        assert completed.returncode == 0, f"{module} does not import: {completed.stderr}"
        textual = json.loads(completed.stdout)
        if textual:
            offenders[module] = textual[:3]
    assert offenders == {}, f"these modules import Textual: {offenders}"
