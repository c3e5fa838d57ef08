"""The ``...:`` prompts of continuation lines, drawn beside the text, never in it.

A Text widget cannot draw in a margin, and real characters (or embedded
images, which indices count) would have to be skipped by every editing
key, undo, highlighting offset, copy, history and the code that is run.
So the text stays exactly what was typed: ``ContinuationMargin`` indents
continuation lines by the prompt's width, and this draws ``...:`` into
that empty margin on small canvases placed over the Text, one per run of
visible continuation lines, at each line's ``dlineinfo`` position.  They
are redrawn after any edit, scroll, resize, zoom or theme change.  Mouse
presses on a canvas are handed to the Text, so clicking, dragging and the
wheel behave as they do elsewhere in the margin.
"""

from __future__ import annotations

import tkinter as tk
from dataclasses import dataclass, field
from functools import partial
from tkinter import font as tkfont
from typing import Protocol

from ..guarded_text import GuardedText

DOTS = "...:"
PROMPT_TAG = "prompt"  # the tag console.py puts on "In [n]: ": its colour is ours
FORWARDED = (
    "<ButtonPress-1>", "<B1-Motion>", "<ButtonRelease-1>", "<ButtonPress-2>",
    "<ButtonPress-3>", "<ButtonRelease-3>", "<Button-4>", "<Button-5>", "<MouseWheel>",
)  # fmt: skip


class Margin(Protocol):
    """Which lines are continuation lines (``ContinuationMargin`` knows)."""

    def prompt_of(self, index: str) -> str | None:
        """The prompt of the input whose continuation line starts at ``index``."""

    def tagged_between(self, first: str, last: str) -> bool:
        """Is any continuation line between the two indices?"""


@dataclass
class Run:
    """Consecutive visible continuation lines of one input: one canvas."""

    left: int  # x of the Text's left text edge (before the margin)
    top: int
    bottom: int
    prompt: str  # the first line's prompt, "In [n]: "
    lines: list[tuple[str, int]] = field(default_factory=list)  # (index, baseline y)


