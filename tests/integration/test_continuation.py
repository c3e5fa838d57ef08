"""Continuation prompts: ``...:`` under ``In [n]:``, drawn beside the text, never in it.

Typed with keys into a real console on a real kernel: what is drawn (and
where), what is copied, run and remembered, and that the editing keys see
only the code.
"""

from __future__ import annotations

from conftest import press, screenshot, type_text, wait_for

from tkconsole.models.history import HistoryStore
from tkconsole.models.settings import HistorySettings, Settings

CTRL, SHIFT = 4, 1


def new_line(root, console) -> None:
    """Return on an incomplete input: the kernel's is_complete reply adds a line."""
    text = console.text
    lines = _line(text.index("end-1c"))
    press(text, "Return")
    wait_for(root, lambda: _line(text.index("end-1c")) > lines, 10, "a continuation line")


def type_def(root, console) -> str:
    """Type a three-line def with keys; return the code as the input holds it."""
    text = console.text
    type_text(text, "def f(a,")
    new_line(root, console)
    type_text(text, "b):")
    new_line(root, console)  # the kernel indents the body
    type_text(text, "return a + b")
    return text.input_text()


def shown(console) -> list[tuple[str, str, int, int]]:
    console.update()
    return console.editing.margin.prompts.drawn()


def expected_prompts(console, first_line: int, count: int) -> list[tuple[str, str, int, int]]:
    """``...:`` right-aligned under ``In [n]:``'s colon, at each line's top."""
    text = console.text
    colon = text.bbox("input -2c")  # "In [n]: ": the colon before the space
    right = colon[0] + colon[2]
    lines = [f"{first_line + i}.0" for i in range(count)]
    return [
        (line, "...:", right, text.dlineinfo(line)[1]) for line in lines if text.dlineinfo(line)
    ]


def test_prompts_line_up_and_copy_run_and_history_get_only_the_code(root, make_console, tmp_path):
    settings = Settings(
        history=HistorySettings(file=str(tmp_path / "h.sqlite"), kernel_history=False)
    )
    console = make_console(settings=settings)
    text = console.text
    code = type_def(root, console)
    assert code == "def f(a,\nb):\n    return a + b"
    first = _line(text.index("input"))
    assert shown(console) == expected_prompts(console, first + 1, 2)
    # the code of every line starts under the first line's code
    assert {text.bbox(f"{first + i}.0")[0] for i in (1, 2)} == {text.bbox("input")[0]}
    assert "...:" not in console.transcript()  # drawn beside the text, not in it

    text.tag_add("sel", "input", "end-1c")
    text.event_generate("<<Copy>>")
    assert text.clipboard_get() == code
    text.tag_remove("sel", "1.0", "end")

    press(text, "Return", state=SHIFT)
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 20, "the def")
    assert [cell.source for cell in console.record.cells] == [code]
    console.editing.history.store.flush()
    assert HistoryStore(tmp_path / "h.sqlite").entries() == [code]
    # the scrollback keeps its prompts; the new, empty input has none
    assert [p[0] for p in shown(console)] == [f"{first + 1}.0", f"{first + 2}.0"]

    press(text, "Up")  # history recalls the code, and its prompts are drawn again
    assert text.input_text() == code
    assert shown(console)[2:] == expected_prompts(console, _line(text.index("input")) + 1, 2)

    text.delete("input", "end-1c")
    type_text(text, "f(2, 3)")
    press(text, "Return", state=SHIFT)
    wait_for(root, lambda: "Out[2]: 5" in console.transcript(), 20, "f(2, 3)")


