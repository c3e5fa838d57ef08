"""Rich and fast output, against a real kernel under Xvfb."""

from __future__ import annotations

import base64
import io
import shutil

import pytest
from conftest import screenshot, wait_for

from tkconsole.ui.output.fold import HEAD, Fold, Squeeze


def run_and_wait(root, console, code: str, timeout: float = 30.0) -> str:
    """Run a (multi-line) cell through the embedding API and wait for the next prompt."""
    before = console.prompt_number
    console.execute(code)
    wait_for(root, lambda: console.is_idle() and console.prompt_number > before, timeout, code)
    return console.transcript()


@pytest.fixture
def console(make_console):
    return make_console()


def images(console) -> list:
    return [console.writer.rich.images[n][0] for n in console.text.image_names()]


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG, made with Pillow in memory."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), rgb).save(buffer, "PNG")
    return buffer.getvalue()


def cell_output(console, code_marker: str) -> str:
    """The output after the input line containing ``code_marker``."""
    text = console.transcript()
    start = text.rindex(code_marker)
    body = text[text.index("\n", start) + 1 :]
    return body[: body.rindex("\nIn [")]


def test_png_with_width_metadata(root, console, tmp_path):
    png = base64.b64encode(solid_png(80, 40, (200, 30, 30))).decode()
    code = (
        "import base64; from IPython.display import Image, display; "
        f"display(Image(data=base64.b64decode('{png}'), width=40))"
    )
    run_and_wait(root, console, code)
    (photo,) = images(console)
    assert (photo.width(), photo.height()) == (40, 20)  # width honoured, aspect kept
    assert "<IPython" not in console.transcript()
    screenshot(console, tmp_path / "image.png")


def test_image_can_be_saved_and_copied(root, console, tmp_path):
    png = solid_png(8, 8, (0, 128, 0))
    code = (
        "import base64; from IPython.display import Image, display; "
        f"display(Image(data=base64.b64decode('{base64.b64encode(png).decode()}')))"
    )
    run_and_wait(root, console, code)
    (name,) = console.text.image_names()
    console.writer.rich.save_image(name, str(tmp_path / "saved.png"))
    assert (tmp_path / "saved.png").read_bytes() == png
    console.writer.rich.copy_image(name)
    if not shutil.which("xclip"):  # without xclip the clipboard gets a data URI
        assert root.clipboard_get() == "data:image/png;base64," + base64.b64encode(png).decode()


def test_jpeg_and_gif(root, console):
    code = (
        "import io; from PIL import Image as P; from IPython.display import Image, display\n"
        "for fmt in ('JPEG', 'GIF'):\n"
        "    b = io.BytesIO(); P.new('RGB', (30, 20), 'blue').save(b, fmt)\n"
        "    display(Image(data=b.getvalue(), format=fmt.lower()))\n"
    )
    run_and_wait(root, console, code)
    assert [(p.width(), p.height()) for p in images(console)] == [(30, 20), (30, 20)]


def test_svg_is_drawn_as_an_image(root, console):
    svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><rect/></svg>"
    run_and_wait(root, console, f'from IPython.display import SVG; SVG("{svg}")')
    assert [(p.width(), p.height()) for p in images(console)] == [(10, 10)]
    assert "<rect" not in cell_output(console, "SVG(")


def test_broken_svg_falls_back_to_the_next_type(root, console):
    bundle = "{'image/svg+xml': '<svg', 'text/plain': 'plain'}"
    code = f"from IPython.display import display; display({bundle}, raw=True)"
    run_and_wait(root, console, code)
    assert not images(console)
    assert cell_output(console, "raw=True").strip() == "plain"


def test_markdown_is_rendered_with_tags(root, console):
    code = "from IPython.display import Markdown; Markdown('# Big title\\nsome *soft* `code`')"
    run_and_wait(root, console, code)
    out = cell_output(console, "Markdown(")
    assert "Big title" in out and "#" not in out and "*" not in out and "`" not in out
    index = console.text.search("Big title", "end", backwards=True)
    assert "md-h1" in console.text.tag_names(index)
    assert "md-code" in console.text.tag_names(console.text.search("code", index))


