"""What input editing may ask of the console it serves.

Editing and its helpers (call tips, completion, history keys, edit keys)
see the console only through this interface: the Text they edit, its font,
the settings, whether a prompt or an ``input()`` is active, a way to send
the kernel a request, and a way to show a notice.  Widget chores (bindings,
where bars pack) go through the console's frame, handed over separately.
"""

from __future__ import annotations

import tkinter as tk
from tkinter import font as tkfont
from typing import Protocol

from ...models.settings import Settings
from ..guarded_text import GuardedText


class InputHost(Protocol):
    text: GuardedText
    font: tkfont.Font
    settings: Settings

    @property
    def language_info(self) -> dict: ...

    def at_prompt(self) -> bool:
        """A prompt is drawn and editable (not answering ``input()``)."""

    def input_open(self) -> bool:
        """Code can be typed: at a prompt, or in the next input below a running cell."""

    def stdin_pending(self) -> bool:
        """The kernel's ``input()`` waits for an answer."""

    def send_request(self, msg_type: str, content: dict) -> str:
        """Send a shell request (complete, inspect, history); its msg_id."""

    def notice(self, text: str, tag: str = "notice") -> None:
        """A line of the console's own in the scrollback."""

    def derived_fonts(self) -> list[tkfont.Font]:
        """Fonts that follow the console font's size (bold, italic...) when zooming."""


class EditingContext(Protocol):
    """What the helpers of one input (call tips, completion, history and edit keys) share.

    ``Editing`` provides it; the helpers import this, never ``Editing`` or the console.
    """

    text: GuardedText
    host: InputHost
    frame: tk.Misc  # the console's frame: bars pack in it

    def at_prompt(self) -> bool: ...

    def cursor_in_input(self) -> bool: ...

    def cursor_offset(self) -> int: ...

    def cursor_line(self) -> int: ...

    def line_start(self) -> str: ...

    def replace_input(self, code: str) -> None: ...

    def sent(self) -> None:
        """A helper sent a request: its reply is awaited."""

    def bar_anchor(self) -> tk.Misc: ...

    def set_font_size(self, size: int) -> None: ...
