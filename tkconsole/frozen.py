"""The frozen (PyInstaller) executable's entry point: a GUI, a kernel, or Python.

In a frozen build ``sys.executable`` is tkconsole itself.  Jupyter kernels
and the code people run in them call ``sys.executable`` expecting Python:
``subprocess.run([sys.executable, "-c", ...])``, ``-m module``, a script
path.  If the executable answered those by opening another window, a
kernel would start tkconsole, which would start a kernel, and so on.  So
the executable reads its command line the way CPython would first:

- ``--kernel-mode ARGS``: run the bundled ipykernel (``ARGS`` are ipykernel's,
  e.g. ``-f CONNECTION_FILE``); the bundled default kernelspec points here;
- ``-c CODE``, ``-m MODULE``, ``SCRIPT``, ``-`` (after CPython's own flags
  such as ``-u`` or ``-X opt``): behave like the interpreter;
- anything else: the tkconsole GUI with its usual options.

Only the standard library is imported at module level, so the interpreter
and kernel modes never load Tk.  The facts about the build that the kernel
launcher shares live in ``models/frozen_build.py``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

from .models.frozen_build import (
    KERNEL_MODE,
    PythonCommand,
    is_frozen,
    kernel_log_path,
    open_log,
    parse_python_command,
    user_environment,
)


def main(argv: list[str] | None = None) -> int:
    """Run the frozen executable: kernel mode, Python, or the GUI."""
    argv = sys.argv[1:] if argv is None else argv
    if is_frozen():
        _restore_user_environment()
        import multiprocessing

        # Workers of multiprocessing's "spawn" start method re-run this
        # executable with --multiprocessing-fork: PyInstaller's hook runs them.
        multiprocessing.freeze_support()
    if argv[:1] == [KERNEL_MODE]:
        return run_kernel(argv[1:])
    command = parse_python_command(argv)
    if command is not None:
        return run_python(command)
    from .app import main as app_main

    return app_main(argv)


def run_kernel(args: list[str]) -> int:
    """Be the bundled ipykernel (what ``python -m ipykernel_launcher`` does)."""
    _give_missing_streams_a_log()
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=args)
    return 0


def run_python(command: PythonCommand) -> int:
    """Run ``command`` in this process as CPython would; return the exit status."""
    import runpy

    if command.kind == "version" or "V" in command.flags:
        print(f"Python {sys.version.split()[0]}")
        return 0
    if "u" in command.flags:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, io.TextIOWrapper):
                stream.reconfigure(write_through=True)
    if "B" in command.flags:
        sys.dont_write_bytecode = True
    isolated = "I" in command.flags
    if not (isolated or "E" in command.flags):
        extra = os.environ.get("PYTHONPATH", "")
        sys.path[0:0] = [entry for entry in extra.split(os.pathsep) if entry]

    if command.kind == "script":
        path = command.target
        if not os.path.exists(path):
            print(
                f"{Path(sys.executable).name}: can't open file {os.path.abspath(path)!r}: "
                "[Errno 2] No such file or directory",
                file=sys.stderr,
            )
            return 2
        sys.argv = [path, *command.args]
        if os.path.isfile(path) and not isolated:
            sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
        return _guarded(lambda: runpy.run_path(path, run_name="__main__"))

    if not isolated:
        sys.path.insert(0, os.getcwd() if command.kind == "module" else "")
    if command.kind == "module":
        sys.argv = ["-m", *command.args]  # runpy puts the module's path in argv[0]
        return _guarded(
            lambda: runpy.run_module(command.target, run_name="__main__", alter_sys=True)
        )
    if command.kind == "stdin":
        source, filename = sys.stdin.read(), "<stdin>"
    else:
        source, filename = command.target, "<string>"
    sys.argv = [command.target if command.kind == "stdin" else "-c", *command.args]
    return _guarded(lambda: _exec_as_main(source, filename))


def _exec_as_main(source: str, filename: str) -> None:
    import builtins
    import types

    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    exec(compile(source, filename, "exec"), module.__dict__)


def _guarded(run: Callable[[], object]) -> int:
    """Run, printing an uncaught exception as CPython does (status 1).

    Letting it escape would reach PyInstaller's bootloader, which in a
    windowed build shows a dialog box instead of writing to stderr.
    """
    import traceback

    try:
        run()
    except SystemExit:
        raise
    except BaseException as exc:
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_globals.get("__name__") in (__name__, "runpy"):
            tb = tb.tb_next  # CPython shows only the program's own frames
        traceback.print_exception(type(exc), exc, tb)
        return 1
    return 0


def _restore_user_environment() -> None:
    bundle_dir = getattr(sys, "_MEIPASS", "")
    wanted = user_environment(os.environ, bundle_dir)
    for name in [name for name in os.environ if name not in wanted]:
        del os.environ[name]
    os.environ.update(wanted)


def _give_missing_streams_a_log() -> None:
    """Windowed builds may start with no stdout/stderr: send them to the log."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    log = open_log(kernel_log_path())
    # the __std*__ originals too: ipykernel and faulthandler fall back to them
    if sys.stdout is None:
        sys.stdout = log
        sys.__stdout__ = log  # type: ignore[misc, assignment]  # typeshed: Final, never None
    if sys.stderr is None:
        sys.stderr = log
        sys.__stderr__ = log  # type: ignore[misc, assignment]  # typeshed: Final, never None
