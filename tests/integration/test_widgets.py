"""ipywidgets and ipympl against a real kernel, driven with Tk events under Xvfb."""

from __future__ import annotations

import pytest
from conftest import execute_and_wait as run
from conftest import pump, screenshot, views, wait_for

from tkconsole.ui.widgets.base import Placeholder
from tkconsole.ui.widgets.display import ButtonView, ProgressView
from tkconsole.ui.widgets.output import OutputView
from tkconsole.ui.widgets.sliders import IntSliderView


def drag_scale(scale, to_value: float) -> None:
    """Press on the slider's handle, move to ``to_value``'s place, release."""
    scale.update()
    x0, y0 = scale.coords()
    x1, y1 = scale.coords(to_value)
    scale.event_generate("<Enter>", x=x0, y=y0)
    scale.event_generate("<ButtonPress-1>", x=x0, y=y0)
    scale.event_generate("<B1-Motion>", x=(x0 + x1) // 2, y=y1, state=0x100)
    scale.event_generate("<B1-Motion>", x=x1, y=y1, state=0x100)
    scale.event_generate("<ButtonRelease-1>", x=x1, y=y1, state=0x100)


def click(widget) -> None:
    widget.update()
    x, y = widget.winfo_width() // 2, widget.winfo_height() // 2
    widget.event_generate("<Enter>", x=x, y=y)
    widget.event_generate("<ButtonPress-1>", x=x, y=y)
    widget.event_generate("<ButtonRelease-1>", x=x, y=y)


@pytest.fixture(scope="module")
def console(root):
    import tkinter as tk

    from tkconsole import ConsoleWidget

    top = tk.Toplevel(root)
    top.geometry("900x700+0+0")
    console = ConsoleWidget(top)
    console.pack(fill="both", expand=True)
    wait_for(root, console.is_idle, 60, "the first prompt")
    run(root, console, "import ipywidgets as w\nfrom IPython.display import display")
    yield console
    console.shutdown()
    top.destroy()


def test_slider_drag_reaches_the_kernel_and_kernel_moves_it(root, console):
    run(root, console, "s = w.IntSlider(max=10, description='s')\n"
        "s.observe(lambda ch: print('kernel got', ch['new']), 'value')\ns")  # fmt: skip
    view = views(console, IntSliderView)[-1]
    drag_scale(view.scale, 8)
    wait_for(root, lambda: "kernel got 8" in console.transcript(), 20, "the observe print")
    run(root, console, "s.value = 3")
    wait_for(root, lambda: round(view.scale.get()) == 3, 10, "the slider to move to 3")
    assert view.readout.cget("text") == "3"


def test_button_click_runs_its_handler(root, console):
    run(root, console, "b = w.Button(description='Press me')\n"
        "b.on_click(lambda _b: print('handler ran'))\nb")  # fmt: skip
    view = views(console, ButtonView)[-1]
    assert view.button.cget("text") == "Press me"
    click(view.button)
    wait_for(root, lambda: "handler ran" in console.transcript(), 20, "the click handler")


def test_dropdown_choice_reaches_the_kernel(root, console):
    from tkconsole.ui.widgets.choices import DropdownView

    run(root, console, "d = w.Dropdown(options=['red', 'green', 'blue'])\n"
        "d.observe(lambda ch: print('chose', ch['new']), 'value')\nd")  # fmt: skip
    view = views(console, DropdownView)[-1]
    view.box.current(2)
    view.box.event_generate("<<ComboboxSelected>>")
    wait_for(root, lambda: "chose blue" in console.transcript(), 20, "the choice")


def test_interact_redraws_its_output_when_the_slider_moves(root, console):
    run(root, console, "from ipywidgets import interact\n"
        "_ = interact(lambda x: print('x is', x), x=(0, 10))")  # fmt: skip
    out = views(console, OutputView)[-1]
    wait_for(root, lambda: "x is 5" in out.text.get("1.0", "end"), 20, "the first output")
    slider = [v for v in views(console, IntSliderView) if v.master.master is out.master.master][-1]
    drag_scale(slider.scale, 9)
    wait_for(root, lambda: "x is 9" in out.text.get("1.0", "end"), 20, "the redraw")
    assert "x is 5" not in out.text.get("1.0", "end")
    assert "x is 9" not in console.transcript()  # in the widget, not in the cell


def test_output_widget_captures_and_clears_with_wait(root, console):
    run(root, console, "out = w.Output()\ndisplay(out)")
    out = views(console, OutputView)[-1]
    run(root, console, "with out:\n    print('captured', 'line')")
    wait_for(root, lambda: "captured line" in out.text.get("1.0", "end"), 10, "the capture")
    assert "captured line" not in console.transcript()  # in the widget, not in the cell
    run(root, console, "from IPython.display import clear_output\n"
        "with out:\n    clear_output(wait=True)\n    print('replacement')")  # fmt: skip
    wait_for(root, lambda: "replacement" in out.text.get("1.0", "end"), 10, "the new output")
    assert "captured line" not in out.text.get("1.0", "end")


def test_jslink_keeps_sliders_equal_without_the_kernel(root, console):
    run(root, console, "a = w.IntSlider(max=10); c = w.IntSlider(max=10)\n"
        "_l = w.jslink((a, 'value'), (c, 'value'))\nw.HBox([a, c])")  # fmt: skip
    first, second = views(console, IntSliderView)[-2:]
    drag_scale(first.scale, 6)
    # no pump in between: the link is resolved here, not by a kernel round trip
    assert round(second.scale.get()) == 6 and second.readout.cget("text") == "6"
    pump(root, 0.1)  # the next frame sends both changes
    run(root, console, "print('kernel sees', a.value, c.value)")
    assert "kernel sees 6 6" in console.transcript()


def test_tqdm_notebook_loop_ends_as_a_full_bar(root, console):
    run(root, console, "from tqdm.notebook import tqdm\nfor i in tqdm(range(3000)):\n    pass")
    bar = views(console, ProgressView)[-1]
    wait_for(root, lambda: bar.bar.cget("value") == bar.bar.cget("maximum"), 10, "a full bar")
    assert "success" in str(bar.bar.cget("style"))


def test_unknown_model_shows_a_placeholder(root, console):
    run(root, console, "from traitlets import Unicode\n"
        "class Mystery(w.DOMWidget):\n"
        "    _model_name = Unicode('MysteryModel').tag(sync=True)\n"
        "    _model_module = Unicode('mystery-widgets').tag(sync=True)\n"
        "    _view_name = Unicode('MysteryView').tag(sync=True)\n"
        "Mystery()")  # fmt: skip
    labels = [str(p.cget("text")) for p in views(console, Placeholder)]
    assert any("MysteryModel" in t and "mystery-widgets" in t for t in labels), labels
    run(root, console, "1 + 1")  # the console goes on
    assert "Out[" in console.transcript().rsplit("1 + 1", 1)[1]


def test_ipympl_figure_answers_a_drag_with_a_new_image(root, console):
    from tkconsole.ui.widgets.mpl import CanvasView

    code = "%matplotlib widget\nimport matplotlib.pyplot as plt\n"
    code += "fig, ax = plt.subplots(figsize=(4, 3))\n_ = ax.plot([0, 1, 2], [0, 1, 4])"
    run(root, console, code, 90)
    view = wait_for(root, lambda: views(console, CanvasView), 30, "the figure")[-1]
    wait_for(root, lambda: getattr(view, "frames_shown", 0) >= 1, 30, "the first frame")
    first = view.frame.copy()
    run(root, console, "print('xlim', ax.get_xlim())")
    before = console.transcript().rsplit("xlim", 1)[1].split("\n")[0]
    pan = next(b for b in view.toolbar.winfo_children() if b.cget("text") == "Pan")
    click(pan)
    pump(root, 0.3)
    shown = view.frames_shown
    c = view.canvas
    c.event_generate("<Enter>", x=150, y=120)
    c.event_generate("<ButtonPress-1>", x=150, y=120)
    for x in range(150, 90, -10):
        c.event_generate("<Motion>", x=x, y=120, state=0x100)
        pump(root, 0.04)
    c.event_generate("<ButtonRelease-1>", x=90, y=120, state=0x100)
    wait_for(root, lambda: view.frames_shown > shown, 30, "a new frame after the drag")
    pump(root, 0.5)
    assert view.frame.tobytes() != first.tobytes()
    run(root, console, "print('xlim', ax.get_xlim())")
    after = console.transcript().rsplit("xlim", 1)[1].split("\n")[0]
    assert after != before  # the kernel's axes really moved
    home = next(b for b in view.toolbar.winfo_children() if b.cget("text") == "Home")
    click(home)
    pump(root, 0.5)
    run(root, console, "print('xlim', ax.get_xlim())")
    assert console.transcript().rsplit("xlim", 1)[1].split("\n")[0] == before  # Home undoes it


def test_typing_ranges_toggles_and_tabs_reach_the_kernel(root, console):
    from conftest import type_text

    from tkconsole.ui.widgets.boxes import TabView
    from tkconsole.ui.widgets.choices import ToggleButtonsView
    from tkconsole.ui.widgets.sliders import IntRangeSliderView
    from tkconsole.ui.widgets.texts import TextView

    run(root, console, "t = w.Text(); r = w.IntRangeSlider(value=[2, 4], max=10)\n"
        "tb = w.ToggleButtons(options=['one', 'two', 'three'])\n"
        "tab = w.Tab([w.Label('a'), w.Label('b')], titles=['A', 'B'])\n"
        "w.VBox([t, r, tb, tab])")  # fmt: skip
    text, rng = views(console, TextView)[-1], views(console, IntRangeSliderView)[-1]
    toggles, tab = views(console, ToggleButtonsView)[-1], views(console, TabView)[-1]
    type_text(text.entry, "hey")
    c = rng.canvas
    x_hi = round(rng._x(4))
    c.event_generate("<ButtonPress-1>", x=x_hi, y=8)
    c.event_generate("<B1-Motion>", x=round(rng._x(9)), y=8, state=0x100)
    c.event_generate("<ButtonRelease-1>", x=round(rng._x(9)), y=8, state=0x100)
    click(toggles.buttons[2])
    tab.notebook.select(1)
    pump(root, 0.2)
    run(root, console, "print('state', t.value, r.value, tb.value, tab.selected_index)")
    assert "state hey (2, 9) three 1" in console.transcript()


def test_layout_disabled_and_description_follow_the_kernel(root, console):
    from tkconsole.ui.widgets.texts import TextView

    run(root, console, "e = w.Text('x', description='Name', layout=w.Layout(width='300px'))\ne")
    view = views(console, TextView)[-1]
    root.update()
    assert view.desc.cget("text") == "Name" and view.winfo_width() == 300
    run(root, console, "e.disabled = True; e.description = 'Other'")
    wait_for(root, lambda: view.entry.instate(["disabled"]), 10, "the entry to be disabled")
    assert view.desc.cget("text") == "Other"
    run(root, console, "e.layout.display = 'none'")
    wait_for(root, lambda: view.winfo_height() <= 2, 10, "the widget to be hidden")


def test_tqdm_auto_is_a_widget_bar(root, console):
    run(root, console, "from tqdm.auto import tqdm as auto_tqdm\n"
        "for i in auto_tqdm(range(50), desc='auto'):\n    pass")  # fmt: skip
    bar = views(console, ProgressView)[-1]
    wait_for(root, lambda: bar.bar.cget("value") == bar.bar.cget("maximum") == 50, 10, "a bar")


def test_closed_widget_and_unknown_reference_do_not_break_the_console(root, console):
    run(root, console, "gone = w.IntSlider(); display(gone); gone.close()")
    run(root, console, "from IPython.display import publish_display_data\n"
        "publish_display_data({'application/vnd.jupyter.widget-view+json': "
        "{'model_id': 'nope', 'version_major': 2}, 'text/plain': 'x'})")  # fmt: skip
    labels = [str(p.cget("text")) for p in views(console, Placeholder)]
    assert any("nope" in t and "not available" in t for t in labels), labels
    assert "Out[" in run(root, console, "2 + 2").rsplit("2 + 2", 1)[1]


def test_ipympl_figure_shrinks_with_the_console(root, console):
    from tkconsole.ui.widgets.mpl import CanvasView

    run(root, console, "%matplotlib widget\nimport matplotlib.pyplot as plt\n"
        "fig2, ax2 = plt.subplots(figsize=(6, 3))\n_ = ax2.plot([1, 3, 2])", 90)  # fmt: skip
    view = wait_for(root, lambda: views(console, CanvasView), 30, "the figure")[-1]
    wait_for(root, lambda: view.frame is not None and view.frame.width >= 590, 30, "a frame")
    top = console.winfo_toplevel()
    top.geometry("420x600")
    wait_for(root, lambda: view.frame.width <= 420, 30, "a narrower frame from the kernel")
    top.geometry("900x700")
    wait_for(root, lambda: view.frame.width >= 590, 30, "the figure back at its size")


def test_wheel_over_a_widget_scrolls_the_console(root, console):
    run(root, console, "for _ in range(60): print('filler')")
    run(root, console, "w.IntSlider(description='wheel')")
    view = views(console, IntSliderView)[-1]
    console.text.see("end")
    root.update()
    before = console.text.yview()[0]
    view.scale.event_generate("<Button-4>", x=5, y=5)
    root.update()
    assert console.text.yview()[0] < before


def test_hostile_comm_traffic_through_the_console_is_dropped(root):
    import tkinter as tk

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from tkconsole.models.conversation import ConversationModel
    from tkconsole.ui.widgets.host import WidgetHost

    class Requests:
        def request(self, channel: str, msg_type: str, content: dict, buffers=None) -> str:
            return "id"

    text = tk.Text(root)
    host = WidgetHost(text, Requests())
    model = ConversationModel("session")
    model.comms = host.manager  # what the console wires: the model validates, then routes
    junk = st.recursive(
        st.none() | st.integers() | st.text(max_size=5) | st.binary(max_size=4),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
        max_leaves=10,
    )
    kinds = ["comm_open", "comm_msg", "comm_close", "stream", "clear_output", "display_data"]

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(kinds), junk, junk, st.sampled_from(["a", None, 5]))
    def feed(kind, content, data, comm_id):
        msg = {"msg_type": kind, "parent_header": {"msg_id": "p"}, "metadata": data,
               "content": content, "buffers": data}  # fmt: skip
        model.receive("iopub", msg)
        if isinstance(content, dict):
            content = {**content, "comm_id": comm_id, "target_name": "jupyter.widget"}
            model.receive("iopub", {**msg, "content": {**content, "data": data}})
            model.receive("iopub", {**msg, "content": {**content, "data": {"state": data}}})
        for mid in list(host.manager.models):
            host.view(text, mid).destroy()

    feed()
    text.destroy()


