"""``ConsoleWidget``: the console for embedding in any Tk program.

It wires the UI console to a kernel connection, so callers never see the
transport.  The constructor never blocks on the kernel: output and the
prompt appear as soon as the kernel is ready.
"""

from __future__ import annotations

import tkinter as tk
from typing import Any

from .kernel import connfile
from .kernel.connection import KernelConnection
from .models.settings import load_settings
from .ui.console import Console


class ConsoleWidget(Console):
    """A Jupyter console as a normal Tk widget (pack or grid it anywhere).

    ``kernel_name`` picks a kernelspec to launch (default ``python3``);
    ``connection_file`` attaches to a running kernel instead, found the way
    ``jupyter console --existing`` finds it.  A missing or malformed file
    raises ``ConnectionFileError`` here, before any window work.
    """

    def __init__(
        self,
        master: tk.Misc,
        kernel_name: str | None = None,
        connection_file: str | None = None,
        **kwargs: Any,
    ) -> None:
        if connection_file is not None:
            connection_file = connfile.check(connection_file)
        options = (kwargs.get("settings") or load_settings()).kernel
        connection = KernelConnection(
            kernel_name=kernel_name,
            connection_file=connection_file,
            encryption=options.encryption,
            launch_timeout=float(options.launch_timeout),
        )
        connection.start()  # the kernel boots while the widgets are built
        try:
            super().__init__(master, connection, **kwargs)
        except BaseException:
            connection.shutdown()
            raise