def test_backspace_delete_home_and_undo_see_only_the_code(root, make_console):
    console = make_console()
    text = console.text
    type_text(text, "x = (1,")
    new_line(root, console)
    type_text(text, "2)")
    second = f"{_line(text.index('input')) + 1}.0"
    assert [p[0] for p in shown(console)] == [second]

    press(text, "Home")  # a continuation line's start: column 0, just after the prompt
    assert text.index("insert") == second
    press(text, "BackSpace")  # joins the lines, as in any editor
    assert text.input_text() == "x = (1,2)"
    assert shown(console) == []

    press(text, "z", state=CTRL)  # undo brings the line back, and its prompt
    assert text.input_text() == "x = (1,\n2)"
    assert [p[0] for p in shown(console)] == [second]

    text.mark_set("insert", "input lineend")
    press(text, "Delete")  # at the first line's end: joins them too
    assert text.input_text() == "x = (1,2)" and shown(console) == []
    press(text, "Return", state=SHIFT)
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 20, "x")
    assert console.record.cells[0].source == "x = (1,2)"


def test_prompts_follow_scrolling_and_a_click_on_one_reaches_the_text(root, make_console):
    console = make_console()
    text = console.text
    console.execute("print('\\n'.join(map(str, range(200))))")
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 20, "the lines")
    type_def(root, console)
    text.see("end")
    first = _line(text.index("input"))
    at_bottom = shown(console)
    assert at_bottom == expected_prompts(console, first + 1, 2)

    text.yview_scroll(-1, "units")  # the prompts move down with their lines
    moved = shown(console)
    assert moved and moved == expected_prompts(console, first + 1, 2)
    assert moved[0][0] == at_bottom[0][0] and moved[0][3] > at_bottom[0][3]
    text.yview_moveto(0)  # scrolled out of sight: nothing drawn
    assert shown(console) == []

    text.see("end")
    shown(console)
    canvas = next(c for c in console.editing.margin.prompts.canvases if c.place_info())
    canvas.event_generate("<ButtonPress-1>", x=2, y=2)
    canvas.event_generate("<ButtonRelease-1>", x=2, y=2)
    assert text.index("insert") == f"{first + 1}.0"  # as a click in the margin does


def test_the_prompts_are_on_screen(root, make_console, tmp_path):
    """Pixels, not just canvas items: the dots show in the prompt's colour."""
    from PIL import Image

    console = make_console()
    type_def(root, console)
    press(console.text, "Return", state=SHIFT)
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 20, "the def")
    console.execute("for n in range(3):\n    print(f(n,\n            n))")
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 3, 20, "the loop")
    type_text(console.text, "if True:")
    new_line(root, console)
    type_text(console.text, "print('typing')")
    prompts = shown(console)
    assert len(prompts) == 2 + 2 + 1
    shot = screenshot(console, tmp_path / "continuation.png")
    image = Image.open(shot).convert("RGB")
    text = console.text
    colour = _rgb(text, text.tag_cget("prompt", "foreground"))
    background = _rgb(text, text.cget("background"))
    dx, dy = text.winfo_rootx() - console.winfo_rootx(), text.winfo_rooty() - console.winfo_rooty()
    height = console.font.metrics("linespace")
    width = console.font.measure("...:")
    for _index, _dots, right, top in prompts:
        box = (dx + right - width, dy + top, dx + right, dy + top + height)
        pixels = {rgb for _count, rgb in image.crop(box).getcolors(maxcolors=1 << 16)}
        assert background in pixels and _near(colour, pixels)


