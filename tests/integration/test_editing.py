"""Editing like a real console, driven like a person: completion, call tips,
the pager, history, highlighting and the editing keys, against real kernels."""

from __future__ import annotations

import subprocess
import sys
import time

from conftest import ROOT, focus, press, run_and_wait, screenshot, type_text, wait_for

from tkconsole.models.history import HistoryStore
from tkconsole.models.settings import HistorySettings, Settings

CTRL, SHIFT = 4, 1


def input_of(console) -> str:
    return console.text.input_text()


def with_history(tmp_path, name: str = "history.sqlite") -> Settings:
    return Settings(history=HistorySettings(file=str(tmp_path / name), kernel_history=False))


# ----------------------------------------------------------------- completion
def test_tab_completion_popup_narrows_and_accepts(root, make_console, tmp_path):
    console = make_console()
    completer = console.editing.completer
    type_text(console.text, "import o")
    press(console.text, "Tab")
    wait_for(root, lambda: completer.active, 20, "the completion popup")
    items = completer.popup.items()
    assert "os" in items and "operator" in items
    assert all(item.startswith("o") for item in items)
    root.update()
    png = screenshot(console, tmp_path / "completion-popup.png")
    assert png.stat().st_size > 1000

    type_text(console.text, "p")  # narrows the list, the input keeps the key
    assert input_of(console) == "import op"
    narrowed = completer.popup.items()
    assert "os" not in narrowed and narrowed and all(i.startswith("op") for i in narrowed)
    press(console.text, "Down")
    chosen = completer.popup.current()
    assert chosen == narrowed[1]
    press(console.text, "Return")  # accepts; does not run the cell
    assert input_of(console) == f"import {chosen}"
    assert not completer.active and console.prompt_number == 1