def test_continuous_update_off_sends_on_release_only(root, console):
    run(root, console, "q = w.IntSlider(max=10, continuous_update=False)\n"
        "q.observe(lambda ch: print('q now', ch['new']), 'value')\nq")  # fmt: skip
    view = views(console, IntSliderView)[-1]
    scale = view.scale
    scale.update()
    x0, y0 = scale.coords()
    x1, y1 = scale.coords(7)
    scale.event_generate("<ButtonPress-1>", x=x0, y=y0)
    scale.event_generate("<B1-Motion>", x=x1, y=y1, state=0x100)
    pump(root, 0.1)
    assert view.readout.cget("text") == "7" and view.model.get("value") == 0
    scale.event_generate("<ButtonRelease-1>", x=x1, y=y1, state=0x100)
    wait_for(root, lambda: "q now 7" in console.transcript(), 20, "the value on release")


def test_image_widget_shows_its_bytes(root, console):
    from tkconsole.ui.widgets.display import ImageView

    run(root, console, "import io\nfrom PIL import Image as PILImage\n_b = io.BytesIO()\n"
        "PILImage.new('RGB', (30, 20), 'red').save(_b, 'png')\n"
        "w.Image(value=_b.getvalue(), format='png')")  # fmt: skip
    view = views(console, ImageView)[-1]
    assert (view.photo.width(), view.photo.height()) == (30, 20)


