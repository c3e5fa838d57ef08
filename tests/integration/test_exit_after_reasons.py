"""A scripted run (``--exit-after``) that cannot reach its kernel says why on stderr."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_exit_after_a_connection_failure_prints_the_reason_on_stderr(display, tmp_path):
    transcript = tmp_path / "out.txt"
    result = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--server", "http://127.0.0.1:1", "--execute", "1",
         "--save-transcript", str(transcript), "--exit-after"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("tkconsole: ")]
    assert len(said) == 1, result.stderr
    assert said[0].startswith("tkconsole: Could not connect to the kernel: ")
    reason = said[0].removeprefix("tkconsole: ")
    assert reason in transcript.read_text()  # the same words the window showed
