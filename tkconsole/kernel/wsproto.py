"""Kernel messages on a Jupyter Server websocket, in both wire formats.

``v1.kernel.websocket.jupyter.org`` (binary frames): a little-endian
uint64 ``n``, then ``n`` little-endian uint64 offsets, then the parts
channel, header, parent_header, metadata, content and any buffers.  Part
``i`` spans ``offsets[i]:offsets[i + 1]``, so the last offset is the end.

Legacy JSON (no subprotocol): a text frame holding the message with a
``channel`` key; a message with buffers comes as a binary frame instead:
a big-endian uint32 count, that many big-endian uint32 offsets (JSON
first, then each buffer), then the parts.

Decoded messages have the shape ``channels.deserialize`` gives the zmq
side (header dates left as ISO strings), so the console cannot tell them
apart.
"""

from __future__ import annotations

import json
import struct
from itertools import pairwise
from typing import Any

from jupyter_client.jsonutil import json_default

V1 = "v1.kernel.websocket.jupyter.org"
_FIELDS = ("header", "parent_header", "metadata", "content")


class FrameError(ValueError):
    """A frame that is not a kernel message in the expected format."""


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, default=json_default, separators=(",", ":")).encode("utf-8")


def _message(parts: dict[str, Any], buffers: list[bytes]) -> dict[str, Any]:
    header = parts.get("header") or {}
    return {
        "header": header,
        "msg_id": header.get("msg_id"),
        "msg_type": header.get("msg_type"),
        "parent_header": parts.get("parent_header") or {},
        "metadata": parts.get("metadata") or {},
        "content": parts.get("content") or {},
        "buffers": buffers,
    }


# ------------------------------------------------------------------ v1 binary
def encode_v1(channel: str, msg: dict[str, Any]) -> bytes:
    """One binary frame for ``msg`` on ``channel``."""
    parts = [channel.encode("utf-8"), *(_dumps(msg.get(f) or {}) for f in _FIELDS)]
    parts += [bytes(b) for b in msg.get("buffers") or ()]
    count = len(parts) + 1
    position = 8 * (count + 1)
    offsets = [position]
    for part in parts:
        position += len(part)
        offsets.append(position)
    return struct.pack(f"<{count + 1}Q", count, *offsets) + b"".join(parts)


def decode_v1(frame: bytes) -> tuple[str, dict[str, Any]]:
    """``(channel, message)`` from one binary frame."""
    try:
        (count,) = struct.unpack_from("<Q", frame)
        offsets = struct.unpack_from(f"<{count}Q", frame, 8)
        parts = [frame[a:b] for a, b in pairwise(offsets)]
        channel = parts[0].decode("utf-8")
        fields = {f: json.loads(p) for f, p in zip(_FIELDS, parts[1:5], strict=True)}
    except (struct.error, ValueError, IndexError, MemoryError) as exc:
        raise FrameError(f"bad v1 frame: {exc}") from None
    return channel, _message(fields, parts[5:])


# ------------------------------------------------------------------ legacy JSON
def encode_json(channel: str, msg: dict[str, Any]) -> str | bytes:
    """A text frame, or a binary frame when the message carries buffers."""
    body = {f: msg.get(f) or {} for f in _FIELDS}
    body["channel"] = channel
    buffers = [bytes(b) for b in msg.get("buffers") or ()]
    if not buffers:
        return _dumps(body).decode("utf-8")
    parts = [_dumps(body), *buffers]
    offsets = [4 * (len(parts) + 1)]
    for part in parts[:-1]:
        offsets.append(offsets[-1] + len(part))
    return struct.pack(f">{len(parts) + 1}I", len(parts), *offsets) + b"".join(parts)


def decode_json(frame: str | bytes) -> tuple[str, dict[str, Any]]:
    """``(channel, message)`` from a legacy text or binary frame."""
    try:
        if isinstance(frame, str):
            body, buffers = json.loads(frame), list[bytes]()
        else:
            body, buffers = _split_legacy_binary(frame)
        channel = body["channel"]
    except (struct.error, ValueError, KeyError, TypeError, IndexError) as exc:
        raise FrameError(f"bad JSON frame: {exc}") from None
    return channel, _message(body, buffers)


def _split_legacy_binary(frame: bytes) -> tuple[dict[str, Any], list[bytes]]:
    (count,) = struct.unpack_from(">I", frame)
    offsets = [*struct.unpack_from(f">{count}I", frame, 4), len(frame)]
    parts = [frame[a:b] for a, b in pairwise(offsets)]
    return json.loads(parts[0]), parts[1:]


def encode(protocol: str | None, channel: str, msg: dict[str, Any]) -> str | bytes:
    """Encode for the subprotocol the server chose (``None``: legacy JSON)."""
    return encode_v1(channel, msg) if protocol == V1 else encode_json(channel, msg)


def decode(protocol: str | None, frame: str | bytes) -> tuple[str, dict[str, Any]]:
    """Decode a frame for the subprotocol the server chose."""
    if protocol == V1 and isinstance(frame, bytes):
        return decode_v1(frame)
    return decode_json(frame)
