"""Drawing ``text/html`` in the console: styled text, clickable links, tables as grids.

``models.htmltext.html_to_doc`` says what to draw; this module draws it. Flowing text
goes into the console's Text with the Markdown tags (``md-h1``, ``md-strong``, …) plus
colour tags made on demand for CSS colours. A table is a ``TableView`` embedded in the
Text: a Canvas grid (header row bold on its own background, zebra rows, numbers
right-aligned, per-cell CSS colours) that scrolls sideways with its own scrollbar when
wider than the console, instead of wrapping. The table's text layout is inserted beside
it, elided, so copying, find and the transcript still see the table.

Measured here (2 cores, Tk 8.6, benchmarks/rich.py): the first 40 rows of a 100-row,
5-column DataFrame draw in about 9 ms and the rest follow in later ticks; Canvas items
are cheap, one Tk widget per cell would not be.
"""

from __future__ import annotations

import contextlib
import tkinter as tk
import webbrowser
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk
from typing import Any

from ...models.htmlflow import Span
from ...models.textgrid import Grid
from ..guarded_text import GuardedText
from ..tkparts import paint_menu
from .textstyles import SOURCE_TAG

PAD_X, PAD_Y = 8, 3
ROWS_PER_CHUNK = 40  # rows drawn per tick: ~40 x 6 canvas items, a few ms
MAX_GRID_CELLS = 20_000  # bigger tables stay text: a Canvas item per cell costs ~20 us
SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://")
LIGHT = {"head": "#e9ecef", "zebra": "#f6f8fa", "line": "#d0d7de"}
DARK = {"head": "#30363d", "zebra": "#1c2128", "line": "#444c56"}
SIMPLE = {
    "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "codeblock", "link", "url",
    "quote", "listmarker", "hr", "strike", "underline",
}  # fmt: skip


