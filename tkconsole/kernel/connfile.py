"""Finding and checking connection files, with errors a person can read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jupyter_client import find_connection_file

PORT_KEYS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")


class ConnectionFileError(ValueError):
    """A connection file is missing or unusable; the message is one line."""


def resolve(name: str | None) -> str:
    """Find a connection file the way ``jupyter console --existing`` does.

    ``None`` or ``""`` means the most recent kernel in the runtime dir; a
    bare name or glob is looked up in the current directory and there.
    """
    pattern = name or "kernel-*.json"
    try:
        return find_connection_file(pattern)
    except OSError:
        where = "the Jupyter runtime directory" if not name else f"'{name}'"
        raise ConnectionFileError(f"no kernel connection file found for {where}") from None


def check(name: str | None) -> str:
    """The path of the connection file ``name`` names, found and validated.

    What the command line, the Connect dialog and ``ConsoleWidget`` all call
    before they attach; raises ``ConnectionFileError`` with one line.
    """
    path = resolve(name)
    load(path)
    return path


def load(path: str) -> dict[str, Any]:
    """Read and validate a connection file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConnectionFileError(f"cannot read connection file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:  # binary, or Latin-1: fails to decode before it fails to parse
        raise ConnectionFileError(
            f"connection file {path} is not UTF-8 text (is it a kernel connection file?)"
        ) from None
    try:
        info = json.loads(text)
    except ValueError as exc:
        raise ConnectionFileError(f"connection file {path} is not valid JSON: {exc}") from None
    if not isinstance(info, dict):
        raise ConnectionFileError(f"connection file {path} does not hold a JSON object")
    missing = [key for key in PORT_KEYS if not isinstance(info.get(key), int)]
    if missing:
        raise ConnectionFileError(f"connection file {path} lacks valid {', '.join(missing)}")
    return info
