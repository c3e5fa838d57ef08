"""Start-up loads only what the first prompt needs (issue 14: start time and RSS).

Each case starts a fresh process (other tests' imports must not count), waits
for the first prompt and reports ``sys.modules`` then.  What is listed as
lazy here must load on first use, not at start; the benchmark measures what
that saves (docs/performance.md).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import reported

# Loaded on first use only: renderers, exporters, the remote transport, the
# widget views, and IPython's lexer (which brings Pygments' HTML, JavaScript
# and JVM lexers: it waits for the first key typed).
LAZY = (
    "markdown_it", "ziamath", "resvg_py", "nbformat", "nh3", "IPython",
    "ipython_pygments_lexers", "pygments.lexers.jvm", "tornado.web", "tornado.websocket",
    "tkconsole.models.export", "tkconsole.models.markdown", "tkconsole.models.htmltext",
    "tkconsole.models.svgimage", "tkconsole.kernel.remote", "tkconsole.kernel.tunnel",
    "tkconsole.ui.widgets.display", "tkconsole.ui.widgets.boxes", "tkconsole.ui.dialogs.connect",
    "tkconsole.ui.output.htmlview", "webbrowser",
)  # fmt: skip
# A Tk program that embeds the console does not need ttkbootstrap or Pillow.
NOT_EMBEDDED = ("ttkbootstrap", "PIL")
# The app's window needs ttkbootstrap's theme engine, not the widgets and dialogs
# its package __init__ imports (ui/boot.py).
NOT_IN_APP = (
    "ttkbootstrap.widgets", "ttkbootstrap.dialogs", "ttkbootstrap.validation", "PIL.ImageGrab",
    "PIL.PngImagePlugin", "PIL.JpegImagePlugin", "PIL.GifImagePlugin",  # codecs: first image
)  # fmt: skip

REPORT = """
    def report(_event=None):
        import json, sys
        print("MODULES " + json.dumps(sorted(sys.modules)), flush=True)
"""

EMBEDDED = (
    textwrap.dedent(
        """
    import tkinter as tk
    from tkconsole import ConsoleWidget

    root = tk.Tk()
    console = ConsoleWidget(root)
    console.pack(fill="both", expand=True)
    """
    )
    + textwrap.dedent(REPORT)
    + textwrap.dedent(
        """
    def first_prompt(event):
        report()
        root.after_idle(root.destroy)

    console.bind("<<ConsolePrompt>>", first_prompt, add="+")
    root.after(60000, root.destroy)
    root.mainloop()
    """
    )
)

APP = (
    textwrap.dedent(
        """
    from tkconsole.app import launch

    window = launch([])
    """
    )
    + textwrap.dedent(REPORT)
    + textwrap.dedent(
        """
    def first_prompt(event):
        report()
        window.root.after_idle(window.close)

    window.console.bind("<<ConsolePrompt>>", first_prompt, add="+")
    window.root.after(60000, window.close)
    window.root.mainloop()
    """
    )
)


def modules_at_first_prompt(program: str, config: Path) -> set[str]:
    return set(reported(program, config, "MODULES"))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize(
    ("program", "forbidden"),
    [(EMBEDDED, LAZY + NOT_EMBEDDED), (APP, LAZY + NOT_IN_APP)],
    ids=["embedded", "app"],
)
def test_first_prompt_loads_nothing_lazy(display, tmp_path, program, forbidden):
    modules = modules_at_first_prompt(program, tmp_path / "config")
    assert "tkconsole.ui.console" in modules  # the report did come from a console
    assert loaded(modules, forbidden) == []


FULL_PACKAGE_LATER = textwrap.dedent(
    """
    import json
    from tkconsole.app import launch

    window = launch([])

    def first_prompt(event):
        import ttkbootstrap as tb
        from ttkbootstrap import Meter
        from ttkbootstrap.style.icons import IconRenderer
        from tkconsole.ui.widgets import display

        window.set_theme("bootstrap-dark", remember=False)
        button = tb.Button(window.root, text="ok", bootstyle="success")
        box = tb.Combobox(window.root)
        button.pack()
        box.pack()
        window.root.update()
        print("FULL " + json.dumps({
            "theme": window.theme, "button": str(button.cget("style")),
            "box": str(box.cget("style")), "meter": Meter.__name__,
            "view": display.ButtonView.__name__,
            "icon_font_released": IconRenderer._glyphmap is None,
        }), flush=True)
        window.root.after_idle(window.close)

    window.console.bind("<<ConsolePrompt>>", first_prompt, add="+")
    window.root.after(60000, window.close)
    window.root.mainloop()
    """
)


def test_the_whole_ttkbootstrap_arrives_at_first_use(display, tmp_path):
    """After the engine-only start, ttkbootstrap's widgets, dialogs and a new theme still work."""
    full = reported(FULL_PACKAGE_LATER, tmp_path / "config", "FULL")
    assert full["theme"] == "bootstrap-dark"
    assert "success" in full["button"] and "TButton" in full["button"]
    assert "TCombobox" in full["box"]
    assert (full["meter"], full["view"]) == ("Meter", "ButtonView")
    assert full["icon_font_released"]  # released again after the dark theme's arrows


def test_typing_loads_the_kernels_lexer(root, make_console):
    """The lazy lexer still arrives: typed input is highlighted with IPython's lexer."""
    from conftest import type_text, wait_for

    console = make_console()
    type_text(console.text, "%time x = 1")
    highlighter = console.editing.highlighter
    wait_for(root, lambda: highlighter.lexer is not None, what="the kernel's lexer")
    assert "ipython" in type(highlighter.lexer).__name__.lower()
    wait_for(root, lambda: any(t.startswith("hl-") for t in console.text.tag_names("input")))
