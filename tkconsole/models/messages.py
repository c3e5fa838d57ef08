"""Checking kernel messages at the boundary, against the messaging spec's shapes.

A kernel may send any well-signed JSON: a JavaScript kernel sends lone
surrogates, a buggy one ``execution_count: null`` or a list where a dict
belongs.  Everything the conversation model reads goes through here first
and comes out in the spec's shape (coerced where the meaning is clear,
``Malformed`` where it is not), so no later code meets a surprise type.
"""

from __future__ import annotations

import re
from typing import Any

SURROGATE = re.compile("[\ud800-\udfff]")


class Malformed(ValueError):
    """A message that cannot be understood; the text says why, in one line."""


def clean_text(value: str) -> str:
    """``value`` with lone surrogates replaced (Tk and UTF-8 files choke on them)."""
    if value.isascii() or not SURROGATE.search(value):
        return value
    return SURROGATE.sub("\ufffd", value)


def short(value: str, limit: int = 1000) -> str:
    """A one-line thing (a prompt, a notice) cut to ``limit`` characters:
    drawn unfolded, it must stay cheap for Tk to lay out."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def text(content: dict[str, Any], key: str, default: str | None = None) -> str:
    """A string field; a missing one is ``default`` (Malformed if there is none)."""
    value = content.get(key, default)
    if not isinstance(value, str):
        if value is None and default is not None:
            return default
        raise Malformed(f"{key} is not a string")
    return clean_text(value)


def mapping(content: dict[str, Any], key: str) -> dict[str, Any]:
    """A dict field; missing or null is empty."""
    value = content.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Malformed(f"{key} is not an object")
    return value


def count(content: dict[str, Any], key: str = "execution_count") -> int | None:
    value = content.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def bundle(content: dict[str, Any], key: str = "data") -> dict[str, Any]:
    """A MIME bundle: string keys; text values cleaned, a list of lines joined.

    Values of other types stay for JSON mime types and are dropped for text
    and images, which the console draws from strings only.
    """
    raw = mapping(content, key)
    out: dict[str, Any] = {}
    for mime, value in raw.items():
        if not isinstance(mime, str):
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "".join(value)  # nbformat's multiline strings
        if isinstance(value, str):
            out[mime] = clean_text(value)
        elif "json" in mime:
            out[mime] = value
    return out


def display_id(content: dict[str, Any]) -> str | None:
    transient = content.get("transient")
    if not isinstance(transient, dict):
        return None
    value = transient.get("display_id")
    return value if isinstance(value, str) and value else None


def traceback(content: dict[str, Any]) -> list[str]:
    """The traceback lines; a bad one becomes ``ename: evalue``."""
    lines = content.get("traceback")
    if isinstance(lines, list) and lines and all(isinstance(line, str) for line in lines):
        return [clean_text(line) for line in lines]
    name = content.get("ename")
    value = content.get("evalue")
    name = clean_text(name) if isinstance(name, str) else "Error"
    value = clean_text(value) if isinstance(value, str) else ""
    return [f"{name}: {value}"]


def buffers(msg: dict[str, Any]) -> list[bytes]:
    """The binary buffers of a message (memoryviews from zmq, bytes from websockets)."""
    raw = msg.get("buffers") or []
    if not isinstance(raw, list | tuple):
        raise Malformed("buffers is not a list")
    out = []
    for item in raw:
        if not isinstance(item, bytes | bytearray | memoryview):
            raise Malformed("a buffer is not bytes")
        out.append(bytes(item))
    return out


def envelope(msg: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(msg_type, content, parent_header) of any message, or Malformed."""
    if not isinstance(msg, dict):
        raise Malformed("the message is not an object")
    msg_type = msg.get("msg_type")
    if not isinstance(msg_type, str):
        header = msg.get("header")
        msg_type = header.get("msg_type") if isinstance(header, dict) else None
    if not isinstance(msg_type, str):
        raise Malformed("the message has no msg_type")
    content = msg.get("content")
    if not isinstance(content, dict):
        raise Malformed(f"{msg_type}: content is not an object")
    parent = msg.get("parent_header")
    return msg_type, content, parent if isinstance(parent, dict) else {}


def parent_id(parent: dict[str, Any]) -> str | None:
    value = parent.get("msg_id")
    return value if isinstance(value, str) else None