def _rgb(widget, colour: str) -> tuple[int, int, int]:
    return tuple(v // 257 for v in widget.winfo_rgb(colour))


def _near(colour: tuple[int, int, int], pixels: set) -> bool:
    """Some pixel is (nearly) the colour: anti-aliasing blends the edges."""
    return any(sum(abs(a - b) for a, b in zip(colour, p, strict=True)) < 40 for p in pixels)


def _line(index: str) -> int:
    return int(index.split(".")[0])


def test_prompts_follow_zoom_and_theme(root, make_console):
    import ttkbootstrap as ttk

    console = make_console()
    text = console.text
    type_def(root, console)
    first = _line(text.index("input"))
    press(text, "plus", state=CTRL)  # zoom: wider prompt, taller lines
    press(text, "plus", state=CTRL)
    assert shown(console) == expected_prompts(console, first + 1, 2)
    style = ttk.Style()
    try:
        style.theme_use("bootstrap-dark")
        root.update()
        shown(console)
        canvas = next(c for c in console.editing.margin.prompts.canvases if c.place_info())
        assert canvas.cget("background") == text.cget("background")
        dots = canvas.find_all()[0]
        assert canvas.itemcget(dots, "fill") == text.tag_cget("prompt", "foreground")
        assert text.tag_cget("prompt", "foreground") == "#58a6ff"  # the dark theme's
    finally:
        style.theme_use("bootstrap-light")
        root.update()


def test_copy_with_prompts_includes_the_continuation_prompts(root, make_console):
    from tkconsole.ui.context_menu import ConsoleMenu

    console = make_console()
    text = console.text
    type_def(root, console)
    press(text, "Return", state=SHIFT)
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 20, "the def")
    text.tag_add("sel", "1.0", "end-1c")
    ConsoleMenu(console).copy_with_prompts()  # the right-click menu's item
    copied = text.clipboard_get()
    assert "In [1]: def f(a,\n   ...: b):\n   ...:     return a + b\n\nIn [2]: " in copied
    text.tag_remove("sel", "1.0", "end")
    start = text.search("f(a,", "1.0")
    text.tag_add("sel", start, f"{start} +2l lineend")  # begun inside the def
    ConsoleMenu(console).copy_with_prompts()
    assert text.clipboard_get() == "f(a,\n   ...: b):\n   ...:     return a + b"
    text.tag_remove("sel", "1.0", "end")
    text.tag_add("sel", f"{start} +1l linestart +1c", f"{start} +2l lineend")  # mid-line
    ConsoleMenu(console).copy_with_prompts()
    assert text.clipboard_get() == "):\n   ...:     return a + b"
    text.tag_add("sel", "1.0", "end-1c")
    text.event_generate("<<Copy>>")  # plain copy: no prompts at all
    assert "def f(a,\nb):\n    return a + b\n" in text.clipboard_get()
    assert "...:" not in text.clipboard_get()


def test_a_saved_transcript_shows_the_continuation_prompts(root, make_console, tmp_path):
    from tkconsole.app import save_transcript  # what --save-transcript and Save as .txt write

    console = make_console()
    type_def(root, console)
    press(console.text, "Return", state=SHIFT)
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 2, 20, "the def")
    save_transcript(console, str(tmp_path / "t.txt"))
    saved = (tmp_path / "t.txt").read_text()
    assert "In [1]: def f(a,\n   ...: b):\n   ...:     return a + b\n" in saved
    assert "...:" not in console.transcript()  # the text itself stays the code


def test_output_that_moves_no_input_leaves_the_prompts_as_drawn(root, make_console):
    """Output written below a multi-line input: its ``...:`` are not drawn again."""
    import time

    console = make_console()
    text = console.text
    type_def(root, console)
    first = _line(text.index("input"))
    before = console.prompt_number
    press(text, "Return")
    press(text, "Return")  # the empty last line ends the block: run it
    wait_for(root, lambda: console.is_idle() and console.prompt_number > before, 30, "run")
    drawn = shown(console)
    assert [p for p in drawn if p[0] in (f"{first + 1}.0", f"{first + 2}.0")]
    prompts = console.editing.margin.prompts
    items = [c.find_all() for c in prompts.canvases if c.place_info()]
    assert items
    for step in range(3):  # a \r bar from a thread: written above the new prompt
        console.writer.enqueue_stream("stdout", f"\rstep {step}")
        console.writer.render(time.perf_counter() + 1)
        root.update()
    assert [c.find_all() for c in prompts.canvases if c.place_info()] == items
    prompts.restyle()  # a theme or font change draws them anew
    root.update()
    assert [c.find_all() for c in prompts.canvases if c.place_info()] != items
    assert shown(console) == drawn
