"""Server, gateway and Hub tokens that tkconsole remembers, kept out of its files.

The recents and session files hold targets without tokens; the tokens go
to the system keyring (``keyring``: Secret Service, macOS Keychain,
Windows Credential Manager), filed under service ``tkconsole`` and the
target's place (kind and URL).  Where no keyring works (a bare server,
CI: keyring picks its ``fail`` backend, or only a plaintext one of
priority below 1), they go to ``tokens.json`` in the config folder, 0600
in a 0700 folder, and the console says so once, when that file is made.
A keyring that refuses a write (locked, dismissed) falls back the same way.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from .models.atomic import atomic_write
from .models.settings import config_dir
from .models.target import Target

log = logging.getLogger(__name__)

SERVICE = "tkconsole"
FILE_NAME = "tokens.json"
NEEDS_TOKEN = ("server", "hub")


def system_keyring() -> Any:
    """The keyring backend to use, or None where none works (or only a plaintext one)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or backend.priority < 1:
            return None
        return backend
    except Exception as exc:  # a broken keyring install must not stop the console
        log.warning("no keyring: %s", exc)
        return None


class TokenStore:
    """Put and get tokens by target; ``notices`` collects what the console should say."""

    def __init__(self, folder: Path | None = None, backend: Any = "detect") -> None:
        self.folder = Path(folder) if folder is not None else config_dir()
        self._backend = backend
        self.notices: list[str] = []

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def keyring(self) -> Any:
        """The keyring backend (looked for once, on first use)."""
        if self._backend == "detect":
            self._backend = system_keyring()
        return self._backend

    # ------------------------------------------------------------------ targets
    def keep(self, target: Target) -> Target:
        """Store ``target``'s token; return the target without it (for the files)."""
        bare, token = target.without_token()
        if token and target.kind in NEEDS_TOKEN:
            self.put(target.place(), token)
        return bare

    def fill(self, target: Target) -> Target:
        """``target`` with its stored token if it has none of its own."""
        if target.kind not in NEEDS_TOKEN or target.without_token()[1]:
            return target
        token = self.get(target.place())
        return replace(target, token=token) if token else target

    # ------------------------------------------------------------------ places
    def put(self, place: str, token: str) -> None:
        backend = self.keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, place, token)
                self._drop_from_file(place)
                return
            except Exception as exc:  # locked, dismissed, D-Bus gone
                log.warning("the keyring refused a token: %s", exc)
        self._write_file(place, token)

    def get(self, place: str) -> str | None:
        backend = self.keyring()
        if backend is not None:
            try:
                token = backend.get_password(SERVICE, place)
                if token:
                    return str(token)
            except Exception as exc:
                log.warning("the keyring could not be read: %s", exc)
        token = self._read_file().get(place)
        return token if isinstance(token, str) and token else None

    # ------------------------------------------------------------------ the fallback file
    def _read_file(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        tokens = data.get("tokens") if isinstance(data, dict) else None
        return tokens if isinstance(tokens, dict) else {}

    def _write_file(self, place: str, token: str) -> None:
        tokens = self._read_file()
        if tokens.get(place) == token:
            return
        new = not self.path.exists()
        self._save({**tokens, place: token})
        if new:
            self.notices.append(
                f"No system keyring works here: server tokens are kept in {self.path}, "
                "which only you can read."
            )

    def _drop_from_file(self, place: str) -> None:
        tokens = self._read_file()
        if place in tokens:
            del tokens[place]
            self._save(tokens)

    def _save(self, tokens: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps({"version": 1, "tokens": tokens}, indent=1) + "\n"
        atomic_write(self.path, text, mode=0o600 if os.name == "posix" else None)