def test_html_only_is_laid_out_as_text(root, console):
    html = "<table><tr><th>name</th><th>n</th></tr><tr><td>alpha</td><td>1</td></tr></table>"
    code = f"from IPython.display import display; display({{'text/html': '{html}'}}, raw=True)"
    run_and_wait(root, console, code)
    out = cell_output(console, "raw=True")
    assert out == "name   n\n────────\nalpha  1\n"  # columns aligned, no markup


def test_latex_only_is_typeset_and_its_source_kept_for_copying(root, console):
    code = r"from IPython.display import display; display({'text/latex': r'$\alpha^2$'}, raw=True)"
    run_and_wait(root, console, code)
    wait_for(root, lambda: console.writer.rich.math.pending == 0, 30, "the formula typeset")
    assert len(images(console)) == 1
    assert cell_output(console, "raw=True").strip() == r"$\alpha^2$"  # elided beside the image


def test_matplotlib_inline_figure_is_an_image(root, console):
    code = "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([1, 3, 2]); plt.show()"
    run_and_wait(root, console, code, timeout=90)
    (photo,) = images(console)
    assert photo.width() > 100 and photo.height() > 100


def test_update_display_data_replaces_in_place(root, console):
    run_and_wait(root, console, "h = display('first', display_id=True); print('after it')")
    run_and_wait(root, console, "print('later cell')")
    run_and_wait(root, console, "h.update('second')")
    text = console.transcript()
    assert "\n'first'\n" not in text
    assert text.index("\n'second'\n") < text.index("\nafter it") < text.index("\nlater cell")


def test_clear_output_wait_keeps_only_the_last(root, console):
    code = (
        "from IPython.display import clear_output\n"
        "for i in range(300):\n"
        "    clear_output(wait=True)\n"
        "    print(f'step {i}')\n"
    )
    run_and_wait(root, console, code)
    assert cell_output(console, "print(f'step").strip() == "step 299"


def test_bar_steps_held_back_are_drawn_without_more_output(root, console, tmp_path):
    """Steps of a \\r bar arriving faster than redraws are coalesced; the
    newest is drawn even when nothing else follows (the cell still runs)."""
    go = tmp_path / "go"
    code = (
        "import os, sys, time\n"
        "for i in range(2000): sys.stdout.write(f'\\rstep {i}'); sys.stdout.flush()\n"
        f"while not os.path.exists({str(go)!r}): time.sleep(0.02)"
    )
    console.execute(code)
    wait_for(root, lambda: "step 1999" in console.transcript(), 30, "the last step drawn")
    assert not console.is_idle()  # drawn while the cell runs, not by the prompt
    go.touch()
    wait_for(root, console.is_idle, 30, "the prompt")
    out = cell_output(console, "time.sleep(0.02)")
    assert out.strip() == "step 1999", out


def test_tqdm_leaves_one_final_bar(root, console, tmp_path):
    code = "from tqdm import tqdm\nfor _ in tqdm(range(3000), ascii=True, mininterval=0): pass"
    run_and_wait(root, console, code)
    out = cell_output(console, "tqdm(range")
    assert "\r" not in out and "\x1b" not in out
    bars = [line for line in out.splitlines() if "3000/3000" in line]
    assert len(bars) == 1 and len(out.strip().splitlines()) == 1, out
    screenshot(console, tmp_path / "progress.png")


def test_nested_tqdm_bars_end_as_in_a_terminal(root, console):
    code = (
        "from tqdm import trange\n"
        "for i in trange(3, desc='outer', ascii=True):\n"
        "    for j in trange(50, desc='inner', ascii=True, leave=False): pass"
    )
    run_and_wait(root, console, code)
    lines = [line.rstrip() for line in cell_output(console, "leave=False").splitlines()]
    # As in a terminal (checked in tmux): the outer bar complete on the first
    # line, the inner bar's line blanked with spaces.
    assert [line for line in lines if line] == [lines[0]]
    assert lines[0].startswith("outer: 100%") and "3/3" in lines[0]


