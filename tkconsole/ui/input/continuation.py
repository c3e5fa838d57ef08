"""Continuation lines of a multi-line input line up under its first line.

The prompt ``In [n]: `` sits before the first line only, so ``def f(a,`` /
``b):`` used to start the second line at column 0.  A tag with a left
margin as wide as the prompt (one tag per prompt length, so a handful in
all, re-measured on zoom) covers the input's lines after the first: they are indented on
screen only, with no characters added, so copying, history and the code
sent to the kernel are exactly what was typed.  ``ContinuationPrompts``
draws the ``...:`` prompts into that margin, beside the text.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont

from ..guarded_text import INPUT, GuardedText
from .contprompts import ContinuationPrompts

PREFIX = "cont-margin-"


class ContinuationMargin:
    def __init__(self, text: GuardedText, font: tkfont.Font) -> None:
        self.text = text
        self.font = font
        self._prompts: dict[int, str] = {}  # prompt length -> a prompt of that length
        self.prompts = ContinuationPrompts(text, font, self)

    def update(self) -> None:
        """Re-tag the current input's lines after the first (only while at a prompt)."""
        text = self.text
        self.prompts.schedule()  # lines moved: the drawn prompts follow
        if not text.editable:
            return  # running: the input mark is history, output follows it
        try:
            start = text.index(f"{INPUT} linestart +1l")
        except tk.TclError:
            return
        if text.compare(start, ">=", "end"):
            return
        prompt = text.get(f"{INPUT} linestart", INPUT)
        if not prompt.strip():
            return
        tag = f"{PREFIX}{len(prompt)}"
        if len(prompt) not in self._prompts:
            self._prompts[len(prompt)] = prompt
            width = self.font.measure(prompt)
            text.tag_configure(tag, lmargin1=width, lmargin2=width)
            text.tag_lower(tag)
        text.tag_add(tag, start, "end")

    def tagged_between(self, first: str, last: str) -> bool:
        """Does a continuation line overlap ``first``..``last``? (The last range starting
        before ``last`` is the only candidate: ranges are ordered and never overlap.)"""
        for length in self._prompts:
            found = self.text.tag_prevrange(f"{PREFIX}{length}", last)
            if found and self.text.compare(found[1], ">", first):
                return True
        return False

    def shown_text(self, first: str, last: str) -> str:
        """The text from ``first`` to ``last`` as shown: continuation lines that start in
        it get their ``...:`` prompt (for "Copy with prompts")."""
        text = self.text
        top = _line(text.index(first))
        tagged: set[int] = set()  # lines a margin tag touches: the only candidates
        for length in self._prompts:
            tag = f"{PREFIX}{length}"
            found = text.tag_prevrange(tag, f"{first} +1c")  # one begun before ``first``
            if found and text.compare(found[1], ">", first):
                tagged.update(range(top, _line(found[1]) + 1))
            pos = first
            while found := text.tag_nextrange(tag, pos, last):
                tagged.update(range(_line(found[0]), _line(found[1]) + 1))
                pos = found[1]
        starts_line = text.compare(first, "==", f"{first} linestart")
        lines = text.get(first, last).split("\n")
        for i, number in enumerate(range(top, top + len(lines))):
            prompt = self.prompt_of(f"{number}.0") if number in tagged else None
            if prompt is not None and (i or starts_line):
                lines[i] = continuation(prompt) + lines[i]
        return "\n".join(lines)

    def finish(self) -> None:
        """The input is run: untag the Text's final newline, so nothing written after it
        (the blank line before the next prompt, output) inherits the margin."""
        for length in self._prompts:
            self.text.tag_remove(f"{PREFIX}{length}", "end-1c", "end")

    def refresh_font(self) -> None:
        """Zoom: every prompt's margin re-measured, scrollback inputs included."""
        for length, prompt in self._prompts.items():
            width = self.font.measure(prompt)
            self.text.tag_configure(f"{PREFIX}{length}", lmargin1=width, lmargin2=width)
        self.prompts.restyle()

    def prompt_of(self, index: str) -> str | None:
        """The prompt of the input whose continuation line starts at ``index`` (None: not one)."""
        for name in self.text.tag_names(index):
            if name.startswith(PREFIX):
                return self._prompts.get(int(name[len(PREFIX) :]))
        return None


def continuation(prompt: str) -> str:
    """``   ...: `` as wide as ``prompt`` (``In [n]: ``), its colon under the prompt's."""
    return "...: ".rjust(len(prompt))


def _line(index: str) -> int:
    return int(str(index).split(".", 1)[0])