class TableView(ttk.Frame):
    """One table as a Canvas grid with a horizontal scrollbar when it is too wide."""

    def __init__(
        self, text: tk.Text, grid: Grid, font: tkfont.Font, bold: tkfont.Font, dark: bool
    ) -> None:
        super().__init__(text)
        self.grid_model = grid
        self.text = text
        self.font, self.bold = font, bold
        self.canvas = tk.Canvas(self, highlightthickness=0, borderwidth=0)
        self.canvas.grid(row=0, column=0, sticky="nsew")
        self.bar = ttk.Scrollbar(self, orient="horizontal", command=self.canvas.xview)
        self.canvas.configure(xscrollcommand=self.bar.set)
        self._forward_wheel()
        self.items: dict[tuple[int, int], int] = {}
        self.dark = dark
        self._pending: str | None = None
        self.full_width = self._draw()
        self.set_dark(dark)
        self.fit(text.winfo_width())

    # -------------------------------------------------------------- layout and drawing
    def _column_widths(self) -> list[int]:
        grid = self.grid_model
        if self.font.metrics("fixed") and self.bold.measure("0") == self.font.measure("0"):
            unit = self.font.measure("0")
            return [w * unit + 2 * PAD_X for w in grid.widths()]
        widths = [0] * grid.ncols
        for k, row in enumerate(grid.rows):
            font = self.bold if k < grid.head else self.font
            for c, cell in enumerate(row):
                widths[c] = max(widths[c], font.measure(cell.text))
        return [w + 2 * PAD_X for w in widths]

    def _draw(self) -> int:
        """Lay the grid out and draw its first rows; returns its full width in pixels.

        The rest follow in chunks from ``after`` callbacks, so a long table never
        stalls the window in one go (``finish`` draws them at once)."""
        grid, canvas = self.grid_model, self.canvas
        self.widths = self._column_widths()
        total = sum(self.widths)
        self.row_height = self.font.metrics("linespace") + 2 * PAD_Y
        self.top = self.row_height if grid.caption else 0
        if grid.caption:
            self._text_item(PAD_X, PAD_Y, grid.caption, "nw", self.font, "fg")
        bottom = self.top + self.row_height * len(grid.rows)
        if 0 < grid.head < len(grid.rows):
            rule = self.top + self.row_height * grid.head
            canvas.create_line(0, rule, total, rule, tags=("rule",), width=2)
        canvas.create_line(0, self.top, total, self.top, tags=("line",))
        canvas.create_line(0, bottom - 1, total, bottom - 1, tags=("line",))
        self.full_height = bottom
        canvas.configure(scrollregion=(0, 0, total, bottom), height=bottom)
        self.drawn = 0
        self._draw_rows(ROWS_PER_CHUNK)
        return total

    def _draw_rows(self, count: int) -> None:
        grid, canvas = self.grid_model, self.canvas
        total = sum(self.widths)
        stop = min(self.drawn + count, len(grid.rows))
        for k in range(self.drawn, stop):
            y = self.top + k * self.row_height
            head = k < grid.head
            band = "head" if head else ("zebra" if (k - grid.head) % 2 else "")
            if band:
                canvas.create_rectangle(0, y, total, y + self.row_height, width=0, tags=(band,))
            self._draw_row(k, grid.rows[k], y, self.widths, head)
        self.drawn = stop
        canvas.tag_raise("rule")  # the header rule and borders stay over the bands
        canvas.tag_raise("line")
        if stop < len(grid.rows):
            self._pending = self.after(1, self._draw_more)

    def _draw_more(self) -> None:
        self._pending = None
        if self.winfo_exists():
            self._draw_rows(ROWS_PER_CHUNK)
            self.set_dark(self.dark)

    def finish(self) -> None:
        """Draw any rows still waiting for their chunk."""
        if not self.winfo_exists():
            return
        if self._pending is not None:
            self.after_cancel(self._pending)
            self._pending = None
        self._draw_rows(len(self.grid_model.rows))
        self.set_dark(self.dark)

    def _draw_row(self, k: int, row: list, y: int, widths: list[int], head: bool) -> None:
        x0 = 0
        for c, cell in enumerate(row):
            w = widths[c]
            if cell.bg:
                self._safe(self.canvas.create_rectangle, x0, y, x0 + w, y + self.row_height,
                           width=0, fill=cell.bg)  # fmt: skip
            if cell.text:
                right = self.grid_model.aligns[c] == "r"
                font = self.bold if head or cell.header or cell.bold else self.font
                item = self._text_item(
                    x0 + w - PAD_X if right else x0 + PAD_X, y + PAD_Y, cell.text,
                    "ne" if right else "nw", font, "cell" if cell.fg else "cell fg",
                )  # fmt: skip
                if cell.fg:
                    self._safe(self.canvas.itemconfigure, item, fill=cell.fg)
                self.items[(k, c)] = item
            x0 += w

    def _text_item(
        self, x: int, y: int, text: str, anchor: str, font: tkfont.Font, tags: str
    ) -> int:
        """A canvas text item in one Tcl call: a 100-row table has ~600 of them, and
        skipping tkinter's option handling cut its draw from 25 to 16 ms here."""
        args = ("-text", text, "-anchor", anchor, "-font", str(font), "-tags", tags)
        return int(self.canvas.tk.call(str(self.canvas), "create", "text", x, y, *args))

    @staticmethod
    def _safe(call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """CSS colours Tk does not know are skipped, never an error."""
        with contextlib.suppress(tk.TclError):
            call(*args, **kwargs)

    def relayout(self, available: int) -> None:
        """Measure and draw again (the fonts changed size), then fit the console."""
        if self._pending is not None:
            self.after_cancel(self._pending)
            self._pending = None
        self.canvas.delete("all")
        self.items.clear()
        self.full_width = self._draw()
        self.set_dark(self.dark)
        self.fit(available)

    def fit(self, available: int) -> None:
        """As wide as the table, or the console less a margin with a scrollbar under it."""
        if available <= 1:
            available = self.font.measure("0") * 100
        limit = max(available - 24, 100)
        if self.full_width > limit:
            self.canvas.configure(width=limit)
            self.bar.grid(row=1, column=0, sticky="ew")
        else:
            self.canvas.configure(width=self.full_width)
            self.bar.grid_remove()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        colours = DARK if dark else LIGHT
        canvas = self.canvas
        canvas.configure(background=self.text.cget("background"))
        canvas.itemconfigure("head", fill=colours["head"])
        canvas.itemconfigure("zebra", fill=colours["zebra"])
        canvas.itemconfigure("line", fill=colours["line"])
        canvas.itemconfigure("rule", fill=colours["line"])
        canvas.itemconfigure("fg", fill=self.text.cget("foreground"))

    # -------------------------------------------------------------- reading it back
    def cell_text(self, row: int, col: int) -> str:
        """What the grid shows at (row, col) (tests and accessibility read this)."""
        item = self.items.get((row, col))
        return self.canvas.itemcget(item, "text") if item is not None else ""

    def cell_box(self, row: int, col: int) -> tuple[float, float, float, float] | None:
        item = self.items.get((row, col))
        if item is None:
            return None
        x1, y1, x2, y2 = self.canvas.bbox(item)
        return x1, y1, x2, y2

    def as_tsv(self) -> str:
        return "\n".join("\t".join(c.text for c in row) for row in self.grid_model.rows)

    # -------------------------------------------------------------- scrolling
    def _forward_wheel(self) -> None:
        """The wheel over a table scrolls the console; Shift+wheel scrolls the table."""

        def vertical(units: int) -> str:
            self.text.yview_scroll(units, "units")
            return "break"

        def horizontal(units: int) -> str:
            self.canvas.xview_scroll(units, "units")
            return "break"

        c = self.canvas
        c.bind("<Button-4>", lambda e: vertical(-3))
        c.bind("<Button-5>", lambda e: vertical(3))
        c.bind("<Shift-Button-4>", lambda e: horizontal(-3))
        c.bind("<Shift-Button-5>", lambda e: horizontal(3))
        c.bind("<MouseWheel>", lambda e: vertical(-1 if e.delta > 0 else 1))
        c.bind("<Shift-MouseWheel>", lambda e: horizontal(-1 if e.delta > 0 else 1))
        c.bind("<Button-3>", self._menu)

    def _menu(self, event: tk.Event) -> None:
        menu = tk.Menu(self, tearoff=False)
        menu.add_command(label="Copy table (tab-separated)", command=self._copy)
        paint_menu(menu)
        menu.tk_popup(event.x_root, event.y_root)

    def _copy(self) -> None:
        self.clipboard_clear()
        self.clipboard_append(self.as_tsv())


class HtmlView:
    """Draws HTML documents into one console's Text; keeps its tables and link targets."""

    def __init__(self, text: GuardedText, font: tkfont.Font, bold: tkfont.Font) -> None:
        self.text = text
        self.font, self.bold = font, bold
        self.dark = False
        self.tables: list[TableView] = []
        self.links: dict[str, str] = {}  # tag -> URL
        self._colour_tags: set[str] = set()
        text.bind("<Configure>", self._refit, add="+")

    def insert(self, index: str, doc: list[list[Span] | Grid], kind: str = "stdout") -> None:
        """Draw ``doc`` at ``index`` (a mark with right gravity, or the end)."""
        mark = f"html{id(doc)}"
        self.text.mark_set(mark, index)
        self.text.mark_gravity(mark, "right")
        try:
            for block in doc:
                if isinstance(block, Grid):
                    self._table(mark, block)
                else:
                    self._spans(mark, block, kind)
        finally:
            self.text.mark_unset(mark)

    def _spans(self, index: str, spans: list[Span], kind: str) -> None:
        args: list[Any] = []
        for span in spans:
            args += (span.text, self._tags(span, kind))
        if args:
            self.text.write(index, *args)

    def _tags(self, span: Span, kind: str) -> tuple[str, ...]:
        tags = [kind]
        for style in span.styles:
            if style in SIMPLE:
                tags.append(f"md-{style}")
            elif style.startswith(("fg:", "bg:")):
                tag = self._colour_tag(style)
                if tag:
                    tags.append(tag)
        if span.href and "md-link" in tags:
            tags.append(self.link_tag(span.href))
        return tuple(tags)

    def _colour_tag(self, style: str) -> str | None:
        tag = "html-" + style.replace(":", "-")
        if tag not in self._colour_tags:
            option = "foreground" if style.startswith("fg:") else "background"
            try:
                self.text.tag_configure(tag, **{option: style[3:]})
            except tk.TclError:
                return None
            self._colour_tags.add(tag)
        return tag

    def link_tag(self, href: str) -> str:
        """The tag that opens ``href`` on click (one per distinct URL)."""
        tag = f"html-href-{len(self.links)}"
        for existing, url in self.links.items():
            if url == href:
                return existing
        self.links[tag] = href
        self.text.tag_bind(tag, "<Button-1>", lambda _e: self.open_link(href))
        self.text.tag_bind(tag, "<Enter>", lambda e: self.text.configure(cursor="hand2"))
        self.text.tag_bind(tag, "<Leave>", lambda e: self.text.configure(cursor="xterm"))
        return tag

    @staticmethod
    def open_link(url: str) -> bool:
        """Open a web or mail link in the system browser; anything else is ignored."""
        if not url.lower().startswith(SAFE_SCHEMES):
            return False
        return webbrowser.open(url)

    def _table(self, index: str, grid: Grid) -> None:
        text_layout = "\n".join(grid.lines())
        if len(grid.rows) * max(grid.ncols, 1) > MAX_GRID_CELLS:
            self.text.write(index, text_layout, ("md-codeblock",))
            return
        view = TableView(self.text, grid, self.font, self.bold, self.dark)
        self.tables.append(view)

        def forget(event: tk.Event) -> None:
            """Cleared or trimmed away (Tk destroys it with its text): no theme or
            zoom reaches it any more."""
            if event.widget is view:
                self._forget(view)

        view.bind("<Destroy>", forget, add="+")
        self.text.window_create(index, window=view, padx=2, pady=2)
        self.text.write(index, text_layout, (SOURCE_TAG,))

    # -------------------------------------------------------------- upkeep
    def _refit(self, _event: tk.Event) -> None:
        available = self.text.winfo_width()
        self.forget_deleted()
        for view in self.tables:
            view.fit(available)

    def _forget(self, view: TableView) -> None:
        with contextlib.suppress(ValueError):
            self.tables.remove(view)

    def forget_deleted(self) -> None:
        """Drop tables whose text was trimmed or cleared away."""
        alive = []
        for view in self.tables:
            try:
                self.text.index(view)
                alive.append(view)
            except tk.TclError:  # its text is gone (Tk may already have destroyed it)
                if view.winfo_exists():
                    view.destroy()
        self.tables = alive

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        for view in self.tables:
            view.set_dark(dark)

    def font_changed(self) -> None:
        """A zoom: every table lays itself out again in the new font size."""
        available = self.text.winfo_width()
        for view in self.tables:
            view.relayout(available)


def cells_of(view: TableView) -> list[list[str]]:
    """Every cell text of a table view, row by row (as drawn)."""
    view.finish()
    grid = view.grid_model
    return [[view.cell_text(r, c) for c in range(grid.ncols)] for r in range(len(grid.rows))]
