"""Widget state as it travels: binary buffers at ``buffer_paths``, model references.

ipywidgets' protocol 2 takes binary values (an Image's bytes, ipympl's
frames) out of the JSON state and sends them as message buffers with the
path where each belongs.  A kernel can send any paths and any number of
buffers, so each path is checked and a bad one is skipped, never raised.
"""

from __future__ import annotations

import base64
from typing import Any

MODEL_PREFIX = "IPY_MODEL_"
MAX_PATH_DEPTH = 32


def as_bytes_list(buffers: object) -> list[bytes]:
    """The message's buffers as bytes (zmq hands memoryviews); anything else dropped."""
    if not isinstance(buffers, list | tuple):
        return []
    out = []
    for buf in buffers:
        if isinstance(buf, bytes | bytearray | memoryview):
            out.append(bytes(buf))
    return out


def _valid_path(path: object) -> bool:
    return (
        isinstance(path, list | tuple)
        and 0 < len(path) <= MAX_PATH_DEPTH
        and all(
            isinstance(p, str) or (isinstance(p, int) and not isinstance(p, bool)) for p in path
        )
    )


def put_buffers(state: dict[str, Any], buffer_paths: object, buffers: list[bytes]) -> None:
    """Put each buffer into ``state`` at its path (in place); bad paths are skipped."""
    if not isinstance(buffer_paths, list | tuple):
        return
    for path, buf in zip(buffer_paths, buffers, strict=False):
        if not _valid_path(path):
            continue
        _set_at(state, list(path), buf)


def _set_at(obj: Any, path: list[str | int], value: Any) -> None:
    for step in path[:-1]:
        obj = _child(obj, step)
        if obj is None:
            return
    last = path[-1]
    if isinstance(obj, dict):
        if isinstance(last, str):
            obj[last] = value
    elif isinstance(obj, list) and isinstance(last, int) and -len(obj) <= last < len(obj):
        obj[last] = value


def _child(obj: Any, step: str | int) -> Any:
    if isinstance(obj, dict) and isinstance(step, str):
        child = obj.get(step)
    elif isinstance(obj, list) and isinstance(step, int) and -len(obj) <= step < len(obj):
        child = obj[step]
    else:
        return None
    return child if isinstance(child, dict | list) else None


def take_buffers(
    state: dict[str, Any],
) -> tuple[dict[str, Any], list[list[str | int]], list[bytes]]:
    """(state without bytes, buffer_paths, buffers): the inverse of ``put_buffers``."""
    paths: list[list[str | int]] = []
    buffers: list[bytes] = []

    def strip(value: Any, path: list[str | int]) -> Any:
        if isinstance(value, bytes | bytearray | memoryview):
            paths.append(path)
            buffers.append(bytes(value))
            return None
        if isinstance(value, dict):
            return {k: strip(v, [*path, k]) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [strip(v, [*path, i]) for i, v in enumerate(value)]
        return value

    return strip(state, []), paths, buffers


def encode_buffers(paths: list[list[str | int]], buffers: list[bytes]) -> list[dict[str, Any]]:
    """Buffers as the saved widget state holds them (base64 text)."""
    return [
        {"path": path, "encoding": "base64", "data": base64.b64encode(buf).decode("ascii")}
        for path, buf in zip(paths, buffers, strict=True)
    ]


def model_id(value: object) -> str | None:
    """The id in an ``"IPY_MODEL_<id>"`` reference, or None."""
    if isinstance(value, str) and value.startswith(MODEL_PREFIX) and len(value) > len(MODEL_PREFIX):
        return value[len(MODEL_PREFIX) :]
    return None
