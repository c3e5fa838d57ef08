"""HTML tables collected by the converter and squared into a ``textgrid.Grid``.

Row and column spans are resolved here (a spanned cell's text sits in its first
grid cell, the others stay empty), sizes are bounded so hostile spans cannot
make the grid quadratic, and the header rows are found: ``<thead>`` rows, or
leading rows made only of ``<th>`` cells.
"""

from __future__ import annotations

from typing import Protocol

from .htmlcss import NO_LOOK, Look
from .htmlflow import Mark, Writer, collapse, parse_int
from .textgrid import Cell, Grid, clip, numeric_aligns, square

TABLE_TAGS = ("table", "caption", "tr", "td", "th", "thead", "tbody", "tfoot")
_CODEBLOCK = Mark(frozenset({"codeblock"}))

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


class Flow(Protocol):
    """What table events need from the converter: its writers and the CSS of a tag."""

    @property
    def w(self) -> Writer: ...

    root: Writer

    def push_writer(self) -> Writer: ...

    def pop_writer(self, writer: Writer) -> None: ...

    def css(self, a: dict[str, str]) -> Look: ...


class TableEvents:
    """Table elements as they open and close: cells and captions collect their text in
    writers of their own; a closed table is written as a grid (top level) or as lines."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.tables: list[HtmlTable] = []
        self.grids: list[Grid] = []  # top-level tables, indexed by ``Mark.table``

    def start(self, tag: str, a: dict[str, str]) -> None:
        w = self.flow.w
        if tag == "table":
            w.block(2)
            self.tables.append(HtmlTable())
        elif not self.tables:  # stray row or cell markup outside any table
            if tag == "tr":
                w.block(1)
            elif tag in ("td", "th"):
                w.text(" ")
        elif tag == "caption":
            if self.tables[-1].caption_writer is None:
                self.tables[-1].caption_writer = self.flow.push_writer()
        elif tag == "tr":
            table = self.tables[-1]
            self._end_caption(table)
            self._end_row(table)
            table.row, table.row_section = [], table.section
        elif tag in ("td", "th"):
            self._start_cell(self.tables[-1], tag, a)
        else:  # thead, tbody, tfoot
            table = self.tables[-1]
            self._end_caption(table)
            self._end_row(table)
            table.section = tag

    def end(self, tag: str) -> None:
        if not self.tables:
            if tag == "tr":
                self.flow.w.block(1)
            elif tag in ("td", "th"):
                self.flow.w.text(" ")
            return
        table = self.tables[-1]
        if tag == "table":
            self._flush()
        elif tag == "caption":
            self._end_caption(table)
        elif tag == "tr":
            self._end_row(table)
        elif tag in ("td", "th"):
            self._end_cell(table)
        else:
            self._end_row(table)
            table.section = ""

    def finish(self) -> None:
        while self.tables:
            self._flush()

    def _start_cell(self, table: HtmlTable, tag: str, a: dict[str, str]) -> None:
        self._end_caption(table)
        self._end_cell(table)
        if table.row is None:
            table.row, table.row_section = [], table.section
        colspan = min(max(parse_int(a.get("colspan")) or 1, 1), MAX_COLSPAN)
        rowspan = min(max(parse_int(a.get("rowspan")) or 1, 1), MAX_ROWSPAN)
        writer = self.flow.push_writer()
        table.cell = HtmlCell(tag == "th", colspan, rowspan, writer, self.flow.css(a))

    def _flush(self) -> None:
        table = self.tables.pop()
        self._end_caption(table)
        self._end_row(table)
        grid = build_grid(table)
        w, root = self.flow.w, self.flow.root
        if grid is None:
            w.block(2)
        elif isinstance(grid, Grid) and w is root and not root.entries:
            w.lines(grid.lines(), Mark(table=len(self.grids)))
            self.grids.append(grid)
        else:
            w.lines(grid.lines() if isinstance(grid, Grid) else grid, _CODEBLOCK)

    def _end_cell(self, table: HtmlTable) -> None:
        cell = table.cell
        if cell is None:
            return
        table.cell = None
        self.flow.pop_writer(cell.writer)
        cell.text = collapse(cell.writer.result())
        if table.row is None:
            table.row, table.row_section = [], table.section
        table.row.append(cell)

    def _end_row(self, table: HtmlTable) -> None:
        self._end_cell(table)
        if table.row:
            table.rows.append((table.row, table.row_section))
        table.row = None

    def _end_caption(self, table: HtmlTable) -> None:
        writer = table.caption_writer
        if writer is not None:
            table.caption_writer = None
            self.flow.pop_writer(writer)
            table.caption = collapse(writer.result())
