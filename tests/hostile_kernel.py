"""A kernel that sends whatever a test scripts, correctly signed, then a good
message: for property tests of "no message can break the console".

Runs on real zmq sockets like ``FakeKernel``.  Its packer escapes to ASCII,
so lone surrogates travel as ``"\\ud83d"`` exactly as a JavaScript kernel
sends them.
"""

from __future__ import annotations

import json
from pathlib import Path

import zmq
from fake_kernel import SignedKernel
from hypothesis import strategies as st

KEY = b"hostile-kernel-key"
MSG_TYPES = (
    "stream", "display_data", "update_display_data", "execute_result", "error",
    "clear_output", "status", "execute_input", "execute_reply", "is_complete_reply",
    "input_request", "comm_open", "comm_msg", "comm_close", "complete_reply",
    "inspect_reply", "history_reply", "kernel_info_reply",
    # transport events and unknowns: must never be reachable from a kernel
    "died", "ready", "start_failed", "not_responding", "restart_failed", "no_such_type",
)  # fmt: skip
CHANNELS = ("iopub", "iopub", "iopub", "shell", "stdin", "control")


def _packer(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=True, default=str).encode()


# ---------------------------------------------------------------- strategies
odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\ud83d", "a\udc00b", "\x1b[31mred", "\r\r\n", "x" * 10**6, "\n" * 5000]),
)
json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    odd_text,
)  # fmt: skip
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
mime = st.sampled_from(
    ["text/plain", "text/html", "text/markdown", "text/latex", "image/png", "image/jpeg",
     "image/svg+xml", "application/json", "x/unknown"]
)  # fmt: skip
bundle = st.one_of(
    json_value,
    st.dictionaries(mime, st.one_of(odd_text, json_value, st.just("!!not base64!!")), max_size=3),
)
display_ids = st.one_of(st.sampled_from(["d1", "d2", "nope"]), json_value)
field = st.sampled_from(
    ["text", "name", "data", "metadata", "transient", "execution_count", "traceback", "ename",
     "evalue", "wait", "execution_state", "status", "indent", "payload", "prompt", "password",
     "comm_id", "target_name", "matches", "cursor_start", "cursor_end", "found", "history"]
)  # fmt: skip


@st.composite
def contents(draw: st.DrawFn) -> object:
    """A content dict of plausible fields with arbitrary values, or any JSON."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_value)
    content: dict = {}
    for key in draw(st.lists(field, max_size=6, unique=True)):
        if key == "data":
            content[key] = draw(bundle)
        elif key == "transient":
            content[key] = draw(
                st.one_of(json_value, st.fixed_dictionaries({"display_id": display_ids}))
            )
        else:
            content[key] = draw(st.one_of(odd_text, json_value))
    return content


hostile_messages = st.lists(
    st.tuples(st.sampled_from(CHANNELS), st.sampled_from(MSG_TYPES), contents()),
    min_size=1,
    max_size=4,
)
storm = st.just([("iopub", "clear_output", {"wait": True})] * 200)
scripts = st.one_of(hostile_messages, storm)


# ---------------------------------------------------------------- the kernel
class HostileKernel(SignedKernel):
    """On each non-silent execute: the scripted messages, then ``GOOD <n>``."""

    def __init__(self, folder: Path) -> None:
        self.script: list[tuple[str, str, object]] = []
        super().__init__(folder, "hostile", KEY)
        self.session.pack = _packer  # lone surrogates as "\\ud83d", as JavaScript sends them

    def _send(self, channel: str, msg_type: str, content: object, parent: dict, idents: list):
        sock = self.sockets[channel]
        ident = None if channel == "iopub" else idents
        if not isinstance(content, dict):  # Session only packs dicts itself
            content = _packer(content)
        self.session.send(sock, msg_type, content, parent=parent, ident=ident)

    def _answer(self, sock: zmq.Socket, idents: list, request: dict) -> None:
        kind = request["msg_type"]
        self._send("iopub", "status", {"execution_state": "busy"}, request, idents)
        if kind == "kernel_info_request":
            content = {"status": "ok", "protocol_version": "5.3", "implementation": "hostile",
                       "language_info": {"name": "python"}, "banner": "hostile kernel"}  # fmt: skip
            self.session.send(sock, "kernel_info_reply", content, request, ident=idents)
        elif kind == "execute_request":
            if not request["content"].get("silent"):
                self.count += 1
                script, self.script = self.script, []
                for channel, msg_type, content in script:
                    self._send(channel, msg_type, content, request, idents)
                self._send("iopub", "stream", {"name": "stdout", "text": f"GOOD {self.count}\n"},
                           request, idents)  # fmt: skip
            content = {"status": "ok", "execution_count": self.count, "payload": []}
            self.session.send(sock, "execute_reply", content, request, ident=idents)
        self._send("iopub", "status", {"execution_state": "idle"}, request, idents)
