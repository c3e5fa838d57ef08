"""What the conversation model tells its view to do, as plain data.

The model turns each kernel message or transport event into a short list
of these; the console draws each through a table from action type to
drawing method.  Tests read them directly, without Tk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Stream:
    name: str  # "stdout" | "stderr"
    text: str


@dataclass(frozen=True)
class Result:
    count: int | None
    data: dict[str, Any]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class Display:
    data: dict[str, Any]
    metadata: dict[str, Any]
    display_id: str | None = None


@dataclass(frozen=True)
class UpdateDisplay:
    display_id: str
    data: dict[str, Any]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class ClearOutput:
    """The running cell's output goes now (a waiting clear is the model's affair)."""


@dataclass(frozen=True)
class Error:
    traceback: list[str]


@dataclass(frozen=True)
class StatusChanged:
    """The kernel or connection state changed (the model holds both)."""


@dataclass(frozen=True)
class Prompt:
    """Show ``In [count]:``; ``gap`` puts a blank line above it."""

    count: int
    gap: bool = True


@dataclass(frozen=True)
class ClearPrompt:
    """Take the prompt line away (the kernel went), keeping what was typed."""


@dataclass(frozen=True)
class Notice:
    text: str
    tag: str = "notice"
    button: str | None = None  # "Restart" or "Reconnect": the console's restart()
    offers: tuple[str, ...] = ()  # more buttons, from OFFERS (a Hub server that stopped)


# What a transport may offer in a notice besides Restart: the offer's name -> button label.
OFFERS = {"start_again": "Start again", "reconnect": "Reconnect"}


@dataclass(frozen=True)
class SqueezeBacklog:
    """Death first: hide the undrawn output behind a button before the notice.

    The console handles it when it is received, not in drawing order.
    """


@dataclass(frozen=True)
class Ready:
    """The kernel answered: drop the start-up line, show the banner if first."""

    banner: str
    first: bool
    restarted: bool = False  # a new kernel process: whatever the old one had (widgets) is gone


@dataclass(frozen=True)
class InputRequest:
    prompt: str
    password: bool


@dataclass(frozen=True)
class EndInput:
    """The kernel no longer waits for stdin (reply came, or it died)."""


@dataclass(frozen=True)
class CompleteAnswer:
    """The kernel's is_complete answer to Enter: add a line or execute."""

    incomplete: bool
    indent: str = ""


@dataclass(frozen=True)
class Page:
    text: str


@dataclass(frozen=True)
class SetNextInput:
    text: str


@dataclass(frozen=True)
class AskExit:
    keep_kernel: bool


@dataclass(frozen=True)
class ProbeCount:
    """Ask an existing kernel where its execution count stands (silent execute)."""


@dataclass(frozen=True)
class EditorReply:
    """A reply for the editing helpers (completion, inspection, history)."""

    msg_type: str
    content: dict[str, Any]
    msg: dict[str, Any] = field(default_factory=dict[str, Any])


@dataclass(frozen=True)
class UsageChanged:
    """A usage reply arrived (``ConversationModel.usage`` holds it): redraw the gauge."""


@dataclass(frozen=True)
class WidgetViews:
    """What comm messages did to widget views, run in order with the output."""

    calls: tuple[Callable[[], None], ...]


Action = (
    Stream | Result | Display | UpdateDisplay | ClearOutput | Error | StatusChanged | Prompt
    | ClearPrompt | Notice | SqueezeBacklog | Ready | InputRequest | EndInput | CompleteAnswer
    | Page | SetNextInput | AskExit | ProbeCount | EditorReply | UsageChanged
    | WidgetViews
)  # fmt: skip
