"""The installed package: layering, and styles found wherever it runs from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_stylesheet_is_found_from_another_directory(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path; from tui.app import NewsDeckApp;"
        "print(Path(NewsDeckApp.CSS_PATH).is_file())"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert completed.stdout.strip() == "True"