class ContinuationPrompts:
    """Draws ``...:`` beside every visible continuation line of every input."""

    def __init__(self, text: GuardedText, font: tkfont.Font, margin: Margin) -> None:
        self.text = text
        self.font = font
        self.margin = margin
        self.canvases: list[tk.Canvas] = []
        self._pending: str | None = None
        self._shown: list[Run] | None = None  # what the canvases show (None: draw anew)
        self._chain_yscroll()
        text.bind("<Configure>", self.schedule, add="+")
        text.bind("<<ThemeChanged>>", self.restyle, add="+")
        text.bind("<Destroy>", self._on_destroy, add="+")

    def _chain_yscroll(self) -> None:
        """Hear every change of the view, after whoever already listens (the scrollbar)."""
        previous = str(self.text.cget("yscrollcommand"))

        def on_scroll(first: float | str, last: float | str) -> None:
            if previous:
                self.text.tk.call("eval", previous, first, last)
            self.schedule()

        self.text.configure(yscrollcommand=on_scroll)

    def schedule(self, _event: tk.Event | None = None) -> None:
        """Redraw once the Text is idle (many edits in a row draw once)."""
        if self._pending is None:
            self._pending = self.text.after_idle(self.redraw)

    def restyle(self, _event: tk.Event | None = None) -> None:
        """Colours or font changed: draw again even where nothing moved."""
        self._shown = None
        self.schedule()

    def _on_destroy(self, event: tk.Event) -> None:
        """An embedded console leaves no callback behind."""
        if event.widget is self.text and self._pending is not None:
            self.text.after_cancel(self._pending)
            self._pending = None

    def redraw(self) -> None:
        self._pending = None
        try:
            runs = self._visible_runs()
        except tk.TclError:  # the Text is being destroyed
            return
        if runs == self._shown:
            # Output streaming below an input on screen moves nothing.  Drawing
            # measures text, and Tk's Xft fonts sync with the X server every
            # few calls: with Xvfb short of CPU, 35-60 ms stalls of a \r bar.
            return
        self._shown = runs
        while len(self.canvases) < len(runs):
            self.canvases.append(self._new_canvas())
        for canvas, run in zip(self.canvases, runs, strict=False):
            self._draw(canvas, run)
        for canvas in self.canvases[len(runs) :]:
            canvas.place_forget()

    def drawn(self) -> list[tuple[str, str, int, int]]:
        """What is shown: (line index, prompt text, right x, top y) in Text coordinates."""
        shown = []
        self.text.update_idletasks()
        for canvas in self.canvases:
            if not canvas.place_info():
                continue  # not in use now
            x0, y0 = canvas.winfo_x(), canvas.winfo_y()
            for item in canvas.find_all():
                index = canvas.gettags(item)[0]
                right = int(canvas.coords(item)[0])  # the text's right edge ("ne" anchor)
                top = canvas.bbox(item)[1]
                shown.append((index, canvas.itemcget(item, "text"), x0 + right, y0 + top))
        return shown

    # ------------------------------------------------------------ finding lines
    def _visible_runs(self) -> list[Run]:
        text = self.text
        first = _line(text.index("@0,0"))
        last = _line(text.index(f"@0,{text.winfo_height()}"))
        if not self.margin.tagged_between(f"{first}.0", f"{last + 1}.0"):
            return []  # the common case while output streams: one call per prompt width
        runs: list[Run] = []
        run: Run | None = None
        for line in range(first, last + 1):
            index = f"{line}.0"
            prompt = self.margin.prompt_of(index)
            info = text.dlineinfo(index) if prompt else None
            if prompt is None or info is None:
                run = None
                continue
            x, y, _w, h, baseline = info
            if run is None or run.prompt != prompt:
                left = x - self.font.measure(prompt)
                run = Run(left, y, y + h, prompt)
                runs.append(run)
            run.lines.append((index, y + baseline))
            end = text.dlineinfo(f"{index} lineend")  # a wrapped line's last row
            run.bottom = (end[1] + end[3]) if end else text.winfo_height()
        return runs

    # ------------------------------------------------------------ drawing
    def _new_canvas(self) -> tk.Canvas:
        canvas = tk.Canvas(
            self.text, highlightthickness=0, borderwidth=0, takefocus=0, cursor="xterm"
        )
        for sequence in FORWARDED:
            canvas.bind(sequence, partial(self._forward, canvas, sequence))
        return canvas

    def _draw(self, canvas: tk.Canvas, run: Run) -> None:
        text = self.text
        right = self.font.measure(run.prompt.rstrip())
        colour = text.tag_cget(PROMPT_TAG, "foreground") or text.cget("foreground")
        canvas.configure(background=text.cget("background"))
        canvas.delete("all")
        ascent = self.font.metrics("ascent")
        for index, baseline in run.lines:
            canvas.create_text(
                right, baseline - run.top - ascent, text=DOTS, anchor="ne",
                font=self.font, fill=colour, tags=(index,),
            )  # fmt: skip
        # one pixel short of the code: the insertion cursor at column 0 stays visible
        canvas.place(
            x=run.left, y=run.top, width=right + 1, height=run.bottom - run.top,
            bordermode="ignore",  # Text coordinates: its padding is not an inner border here
        )  # fmt: skip

    def _forward(self, canvas: tk.Canvas, sequence: str, event: tk.Event) -> str:
        """A mouse event on a prompt: the Text gets it, as if the margin were clicked."""
        x = event.x + canvas.winfo_x()
        y = event.y + canvas.winfo_y()
        options: dict = {"x": x, "y": y, "rootx": event.x_root, "rooty": event.y_root}
        options["state"] = event.state
        if sequence == "<MouseWheel>":
            options["delta"] = event.delta
        if sequence.startswith("<ButtonPress") or sequence.startswith("<Button-"):
            self.text.focus_set()
        self.text.event_generate(sequence, **options)
        return "break"


def _line(index: str) -> int:
    return int(index.split(".", 1)[0])
