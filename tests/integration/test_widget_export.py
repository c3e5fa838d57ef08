"""Saving a session with widgets from the command line: the notebook keeps their state."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
from conftest import ROOT

CODE = "import ipywidgets as w; s = w.IntSlider(7, description='seven'); s"
STATE_KEY = "application/vnd.jupyter.widget-state+json"


def run_app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tkconsole", *args], capture_output=True, text=True,
        timeout=120, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip


def test_save_transcript_notebook_holds_the_widget_state(display, tmp_path):
    out = tmp_path / "wid.ipynb"
    result = run_app("--execute", CODE, "--save-transcript", str(out), "--exit-after")
    assert result.returncode == 0, result.stderr
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    models = nb.metadata["widgets"][STATE_KEY]["state"]
    view = nb.cells[0].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    slider = models[view["model_id"]]
    assert slider["model_name"] == "IntSliderModel" and slider["state"]["value"] == 7
    layout = slider["state"]["layout"].removeprefix("IPY_MODEL_")
    assert models[layout]["model_name"] == "LayoutModel"  # what the slider refers to is there


def test_save_transcript_html_draws_the_widget_as_it_was(display, tmp_path):
    out = tmp_path / "wid.html"
    result = run_app("--execute", CODE, "--save-transcript", str(out), "--exit-after")
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    assert '<input type="range" disabled min="0" max="100" step="1" value="7">' in page
    assert "<label>seven</label>" in page and "<output>7</output>" in page
    assert "IntSlider(value=7" not in page  # the picture, not the text repr
    assert "<script" not in page and json.dumps(STATE_KEY) not in page
