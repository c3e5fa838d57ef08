"""An exported notebook runs again: ``jupyter nbconvert --execute`` on a real kernel."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat

from tkconsole.models.export import save
from tkconsole.models.outputarea import OutputArea
from tkconsole.models.record import CellRecord, SessionRecord

LANGUAGE = {"name": "python", "version": "3.11", "mimetype": "text/x-python",
            "file_extension": ".py", "pygments_lexer": "ipython3"}  # fmt: skip


def test_notebook_round_trips_through_nbconvert_execute(tmp_path):
    path = tmp_path / "session.ipynb"
    record = SessionRecord(
        kernel_name="python3", display_name="Python 3", language_info=LANGUAGE,
        cells=[
            CellRecord("x = 6 * 7\nprint(x)", 1, OutputArea.given([
                {"output_type": "stream", "name": "stdout", "text": "42\n"},
            ])),
            CellRecord("x", 2, OutputArea.given([
                {"output_type": "execute_result", "execution_count": 2,
                 "data": {"text/plain": "42"}, "metadata": {}},
            ])),
        ],
    )  # fmt: skip
    assert save(path, record) == "notebook"
    done = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
         "--output", "executed", str(path)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    executed = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    nbformat.validate(executed)
    assert [c.source for c in executed.cells] == ["x = 6 * 7\nprint(x)", "x"]
    assert executed.cells[0].outputs[0].text == "42\n"
    assert executed.cells[1].outputs[0].data["text/plain"] == "42"
