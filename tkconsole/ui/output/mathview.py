"""Typeset math without stalling the window: the source first, its image when ready.

Typesetting a formula takes 13-25 ms here (ziamath + resvg), the first one of a
session 150-350 ms more for ziamath's import, and a Markdown cell can hold dozens:
done on the Tk thread that is a frozen window. So the LaTeX source is written at
once (with a tag of its own), the process's one worker thread typesets (pure functions of
``models.svgimage``; it never touches Tk), and the Tk thread polls the results
with ``after`` and puts each image in front of its source, which it then hides
(kept, elided, for copying and transcripts). A formula that cannot be typeset
keeps its source visible; one whose text was cleared meanwhile is dropped.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from itertools import count

from ..guarded_text import GuardedText

POLL_MS = 15
TICK_BUDGET = 0.008  # seconds of result handling per tick
FALLBACK_ONLY = "md-code"  # the look a formula's source has only while it is shown

# Job: (kind, key, latex, size_px, colour, where its result goes); result: (kind, key, png)
Result = tuple[str, str, bytes | None]
Job = tuple[str, str, str, float, str, "queue.Queue[Result]"]

_jobs: queue.Queue[Job] = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _work() -> None:
    """The one worker thread of the process (every console and widget shares it):
    typeset job after job; every job gets a result, even if the typesetting
    libraries cannot be imported (then each formula keeps its source)."""
    render: Callable[[str, float, str, float], bytes | None] | None
    try:
        from ...models.svgimage import latex_to_png  # imported here, off the Tk thread

        render = latex_to_png
    except Exception:
        render = None
    while True:
        kind, key, latex, size, colour, results = _jobs.get()
        try:
            png = render(latex, size, colour) if render else None
        except Exception:  # latex_to_png returns None on failure; be sure anyway
            png = None
        results.put((kind, key, png))


def _submit(job: Job) -> None:
    global _worker
    _jobs.put(job)
    with _worker_lock:
        if _worker is None:
            _worker = threading.Thread(target=_work, name="typeset", daemon=True)
            _worker.start()


class MathTypesetter:
    """One console's formulas: placed as source, swapped for images as they come back."""

    def __init__(
        self,
        text: GuardedText,
        style: Callable[[], tuple[float, str]],
        show: Callable[[str, bytes, str, tuple[str, ...]], None],
        retinted: Callable[[str, bytes], None],
        source_tag: str,
    ) -> None:
        self.text = text
        self.style = style  # () -> (size in pixels, colour) for new formulas
        self.show = show  # (index, png, latex, tags) -> puts the image at index
        self.retinted = retinted  # (image name, png) -> the image redrawn
        self.source_tag = source_tag
        self.pending = 0  # jobs whose result is not handled yet
        self._latex: dict[str, str] = {}  # pending tag -> LaTeX
        self._ids = count()
        self._results: queue.Queue[Result] = queue.Queue()
        self._polling = False

    def place(self, index: str, latex: str, tags: tuple[str, ...]) -> None:
        """Write ``latex`` at ``index`` now; its image replaces it when typeset."""
        tag = f"math-pending-{next(self._ids)}"
        self.text.write(index, latex, (*tags, tag))
        self._latex[tag] = latex
        self._submit("place", tag, latex)

    def retint(self, name: str, latex: str) -> None:
        """Typeset a shown formula again (the text colour changed)."""
        self._submit("retint", name, latex)

    def _submit(self, kind: str, key: str, latex: str) -> None:
        size, colour = self.style()
        _submit((kind, key, latex, size, colour, self._results))
        self.pending += 1
        if not self._polling:
            self._polling = True
            self.text.after(POLL_MS, self._poll)

    def _poll(self) -> None:
        if not self.text.winfo_exists():  # the console is gone: drop what is left
            self._polling = False
            return
        try:
            deadline = time.perf_counter() + TICK_BUDGET
            while time.perf_counter() < deadline:
                try:
                    kind, key, png = self._results.get_nowait()
                except queue.Empty:
                    break
                self.pending -= 1
                if kind == "place":
                    self._swap(key, png)
                elif png is not None:
                    self.retinted(key, png)
        finally:
            self._polling = self.pending > 0 and self.text.winfo_exists()
            if self._polling:
                self.text.after(POLL_MS, self._poll)

    def _swap(self, tag: str, png: bytes | None) -> None:
        """Put the image in front of the source tagged ``tag``, then hide the source."""
        latex = self._latex.pop(tag, "")
        ranges = self.text.tag_ranges(tag)
        if not ranges:
            return  # cleared or trimmed meanwhile
        start, end = str(ranges[0]), str(ranges[-1])
        self.text.tag_delete(tag)
        if png is None:
            return  # the source stays, as it is shown
        keep = tuple(t for t in self.text.tag_names(start) if t != FALLBACK_ONLY)
        self.text.tag_remove(FALLBACK_ONLY, start, end)
        self.text.tag_add(self.source_tag, start, end)
        self.show(start, png, latex, keep)
