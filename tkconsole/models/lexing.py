"""Incremental Pygments lexing: re-lex only from the edited line to where the
lexer's state re-synchronises with what it was before the edit.

For a ``RegexLexer`` (nearly every Pygments lexer, IPython's, R's and
Julia's included) the whole state of the lexing loop is the position plus
the state stack.  So the stack is recorded at each line start the loop
reaches between tokens; after an edit, lexing restarts at the last such line
before the change and stops at the first line after it whose recorded stack
is what it was before: from there on every token is the same as before.
Other lexers are re-lexed whole, which is still correct, only slower.

Tokens are kept per line as ``(start, end, tokentype)`` column ranges, so
the UI re-tags just the lines ``update`` reports.  Pure: no Tk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from pygments.lexer import Lexer, RegexLexer
from pygments.token import Error, Text, Whitespace, _TokenType

Segment = tuple[int, int, Any]  # (start column, end column, token type)
State = tuple[str, ...]
PLAIN = (Text, Whitespace)  # not worth a tag
_UNSET = object()


class IncrementalLexer:
    """Per-line tokens of a text that changes a little at a time."""

    def __init__(self, lexer: Lexer) -> None:
        self.lexer = lexer
        # the lexer itself where it runs RegexLexer's own loop (which _regex_lex mirrors)
        plain_loop = type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed
        self.regex = lexer if isinstance(lexer, RegexLexer) and plain_loop else None
        self.lines: list[str] = []
        self.starts: list[State | None] = []  # stack at each line start (None: mid-token)
        self.tokens: list[list[Segment]] = []

    def update(self, text: str) -> range:
        """Bring the tokens up to date with ``text``; returns the lines that changed."""
        new, old = text.split("\n"), self.lines
        same = min(len(old), len(new))
        prefix = 0
        while prefix < same and old[prefix] == new[prefix]:
            prefix += 1
        if prefix == len(old) == len(new):
            return range(0)
        suffix = 0
        while suffix < same - prefix and old[-1 - suffix] == new[-1 - suffix]:
            suffix += 1
        # One line early: a token before the edit may have looked ahead into it.
        first = max(prefix - 1, 0)
        while first > 0 and self.starts[first] is None:
            first -= 1
        run = _Pass(self, text, new, first, len(new) - suffix, len(new) - len(old))
        run.run()
        self.lines = new
        return run.splice()

    def resync_job(self, text: str) -> ResyncJob:
        """A whole-text re-lex to run in slices while typing pauses (see ``ResyncJob``)."""
        return ResyncJob(self, text)

    def resync(self, text: str) -> range:
        """Re-lex ``text`` whole now; returns the lines whose tokens changed."""
        job = ResyncJob(self, text)
        changed = job.step(None)
        assert changed is not None
        return changed

    def in_sync(self, line: int, state: State, sync_from: int, delta: int) -> bool:
        """Past the edit, and the lexer is in the state it was in before at this line?"""
        old = line - delta
        return line >= sync_from and 0 <= old < len(self.starts) and self.starts[old] == state

    def replace_lines(
        self, first: int, old_end: int, tokens: list[list[Segment]], starts: list[Any]
    ) -> None:
        """A pass's result: lines ``first:old_end`` become ``tokens``, starting in ``starts``."""
        self.tokens[first:old_end] = tokens
        self.starts[first:old_end] = starts

    def lex_from(self, src: str, pos: int, stack: State) -> Iterator[tuple[int, Any, Any]]:
        """Tokens ``(pos, type, value)`` and, after each match, ``(pos, None, stack)``."""
        if self.regex is None:
            for tpos, ttype, value in self.lexer.get_tokens_unprocessed(src[pos:]):
                yield tpos + pos, ttype, value
            return
        yield from _regex_lex(self.regex, src, pos, list(stack))