def test_twenty_thousand_coloured_lines(root, console):
    code = "for i in range(20000): print(f'\\x1b[3{i % 7 + 1}mline {i}\\x1b[0m')"
    run_and_wait(root, console, code, timeout=60)
    out = cell_output(console, "for i in range(20000)")
    assert "\x1b" not in out
    assert out.splitlines() == [f"line {i}" for i in range(20000)]
    index = console.text.search("line 19999", "end", backwards=True)
    assert any(t.startswith("fg-") for t in console.text.tag_names(index))


def test_ten_million_character_line_is_folded(root, console):
    run_and_wait(root, console, "print('x' * 10_000_000)", timeout=60)
    out = cell_output(console, "print('x'")
    assert out == "x" * HEAD + "\n"
    folds = [console.nametowidget(w) for w in console.text.window_names()]
    (fold,) = [w for w in folds if isinstance(w, Fold)]
    assert "9,999,000 more characters" in fold.label.cget("text")
    fold.expand()
    root.update()
    assert cell_output(console, "print('x'") == "x" * HEAD + "\n" + "x" * 10_000 + "\n"
    assert "9,989,000 more" in fold.label.cget("text")
    fold.copy()
    assert len(root.clipboard_get()) == 10_000_000


def test_scrolling_up_is_not_yanked_back(root, console):
    run_and_wait(root, console, "for i in range(300): print(i)")
    console.execute("import time\nfor i in range(40):\n    print('more', i); time.sleep(0.02)")
    wait_for(root, lambda: "more 5\n" in console.transcript(), 10, "some output")
    console.text.yview_moveto(0)  # the reader scrolls up while output flows
    wait_for(root, lambda: console.is_idle() and "more 39" in console.transcript(), 20)
    assert console.text.yview()[0] == 0.0
    assert console.jump.visible
    console.jump.button.invoke()
    root.update()
    assert console.text.yview()[1] == 1.0


def test_scrollback_is_trimmed_to_its_limit(root, console):
    console.writer.scrollback = 1000
    run_and_wait(root, console, "for i in range(5000): print(i)")
    lines = console.transcript().splitlines()
    assert len(lines) <= 1000 + 100
    assert lines[-3:] == ["4999", "", "In [2]: "]


def test_output_from_later_cells_does_not_disturb_a_folded_line(root, console):
    run_and_wait(root, console, "print('y' * 20_000, end=''); print(' tail')")
    out = cell_output(console, "print('y'")
    assert out.startswith("y" * HEAD) and len(out) < 2 * HEAD
    wait_for(root, console.is_idle, 5)


def squeeze_of(console) -> Squeeze:
    (squeeze,) = [
        w for w in map(console.nametowidget, console.text.window_names()) if isinstance(w, Squeeze)
    ]
    return squeeze


def limited_console(make_console, **output):
    from tkconsole.models.settings import OutputSettings, Settings

    return make_console(settings=Settings(output=OutputSettings(**output)))


def head_and_tail(out: str) -> tuple[list[str], list[str]]:
    """The lines shown above and below the squeeze button (its own line is empty)."""
    above, _, below = out.partition("\n\n")
    return above.splitlines(), [line for line in below.splitlines() if line]


def test_a_cell_past_the_squeeze_threshold_keeps_its_head_and_tail(root, make_console):
    console = limited_console(make_console, squeeze_lines=5000)
    run_and_wait(root, console, "for i in range(20000): print(f'line {i}')", timeout=60)
    everything = [f"line {i}" for i in range(20000)]
    head, tail = head_and_tail(cell_output(console, "print(f'line"))
    assert head == everything[:2500]  # the first lines
    assert tail[-1] == "line 19999" and 2500 <= len(tail) < 2700  # the newest lines
    squeeze = squeeze_of(console)
    hidden = 20000 - len(head) - len(tail)
    assert f"{hidden:,} more lines" in squeeze.label.cget("text")
    squeeze.copy()
    assert head + root.clipboard_get().splitlines() + tail == everything  # nothing lost
    squeeze.expand()  # "Show more": the next lines of the middle, under the head
    root.update()
    head, tail = head_and_tail(cell_output(console, "print(f'line"))
    assert head == everything[:3500] and tail[-1] == "line 19999"


