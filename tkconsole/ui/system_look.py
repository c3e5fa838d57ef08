"""Asking the platform whether it is dark, and hearing when that changes.

Linux: the XDG desktop portal over D-Bus (``org.freedesktop.appearance
color-scheme``), whose ``SettingChanged`` signal arrives on a socket Tk
watches (no thread, no timer); without a portal, ``gsettings`` (read once,
then ``gsettings monitor``'s pipe, watched the same way); KDE's
``kdeglobals`` once. Windows and macOS: their setting, re-read every few
seconds (no cheaper way there). What the answers mean is decided in
``models/appearance.py``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from ..models.appearance import (
    Scheme,
    scheme_from_gsettings,
    scheme_from_gtk_theme,
    scheme_from_kdeglobals,
    scheme_from_macos,
    scheme_from_portal,
    scheme_from_windows,
)

log = logging.getLogger(__name__)

OnScheme = Callable[[Scheme], None]
POLL_MS = 5000  # Windows and macOS: how often their setting is re-read
PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
SETTINGS_IFACE = "org.freedesktop.portal.Settings"
NAMESPACE, KEY = "org.freedesktop.appearance", "color-scheme"
GNOME_SCHEMA = "org.gnome.desktop.interface"


class Watcher(Protocol):
    def stop(self) -> None: ...


def watch_scheme(root: tk.Misc, on_scheme: OnScheme) -> tuple[Scheme, Watcher | None]:
    """The platform's scheme now, and a watcher that calls ``on_scheme`` on changes."""
    if sys.platform == "win32":
        return _Polling.start(root, on_scheme, _windows_scheme)
    if sys.platform == "darwin":
        return _Polling.start(root, on_scheme, _macos_scheme)
    portal = _Portal.open(root, on_scheme)
    if portal is not None:
        return portal
    gsettings = _GSettings.open(root, on_scheme)
    if gsettings is not None:
        return gsettings
    return _kde_scheme(), None


# ------------------------------------------------------------------ the portal
class _Portal:
    """The XDG portal's appearance setting, and its ``SettingChanged`` signal."""

    def __init__(self, root: tk.Misc, connection: Any, on_scheme: OnScheme) -> None:
        self.root, self.connection, self.on_scheme = root, connection, on_scheme
        self.fd = connection.sock.fileno()
        root.tk.createfilehandler(self.fd, tk.READABLE, self._readable)

    @classmethod
    def open(cls, root: tk.Misc, on_scheme: OnScheme) -> tuple[Scheme, _Portal] | None:
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            return None
        try:
            from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
            from jeepney.io.blocking import open_dbus_connection

            connection = open_dbus_connection(bus="SESSION")
        except Exception as exc:  # no bus, or jeepney missing: not an error worth more
            log.debug("no D-Bus session: %s", exc)
            return None
        try:
            portal = DBusAddress(PORTAL_PATH, bus_name=PORTAL, interface=SETTINGS_IFACE)
            reply = connection.send_and_get_reply(
                new_method_call(portal, "Read", "ss", (NAMESPACE, KEY)), timeout=1.0
            )
            if reply.header.message_type.name != "method_return":
                raise LookupError(reply.body)
            scheme = scheme_from_portal(_unwrap(reply.body[0]))
            rule = MatchRule(
                type="signal", interface=SETTINGS_IFACE, member="SettingChanged", path=PORTAL_PATH
            )
            connection.send_and_get_reply(
                new_method_call(message_bus, "AddMatch", "s", (rule.serialise(),)), timeout=1.0
            )
        except Exception as exc:  # no portal on this bus
            log.debug("no appearance portal: %s", exc)
            connection.close()
            return None
        return scheme, cls(root, connection, on_scheme)

    def _readable(self, _fd: int, _mask: int) -> None:
        while True:
            try:
                message = self.connection.receive(timeout=0)
            except TimeoutError:
                return
            except Exception as exc:  # the bus went away: stop listening, keep the theme
                log.warning("D-Bus session lost: %s", exc)
                self.stop()
                return
            self._signal(message)

    def _signal(self, message: Any) -> None:
        header = message.header.fields
        if header.get(3) != "SettingChanged" or len(message.body) != 3:  # 3: member
            return
        namespace, key, value = message.body
        if (namespace, key) == (NAMESPACE, KEY):
            self.on_scheme(scheme_from_portal(_unwrap(value)))

    def stop(self) -> None:
        with contextlib.suppress(tk.TclError, OSError, ValueError):
            self.root.tk.deletefilehandler(self.fd)
        with contextlib.suppress(OSError):
            self.connection.close()


def _unwrap(value: object) -> object:
    """A D-Bus variant as jeepney gives it, ``(signature, value)``, possibly nested."""
    while isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        value = value[1]
    return value


