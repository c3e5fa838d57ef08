"""The freedesktop ``.desktop`` entry that puts tkconsole in the application launcher.

``Exec`` names the interpreter (or the frozen app) by its absolute path,
because a launcher's PATH does not hold the venv tkconsole was installed in.
``StartupWMClass`` is Tk's class for the window (the class name given to Tk,
first letter capitalised), so the launcher groups the window under the entry.
"""

from __future__ import annotations

from collections.abc import Sequence

APP_ID = "tkconsole"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(argument: str) -> str:
    """One argument of an ``Exec`` key, quoted as the specification asks."""
    if argument and not (_RESERVED & set(argument)) and "%" not in argument:
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument).replace("%", "%%")
    return f'"{escaped}"'


def desktop_entry(command: Sequence[str], wm_class: str = "Tkconsole") -> str:
    """The entry's text; ``command``: the program and its arguments to run tkconsole."""
    exec_line = " ".join(exec_quote(part) for part in command)
    # The file format escapes backslashes once more, after Exec's own quoting.
    exec_line = exec_line.replace("\\", "\\\\")
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=tkconsole",
        "GenericName=Jupyter console",
        "Comment=A lightweight desktop console for Jupyter kernels",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Development;",
        "Keywords=jupyter;python;ipython;kernel;console;repl;",
        f"StartupWMClass={wm_class}",
        "StartupNotify=true",
    ]
    return "\n".join(lines) + "\n"
