"""A stand-in for the XDG desktop portal's Settings interface, on a private D-Bus.

Run as a program (with ``DBUS_SESSION_BUS_ADDRESS`` set): it owns
``org.freedesktop.portal.Desktop``, answers ``Read``/``ReadOne`` for
``org.freedesktop.appearance color-scheme`` with the value given on its
command line, and on ``org.tkconsole.FakePortal.Set(u)`` changes it and emits
``SettingChanged``, as the real portal does when the desktop switches.
Real D-Bus messages through a real dbus-daemon: only the portal is a fake.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from jeepney import (
    DBusAddress,
    HeaderFields,
    MessageType,
    message_bus,
    new_error,
    new_method_call,
    new_method_return,
    new_signal,
)
from jeepney.io.blocking import open_dbus_connection

PORTAL = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
SETTINGS = "org.freedesktop.portal.Settings"
CONTROL = "org.tkconsole.FakePortal"
KEY = ("org.freedesktop.appearance", "color-scheme")


def serve(value: int) -> None:
    connection = open_dbus_connection(bus="SESSION")
    connection.send_and_get_reply(new_method_call(message_bus, "RequestName", "su", (PORTAL, 4)))
    print("ready", flush=True)
    while True:
        message = connection.receive()
        if message.header.message_type != MessageType.method_call:
            continue
        member = message.header.fields.get(HeaderFields.member)
        if member in ("Read", "ReadOne") and tuple(message.body) == KEY:
            inner = ("u", value)
            body = ("v", inner) if member == "Read" else inner  # Read wraps one more variant
            connection.send(new_method_return(message, "v", (body,)))
        elif member == "Set":
            value = int(message.body[0])
            connection.send(new_method_return(message))
            where = DBusAddress(PATH, interface=SETTINGS)
            connection.send(new_signal(where, "SettingChanged", "ssv", (*KEY, ("u", value))))
        else:
            connection.send(new_error(message, "org.freedesktop.DBus.Error.UnknownMethod"))


class SessionBus:
    """A private ``dbus-daemon --session`` and a fake portal on it."""

    def __init__(self, folder: Path) -> None:
        self.daemon = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1",
             f"--address=unix:path={folder / 'bus'}"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.daemon.stdout is not None
        self.address = self.daemon.stdout.readline().strip()
        self.portal: subprocess.Popen[str] | None = None

    def start_portal(self, value: int) -> None:
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address}
        self.portal = subprocess.Popen(
            [sys.executable, __file__, str(value)], env=env, stdout=subprocess.PIPE, text=True
        )
        assert self.portal.stdout is not None
        assert self.portal.stdout.readline().strip() == "ready"

    def set_scheme(self, value: int) -> None:
        """What the desktop does when the user switches: the portal signals it."""
        old = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.address
        try:
            with open_dbus_connection(bus="SESSION") as connection:
                control = DBusAddress(PATH, bus_name=PORTAL, interface=CONTROL)
                connection.send_and_get_reply(
                    new_method_call(control, "Set", "u", (value,)), timeout=5
                )
        finally:
            if old is None:
                del os.environ["DBUS_SESSION_BUS_ADDRESS"]
            else:
                os.environ["DBUS_SESSION_BUS_ADDRESS"] = old

    def close(self) -> None:
        for process in (self.portal, self.daemon):
            if process is not None:
                process.terminate()
                process.wait(5)
        time.sleep(0)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