def test_pickers_lists_areas_and_play_reach_the_kernel(root, console):
    from conftest import press, type_text

    from tkconsole.ui.widgets.boxes import AccordionView
    from tkconsole.ui.widgets.choices import SelectView
    from tkconsole.ui.widgets.pickers import ColorPickerView, DatePickerView, PlayView
    from tkconsole.ui.widgets.texts import TextareaView

    run(root, console, "dp = w.DatePicker(); cp = w.ColorPicker(value='#000000')\n"
        "sm = w.SelectMultiple(options=['a', 'b', 'c']); ta = w.Textarea()\n"
        "pl = w.Play(value=0, min=0, max=3, interval=20)\n"
        "acc = w.Accordion([w.Label('x'), w.Label('y')], titles=['X', 'Y'])\n"
        "w.VBox([dp, cp, sm, ta, pl, acc])")  # fmt: skip
    date, colour = views(console, DatePickerView)[-1], views(console, ColorPickerView)[-1]
    multi, area = views(console, SelectView)[-1], views(console, TextareaView)[-1]
    play, accordion = views(console, PlayView)[-1], views(console, AccordionView)[-1]
    type_text(date.entry, "2024-02-29")
    press(date.entry, "Return")
    colour.entry.delete(0, "end")
    type_text(colour.entry, "#ff8800")
    press(colour.entry, "Return")
    multi.box.selection_set(0)
    multi.box.selection_set(2)
    multi.box.event_generate("<<ListboxSelect>>")
    type_text(area.box, "two\nlines")
    click(accordion.headers[1])
    click(play.play)
    wait_for(root, lambda: play.model.get("value") == 3, 10, "Play to reach its max")
    pump(root, 0.2)
    run(root, console, "print('got', dp.value, cp.value, sm.value, repr(ta.value), "
        "pl.value, acc.selected_index)")  # fmt: skip
    assert "got 2024-02-29 #ff8800 ('a', 'c') 'two\\nlines' 3 1" in console.transcript()


