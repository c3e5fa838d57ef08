"""The standard library modules the bundle carries, found without importing them.

PyInstaller collects only what the app imports, but the bundled kernel is
a Python that people type ``import sqlite3`` or run ``-m json.tool`` in, so
the bundle takes the whole standard library except the parts below.
"""

from __future__ import annotations

import importlib.util
import pkgutil
import sys

SKIPPED = {
    # Applications and demos, not libraries.
    "idlelib",
    "turtledemo",
    # Tools that build environments around a real interpreter layout, which a
    # frozen executable is not; and deprecated ones.
    "ensurepip",
    "venv",
    "distutils",
    "lib2to3",
    # CPython's own test suite.
    "test",
}


def is_test_module(name: str) -> bool:
    """CPython's test modules: ``test``, ``*.test(s)``, ``_test*``, ``xx*`` samples."""
    parts = name.split(".")
    return (
        any(part in ("test", "tests", "idle_test") for part in parts)
        or parts[0].startswith(("_test", "_xxtest", "xx", "_ctypes_test"))
        or parts[0] == "_xxsubinterpreters"
    )


def stdlib_modules() -> list[str]:
    """Every importable standard library module name on this platform, sorted."""
    names: list[str] = []
    for top in sorted(sys.stdlib_module_names):
        if top in SKIPPED or is_test_module(top):
            continue
        spec = importlib.util.find_spec(top)
        if spec is None:
            continue  # another platform's module (winreg, msvcrt, ...)
        names.append(top)
        if spec.submodule_search_locations:
            names.extend(_submodules(top, list(spec.submodule_search_locations)))
    return sorted(name for name in names if not is_test_module(name))


def _submodules(package: str, path: list[str]) -> list[str]:
    found: list[str] = []
    for info in pkgutil.iter_modules(path, prefix=f"{package}."):
        if is_test_module(info.name):
            continue
        found.append(info.name)
        if info.ispkg:
            spec = info.module_finder.find_spec(info.name)
            if spec is not None and spec.submodule_search_locations:
                found.extend(_submodules(info.name, list(spec.submodule_search_locations)))
    return found
