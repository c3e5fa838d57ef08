"""The questions asked before a kernel is ended or restarted.

A kernel tkconsole did not start, or one that other tabs use, is never
ended without asking (``models.ownership`` says when).  The text names the
other tabs, so the person knows what else the answer touches.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence

from ...models.ownership import Question
from .choice import ask_choice

CLOSE, SHUT_DOWN, KEEP, RESTART, CANCEL = "close", "shutdown", "keep", "restart", "cancel"

TITLES = {"exit": "Close console", "close": "Close tab", "restart": "Restart kernel",
          "shutdown": "Shut down kernel", "quit": "Quit tkconsole"}  # fmt: skip
CHOICES = {
    "exit": [(CLOSE, "Close console only"), (SHUT_DOWN, "Also shut down the kernel"),
             (CANCEL, "Cancel")],
    "close": [(SHUT_DOWN, "Shut down kernel"), (KEEP, "Leave it running"), (CANCEL, "Cancel")],
    "restart": [(RESTART, "Restart"), (CANCEL, "Cancel")],
    "shutdown": [(SHUT_DOWN, "Shut down"), (CANCEL, "Cancel")],
}  # fmt: skip
CONSEQUENCE = {
    "exit": "Shutting it down ends it there too.",
    "close": "Shutting it down ends it there too.",
    "restart": "Restarting it loses the variables there too.",
    "shutdown": "Shutting it down ends it there too.",
}


def describe(question: Question, kernel_name: str, tab_names: Sequence[str]) -> str:
    """The question's text: whose kernel it is, and who else uses it."""
    if question.ours:
        lines = [f"This kernel ({kernel_name}) was started here."]
    else:
        lines = [f"This console is attached to a kernel it did not start ({kernel_name})."]
    if tab_names:
        lines.append(f"It is also used by {', '.join(tab_names)}. {CONSEQUENCE[question.action]}")
    if question.action == "exit":
        lines.append("Close only the console and leave the kernel running, or shut it down too?")
    elif question.action == "restart":
        lines.append("Restart the kernel? Its variables and imports are lost.")
    elif question.action == "shutdown" and not question.ours:
        lines.append("Shut it down for every client?")
    elif question.action == "close":
        lines.append("Shut the kernel down too?")
    return "\n".join(lines)


def ask_about_kernel(
    master: tk.Misc, question: Question, kernel_name: str, tab_names: Sequence[str] = ()
) -> str:
    """One of the question's answers; ``cancel`` when the dialog closed without one."""
    answer = ask_choice(
        master, TITLES[question.action], describe(question, kernel_name, tab_names),
        CHOICES[question.action],
    )  # fmt: skip
    return answer or CANCEL


def ask_exit_action(master: tk.Misc, kernel_name: str) -> str:
    """``exit`` in a console on a kernel it did not start: ``close``, ``shutdown`` or ``cancel``."""
    return ask_about_kernel(master, Question("exit", False, ()), kernel_name)