def test_output_widget_holds_widgets_and_kernel_set_outputs(root, console):
    run(
        root,
        console,
        "o2 = w.Output()\ndisplay(o2)\nwith o2:\n    display(w.Button(description='inner'))",
    )
    out = views(console, OutputView)[-1]
    inner = wait_for(root, lambda: views(out, ButtonView), 10, "the button in the Output")
    assert inner[-1].button.cget("text") == "inner"
    run(root, console, "o2.clear_output()\no2.append_stdout('set from the kernel\\n')")
    wait_for(root, lambda: "set from the kernel" in out.text.get("1.0", "end"), 10, "the text")
    assert not views(out, ButtonView)  # cleared away


def test_ipympl_zoom_box_changes_the_axes(root, console):
    from tkconsole.ui.widgets.mpl import CanvasView

    code = "%matplotlib widget\nimport matplotlib.pyplot as plt\n"
    code += "fig3, ax3 = plt.subplots(figsize=(4, 3))\n_ = ax3.plot([0, 10], [0, 10])"
    run(root, console, code, 90)
    view = wait_for(root, lambda: views(console, CanvasView), 30, "the figure")[-1]
    wait_for(root, lambda: getattr(view, "frames_shown", 0) >= 1, 30, "the first frame")
    zoom = next(b for b in view.toolbar.winfo_children() if b.cget("text") == "Zoom")
    click(zoom)
    pump(root, 0.3)
    c = view.canvas
    c.event_generate("<ButtonPress-1>", x=150, y=100)
    for x, y in ((180, 130), (210, 160), (240, 190)):
        c.event_generate("<Motion>", x=x, y=y, state=0x100)
        pump(root, 0.05)
    wait_for(root, lambda: c.itemcget(view._band, "state") == "normal", 10, "the zoom box")
    c.event_generate("<ButtonRelease-1>", x=240, y=190, state=0x100)
    pump(root, 0.5)
    run(root, console, "print('xlim3', [round(float(v), 1) for v in ax3.get_xlim()])")
    limits = console.transcript().rsplit("xlim3", 1)[1].split("\n")[0]
    low, high = (float(v) for v in limits.strip(" []").split(","))
    assert high - low < 8  # zoomed in from about 11 wide


