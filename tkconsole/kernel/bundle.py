"""Launching kernels from a frozen (PyInstaller) tkconsole.

Frozen, ``sys.executable`` is tkconsole, so the stock ``python3`` kernelspec
(``python -m ipykernel_launcher``) points back at the app.  Here:

- ``python3``, the default kernel, is the bundled ipykernel, started by
  re-invoking our own executable in kernel mode;
- another kernelspec whose command resolves to our executable is rewritten
  to kernel mode when it asks for ipykernel, kept when it asks for
  something we answer like Python (``-c``, ``-m``, a script), and refused
  otherwise: it would open a window, not a kernel;
- kernels get the user's environment, without the library paths the
  bootloader and PyInstaller's runtime hooks set for our own process;
- in windowed builds (Windows, macOS) a kernel's output goes to a log file
  and, on Windows, it gets no console window;
- the bundled kernel declares CurveZMQ support when its ipykernel does, so
  it is launched encrypted like any other (kernel mode reads the keys from
  its connection file).

Not frozen, ``spec_manager`` is jupyter_client's own and the rest changes
nothing, so the pip install behaves exactly as before.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from jupyter_core.paths import jupyter_path
from traitlets import Unicode

from ..models.frozen_build import (
    KERNEL_MODE,
    is_frozen,
    is_windowed,
    kernel_log_path,
    open_log,
    parse_python_command,
    user_environment,
)

BUNDLED_KERNEL = "python3"
# subprocess.CREATE_NO_WINDOW, which exists only on Windows: a console program
# started by a windowed one would otherwise get a console window of its own.
CREATE_NO_WINDOW = 0x08000000
IPYKERNEL_MODULES = ("ipykernel_launcher", "ipykernel")
# What PyInstaller's runtime hooks point into the bundle for our own process;
# an outside Tcl/Tk program (a venv kernel using tkinter) must not inherit it.
_BUNDLE_ONLY_VARIABLES = ("TCL_LIBRARY", "TK_LIBRARY")


class SelfLaunchError(NoSuchKernel):
    """A kernelspec that would start tkconsole itself instead of a kernel."""

    def __str__(self) -> str:
        return f"kernelspec {self.name!r} would start tkconsole itself, not a kernel"


class BundleKernelSpecManager(KernelSpecManager):
    """Kernelspecs as a frozen build whose executable is ``executable`` sees them."""

    executable = Unicode(help="the frozen tkconsole executable")

    def bundled_spec(self) -> KernelSpec:
        """The bundled ipykernel, run as ``executable --kernel-mode -f FILE``."""
        return KernelSpec(
            argv=[self.executable, KERNEL_MODE, "-f", "{connection_file}"],
            display_name="Python 3 (bundled with tkconsole)",
            language="python",
            metadata=_ipykernel_metadata(),
            resource_dir=_ipykernel_resources(),
        )

    def find_kernel_specs(self) -> dict[str, str]:
        specs = super().find_kernel_specs()
        specs[BUNDLED_KERNEL] = _ipykernel_resources()
        return specs

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name.lower() == BUNDLED_KERNEL:
            return self.bundled_spec()
        spec = super().get_kernel_spec(kernel_name)
        spec.argv = self.defuse(kernel_name, spec.argv)
        return spec

    def defuse(self, kernel_name: str, argv: list[str]) -> list[str]:
        """``argv`` made safe to run when its program is our own executable."""
        if not argv or not self.is_self(argv[0]):
            return argv
        command = parse_python_command(argv[1:])
        if command is None:
            raise SelfLaunchError(kernel_name)
        if command.kind == "module" and command.target in IPYKERNEL_MODULES:
            return [self.executable, KERNEL_MODE, *command.args]
        return [self.executable, *argv[1:]]

    def is_self(self, program: str) -> bool:
        """Would jupyter_client run ``program`` as our executable?"""
        major, minor = sys.version_info[:2]
        if program in ("python", f"python{major}", f"python{major}.{minor}"):
            return True  # jupyter_client replaces these with sys.executable
        found = shutil.which(program)
        return found is not None and _same_file(found, self.executable)


def spec_manager() -> KernelSpecManager:
    """The kernelspec manager to launch kernels with, frozen or not."""
    if is_frozen():
        return BundleKernelSpecManager(executable=sys.executable)
    # jupyter_client's defaults import IPython (to find ~/.ipython/kernels,
    # and, for the native python3 spec, through ipykernel): 80 ms and 10+ MB
    # in the GUI process.  The same directories, and the python3 spec that
    # ipykernel installs, are found without it.
    dirs = _kernel_dirs()
    manager = KernelSpecManager(kernel_dirs=dirs, ensure_native_kernel=False)
    if "python3" in manager.find_kernel_specs():
        return manager
    return KernelSpecManager(kernel_dirs=dirs)


def _kernel_dirs() -> list[str]:
    ipython_dir = os.environ.get("IPYTHONDIR") or os.path.join(os.path.expanduser("~"), ".ipython")
    return [*jupyter_path("kernels"), os.path.join(ipython_dir, "kernels")]


def child_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` for a kernel process: the user's, not our bootloader's or hooks'."""
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if not is_frozen() or not bundle_dir:
        return dict(env)
    env = user_environment(env, bundle_dir)
    for name in _BUNDLE_ONLY_VARIABLES:
        if env.get(name, "").startswith(bundle_dir):
            del env[name]  # the bundled kernel's own hooks set them again
    return env


def launch_options() -> dict[str, Any]:
    """Extra ``start_kernel`` arguments: where kernel output goes, and no window.

    A windowed build has no terminal, so a kernel's stdout/stderr would be
    lost (or, on Windows, a console-subsystem kernel would open a console
    window of its own).  The file stays open for restarts, which reuse it.
    """
    if not is_windowed():
        return {}
    log = open_log(kernel_log_path(), binary=True)
    options: dict[str, Any] = {"stdout": log, "stderr": subprocess.STDOUT}
    if sys.platform == "win32":
        options["creationflags"] = CREATE_NO_WINDOW
    return options


def _ipykernel_metadata() -> dict[str, Any]:
    """The bundled ipykernel's own kernelspec metadata (debugger; CurveZMQ since 7.x).

    Taken from ipykernel rather than written here, so the bundled kernel is
    launched encrypted exactly when the ipykernel it ships speaks CurveZMQ.
    Cheap: jupyter_client, which it imports, is loaded already.
    """
    try:
        from ipykernel.kernelspec import get_kernel_dict
    except ImportError:
        return {"debugger": True}
    return dict(get_kernel_dict().get("metadata") or {})


def _same_file(a: str, b: str) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _ipykernel_resources() -> str:
    """ipykernel's logo directory, found without importing ipykernel."""
    spec = importlib.util.find_spec("ipykernel")
    if spec is None or not spec.submodule_search_locations:
        return ""
    return str(Path(next(iter(spec.submodule_search_locations))) / "resources")
