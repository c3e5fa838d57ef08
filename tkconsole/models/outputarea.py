"""One list of outputs kept as a notebook front-end keeps it.

The rules live here once, for every place that accumulates outputs (the
session record's cells, an Output widget, and through the record the
exporters): stream text of one name that follows itself is joined, a
``\\r`` overwrites its line from the start (``overwrite_cr``),
``clear_output(wait=True)`` empties the list only when the next output
arrives (``ClearGate``), and ``update_display_data`` changes every output
with that display id in place (``Displays``, shared by the areas of one
session).

Messages are kept as they came (type and content) and turned into
nbformat v4 outputs by nbformat's own ``output_from_msg`` only when asked
(export, an Output widget's state): loading nbformat and its schema
validation cost about a second at start-up and 150 us an output, too much
for the drawing thread's hot path.  Costs stay linear in the text: the
open ``\\r`` line is kept apart from the closed text, so a 20,000-step
progress bar costs a short line per step, not a copy of all the text
(``+=`` on the growing text cost 1.3 s for that bar).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error")
Output = dict[str, Any]  # an nbformat v4 output (a NotebookNode once converted)


def overwrite_cr(text: str) -> str:
    """``text`` as a terminal shows it: on each line, what follows a ``\\r``
    overwrites the line from its start.  The last line keeps its last
    ``\\r`` and what follows it: the cursor's column decides what text
    appended later overwrites."""
    if "\r" not in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\r" in line:
            parts = line.split("\r")
            tail = parts.pop() if i == len(lines) - 1 else None
            shown = parts[0]
            for part in parts[1:]:
                shown = part + shown[len(part) :]
            lines[i] = shown if tail is None else f"{shown}\r{tail}"
    return "\n".join(lines)


def shown_text(text: str) -> str:
    """``text`` as a terminal shows it, no ``\\r`` left (what a view draws)."""
    return overwrite_cr(text + "\n")[:-1] if "\r" in text else text


class ClearGate:
    """``clear_output``: now, or (``wait``) just before the next output,
    so that the clearing and the new output are seen together."""

    def __init__(self) -> None:
        self._waiting = False

    def request(self, wait: bool) -> bool:
        """A clear_output arrived: True if the outputs go now."""
        self._waiting = wait
        return not wait

    def before_output(self) -> bool:
        """An output arrives: True if a waiting clear must happen first."""
        waiting, self._waiting = self._waiting, False
        return waiting

    def cancel(self) -> None:
        """A new cell: a clear still waiting belongs to the old one."""
        self._waiting = False


JOIN_PARTS = 512  # closed parts joined into one string: small parts cost little memory


class StreamText:
    """One stream output's text: closed lines as parts, the open line apart."""

    def __init__(self, text: str = "", max_chars: int = 0) -> None:
        self._closed: list[str] = []  # joined groups of parts (each character copied once)
        self._parts: list[str] = []  # closed parts not joined yet
        self._closed_len = 0
        self._open = ""  # the last line; holds a \r until the line ends
        self._open_cr = False  # "\r" in self._open
        self._open_parts: list[str] = []  # appended to the open line (no \r in it)
        self.max_chars = max_chars  # 0: keep all; else only the last max_chars
        self.append(text)

    def append(self, text: str) -> None:
        newline = text.rfind("\n")
        if newline < 0:
            if "\r" in text or self._open_cr:
                self._open = overwrite_cr(self._line() + text)
                self._open_cr = "\r" in self._open
            else:
                self._open_parts.append(text)
            return
        line = text[: newline + 1] if newline + 1 < len(text) else text
        if self._open or self._open_parts:
            line = self._line() + line
        tail = text[newline + 1 :]
        if self._open_cr or "\r" in text:
            line, tail = overwrite_cr(line), overwrite_cr(tail)
        self._parts.append(line)
        self._closed_len += len(line)
        if len(self._parts) >= JOIN_PARTS:
            self._closed.append("".join(self._parts))
            self._parts = []
        self._open, self._open_parts, self._open_cr = tail, [], "\r" in tail
        if self.max_chars and self._closed_len > 2 * self.max_chars:
            self._compact()

    def _line(self) -> str:
        if self._open_parts:
            self._open += "".join(self._open_parts)
            self._open_parts = []
        return self._open

    def _compact(self) -> None:
        closed = "".join(self._closed) + "".join(self._parts)
        if self.max_chars:
            closed = closed[-self.max_chars :]
        self._closed, self._parts, self._closed_len = [closed] if closed else [], [], len(closed)

    @property
    def text(self) -> str:
        """The text a notebook keeps (``max_chars`` trims from the start)."""
        self._compact()
        text = "".join(self._closed) + self._line()
        return text[-self.max_chars :] if self.max_chars else text


@dataclass(eq=False)
class Entry:
    """One output as its message said it; ``node`` caches its nbformat form."""

    msg_type: str
    content: dict[str, Any]
    stream: StreamText | None = None
    given: Output | None = None  # an nbformat output handed over as such
    node: Output | None = field(default=None, repr=False)

    def message(self) -> dict[str, Any]:
        content = self.content
        if self.stream is not None:
            content = {**content, "text": self.stream.text}
        return {"header": {"msg_type": self.msg_type}, "content": content}