# ------------------------------------------------------------------ gsettings
class _GSettings:
    """``gsettings get`` once, then ``gsettings monitor``'s lines as they come."""

    def __init__(self, root: tk.Misc, process: subprocess.Popen[bytes], on: OnScheme) -> None:
        self.root, self.process, self.on_scheme = root, process, on
        assert process.stdout is not None
        self.fd = process.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.pending = b""
        root.tk.createfilehandler(self.fd, tk.READABLE, self._readable)

    @classmethod
    def open(cls, root: tk.Misc, on_scheme: OnScheme) -> tuple[Scheme, _GSettings | None] | None:
        program = shutil.which("gsettings")
        if program is None:
            return None
        scheme, stored = _gsettings_scheme(program)
        if scheme == "unknown":
            return None
        if not (stored and _changes_can_arrive()):
            return scheme, None
        try:
            process = subprocess.Popen(
                [program, "monitor", GNOME_SCHEMA, "color-scheme"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError:  # the scheme is known; only its changes are not
            return scheme, None
        return scheme, cls(root, process, on_scheme)

    def _readable(self, _fd: int, _mask: int) -> None:
        try:
            chunk = os.read(self.fd, 4096)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self.stop()
            return
        *lines, self.pending = (self.pending + chunk).split(b"\n")
        for line in lines:
            scheme = scheme_from_gsettings(line.decode("utf-8", "replace"))
            if scheme != "unknown":
                self.on_scheme(scheme)

    def stop(self) -> None:
        with contextlib.suppress(tk.TclError, ValueError):
            self.root.tk.deletefilehandler(self.fd)
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(1)


def _changes_can_arrive() -> bool:
    """dconf announces changes on the session bus; the keyfile backend through its file."""
    return bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS") or os.environ.get("GSETTINGS_BACKEND"))


def _gsettings_scheme(program: str) -> tuple[Scheme, bool]:
    """``color-scheme`` (GNOME 42+), where it says "default" a ``-dark`` GTK theme;
    and whether the values are stored (not the memory backend's fixed defaults)."""
    said, stored = _gsettings_get(program, "color-scheme")
    scheme = scheme_from_gsettings(said)
    if scheme == "dark" or "prefer-light" in said:
        return scheme, stored
    gtk = scheme_from_gtk_theme(_gsettings_get(program, "gtk-theme")[0])
    return (gtk if gtk != "unknown" else scheme), stored


def _gsettings_get(program: str, key: str) -> tuple[str, bool]:
    """The key's value as gsettings prints it ("" where it cannot say), and whether
    a real backend holds it (gsettings warns when it falls back to "memory")."""
    try:
        done = subprocess.run(
            [program, "get", GNOME_SCHEMA, key], capture_output=True, text=True, timeout=2
        )
    except (OSError, subprocess.TimeoutExpired):
        return "", False
    stored = "'memory' GSettings backend" not in done.stderr
    return (done.stdout if done.returncode == 0 else ""), stored


def _kde_scheme() -> Scheme:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    try:
        return scheme_from_kdeglobals((Path(base) / "kdeglobals").read_text("utf-8", "replace"))
    except OSError:
        return "unknown"


# ------------------------------------------------------------------ Windows, macOS
def _windows_scheme() -> Scheme:
    try:
        import winreg  # type: ignore[import-not-found,unused-ignore]

        path = r"Software\Microsoft\Windows\CurrentVersion\Themes\Personalize"
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:  # type: ignore[attr-defined,unused-ignore]
            value, _kind = winreg.QueryValueEx(key, "AppsUseLightTheme")  # type: ignore[attr-defined,unused-ignore]
    except (ImportError, OSError):
        return "unknown"
    return scheme_from_windows(value)


def _macos_scheme() -> Scheme:
    try:
        done = subprocess.run(
            ["defaults", "read", "-g", "AppleInterfaceStyle"],
            capture_output=True, text=True, timeout=2,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return scheme_from_macos(done.stdout, done.returncode)


class _Polling:
    """Re-reads a setting every ``POLL_MS``; tells only when it changed."""

    def __init__(self, root: tk.Misc, on: OnScheme, read: Callable[[], Scheme], now: Scheme):
        self.root, self.on_scheme, self.read, self.last = root, on, read, now
        self.job: str | None = root.after(POLL_MS, self._poll)

    @classmethod
    def start(
        cls, root: tk.Misc, on_scheme: OnScheme, read: Callable[[], Scheme]
    ) -> tuple[Scheme, _Polling]:
        now = read()
        return now, cls(root, on_scheme, read, now)

    def _poll(self) -> None:
        self.job = None
        try:
            scheme = self.read()
            if scheme != self.last and scheme != "unknown":
                self.last = scheme
                self.on_scheme(scheme)
        finally:
            with contextlib.suppress(tk.TclError):
                self.job = self.root.after(POLL_MS, self._poll)

    def stop(self) -> None:
        if self.job is not None:
            with contextlib.suppress(tk.TclError):
                self.root.after_cancel(self.job)
            self.job = None
