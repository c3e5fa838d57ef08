"""Which shell answers an editing request: the subshell while the kernel is busy.

Completion, call tips, ``?`` help and is-complete checks go to the
console's subshell only while the main shell is busy; when it is idle
they go to the main shell, so history and state stay where the person
expects.  Everything else (execute, history, widget comms) stays on the
main shell: comm handlers on a subshell thread corrupt Matplotlib/ipympl
state (and ipykernel 7.4 sends each comm's messages to the shell that
opened it, whatever the header says).
"""

from __future__ import annotations

import re

_HELP = re.compile(r"\s*(\?{0,2})\s*([A-Za-z_][\w.]*)\s*(\?{0,2})\s*")
EDITOR_REQUESTS = frozenset({"complete_request", "inspect_request", "is_complete_request"})


def shell_for(msg_type: str, main_busy: bool, subshell_id: str | None) -> str | None:
    """The ``subshell_id`` to send ``msg_type`` to, or None for the main shell."""
    if main_busy and subshell_id is not None and msg_type in EDITOR_REQUESTS:
        return subshell_id
    return None


def waits_for_main(msg_type: str, main_busy: bool, subshell_id: str | None) -> bool:
    """A request that the busy main shell answers only after the running cell."""
    return main_busy and msg_type in EDITOR_REQUESTS and subshell_id is None


def help_query(code: str) -> tuple[str, int] | None:
    """``(name, detail_level)`` for IPython's ``len?`` / ``len??`` / ``?len``
    (None for anything else): asked as an inspect request while the kernel
    is busy, instead of waiting to run as code."""
    match = _HELP.fullmatch(code)
    if match is None:
        return None
    before, name, after = match.groups()
    marks = before or after
    if not marks or (before and after) or name.endswith("."):
        return None
    return name, len(marks) - 1
