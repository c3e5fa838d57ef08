"""HTML tables collected by the converter and squared into a ``textgrid.Grid``.

Row and column spans are resolved here (a spanned cell's text sits in its first
grid cell, the others stay empty), sizes are bounded so hostile spans cannot
make the grid quadratic, and the header rows are found: ``<thead>`` rows, or
leading rows made only of ``<th>`` cells.
"""

from __future__ import annotations

from .htmlcss import NO_LOOK, Look
from .htmlflow import Writer
from .textgrid import Cell, Grid, clip, numeric_aligns, square

MAX_COLSPAN = 100
MAX_ROWSPAN = 1000
MAX_COLUMNS = 200  # cells beyond this column are dropped
MAX_CELLS = 100_000  # bigger grids are listed row by row, unaligned (padding is quadratic)


class HtmlCell:
    """A table cell's collected text, its spans and its CSS look."""

    __slots__ = ("colspan", "header", "look", "rowspan", "text", "writer")

    def __init__(
        self, header: bool, colspan: int, rowspan: int, writer: Writer, look: Look = NO_LOOK
    ) -> None:
        self.header = header
        self.colspan = colspan
        self.rowspan = rowspan
        self.writer = writer
        self.look = look
        self.text = ""


class HtmlTable:
    """Rows and cells collected until ``</table>``, when the table is laid out."""

    __slots__ = ("caption", "caption_writer", "cell", "row", "row_section", "rows", "section")

    def __init__(self) -> None:
        self.rows: list[tuple[list[HtmlCell], str]] = []
        self.row: list[HtmlCell] | None = None
        self.row_section = ""
        self.section = ""
        self.cell: HtmlCell | None = None
        self.caption = ""
        self.caption_writer: Writer | None = None


def _grid_cell(cell: HtmlCell) -> Cell:
    look = cell.look
    return Cell(clip(cell.text), cell.header, look.fg, look.bg, look.bold)


def build_grid(table: HtmlTable) -> Grid | list[str] | None:
    """The table as a grid; as plain lines when too big to pad; None when empty."""
    grid: list[list[Cell]] = []
    heads: list[bool] = []
    has_thead = any(section == "thead" for _, section in table.rows)
    carry: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    total = 0
    for cells, section in table.rows:
        spans = {c for c, left in carry.items() if left > 0}
        row: list[Cell] = []
        for cell in cells:
            while len(row) in spans:
                row.append(Cell())
            col = len(row)
            if col >= MAX_COLUMNS:
                break
            row.append(_grid_cell(cell))
            row.extend(Cell() for _ in range(min(cell.colspan - 1, MAX_COLUMNS - col - 1)))
            if cell.rowspan > 1:
                for c in range(col, len(row)):
                    carry[c] = cell.rowspan - 1 + (c in spans)
        while len(row) in spans:
            row.append(Cell())
        for c in spans:
            carry[c] -= 1
        carry = {c: left for c, left in carry.items() if left > 0}
        total += len(row)
        if total > MAX_CELLS:
            lines = [table.caption] if table.caption else []
            return lines + ["  ".join(c.text for c in cells) for cells, _ in table.rows]
        grid.append(row)
        if has_thead:
            heads.append(section == "thead")
        else:
            heads.append(section != "tfoot" and bool(cells) and all(c.header for c in cells))
    head = 0
    while head < len(heads) and heads[head]:
        head += 1
    if not any(cell.text for r in grid for cell in r):
        return [table.caption] if table.caption else None
    ncols = square(grid)
    return Grid(grid, head, numeric_aligns(grid, head, ncols), table.caption)
