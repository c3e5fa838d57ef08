"""Saving a session from the command line: widgets, math and cell colours come along."""

from __future__ import annotations

import json
import os
import re
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


RICH = r"""
import pandas as pd
from IPython.display import Markdown, Math, display
display(Math(r'\frac{a}{b}'))
display(Markdown('Euler: $e^{i\pi} + 1 = 0$'))
colour = lambda v: 'color: red' if v < 0 else 'background-color: #ffff00'
pd.DataFrame({'v': [7, -3]}).style.map(colour)
"""


def test_save_transcript_html_typesets_math_and_keeps_styler_colours(display, tmp_path):
    out = tmp_path / "rich.html"
    result = run_app("--execute", RICH, "--save-transcript", str(out), "--exit-after")
    assert result.returncode == 0, result.stderr
    page = out.read_text()
    body = page.split("</pre>", 1)[1]  # after the input cell, which shows the source as typed
    assert body.count("<math") == 2, body
    assert "<mfrac>" in body and "$e^" not in body and "\\frac" not in body
    assert re.search(r'<td style="background-color: ?#ffff00"[^>]*>7</td>', body), body
    assert re.search(r'<td style="color: ?red"[^>]*>-3</td>', body), body
    assert "<script" not in page and "<style>" not in body