def test_a_box_inside_itself_and_huge_lists_stay_bounded(root):
    import tkinter as tk

    from tkconsole.ui.widgets.boxes import MAX_CHILDREN
    from tkconsole.ui.widgets.choices import MAX_BUTTONS, RadioButtonsView
    from tkconsole.ui.widgets.host import WidgetHost

    class Requests:
        def request(self, channel: str, msg_type: str, content: dict, buffers=None) -> str:
            return "id"

    text = tk.Text(root)
    host = WidgetHost(text, Requests())
    m = host.manager

    def open_(cid: str, **state) -> None:
        m.comm_open(cid, "jupyter.widget", {"state": state}, {}, [])

    open_("loop", _model_name="VBoxModel", children=["IPY_MODEL_loop", "IPY_MODEL_loop"])
    open_("r", _model_name="RadioButtonsModel", _options_labels=[str(i) for i in range(5000)])
    open_("l", _model_name="LabelModel", value="x")
    open_("big", _model_name="HBoxModel", children=["IPY_MODEL_l"] * (MAX_CHILDREN + 500))
    box = host.view(text, "loop")
    inner = [p for p in views(box, Placeholder) if "nested in itself" in p.cget("text")]
    assert len(inner) == 2  # the cycle stops at once, each child a placeholder
    radio = host.view(text, "r")
    assert len(radio.buttons) == MAX_BUTTONS
    big = host.view(text, "big")
    assert len(big.children_views) == MAX_CHILDREN
    assert isinstance(radio, RadioButtonsView)
    text.destroy()


