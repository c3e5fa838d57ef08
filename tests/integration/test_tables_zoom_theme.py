"""HTML tables (DataFrames) when the font grows and when the theme changes."""

from __future__ import annotations

import logging
from itertools import pairwise

from conftest import press, run_and_wait, wait_for

from tkconsole.ui.output.htmlview import TableView
from tkconsole.ui.themes import apply_theme

FRAME = "import pandas as pd\npd.DataFrame({'a': [0.418795, 1.5], 'b': [0.633146, 22.25]})"


def tables(console) -> list[TableView]:
    found, stack = [], [console]
    while stack:
        widget = stack.pop()
        if isinstance(widget, TableView):
            found.append(widget)
        stack.extend(widget.winfo_children())
    return found


def gaps(view: TableView) -> list[float]:
    """Room between each cell's text and the next cell's, along every row."""
    grid = view.grid_model
    out = []
    for r in range(len(grid.rows)):
        boxes = [view.cell_box(r, c) for c in range(grid.ncols)]
        boxes = [b for b in boxes if b is not None]
        out += [right[0] - left[2] for left, right in pairwise(boxes)]
    return out


def test_zoomed_table_columns_grow_with_the_font_and_cells_stay_apart(root, make_console):
    console = make_console()
    run_and_wait(root, console, FRAME)
    view = wait_for(root, lambda: tables(console), 10, "the table")[-1]
    root.update()
    size, widths = abs(console.font.actual("size")), list(view.widths)
    assert min(gaps(view)) > 0
    press(console.text, "plus", state=4)  # Ctrl++, twice
    press(console.text, "plus", state=4)
    wait_for(root, lambda: abs(console.font.actual("size")) == size + 2, 5, "the zoom")
    root.update()
    assert all(new > old for new, old in zip(view.widths, widths, strict=True)), view.widths
    assert min(gaps(view)) > 0, "neighbouring cells overlap"
    assert view.cell_text(1, 1) == "0.418795"


def test_theme_change_after_clear_screen_raises_nothing(root, make_console, caplog):
    console = make_console()
    run_and_wait(root, console, "import ipywidgets as w\nw.IntSlider()")  # all of ttkbootstrap
    run_and_wait(root, console, FRAME)
    wait_for(root, lambda: tables(console), 10, "the table")
    press(console.text, "l", state=4)  # Ctrl+L
    root.update()
    assert not console.writer.rich.html_view().tables  # nothing keeps the cleared table
    try:
        with caplog.at_level(logging.ERROR):
            apply_theme("bootstrap-dark")
            root.update()
            apply_theme("bootstrap-light")
            root.update()
        failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not failures, [r.getMessage() + str(r.exc_info) for r in failures]
        assert console.dark is False and not tables(console)
    finally:
        apply_theme("bootstrap-light")
