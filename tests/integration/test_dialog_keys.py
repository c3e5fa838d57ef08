"""Every dialog from the keyboard alone: focus on open, Tab order, Enter, Escape.

Each dialog is opened as the app opens it and driven only with key events.
"""

from __future__ import annotations

import pytest
from conftest import focus, type_text, wait_for
from test_connect_dialog import connector  # the fixture: new windows over the test root

from tkconsole.ui.dialogs.choice import ChoiceDialog, show_info
from tkconsole.ui.dialogs.connect import ConnectDialog
from tkconsole.ui.dialogs.kernel_picker import KernelChoice, KernelPicker
from tkconsole.ui.dialogs.password import PasswordDialog

__all__ = ["connector"]  # a fixture, imported for pytest

CHOICES = [("a", "First"), ("b", "Second"), ("c", "Third")]


def key(root, widget, keysym: str, **state) -> None:
    """A key pressed where the keyboard focus is now (as a person's key lands)."""
    target = root.focus_get() or widget
    target.event_generate(f"<KeyPress-{keysym}>", **state)
    root.update()


def opened(root, dialog):
    """Where the keyboard is once the window manager gives the new dialog the focus.

    Under Xvfb there is no window manager: Tk hands a toplevel's focus to the
    widget it last put focus on (``focus_lastfor``), as a real one would."""
    root.update()
    focus(dialog.focus_lastfor())
    return root.focus_get()


def test_choice_dialog_starts_on_the_first_answer_tabs_in_order_enter_escape(root):
    dialog = ChoiceDialog(root, "Question", "Which?", CHOICES)
    assert opened(root, dialog) == dialog.buttons["a"]
    dialog.buttons["a"].focus_force()
    root.update()
    key(root, dialog, "Tab")
    assert root.focus_get() == dialog.buttons["b"]
    key(root, dialog, "Tab")
    assert root.focus_get() == dialog.buttons["c"]
    key(root, dialog, "Return")
    assert dialog.answer == "c" and not dialog.winfo_exists()
    again = ChoiceDialog(root, "Question", "Which?", CHOICES)
    opened(root, again)
    key(root, again, "Escape")
    assert again.answer is None and not again.winfo_exists()


@pytest.mark.parametrize("keysym", ["Return", "Escape"])
def test_info_box_focuses_ok_and_closes_with_enter_or_escape(root, keysym):
    dialog = show_info(root, "About tkconsole", "tkconsole 1.0")
    assert str(opened(root, dialog)).endswith("!button")
    key(root, dialog, keysym)
    assert not dialog.winfo_exists()


def test_kernel_picker_arrows_and_enter_pick_escape_closes(root):
    picked: list[str] = []
    choices = [KernelChoice("python3", "Python 3"), KernelChoice("ir", "R")]
    picker = KernelPicker(root, choices, picked.append, default="python3")
    assert opened(root, picker) == picker.tree
    key(root, picker, "Down")
    key(root, picker, "Return")
    assert picked == ["ir"] and not picker.winfo_exists()
    again = KernelPicker(root, choices, picked.append)
    opened(root, again)
    key(root, again, "Escape")
    assert picked == ["ir"] and not again.winfo_exists()


def test_password_dialog_types_masked_enter_submits_tab_to_cancel(root):
    answers: list[str | None] = []
    dialog = PasswordDialog(root, "Password:", answers.append)
    assert opened(root, dialog) == dialog.entry
    type_text(dialog.entry, "s3cret")
    key(root, dialog, "Return")
    assert answers == ["s3cret"] and not dialog.winfo_exists()
    again = PasswordDialog(root, "Password:", answers.append)
    opened(root, again)
    key(root, again, "Tab")  # to OK
    key(root, again, "Tab")  # to Cancel
    assert root.focus_get().cget("text") == "Cancel"
    key(root, again, "Return")
    assert answers == ["s3cret", None] and not again.winfo_exists()
    third = PasswordDialog(root, "Password:", answers.append)
    opened(root, third)
    key(root, third, "Escape")
    assert answers == ["s3cret", None, None]


def test_connect_dialog_enter_starts_the_chosen_kernel_ctrl_tab_switches(root, connector):
    dialog = ConnectDialog(root, connector)
    assert opened(root, dialog) == dialog.specs
    key(root, dialog, "Tab", state=4)  # Ctrl+Tab: the next tab
    assert dialog.tabs.index(dialog.tabs.select()) == 1
    key(root, dialog, "Tab", state=5)  # Ctrl+Shift+Tab: back
    assert dialog.tabs.index(dialog.tabs.select()) == 0
    dialog.specs.focus_force()
    root.update()
    key(root, dialog, "Return")  # python3 is chosen: Enter starts it
    wait_for(root, lambda: len(connector.windows) > 1, 20, "a new console window")
    assert not dialog.winfo_exists()
    console = connector.windows[1].console
    wait_for(root, console.is_idle, 60, "the new console's prompt")
    closed = ConnectDialog(root, connector)
    opened(root, closed)
    key(root, closed, "Escape")
    assert not closed.winfo_exists()


def test_connect_dialog_enter_in_the_server_url_lists_its_kernels(root, connector):
    dialog = ConnectDialog(root, connector)
    opened(root, dialog)
    dialog.tabs.select(2)
    dialog.url.delete(0, "end")
    dialog.url.focus_force()
    root.update()
    type_text(dialog.url, "http://127.0.0.1:1/")
    key(root, dialog, "Return")
    wait_for(
        root,
        lambda: (
            "127.0.0.1:1" in dialog.message.cget("text")
            or "connect" in dialog.message.cget("text").lower()
        ),
        20,
        "the server's answer",
    )
    dialog.destroy()
