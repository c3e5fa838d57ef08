"""Build the desktop app: ``python packaging/build.py`` leaves ``dist/tkconsole/``.

Runs in the Python that runs it: installs PyInstaller there if missing (and
tkconsole's dependencies, if any is missing, by installing this checkout),
builds packaging/tkconsole.spec, checks that the result answers ``-c`` like
a Python interpreter, and prints its size and how long the build took.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "tkconsole.spec"
PYINSTALLER = "pyinstaller>=6.10,<7"
# Import names of tkconsole's runtime dependencies (pyproject.toml).
RUNTIME_MODULES = (
    "zmq",
    "jupyter_client",
    "ipykernel",
    "ttkbootstrap",
    "platformdirs",
    "pygments",
    "PIL",
    "tornado",
)


def ensure_installed() -> None:
    """Install PyInstaller and tkconsole's dependencies where they are missing."""
    if importlib.util.find_spec("PyInstaller") is None:
        _pip(PYINSTALLER)
    if any(importlib.util.find_spec(name) is None for name in RUNTIME_MODULES):
        _pip(str(ROOT))


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; return the app folder (``dist/tkconsole``)."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / "tkconsole"


def executable(app_dir: Path) -> Path:
    """The app's executable inside its folder."""
    return app_dir / ("tkconsole.exe" if sys.platform == "win32" else "tkconsole")


def smoke_test(exe: Path) -> None:
    """Fail unless the bundle runs Python code (the kernel's ``sys.executable``)."""
    result = subprocess.run(
        [str(exe), "-c", "print(6 * 7)"], capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0 or result.stdout.strip() != "42":
        raise SystemExit(f"the bundle does not run Python: {result!r}")


def tree_size(path: Path) -> int:
    """Bytes in the files under ``path``, symbolic links counted once."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="scratch folder"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    ensure_installed()
    app_dir = build(args.dist.resolve(), args.work.resolve())
    seconds = time.monotonic() - started
    smoke_test(executable(app_dir))
    size = tree_size(app_dir) / 1e6
    print(f"built {app_dir} in {seconds:.0f} s: {size:.1f} MB")
    return 0


def _pip(requirement: str) -> None:
    print(f"installing {requirement}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", requirement], check=True)


if __name__ == "__main__":
    sys.exit(main())
