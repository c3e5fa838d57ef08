"""Rich output benchmark: HTML tables, typeset math, SVG and Markdown, drawn in Tk.

``run() -> list[(case, tkconsole figure, baseline figure)]`` for the benchmark
driver; ``python -m benchmarks.rich`` runs it alone (it starts a private Xvfb
when there is no display). Each figure is the median of several runs, in
this process, without a kernel: what is timed is the console's own work for
one output (parse, lay out, typeset, draw and let Tk lay it out), which is
what stalls the window. The baseline is the plain-text path the console had
before (``html_to_text`` into the Text), or a published figure.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from .common import private_display

ROUNDS = 7
FORMULA = r"$\displaystyle \int_0^\infty e^{-x^2}\,dx = \frac{\sqrt{\pi}}{2}$"
MARKDOWN = (
    "# Report\n\nSome *emphasis*, **strong** and `code`, a [link](https://example.org).\n\n"
    + "- item one\n- item two with $x^2$\n\n"
    + "| name | n |\n|---|--:|\n"
    + "".join(f"| row {i} | {i * i} |\n" for i in range(30))
) * 5


def median_ms(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def dataframe_html(rows: int = 100) -> str:
    """A DataFrame's HTML repr (pandas when installed, else the same shape by hand)."""
    try:
        import pandas as pd

        with pd.option_context("display.max_rows", rows + 1):
            frame = pd.DataFrame(
                {
                    "name": [f"item {i}" for i in range(rows)],
                    "count": range(rows),
                    "ratio": [i / 7 for i in range(rows)],
                    "flag": [i % 2 == 0 for i in range(rows)],
                    "label": ["abcdefghij"[i % 10] * 8 for i in range(rows)],
                }
            )
            return frame._repr_html_()
    except ImportError:
        body = "".join(
            f"<tr><th>{i}</th><td>item {i}</td><td>{i}</td><td>{i / 7:.6f}</td></tr>"
            for i in range(rows)
        )
        head = "<tr><th></th><th>name</th><th>count</th><th>ratio</th></tr>"
        return f'<table class="dataframe"><thead>{head}</thead><tbody>{body}</tbody></table>'


def _console():
    import tkinter as tk
    from tkinter import font as tkfont

    from tkconsole.ui.guarded_text import GuardedText
    from tkconsole.ui.output.rich import RichRenderer

    root = tk.Tk()
    root.geometry("900x600")
    font = tkfont.Font(root, family="TkFixedFont", size=11)
    text = GuardedText(root, font=font)
    text.pack(fill="both", expand=True)
    root.update()
    return root, text, RichRenderer(text, font)


def _drawn(root, text, draw: Callable[[], None]) -> Callable[[], None]:
    """``draw`` then Tk's own layout of it, on a cleared Text."""

    def step() -> None:
        draw()
        root.update_idletasks()

    def timed() -> None:
        text.erase("1.0", "end")
        step()

    return timed


def rows() -> list[tuple[str, str, str]]:
    from tkconsole.models.htmltext import html_to_doc, html_to_text
    from tkconsole.models.markdown import render_markdown
    from tkconsole.models.svgimage import latex_to_png, svg_to_png

    out: list[tuple[str, str, str]] = []
    html = dataframe_html(100)
    parse = median_ms(lambda: html_to_doc(html))
    text_only = median_ms(lambda: html_to_text(html))
    out.append(("100-row DataFrame HTML: parse to grid", f"{parse:.1f} ms",
                f"{text_only:.1f} ms (plain-text layout)"))  # fmt: skip

    root, text, rich = _console()
    try:
        bundle = {"text/html": html, "text/plain": "<DataFrame>"}
        grid = median_ms(_drawn(root, text, lambda: rich.insert("end", bundle, {})))
        plain = median_ms(
            _drawn(root, text, lambda: text.write("end", html_to_text(html), ("stdout",)))
        )
        out.append(("100-row DataFrame: longest stall (parse + grid's first 40 rows)",
                    f"{grid:.1f} ms", f"{plain:.1f} ms (as text, before)"))  # fmt: skip

        def whole() -> None:
            rich.insert("end", bundle, {})
            rich.html_view().forget_deleted()
            for view in rich.html_view().tables:
                view.finish()

        out.append(("100-row DataFrame: parse + all rows drawn",
                    f"{median_ms(_drawn(root, text, whole)):.1f} ms", "-"))  # fmt: skip

        cold = time.perf_counter()
        latex_to_png(FORMULA, 20, "black")
        cold_ms = (time.perf_counter() - cold) * 1000
        warm = median_ms(lambda: latex_to_png(FORMULA, 20, "black"))
        out.append(("formula typeset to PNG (first, with ziamath's import)", f"{cold_ms:.0f} ms",
                    "-"))  # fmt: skip
        out.append(("formula typeset to PNG (next ones)", f"{warm:.1f} ms",
                    "18 ms (issue 12's measurement)"))  # fmt: skip
        math = {"text/latex": FORMULA, "text/plain": "<Math>"}
        placed = median_ms(_drawn(root, text, lambda: rich.insert("end", math, {})))
        out.append(("formula: stall when it arrives (source placed, typeset off-thread)",
                    f"{placed:.1f} ms", "-"))  # fmt: skip

        def until_shown() -> None:
            rich.insert("end", math, {})
            while rich.math.pending:
                root.update()
                time.sleep(0.001)

        shown = median_ms(_drawn(root, text, until_shown))
        out.append(("formula: arrival to image shown", f"{shown:.1f} ms", "-"))

        svg = (
            "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='300'>"
            + "".join(
                f"<rect x='{i * 20}' y='{300 - i * 7}' width='15' height='{i * 7}' fill='#4878d0'/>"
                for i in range(20)
            )
            + "</svg>"
        )
        out.append(("400x300 SVG bar chart to PNG (cleaned, resvg)",
                    f"{median_ms(lambda: svg_to_png(svg)):.1f} ms", "-"))  # fmt: skip
        md = median_ms(lambda: render_markdown(MARKDOWN))
        out.append((f"Markdown, {len(MARKDOWN) // 1000} kB with tables and math: parse to runs",
                    f"{md:.1f} ms", "-"))  # fmt: skip
    finally:
        root.destroy()
    return out


def run() -> list[tuple[str, str, str]]:
    """Every row: ``(case, tkconsole figure, baseline figure)``."""
    with private_display():
        return rows()


if __name__ == "__main__":
    for case, ours, base in run():
        print(f"{case}: {ours}  baseline {base}")
