"""Export of a session: notebook (validated, re-executed by nbconvert), HTML, text."""

from __future__ import annotations

import base64
import json
import zlib

import nbformat
import pytest

from tkconsole.models.export import atomic_write, format_for, save
from tkconsole.models.export.html import ansi_html, sanitise, session_html
from tkconsole.models.export.notebook import to_notebook
from tkconsole.models.outputarea import OutputArea
from tkconsole.models.record import CellRecord, SessionRecord


def cell(source: str, count: int, outputs: list[dict]) -> CellRecord:
    """A recorded cell holding these nbformat outputs."""
    return CellRecord(source, count, OutputArea.given(outputs))


def tiny_png() -> str:
    """A 1x1 red PNG, built here (no binary fixture)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    raw = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    png = b"\x89PNG\r\n\x1a\n" + raw + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


LANGUAGE = {"name": "python", "version": "3.11", "mimetype": "text/x-python",
            "file_extension": ".py", "pygments_lexer": "ipython3"}  # fmt: skip


def sample_record() -> SessionRecord:
    return SessionRecord(
        kernel_name="python3",
        display_name="Python 3 (ipykernel)",
        language_info=LANGUAGE,
        cells=[
            cell("x = 6 * 7\nprint(x)", 1, [
                {"output_type": "stream", "name": "stdout", "text": "42\n"},
            ]),
            cell("x", 2, [{"output_type": "execute_result", "execution_count": 2,
                                 "data": {"text/plain": "42"}, "metadata": {}}]),
            cell("show()", 3, [
                {"output_type": "display_data", "metadata": {},
                 "data": {"image/png": tiny_png(), "text/plain": "<Figure>"}},
                {"output_type": "display_data", "metadata": {},
                 "data": {"text/markdown": "# Title\n\n*shown*", "text/plain": "md"}},
                {"output_type": "display_data", "metadata": {},
                 "data": {"text/html": '<b onclick="x()">bold</b><script>alert(1)</script>'
                                       '<img src="http://example.com/a.png">'}},
            ]),
            cell("print('\\x1b[31mred\\x1b[0m')", 4, [
                {"output_type": "stream", "name": "stdout", "text": "\x1b[31mred\x1b[0m\n"},
            ]),
        ],
        widget_state={"state": {}, "version_major": 2, "version_minor": 0},
    )  # fmt: skip


def test_notebook_validates_with_counts_outputs_and_metadata():
    nb = to_notebook(sample_record())
    nbformat.validate(nb)
    assert [c.execution_count for c in nb.cells] == [1, 2, 3, 4]
    assert nb.cells[0].outputs[0].text == "42\n"
    assert nb.cells[2].outputs[0].data["image/png"] == tiny_png()  # every output as sent
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.language_info.pygments_lexer == "ipython3"
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata.widgets


def test_an_output_the_schema_refuses_becomes_a_note_and_the_file_still_validates():
    record = SessionRecord(cells=[cell("1", 1, [{"output_type": "stream", "text": 5}])])
    nb = to_notebook(record)
    nbformat.validate(nb)
    assert nb.cells[0].outputs[0].name == "stderr"
    assert "not saved" in nb.cells[0].outputs[0].text


def test_html_holds_data_uri_coloured_spans_and_no_script():
    page = session_html(sample_record())
    assert f'src="data:image/png;base64,{tiny_png()}"' in page
    assert '<span style="color: #cd3131">red</span>' in page
    assert "<h1>Title</h1>" in page and "<em>shown</em>" in page  # Markdown rendered
    assert "<b>bold</b>" in page
    lowered = page.lower()
    assert "<script" not in lowered and "onclick" not in lowered
    assert "http://example.com" not in page  # no network fetch when opened
    assert "In [4]:" in page and "Out[2]:" in page


def test_ansi_html_escapes_and_styles():
    assert ansi_html("<a>") == "&lt;a&gt;"
    styled = '<span style="color: #010203; font-weight: bold">X</span>'
    assert ansi_html("\x1b[1;38;2;1;2;3mX") == styled


def test_sanitise_drops_handlers_scripts_and_javascript_links():
    clean = sanitise('<a href="javascript:alert(1)">x</a><p style="x" onmouseover="y">p</p>')
    assert "javascript" not in clean and "onmouseover" not in clean and "<p>p</p>" in clean


def test_text_export_is_what_the_console_shows(tmp_path):
    path = tmp_path / "t.txt"
    assert save(path, SessionRecord(), "In [1]: 1\nOut[1]: 1") == "text"
    assert path.read_text() == "In [1]: 1\nOut[1]: 1\n"


def test_unknown_extension_is_refused_with_one_line():
    with pytest.raises(ValueError, match=r"cannot save as \.pdf"):
        format_for("x.pdf")


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "a.json"
    path.write_text("old")
    atomic_write(path, json.dumps({"new": 1}))
    assert json.loads(path.read_text()) == {"new": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
