"""Typing latency: 200 key presses into the middle of a 200-line cell.

Each key is one ``event_generate`` (the console's own bindings run: the key
table, the post-key hooks, the insert) followed by ``update_idletasks``, so
the time counts the highlighting refresh and the redraw as well.  Part of
``python -m benchmarks``; ``python -m benchmarks --only keys`` runs it
alone.  Nothing here is asserted: it is measured and reported.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from tkconsole.models.keymap import CHAR_KEYSYMS

from .common import emit

KEYS = 200
CELL_LINES = 200
TYPED = "value = other_name + 42  # note "
SETTLE_S = 1.0  # let the whole-cell resync finish before measuring

METRICS = [  # key, name, unit, scale, compare (as in core.METRICS)
    ("typing_median", "typing_key_median_200_line_cell", "ms", 1000, None),
    ("typing_p95", "typing_key_p95", "ms", 1000, None),
    ("typing_max", "typing_key_max", "ms", 1000, None),
    ("typing_full_highlight", "typing_highlight_whole_200_line_cell", "ms", 1000, None),
]


def cell(lines: int = CELL_LINES) -> str:
    """A realistic cell: functions, strings, comments, numbers, a docstring."""
    block = [
        "def step_{n}(data, scale=1.5):",
        '    """Scale the data by {n}."""',
        "    total = 0",
        "    for i, item in enumerate(data):  # walk it",
        "        if item is None or i % {n} == 0:",
        "            continue",
        "        total += item * scale + 0x{n:x}",
        "    print(f'step {n}: {{total!r}}', end='\\n')",
        "    return {{'n': {n}, 'total': total}}",
        "",
    ]
    out: list[str] = []
    n = 1
    while len(out) < lines:
        out += [line.format(n=n) for line in block]
        n += 1
    return "\n".join(out[:lines])


def measure(window) -> dict:
    """Type ``KEYS`` keys at the end of the cell's middle line; seconds per key."""
    console, root = window.console, window.root
    text = console.text
    start = time.perf_counter()
    console._set_input(cell())
    console.editing.highlighter.refresh()
    root.update_idletasks()
    full = time.perf_counter() - start
    _settle(root)
    text.mark_set("insert", f"input linestart+{CELL_LINES // 2}l lineend")
    text.see("insert")
    root.update()
    text.focus_force()
    root.update()
    times = []
    typed = "".join(TYPED[i % len(TYPED)] for i in range(KEYS))
    for char in typed:
        keysym = CHAR_KEYSYMS.get(char, char)
        t0 = time.perf_counter()
        text.event_generate("<KeyPress>", keysym=keysym)
        text.update_idletasks()
        times.append(time.perf_counter() - t0)
    if not text.get("insert linestart", "insert").endswith(typed):
        raise RuntimeError("the typed keys did not land in the input")
    if not any(tag.startswith("hl-Comment") for tag in text.tag_names("insert-2c")):
        raise RuntimeError("the typed text was not highlighted: the measurement is void")
    times.sort()
    return {
        "typing_median": statistics.median(times),
        "typing_p95": times[int(len(times) * 0.95) - 1],
        "typing_max": times[-1],
        "typing_full_highlight": full,
    }


def _settle(root) -> None:
    end = time.perf_counter() + SETTLE_S
    while time.perf_counter() < end:
        root.update()
        time.sleep(0.01)


def typing_child(_t0: float, _full: bool) -> None:
    """Open the app, wait for the prompt, measure, print one RESULT line."""
    from tkconsole.app import launch

    window = launch([])
    result: dict = {}

    def go() -> None:
        try:
            result.update(measure(window))
        finally:
            window.close()

    def at_prompt(_event) -> None:
        window.console.unbind("<<ConsolePrompt>>", bind_id)
        window.root.after(300, go)

    bind_id = window.console.bind("<<ConsolePrompt>>", at_prompt, add="+")
    window.root.mainloop()
    emit(result)


CHILDREN: dict[str, Callable[[float, bool], None]] = {"typing": typing_child}
