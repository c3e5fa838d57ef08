"""Debug replies and events checked at the boundary, as typed records.

A kernel (or a server between us) may send any JSON in a ``debug_reply`` or
``debug_event``.  Everything the debug session reads passes through here and
comes out in the Debug Adapter Protocol's shape, or raises ``Malformed``:
strings are cleaned and cut, numbers are real ints, lists are lists.
Variables of a big reply are checked one at a time (``variable``), so the
caller can spread a reply of 10,000 over several steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..messages import Malformed, clean_text, short

TEXT_LIMIT = 500  # characters of a name, type or value kept for one row


@dataclass(frozen=True)
class Reply:
    command: str
    success: bool
    body: dict[str, Any]
    message: str = ""


@dataclass(frozen=True)
class Event:
    name: str
    body: dict[str, Any]


@dataclass(frozen=True)
class Variable:
    name: str
    type: str
    value: str
    reference: int  # > 0: has children, asked with a ``variables`` request


@dataclass(frozen=True)
class Frame:
    id: int
    name: str
    path: str  # "" when the frame has no source file
    line: int


@dataclass(frozen=True)
class Scope:
    name: str
    reference: int


def reply(content: object) -> Reply:
    """A ``debug_reply`` content; ``modules`` replies lack ``command``/``success``."""
    if not isinstance(content, dict):
        raise Malformed("debug reply is not an object")
    command = content.get("command", "")
    if not isinstance(command, str):
        raise Malformed("debug reply command is not a string")
    success = content.get("success", True)
    message = content.get("message", "")
    return Reply(
        command,
        success is True,
        _object(content.get("body")),
        _text(message) if isinstance(message, str) else "",
    )


def event(content: object) -> Event:
    if not isinstance(content, dict):
        raise Malformed("debug event is not an object")
    name = content.get("event")
    if not isinstance(name, str):
        raise Malformed("debug event has no name")
    return Event(name, _object(content.get("body")))


def variable_list(body: dict[str, Any]) -> list[Any]:
    """The raw items of a ``variables`` body, each checked later by ``variable``."""
    items = body.get("variables", [])
    if not isinstance(items, list):
        raise Malformed("variables is not a list")
    return items


def variable(item: object) -> Variable | None:
    """One variable, or None for an item that is not one (skipped, not fatal)."""
    if not isinstance(item, dict):
        return None
    name = item.get("name")
    if not isinstance(name, str):
        return None
    kind, value = item.get("type", ""), item.get("value", "")
    return Variable(
        _text(name),
        _text(kind) if isinstance(kind, str) else "",
        _text(value) if isinstance(value, str) else "",
        integer(item.get("variablesReference"), 0),
    )


def frames(body: dict[str, Any]) -> list[Frame]:
    items = body.get("stackFrames", [])
    if not isinstance(items, list):
        raise Malformed("stackFrames is not a list")
    out = []
    for item in items:
        if not isinstance(item, dict) or integer(item.get("id"), -1) < 0:
            continue
        name, source = item.get("name", "?"), _object(item.get("source"))
        path = source.get("path", "")
        out.append(
            Frame(
                integer(item["id"], 0),
                _text(name) if isinstance(name, str) else "?",
                clean_text(path) if isinstance(path, str) else "",
                max(integer(item.get("line"), 0), 0),
            )
        )
    return out


def scopes(body: dict[str, Any]) -> list[Scope]:
    items = body.get("scopes", [])
    if not isinstance(items, list):
        raise Malformed("scopes is not a list")
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            out.append(Scope(_text(item["name"]), integer(item.get("variablesReference"), 0)))
    return out


def integer(value: object, default: int) -> int:
    """An int that is not a bool, else ``default``."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: str) -> str:
    return short(clean_text(value), TEXT_LIMIT)


def clean(value: str) -> str:
    """Text shown whole (an evaluated result, a source file): surrogates replaced."""
    return clean_text(value)
