"""ipywidgets look native: the current ttkbootstrap theme, light and dark.

Colours are read back from the screen (a grab of the X server), so what is
checked is what a person sees, not what a style was asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import execute_and_wait as run
from conftest import screenshot, views, wait_for

from tkconsole.models.contrast import contrast_ratio, parse_hex
from tkconsole.ui import boot
from tkconsole.ui.themes import apply_theme
from tkconsole.ui.widgets.base import Placeholder
from tkconsole.ui.widgets.boxes import BoxView
from tkconsole.ui.widgets.choices import CheckboxView
from tkconsole.ui.widgets.display import ProgressView
from tkconsole.ui.widgets.sliders import IntSliderView

# TKCONSOLE_SCREENSHOTS=docs/images keeps the pictures for the user guide
KEEP = os.environ.get("TKCONSOLE_SCREENSHOTS")
BAR_STYLES = ("", "success", "info", "warning", "danger")
PANEL = f"""
import ipywidgets as w
bars = [w.IntProgress(value=6, max=10, bar_style=s, description=s or 'default')
        for s in {BAR_STYLES!r}]
w.VBox([
    w.IntSlider(7, description='slider'),
    w.FloatSlider(0.25, max=1, description='float'),
    w.Checkbox(True, description='checkbox'),
    *bars,
    w.Text('some text', description='text'),
    w.Dropdown(options=['first', 'second'], description='dropdown'),
    w.HBox([w.Button(description='Button'),
            w.Button(description='Primary', button_style='primary'),
            w.Button(description='Danger', button_style='danger')]),
])
"""


def grab(widget, path: Path):
    from PIL import Image

    screenshot(widget, path)
    return Image.open(path).convert("RGB")


def hex_of(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def bar_contrasts(panel, image) -> dict[str, tuple[str, str, float]]:
    """Each bar's fill against its trough, as the screen shows them (bars are half full)."""
    found = {}
    for view in views(panel, ProgressView):
        bar = view.bar
        x0, y0 = bar.winfo_rootx() - panel.winfo_rootx(), bar.winfo_rooty() - panel.winfo_rooty()
        middle = y0 + bar.winfo_height() // 2
        fill = hex_of(image.getpixel((x0 + bar.winfo_width() // 5, middle)))
        trough = hex_of(image.getpixel((x0 + bar.winfo_width() * 9 // 10, middle)))
        found[view.get("bar_style") or "default"] = (fill, trough, contrast_ratio(fill, trough))
    return found


def near(rgb, colour: str, tolerance: int = 48) -> bool:
    want = parse_hex(colour)
    return rgb is not None and all(abs(a - b) <= tolerance for a, b in zip(rgb, want, strict=True))


def at(panel, widget, image, x: int, y: int):
    return image.getpixel((widget.winfo_rootx() - panel.winfo_rootx() + x,
                           widget.winfo_rooty() - panel.winfo_rooty() + y))  # fmt: skip


def handle_colour(panel, image):
    """The colour in the middle of the first slider's handle."""
    scale = views(panel, IntSliderView)[0].scale
    x, y = scale.coords()
    return at(panel, scale, image, int(x), int(y))


def check_colour(panel, image):
    """The colour of a ticked checkbox's box: the most saturated pixel at its left."""
    box = views(panel, CheckboxView)[0].box
    middle = box.winfo_height() // 2
    pixels = [at(panel, box, image, x, middle) for x in range(min(24, box.winfo_width()))]
    return max(pixels, key=lambda p: max(p) - min(p))


def show_whole(console, view) -> None:
    """Scroll the console so that the embedded ``view`` starts at its top."""
    console.text.yview(str(view))
    console.update()


def test_widget_panel_takes_the_theme_and_its_bars_show_light_and_dark(
    root, make_console, tmp_path
):
    console = make_console()
    run(root, console, PANEL)
    panel = views(console, BoxView)[0]
    folder = Path(KEEP) if KEEP else tmp_path
    try:
        for theme in ("bootstrap-light", "bootstrap-dark"):  # switched live, as from the menu
            apply_theme(theme)
            show_whole(console, panel)
            image = grab(panel, folder / f"widgets-{theme.split('-')[1]}.png")
            bars = bar_contrasts(panel, image)
            assert len(bars) == len(BAR_STYLES), bars
            low = {k: v for k, v in bars.items() if v[2] < 3}
            assert not low, f"bars below 3:1 against their trough in {theme}: {low}"
            assert len({fill for fill, _, _ in bars.values()}) == len(BAR_STYLES)  # all differ
            accent = boot.Style().colors.primary
            assert near(handle_colour(panel, image), accent), "the slider is not themed"
            assert near(check_colour(panel, image), accent), "the checkbox is not themed"
    finally:
        apply_theme("bootstrap-light")
        root.update()


def prompt_on_screen(console) -> bool:
    """The line with the cursor (the new prompt) is wholly inside the console's view."""
    text = console.text
    line = text.dlineinfo("insert")
    return line is not None and line[1] + line[3] <= text.winfo_height()


def test_prompt_after_an_ipympl_figure_is_on_screen(root, make_console):
    from tkconsole.ui.widgets.mpl import CanvasView

    console = make_console()
    code = "%matplotlib widget\nimport matplotlib.pyplot as plt\n"
    code += "fig, ax = plt.subplots(figsize=(5, 4))\n_ = ax.plot([0, 1, 2], [0, 1, 4])"
    run(root, console, code, 90)
    view = wait_for(root, lambda: views(console, CanvasView), 30, "the figure")[-1]
    wait_for(root, lambda: getattr(view, "frames_shown", 0) >= 1, 30, "the first frame")
    root.update()
    assert view.canvas.winfo_height() > 200  # the figure is drawn at its size
    wait_for(root, lambda: prompt_on_screen(console), 5, "the prompt to be in view")


def test_out_prompt_sits_at_the_top_of_a_tall_box(root, make_console):
    console = make_console()
    run(
        root,
        console,
        "import ipywidgets as w\nw.VBox([w.Button(description=str(i)) for i in range(6)])",
    )
    box = views(console, BoxView)[-1]
    show_whole(console, box)
    text = console.text
    prompt = text.search("Out[", str(box), backwards=True)
    char = text.bbox(prompt)
    top = box.winfo_rooty() - text.winfo_rooty()
    assert box.winfo_height() > 5 * char[3]  # a tall box
    assert abs(char[1] - top) <= char[3], (char, top)  # at its top, not beside its middle


def test_running_tqdm_bar_shows_its_fill_light_and_dark(root, make_console, tmp_path):
    console = make_console()
    run(root, console, "from tqdm.notebook import tqdm\nimport time")
    folder = Path(KEEP) if KEEP else tmp_path
    try:
        for theme in ("bootstrap-light", "bootstrap-dark"):
            apply_theme(theme)
            before = len(views(console, ProgressView))
            console.execute("for i in tqdm(range(60), desc='working'):\n    time.sleep(0.05)")
            bar = wait_for(root, lambda n=before: views(console, ProgressView)[n:], 20, "a bar")[0]

            def half_full(bar=bar) -> bool:
                return 0.4 <= float(bar.bar.cget("value")) / float(bar.bar.cget("maximum")) <= 0.6

            wait_for(root, half_full, 20, "the bar half way")
            row = bar.master.master  # tqdm's HBox: description, bar, counts
            show_whole(console, row)
            image = grab(row, folder / f"progress-{theme.split('-')[1]}.png")
            fill, trough, ratio = bar_contrasts(row, image)["default"]
            assert ratio >= 3, (theme, fill, trough, ratio)
            wait_for(root, console.is_idle, 20, "the loop to end")
    finally:
        apply_theme("bootstrap-light")
        root.update()


def test_unknown_model_without_a_view_shows_the_placeholder_not_its_repr(root, make_console):
    console = make_console()
    shown = run(root, console, "import ipywidgets as w\nfrom traitlets import Unicode\n"
                "class Z(w.DOMWidget):\n    _model_name = Unicode('ZModel').tag(sync=True)\n"
                "Z()")  # fmt: skip
    labels = [str(p.cget("text")) for p in views(console, Placeholder)]
    assert any("ZModel" in label for label in labels), labels
    assert "Z()" not in shown.rsplit("Out[", 1)[1]
    shown = run(root, console, "class Point:\n    def __repr__(self):\n        return 'Point()'\n"
                "Point()")  # fmt: skip
    assert "Point()" in shown.rsplit("Out[", 1)[1]  # other objects keep their repr