def test_a_flood_larger_than_the_scrollback_shows_its_newest_lines(root, make_console):
    console = limited_console(make_console, scrollback_lines=1000)
    run_and_wait(root, console, "for i in range(5000): print(i)", timeout=60)
    lines = console.transcript().splitlines()
    assert len(lines) <= 1100 and lines[-3:] == ["4999", "", "In [2]: "]
    head, tail = head_and_tail(cell_output(console, "range(5000)"))
    assert head[0] == "0" and tail[-1] == "4999"
    squeeze = squeeze_of(console)
    squeeze.copy()  # the first lines are in the head, the middle behind the button
    everything = [str(i) for i in range(5000)]
    assert head + root.clipboard_get().splitlines() + tail == everything


def test_a_backlog_larger_than_the_scrollback_skips_to_its_tail(root, make_console):
    """Squeezing off: a single message of 5,000 lines into a 1,000-line
    scrollback is not drawn only to be trimmed; its first lines wait behind
    the button, its colour carries on to the lines drawn."""
    console = limited_console(make_console, scrollback_lines=1000, squeeze_lines=0)
    code = "print('\\x1b[31m' + '\\n'.join(map(str, range(5000))))"
    run_and_wait(root, console, code, timeout=60)
    out = cell_output(console, "range(5000)")
    shown = [line for line in out.splitlines() if line]
    assert shown[-1] == "4999" and len(shown) <= 1000
    squeeze = squeeze_of(console)
    squeeze.copy()
    assert root.clipboard_get().splitlines() + shown == [str(i) for i in range(5000)]
    index = console.text.search("4999", "end", backwards=True)
    assert "fg-1" in console.text.tag_names(index)


def test_a_skip_after_a_partial_line_loses_and_repeats_nothing(root, make_console):
    """print() sends a line and its newline as two writes, so a message can
    end mid-line; the next backlog, skipped to its tail, must not glue the
    rest onto that partial line nor keep it twice."""
    console = limited_console(make_console, scrollback_lines=1000, squeeze_lines=0)
    writer = console.writer
    writer.begin_cell()
    writer.enqueue_stream("stdout", "".join(f"{i}\n" for i in range(10)) + "10")
    while writer.render(float("inf")):
        pass
    for first, last in ((11, 5000), (5001, 10000)):  # the second finds the button there
        writer.enqueue_stream("stdout", "".join(f"\n{i}" for i in range(first, last)) + f"\n{last}")
        while writer.render(float("inf")):
            pass
    squeeze_of(console).copy()
    hidden = root.clipboard_get().splitlines()
    shown = [line for line in console.transcript().splitlines() if line.isdigit()]
    assert shown[:11] == [str(i) for i in range(11)]  # drawn before the backlog came
    assert shown[:11] + hidden + shown[11:] == [str(i) for i in range(10001)]


def test_the_next_cell_trims_the_oldest_lines_first(root, make_console):
    console = limited_console(make_console, scrollback_lines=1000)
    run_and_wait(root, console, "for i in range(5000): print(i)", timeout=60)
    run_and_wait(root, console, "for i in range(600): print('next', i)", timeout=60)
    lines = console.transcript().splitlines()
    assert len(lines) <= 1100
    assert "4999" in lines and lines[-3:] == ["next 599", "", "In [3]: "]
    assert "0" not in lines  # the head of the first cell was the oldest


def test_output_limits_come_from_the_settings_file(root, make_console, tmp_path):
    from tkconsole.models.settings import load_settings

    path = tmp_path / "settings.toml"
    path.write_text("[output]\nscrollback_lines = 2000\nfold_threshold = 3000\nsqueeze_lines = 0\n")
    console = make_console(settings=load_settings(path))
    assert (console.writer.scrollback, console.writer.fold_at, console.writer.squeeze_at) == (
        2000,
        3000,
        0,
    )
    run_and_wait(root, console, "print('z' * 5000)")
    assert cell_output(console, "print('z'") == "z" * HEAD + "\n"  # folded at 3,000
