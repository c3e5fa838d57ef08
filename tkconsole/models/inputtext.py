"""Small facts about the text being typed, for completion, call tips and paste.

Language-agnostic on purpose: brackets and quotes mean much the same in
every kernel language, and anything cleverer belongs to the kernel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {v: k for k, v in OPENERS.items()}
_PROMPTS = (
    re.compile(r"^(>>> ?|\.\.\. ?)"),  # the standard Python REPL
    re.compile(r"^(In \[\d+\]: ?| +\.\.\.: ?)"),  # IPython and Jupyter consoles
)


def common_prefix(words: Sequence[str]) -> str:
    """The longest prefix every word shares."""
    if not words:
        return ""
    first, last = min(words), max(words)  # the prefix all share is the one these two share
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]


def is_call_start(code: str, paren: int) -> bool:
    """Is the ``(`` at ``paren`` right after a name or an expression (a call)?"""
    if paren <= 0 or paren >= len(code) or code[paren] != "(":
        return False
    before = code[paren - 1]
    return before.isalnum() or before in "_)]."


def call_is_open(code: str, paren: int, cursor: int) -> bool:
    """Is the cursor still inside the call whose ``(`` is at ``paren``?

    Brackets inside string literals (single-line ones) are ignored.
    """
    if not 0 <= paren < cursor <= len(code) or code[paren] != "(":
        return False
    stack: list[str] = []
    quote = ""
    i = paren + 1
    while i < cursor:
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote or ch == "\n":
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in OPENERS:
            stack.append(ch)
        elif ch in CLOSERS:
            if not stack:
                return False  # closes our call
            stack.pop()
        i += 1
    return True


def clean_paste(data: str) -> str:
    """Pasted text as one cell: ``\\r\\n`` made ``\\n``, REPL prompts removed.

    Prompts are removed only when every non-blank line that could carry one
    does (the first line of a block always does), so ordinary code that
    happens to start with ``...`` is left alone.
    """
    data = data.replace("\r\n", "\n").replace("\r", "\n")
    lines = data.split("\n")
    for prompt in _PROMPTS:
        if prompt.match(lines[0]) and all(prompt.match(ln) or not ln.strip() for ln in lines):
            return "\n".join(prompt.sub("", ln, count=1) for ln in lines)
    return data
