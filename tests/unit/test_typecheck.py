"""The mypy configuration in pyproject.toml is strict where it says so (no display needed).

``mypy`` checks the real tree in the test command; here it runs on a copy
with the same untyped function added to a model, a transport and a view
module, to show that the strict flags hold for ``models/`` and ``kernel/``
and that ``ui/`` gets standard checking.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MYPY = Path(sys.executable).with_name("mypy")
UNTYPED = "\n\ndef untyped(value):  # deliberately unannotated\n    return value\n"
CHECKED = ["tkconsole/models/target.py", "tkconsole/kernel/connfile.py", "tkconsole/ui/tabs.py"]


def test_untyped_code_fails_in_models_and_kernel_only(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tkconsole", tmp_path / "tkconsole")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative in CHECKED:
        module = tmp_path / relative
        module.write_text(module.read_text() + UNTYPED)
    result = subprocess.run(
        [str(MYPY), "--cache-dir", str(tmp_path / "cache"), *CHECKED],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    flagged = {
        line.split(":")[0] for line in result.stdout.splitlines() if "[no-untyped-def]" in line
    }
    assert flagged == set(CHECKED[:2]), result.stdout
    assert result.returncode == 1