def test_completion_types_mouse_escape_and_single_match(root, make_console):
    console = make_console()
    completer = console.editing.completer
    type_text(console.text, "import o")
    press(console.text, "Tab")
    wait_for(root, lambda: completer.active, 20, "the completion popup")
    tree = completer.popup.tree
    row = tree.get_children()[0]
    assert tree.set(row, "type") == "module"  # from _jupyter_types_experimental
    press(console.text, "Escape")  # closes the list, keeps the input
    assert not completer.active and input_of(console) == "import o"

    press(console.text, "Tab")
    wait_for(root, lambda: completer.active, 20, "the popup again")
    rows = completer.popup.tree.get_children()
    target = completer.popup.tree.item(rows[2], "text")
    root.update()
    x, y, _w, h = completer.popup.tree.bbox(rows[2])
    completer.popup.tree.event_generate("<ButtonRelease-1>", x=x + 5, y=y + h // 2)
    root.update()
    assert input_of(console) == f"import {target}" and not completer.active

    console.text.delete("input", "end-1c")
    type_text(console.text, "import sys; sys.getrecursionli")
    press(console.text, "Tab")
    wait_for(root, lambda: input_of(console).endswith("getrecursionlimit"), 20, "one match")
    assert not completer.active


def test_tab_on_a_blank_line_indents(make_console):
    console = make_console()
    press(console.text, "Tab")
    assert input_of(console) == "    "
    type_text(console.text, "x")
    press(console.text, "Tab")  # not blank any more: a completion request, no indent
    assert input_of(console) == "    x"


# ----------------------------------------------------------------- call tips, pager
def test_call_tip_for_print_and_closing_it(root, make_console, tmp_path):
    console = make_console()
    tip = console.editing.calltip
    type_text(console.text, "print(")
    wait_for(root, lambda: tip.active, 20, "the call tip")
    shown = tip.label.cget("text")
    assert "print(" in shown and "sep=" in shown and "\x1b" not in shown
    assert len(shown.splitlines()) <= console.settings.calltips.max_lines + 1
    root.update()
    png = screenshot(console, tmp_path / "call-tip.png")
    assert png.stat().st_size > 1000

    type_text(console.text, "1, (2)")  # still inside the call
    assert tip.active
    type_text(console.text, ")")  # the cursor leaves the call
    assert not tip.active

    console.text.delete("input", "end-1c")
    type_text(console.text, "len(")
    wait_for(root, lambda: tip.active, 20, "the call tip for len")
    press(console.text, "Escape")  # closes the tip only; the input stays
    assert not tip.active and input_of(console) == "len("


def test_shift_tab_shows_help_for_the_name_at_the_cursor(root, make_console):
    console = make_console()
    tip = console.editing.calltip
    type_text(console.text, "len")
    press(console.text, "Tab", state=SHIFT)
    wait_for(root, lambda: tip.active, 20, "a tip")
    assert "len(" in tip.label.cget("text")
    type_text(console.text, "x")  # moving on closes it
    assert not tip.active


def test_question_mark_help_opens_the_pager_not_the_console(root, make_console):
    console = make_console()
    pager = console.editing.pager
    shown = run_and_wait(root, console, "len?")
    wait_for(root, lambda: pager.is_open, 10, "the pager")
    assert "Return the number of items" in pager.contents()
    assert "\x1b" not in pager.contents()
    assert "Return the number of items" not in shown
    assert root.focus_get() is pager.text
    press(pager.text, "q")
    assert not pager.is_open and root.focus_get() is console.text


def test_a_huge_page_is_cut_with_a_word_about_the_rest(root, make_console):
    console = make_console()
    pager = console.editing.pager
    run_and_wait(root, console, "from IPython.core.page import page; page('y' * 10**6)")
    wait_for(root, lambda: pager.is_open, 10, "the pager")
    shown = pager.contents()
    assert shown.startswith("y" * 100) and len(shown) < 10_000
    assert "more characters" in shown
    press(pager.text, "q")


# ----------------------------------------------------------------- history
def test_history_survives_a_restart_of_the_app(root, make_console, tmp_path, monkeypatch):
    monkeypatch.setenv("TKCONSOLE_DATA_DIR", str(tmp_path))
    for code in ("marker_one = 1", "marker_two = 2"):  # two runs of the app, one after another
        done = subprocess.run(
            [sys.executable, "-m", "tkconsole", "--execute", code, "--exit-after"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    console = make_console(settings=Settings())  # the same data dir: a third session
    type_text(console.text, "marker_")
    press(console.text, "Up")
    assert input_of(console) == "marker_two = 2"
    press(console.text, "Up")
    assert input_of(console) == "marker_one = 1"
    press(console.text, "Down")
    press(console.text, "Down")
    assert input_of(console) == "marker_"  # the draft comes back


def test_up_down_walk_multiline_entries_like_ipython(root, make_console, tmp_path):
    console = make_console(settings=with_history(tmp_path))
    run_and_wait(root, console, "first = 1")
    console.execute("if True:\n    second = 2\n    third = 3")
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 3, 20, "the block")
    type_text(console.text, "draft")
    console.text.mark_set("insert", "input")  # at the start: no prefix filter
    press(console.text, "Up")
    assert input_of(console) == "if True:\n    second = 2\n    third = 3"  # whole
    assert console.text.index("insert") == console.text.index("input lineend")
    press(console.text, "Up")
    assert input_of(console) == "first = 1"
    press(console.text, "Down")
    press(console.text, "Down")  # cursor at the end of the block: Down leaves it
    assert input_of(console) == "draft"

    console.text.delete("input", "end-1c")
    type_text(console.text, "a = 1")
    press(console.text, "Return", state=SHIFT)
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 4, 20, "a = 1")
    console.execute("if True:\n    b = 2")
    wait_for(root, lambda: console.is_idle() and console.prompt_number == 5, 20, "the block")
    press(console.text, "Up")
    press(console.text, "Down")  # on the first line of a two-line input: moves the cursor
    assert input_of(console) == "if True:\n    b = 2"
    assert console.text.compare("insert", ">", "input lineend")


def test_ctrl_r_finds_an_old_entry(root, make_console, tmp_path):
    store = HistoryStore(tmp_path / "history.sqlite")
    for code in ("import json", "uniquely_named = 42", "print('newer')", "x = 1"):
        store.add(code, "python")
    store.close()
    console = make_console(settings=with_history(tmp_path))
    type_text(console.text, "dra")
    press(console.text, "r", state=CTRL)
    search = console.editing.history.search
    assert search.bar.is_open
    type_text(search.bar.entry, "uniq")
    assert input_of(console) == "uniquely_named = 42"
    press(search.bar.entry, "Return")
    assert not search.bar.is_open and input_of(console) == "uniquely_named = 42"
    assert console.prompt_number == 1  # found, not run

    press(console.text, "r", state=CTRL)
    type_text(search.bar.entry, "nothing like this")
    assert search.bar.status.cget("text") == "no match"
    press(search.bar.entry, "Escape")
    assert input_of(console) == "uniquely_named = 42"  # the input from before the search


def test_the_kernels_own_history_is_loaded_at_start(root, make_console, tmp_path):
    first = make_console(settings=with_history(tmp_path, "first.sqlite"))
    run_and_wait(root, first, "kernel_side_marker = 99")
    first.shutdown()  # IPython writes its history file by the time it exits
    settings = Settings(history=HistorySettings(file=str(tmp_path / "second.sqlite")))
    second = make_console(settings=settings)  # nothing in our own file
    wait_for(root, lambda: not second.editing.history.pending(), 10, "the history reply")
    type_text(second.text, "kernel_side_")
    press(second.text, "Up")
    assert input_of(second) == "kernel_side_marker = 99"


def test_executed_inputs_are_recorded(root, make_console, tmp_path):
    console = make_console(settings=with_history(tmp_path))
    run_and_wait(root, console, "recorded = 7")
    assert HistoryStore(tmp_path / "history.sqlite").entries() == ["recorded = 7"]


def test_corrupt_history_file_is_survived_with_a_warning(root, make_console, tmp_path):
    (tmp_path / "history.sqlite").write_bytes(b"garbage, not sqlite\x00" * 200)
    console = make_console(settings=with_history(tmp_path))
    shown = console.transcript()
    assert "History file" in shown and "unreadable" in shown
    run_and_wait(root, console, "after_corruption = 1")
    assert HistoryStore(tmp_path / "history.sqlite").entries() == ["after_corruption = 1"]


def test_locked_history_file_is_survived_with_a_warning(root, make_console, tmp_path):
    import sqlite3

    HistoryStore(tmp_path / "history.sqlite").add("kept = 1")
    holder = sqlite3.connect(tmp_path / "history.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        console = make_console(settings=with_history(tmp_path))
        assert "is locked" in console.transcript()
        run_and_wait(root, console, "in_memory = 1")
        press(console.text, "Up")
        assert input_of(console) == "in_memory = 1"  # history still works, in memory
    finally:
        holder.execute("ROLLBACK")


def test_broken_settings_file_is_survived_with_a_warning(root, make_console, tmp_path, monkeypatch):
    monkeypatch.setenv("TKCONSOLE_CONFIG_DIR", str(tmp_path))
    (tmp_path / "settings.toml").write_text("[font]\nsize = = 3\n")
    console = make_console()
    shown = console.transcript()
    assert str(tmp_path / "settings.toml") in shown and "line 2" in shown
    assert console.font.cget("size") == 11
    assert "Out[1]: 2" in run_and_wait(root, console, "1 + 1")


def test_key_overrides_from_the_settings_file(root, make_console, tmp_path, monkeypatch):
    monkeypatch.setenv("TKCONSOLE_CONFIG_DIR", str(tmp_path))
    (tmp_path / "settings.toml").write_text('[keys]\nclear-input = "Ctrl+G"\n')
    console = make_console()
    type_text(console.text, "abc")
    press(console.text, "Escape")
    assert input_of(console) == "abc"  # Escape no longer clears
    press(console.text, "g", state=CTRL)
    assert input_of(console) == ""


# ----------------------------------------------------------------- payloads
def test_set_next_input_fills_the_next_prompt(root, make_console):
    console = make_console()
    run_and_wait(root, console, "recall_me = 5")
    run_and_wait(root, console, "%recall 1")
    assert input_of(console) == "recall_me = 5"


def test_exit_closes_the_console(root, make_console):
    console = make_console()
    exits = []
    console.bind("<<ConsoleExit>>", lambda _e: exits.append(1), add="+")
    type_text(console.text, "exit")
    press(console.text, "Return", state=SHIFT)
    wait_for(root, lambda: exits, 20, "<<ConsoleExit>>")
    assert console.status()[1:] == ("dead", "closed")
    assert "Kernel shut down." in console.transcript()


def test_exit_closes_the_app_window(display):
    done = subprocess.run(  # no --exit-after: only ``exit`` can end this process
        [sys.executable, "-m", "tkconsole", "--execute", "print('bye')", "--execute", "exit"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


# ----------------------------------------------------------------- highlighting
def test_input_is_highlighted_and_keeps_it_in_the_scrollback(root, make_console):
    console = make_console()
    type_text(console.text, "def f(x): return 'hi'  # note")  # the first key looks the lexer up
    wait_for(root, lambda: console.editing.highlighter.lexer, 10, "the kernel's lexer")
    root.update_idletasks()
    line = console.text.index("input").split(".")[0]

    def tags_at(needle: str) -> tuple[str, ...]:
        found = console.text.search(needle, f"{line}.0", f"{line}.end")
        return console.text.tag_names(found)

    assert "hl-Keyword" in tags_at("def")
    assert any(t.startswith("hl-Literal.String") for t in tags_at("'hi'"))
    assert any(t.startswith("hl-Comment") for t in tags_at("# note"))
    # the same text deleted and put back (history, Ctrl+R) gets its tags back too
    console.editing.replace_input(input_of(console))
    root.update_idletasks()
    assert "hl-Keyword" in tags_at("def")
    press(console.text, "Return", state=SHIFT)
    wait_for(root, lambda: console.prompt_number == 2 and console.is_idle(), 20, "the def")
    assert "hl-Keyword" in tags_at("def")  # committed input keeps its colours
    assert console.editing.highlighter.lexer.name.startswith("IPython")


def test_a_dark_theme_gives_dark_highlighting(root, make_console):
    import ttkbootstrap

    from tkconsole.ui.input.highlight import is_dark

    console = make_console()
    type_text(console.text, "import os")
    wait_for(root, lambda: console.editing.highlighter.lexer, 10, "the kernel's lexer")
    root.update_idletasks()
    light = console.text.tag_cget("hl-Keyword.Namespace", "foreground")
    style = ttkbootstrap.Style()
    style.theme_use("bootstrap-dark")
    try:
        root.update()
        assert is_dark(console.text, console.text.cget("background"))
        assert console.text.tag_cget("hl-Keyword.Namespace", "foreground") != light
    finally:
        style.theme_use("bootstrap-light")
        root.update()
    assert console.text.tag_cget("hl-Keyword.Namespace", "foreground") == light


# ----------------------------------------------------------------- keys
def test_home_end_and_kill_keys_stay_in_the_input(root, make_console):
    console = make_console()
    type_text(console.text, "alpha beta")
    press(console.text, "Home")
    assert console.text.index("insert") == console.text.index("input")
    press(console.text, "e", state=CTRL)
    assert console.text.compare("insert", "==", "end-1c")
    press(console.text, "a", state=CTRL)
    press(console.text, "k", state=CTRL)
    assert input_of(console) == ""
    type_text(console.text, "keep this")
    press(console.text, "u", state=CTRL)
    assert input_of(console) == "" and console.transcript().endswith("In [1]: ")

    console.text.insert("input", "one\ntwo")  # a second line: Home goes to its start
    press(console.text, "Home")
    assert console.text.index("insert") == console.text.index("end-1c linestart")
    press(console.text, "Left")
    press(console.text, "k", state=CTRL)  # at a line end: joins the lines
    assert input_of(console) == "onetwo"


def test_escape_clears_and_undo_redo_only_touch_the_input(root, make_console):
    console = make_console()
    run_and_wait(root, console, "print('above')")
    before = console.transcript()
    type_text(console.text, "some code")
    press(console.text, "Escape")
    assert input_of(console) == ""
    press(console.text, "z", state=CTRL)
    assert input_of(console) == "some code"
    press(console.text, "Z", state=CTRL | SHIFT)
    assert input_of(console) == ""
    for _ in range(5):  # nothing the program wrote can be undone
        press(console.text, "z", state=CTRL)
    assert console.transcript() == before


def test_ctrl_l_clears_the_screen_but_keeps_prompt_and_input(root, make_console):
    console = make_console()
    run_and_wait(root, console, "print('old output')")
    type_text(console.text, "draft")
    press(console.text, "l", state=CTRL)
    assert console.transcript() == "In [2]: draft"
    type_text(console.text, "!")
    assert input_of(console) == "draft!"


def test_zoom_keys_and_ctrl_wheel(root, make_console):
    console = make_console()
    size = console.font.cget("size")
    press(console.text, "plus", state=CTRL)
    press(console.text, "plus", state=CTRL)
    assert console.font.cget("size") == size + 2
    press(console.text, "minus", state=CTRL)
    assert console.font.cget("size") == size + 1
    press(console.text, "0", state=CTRL)
    assert console.font.cget("size") == size
    console.editing.run("zoom-in")  # as the Edit menu does it
    assert console.font.cget("size") == size + 1
    assert console.editing.accelerator("zoom-in") == "Ctrl++"
    console.editing.run("zoom-reset")
    focus(console.text)
    console.text.event_generate("<Button-4>", state=CTRL, x=20, y=20)
    root.update()
    assert console.font.cget("size") == size + 1


def test_ctrl_f_finds_every_match_and_steps(root, make_console):
    console = make_console()
    run_and_wait(root, console, "for w in ['needle', 'hay', 'Needle']: print(w)")
    press(console.text, "f", state=CTRL)
    finder = console.editing.finder
    assert finder.bar.is_open
    type_text(finder.bar.entry, "needle")
    finder.search()  # the bar searches after a short pause; do it now
    # the code line has two, the output two (lower case ignores case)
    assert len(finder.matches) == 4
    assert len(console.text.tag_ranges("find-match")) == 8
    first = finder.current
    press(finder.bar.entry, "Return")
    assert finder.current == (first + 1) % 4
    press(finder.bar.entry, "Return", state=SHIFT)
    assert finder.current == first
    assert finder.bar.status.cget("text") == f"{first + 1} of 4"
    type_text(finder.bar.entry, "!")  # a search waits for typing to pause ...
    press(finder.bar.entry, "Escape")  # ... but closing cancels it
    time.sleep(0.3)
    root.update()
    assert not finder.bar.is_open and not console.text.tag_ranges("find-match")
    assert root.focus_get() is console.text


def test_copy_strips_prompts_and_paste_is_one_cell(root, make_console):
    console = make_console()
    run_and_wait(root, console, "print('copied')")
    console.text.tag_add("sel", "1.0", "end-1c")
    console.text.event_generate("<<Copy>>")
    copied = root.clipboard_get()
    assert "print('copied')\ncopied" in copied and "In [" not in copied

    root.clipboard_clear()
    root.clipboard_append("In [7]: a = 1\n   ...: b = 2")
    console.text.tag_remove("sel", "1.0", "end")
    console.text.event_generate("<<Paste>>")
    time.sleep(0.2)
    root.update()
    assert input_of(console) == "a = 1\nb = 2"
    assert console.prompt_number == 2  # pasted, not run