def test_htmlmath_typesets_its_formulas_and_follows_the_kernel(root, console, tmp_path):
    from tkconsole.ui.widgets.htmlmath import SOURCE_TAG, HTMLMathView

    def shown(view) -> str:  # the text a person sees: typeset sources are elided
        text = view.text
        hidden = text.tag_ranges(SOURCE_TAG)
        spans = [(str(a), str(b)) for a, b in zip(hidden[0::2], hidden[1::2], strict=True)]
        out, pos = [], "1.0"
        for start, end in spans:
            out.append(text.get(pos, start))
            pos = end
        return "".join(out) + text.get(pos, "end-1c")

    run(root, console, r"_m = w.HTMLMath(value=r'<b>Area</b>: $\pi r^2$ and $$\int_0^1 x\,dx$$')"
        "\n_m")  # fmt: skip
    view = views(console, HTMLMathView)[-1]
    wait_for(root, lambda: len(view.text.image_names()) == 2, 30, "two formulas typeset")
    assert shown(view) == "Area:  and "  # each formula is an image now, not its source
    assert view.box.winfo_reqheight() > view.font.metrics("linespace")  # sized to the images
    screenshot(console, tmp_path / "htmlmath.png")  # looked at by eye when the view changes
    run(root, console, r"_m.value = r'only $x$ costs \$5, and $\frac{1}{$ stays'")
    wait_for(root, lambda: len(view.text.image_names()) == 1 and not view.math.pending, 30,
             "the new value typeset")  # fmt: skip
    assert r"\frac{1}{" in shown(view)  # a broken formula keeps its source on screen
    assert "costs $5," in shown(view)
