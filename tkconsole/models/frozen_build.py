"""Facts about the frozen (PyInstaller) build, for every layer that needs them.

Whether we run frozen or windowed, the kernel-mode switch, where kernel logs
go, how CPython would read a command line, and the environment the user had
before the bootloader changed it.  Standard library only, so the kernel
launcher (``kernel/bundle.py``) and the frozen entry point
(``tkconsole/frozen.py``) both import it without pulling in anything else.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

KERNEL_MODE = "--kernel-mode"
LOG_LIMIT = 5_000_000  # bytes of kernel log kept before it is rotated
# The bootloader's library path variables (Linux; AIX), saved as NAME_ORIG.
_LIBRARY_PATH_VARIABLES = ("LD_LIBRARY_PATH", "LIBPATH")

# CPython options that take no value and that we accept (most change nothing
# in a frozen interpreter, whose flags are fixed at build time).
_FLAG_GROUP = re.compile(r"-[bBdEiIOqsSuvVxP]+")


@dataclass
class PythonCommand:
    """A CPython command line: what to run and what ``sys.argv`` becomes."""

    kind: str  # "code" (-c), "module" (-m), "script" (a path), "stdin" (-) or "version"
    target: str  # the code, module name or path ("-" for stdin)
    args: list[str] = field(default_factory=list)  # sys.argv[1:] for the program
    flags: str = ""  # the single-letter flags given before it, e.g. "uB"


def is_frozen() -> bool:
    """True inside a PyInstaller build, where ``sys.executable`` is not Python."""
    return bool(getattr(sys, "frozen", False))


def is_windowed() -> bool:
    """True where the build has no console (Windows, macOS; see tkconsole.spec)."""
    return is_frozen() and sys.platform in ("win32", "darwin")


def kernel_log_path() -> Path:
    """Where windowed builds send kernel stdout/stderr (there is no terminal)."""
    import platformdirs

    return Path(platformdirs.user_log_dir("tkconsole", appauthor=False)) / "kernels.log"


def open_log(path: Path, binary: bool = False) -> IO[Any]:
    """``path`` opened for appending; past ``LOG_LIMIT`` it moves to ``NAME.1`` first.

    So a log that every kernel of every session appends to stays bounded.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.stat().st_size > LOG_LIMIT:
            path.replace(path.with_name(path.name + ".1"))
    except OSError:
        pass  # no log yet, or (Windows) another tkconsole has it open: append
    if binary:
        return open(path, "ab")
    return open(path, "a", buffering=1, encoding="utf-8")


def parse_python_command(argv: list[str]) -> PythonCommand | None:
    """Read ``argv`` (without the program name) as CPython would.

    Returns None when it is not a Python command line, i.e. it is meant for
    tkconsole itself (every tkconsole option is a ``--long`` one).
    """
    flags = ""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-c", "-m"):
            if i + 1 == len(argv):
                return None
            kind = "code" if arg == "-c" else "module"
            return PythonCommand(kind, argv[i + 1], argv[i + 2 :], flags)
        if arg.startswith(("-c", "-m")) and not arg.startswith("--"):  # -cCODE, -mmodule
            kind = "code" if arg[1] == "c" else "module"
            return PythonCommand(kind, arg[2:], argv[i + 1 :], flags)
        if arg == "-":
            return PythonCommand("stdin", "-", argv[i + 1 :], flags)
        if not arg.startswith("-"):
            return PythonCommand("script", arg, argv[i + 1 :], flags)
        if arg in ("-W", "-X"):  # options with a separate value: skip both
            i += 2
            continue
        if arg.startswith(("-W", "-X")):
            i += 1
            continue
        if not _FLAG_GROUP.fullmatch(arg):
            return None
        flags += arg[1:]
        i += 1
    if "V" in flags:  # `python -V` alone: the version, not an interactive prompt
        return PythonCommand("version", "", [], flags)
    return None


def user_environment(env: Mapping[str, str], bundle_dir: str) -> dict[str, str]:
    """``env`` as it was before PyInstaller's bootloader started us.

    The bootloader puts the bundle first on the library path (the user's
    value moves to ``LD_LIBRARY_PATH_ORIG``) and leaves ``_PYI_*`` state for
    itself.  Programs we start inherit both: ``git`` or another Python would
    then load the bundle's libssl or libstdc++.  The dynamic loader read the
    path when we started, so giving the user's value back changes nothing
    for our own process.
    """
    env = dict(env)
    for name in _LIBRARY_PATH_VARIABLES:
        original = env.pop(f"{name}_ORIG", None)
        value = env.get(name, "") if original is None else original
        kept = [entry for entry in value.split(os.pathsep) if entry and entry != bundle_dir]
        if kept:
            env[name] = os.pathsep.join(kept)
        else:
            env.pop(name, None)
    for name in [name for name in env if name.startswith("_PYI_")]:
        del env[name]
    return env