class Displays:
    """Display id -> the outputs that show it, across the areas of a session."""

    def __init__(self) -> None:
        self._entries: dict[str, list[Entry]] = {}

    def add(self, display_id: str, entry: Entry) -> None:
        self._entries.setdefault(display_id, []).append(entry)

    def forget(self, gone: Iterable[Entry]) -> None:
        gone_ids = {id(entry) for entry in gone}
        for display_id, entries in list(self._entries.items()):
            kept = [e for e in entries if id(e) not in gone_ids]
            if kept:
                self._entries[display_id] = kept
            else:
                del self._entries[display_id]

    def update(self, display_id: str, data: dict[str, Any], metadata: dict[str, Any]) -> bool:
        """``update_display_data``: every output with this id shows the new data."""
        entries = self._entries.get(display_id, [])
        for entry in entries:
            entry.content = {**entry.content, "data": dict(data), "metadata": dict(metadata)}
            entry.node = None
        return bool(entries)

    def knows(self, display_id: str) -> bool:
        return display_id in self._entries


class OutputArea:
    """The outputs of one cell or one Output widget; see the module docstring."""

    def __init__(self, displays: Displays | None = None, max_stream_chars: int = 0) -> None:
        self.displays = displays if displays is not None else Displays()
        self.max_stream_chars = max_stream_chars
        self.version = 0  # changes whenever the outputs do
        self._entries: list[Entry] = []
        self._gate = ClearGate()

    @classmethod
    def given(cls, outputs: Iterable[Output], displays: Displays | None = None) -> OutputArea:
        """An area holding nbformat outputs made elsewhere (a record built by hand)."""
        area = cls(displays)
        area.replace(outputs)
        return area

    def replace(self, outputs: Iterable[Output]) -> None:
        """The outputs are these now (an Output widget's state set by the kernel)."""
        self._empty()
        for output in outputs:
            if not isinstance(output, dict):
                continue
            kind, name, text = output.get("output_type"), output.get("name"), output.get("text")
            if isinstance(text, list):
                text = "".join(t for t in text if isinstance(t, str))
            if kind == "stream" and name in ("stdout", "stderr") and isinstance(text, str):
                self._add_stream(name, text)
            else:
                self._entries.append(Entry(str(kind), {}, given=output))

    def add(self, msg_type: str, content: dict[str, Any]) -> bool:
        """Apply one iopub message (content already checked); False if it is no output."""
        if msg_type == "clear_output":
            if self._gate.request(content.get("wait") is True):
                self._empty()
            return True
        if msg_type not in OUTPUT_TYPES:
            return False
        if self._gate.before_output():
            self._empty()
        self.version += 1
        if msg_type == "stream":
            self._add_stream(str(content.get("name", "stdout")), str(content.get("text", "")))
            return True
        transient = content.get("transient")
        display_id = transient.get("display_id") if isinstance(transient, dict) else None
        kept = {k: v for k, v in content.items() if k != "transient"}
        entry = Entry(msg_type, kept)
        self._entries.append(entry)
        if isinstance(display_id, str) and display_id:
            self.displays.add(display_id, entry)
        return True

    def _add_stream(self, name: str, text: str) -> None:
        last = self._entries[-1] if self._entries else None
        if last is not None and last.stream is not None and last.content["name"] == name:
            last.stream.append(text)
            last.node = None
            return
        stream = StreamText(text, self.max_stream_chars)
        self._entries.append(Entry("stream", {"name": name}, stream=stream))

    def _empty(self) -> None:
        self.displays.forget(self._entries)
        self._entries = []
        self.version += 1

    def outputs(self) -> list[Output]:
        """The nbformat v4 outputs (each checked by nbformat; converted once)."""
        return [self._node(entry) for entry in self._entries]

    def _node(self, entry: Entry) -> Output:
        if entry.node is None:
            entry.node = to_nbformat(entry)
        return entry.node


def to_nbformat(entry: Entry) -> Output:
    """``entry`` as a valid nbformat output; one the schema refuses becomes a note."""
    from nbformat import ValidationError, from_dict, validate
    from nbformat.v4 import nbformat_minor, new_output, output_from_msg

    try:
        if entry.given is None:
            return output_from_msg(entry.message())  # type: ignore[no-any-return]
        node = from_dict(entry.given)
        if entry.msg_type in ("execute_result", "display_data"):
            node.setdefault("metadata", {})
            node.setdefault("data", {})
        if entry.msg_type == "execute_result":
            node.setdefault("execution_count", None)
        ref = entry.msg_type if entry.msg_type in OUTPUT_TYPES else "output"
        validate(node, ref=ref, version=4, version_minor=nbformat_minor)
        return node  # type: ignore[no-any-return]
    except (ValidationError, KeyError, TypeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        note = new_output("stream", name="stderr", text=f"[output not saved: {reason}]\n")
        return note  # type: ignore[no-any-return]