class _Pass:
    """One lexing run from line ``first``; resumable, so it can be time-sliced."""

    def __init__(
        self, owner: IncrementalLexer, text: str, new: list[str], first: int,
        sync_from: int, delta: int,
    ) -> None:  # fmt: skip
        self.owner, self.first, self.sync_from, self.delta = owner, first, sync_from, delta
        base = sum(len(line) + 1 for line in new[:first])
        self.offsets = list(accumulate((len(line) + 1 for line in new[first:]), initial=base))
        known = owner.starts[first] if first < len(owner.starts) else None
        initial: State = known or ("root",)
        self.count = len(new) - first
        self.tokens: list[list[Segment]] = [[] for _ in range(self.count)]
        self.states: list[Any] = [initial] + [_UNSET] * (self.count - 1)
        self.line, self.boundary = 0, 1
        self.synced: int | None = None
        self.events = owner.lex_from(text + "\n", base, initial)

    def run(self, deadline: float | None = None) -> bool:
        """Lex until the state re-synchronises or the text ends (True), or ``deadline``."""
        for n, (pos, ttype, value) in enumerate(self.events):
            if ttype is not None:
                self.line = _add_token(self.tokens, self.offsets, self.line, pos, ttype, value)
            elif self._boundary(pos, value):
                return True
            if deadline is not None and n & 63 == 63 and time.perf_counter() >= deadline:
                return False
        return True

    def _boundary(self, pos: int, state: State) -> bool:
        """Note the state at line starts reached; True once back in sync."""
        offsets, states = self.offsets, self.states
        while self.boundary < self.count and offsets[self.boundary] <= pos:
            at = offsets[self.boundary] == pos
            if states[self.boundary] is _UNSET:
                states[self.boundary] = state if at else None
            line = self.first + self.boundary
            if at and self.owner.in_sync(line, state, self.sync_from, self.delta):
                self.synced = self.boundary
                return True
            self.boundary += 1
        return False

    def splice(self) -> range:
        """Put the new tokens in place of the old; returns the lines re-lexed."""
        owner, first = self.owner, self.first
        end = self.count if self.synced is None else self.synced
        states = [None if s is _UNSET else s for s in self.states[:end]]
        old_end = len(owner.starts) if self.synced is None else first + self.synced - self.delta
        owner.replace_lines(first, old_end, self.tokens[:end], states)
        return range(first, first + end)


class ResyncJob:
    """Re-lex a whole text in slices; ``step`` returns the changed lines when done.

    A regex that can span lines (a docstring, a JavaScript or R string) lets
    an edit change how an earlier line lexes, which the incremental update
    cannot see; running this while typing pauses puts such lines right.  If
    the text was edited meanwhile, the result is dropped (an empty range).
    """

    def __init__(self, owner: IncrementalLexer, text: str) -> None:
        self.owner = owner
        self.new = text.split("\n")
        self.run = _Pass(owner, text, self.new, 0, len(self.new) + 1, 0)

    def step(self, deadline: float | None) -> range | None:
        """Work until ``deadline`` (None: to the end); None while unfinished."""
        if not self.run.run(deadline):
            return None
        owner = self.owner
        if owner.lines != self.new:
            return range(0)
        before = list(owner.tokens)
        self.run.splice()
        changed = [i for i, line in enumerate(owner.tokens) if line != before[i]]
        return range(changed[0], changed[-1] + 1) if changed else range(0)


def _add_token(
    tokens: list[list[Segment]], offsets: list[int], line: int, pos: int, ttype: Any, text: str
) -> int:
    """Record a token as per-line segments; returns the line it ends on."""
    end = pos + len(text)
    while line + 1 < len(offsets) - 1 and offsets[line + 1] <= pos:
        line += 1
    plain = ttype in PLAIN
    current = line
    while current < len(tokens) and offsets[current] < end:
        start_col = max(pos, offsets[current]) - offsets[current]
        end_col = min(end, offsets[current + 1] - 1) - offsets[current]
        if end_col > start_col and not plain:
            tokens[current].append((start_col, end_col, ttype))
        if offsets[current + 1] > end:
            break
        current += 1
    return line


def _regex_lex(
    lexer: RegexLexer, text: str, pos: int, stack: list[str]
) -> Iterator[tuple[int, Any, Any]]:
    """Pygments' RegexLexer loop, reporting the state stack after every match."""
    tokendefs = lexer._tokens  # type: ignore[attr-defined]  # the compiled rules: not in the stubs
    rules = tokendefs[stack[-1]]
    while True:
        for rexmatch, action, new_state in rules:
            m = rexmatch(text, pos)
            if not m:
                continue
            if action is not None:
                if type(action) is _TokenType:
                    yield pos, action, m.group()
                else:
                    yield from action(lexer, m)
            pos = m.end()
            if new_state is not None:
                _transition(stack, new_state)
                rules = tokendefs[stack[-1]]
            yield pos, None, tuple(stack)
            break
        else:
            if pos >= len(text):
                return
            if text[pos] == "\n":
                stack[:] = ["root"]
                rules = tokendefs["root"]
                yield pos, Whitespace, "\n"
            else:
                yield pos, Error, text[pos]
            pos += 1
            yield pos, None, tuple(stack)


def _transition(stack: list[str], new_state: Any) -> None:
    """Apply a processed Pygments state change (tuple, pop count or '#push')."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(stack) > 1:
                    stack.pop()
            elif state == "#push":
                stack.append(stack[-1])
            else:
                stack.append(state)
    elif isinstance(new_state, int):
        if abs(new_state) >= len(stack):
            del stack[1:]
        else:
            del stack[new_state:]
    elif new_state == "#push":
        stack.append(stack[-1])
