"""The layer contracts in pyproject.toml catch a wrong import (no display needed).

``lint-imports`` runs in the test command on the real tree; here it runs on
copies of the package with one deliberately wrong import each, to show that
every contract can fail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")

BAD_IMPORTS = {
    "transport imports Tk": ("kernel/loop.py", "import tkinter"),
    "ui imports the transport": ("ui/pump.py", "from ..kernel import loop"),
    "ui imports zmq": ("ui/pump.py", "import zmq"),
    "model imports Tk": ("models/ansi.py", "import tkinter"),
    "model imports the ui": ("models/ansi.py", "from ..ui import pump"),
    "kernel imports the app": ("kernel/loop.py", "from .. import app"),
    "a loop inside models": ("models/ansi.py", "from . import terminal"),  # terminal imports ansi
    # console.py imports enter.py: a type-only import back is a loop all the same
    "a loop through TYPE_CHECKING": (
        "ui/enter.py",
        "if TYPE_CHECKING:\n    from .console import Console",
    ),
}


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize("case", sorted(BAD_IMPORTS))
def test_a_wrong_import_breaks_a_contract(tmp_path, case):
    if case == "a loop inside models":
        assert "from .ansi import" in (ROOT / "tkconsole/models/terminal.py").read_text()
    shutil.copytree(ROOT / "tkconsole", tmp_path / "tkconsole")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    relative, line = BAD_IMPORTS[case]
    module = tmp_path / "tkconsole" / relative
    module.write_text(module.read_text() + f"\n{line}  # deliberately wrong\n")
    result = lint(tmp_path)
    assert result.returncode != 0, f"{case} was not caught:\n{result.stdout[-2000:]}"
    assert "BROKEN" in result.stdout
