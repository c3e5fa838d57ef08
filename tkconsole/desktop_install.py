"""``tkconsole --install-desktop`` / ``--uninstall-desktop``: the launcher entry and icons.

Files go under the user's data folder (``$XDG_DATA_HOME``, default
``~/.local/share``): ``applications/tkconsole.desktop`` and the icon in the
hicolor sizes, so the desktop's launcher lists tkconsole with its icon.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .models.atomic import atomic_write
from .models.desktop_entry import APP_ID, ICON_SIZES, desktop_entry


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launch_command() -> list[str]:
    """How a launcher starts this very installation, with no PATH to help it."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "tkconsole"]


def entry_path(base: Path | None = None) -> Path:
    return (base or data_home()) / "applications" / f"{APP_ID}.desktop"


def icon_paths(base: Path | None = None) -> list[Path]:
    root = (base or data_home()) / "icons" / "hicolor"
    return [root / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES]


def install(base: Path | None = None) -> list[Path]:
    """Write the entry and the icons; returns the files written."""
    from PIL import Image

    from .ui.themes import icon_path

    source = icon_path()
    written: list[Path] = []
    if source is not None:
        with Image.open(source) as image:
            rgba = image.convert("RGBA")
            for size, path in zip(ICON_SIZES, icon_paths(base), strict=True):
                path.parent.mkdir(parents=True, exist_ok=True)
                rgba.resize((size, size), Image.Resampling.LANCZOS).save(path)
                written.append(path)
    entry = entry_path(base)
    atomic_write(entry, desktop_entry(launch_command()), mode=0o644)
    written.append(entry)
    _refresh_caches(base or data_home())
    return written


def uninstall(base: Path | None = None) -> list[Path]:
    """Remove what ``install`` wrote; returns the files removed."""
    removed = []
    for path in [entry_path(base), *icon_paths(base)]:
        if path.exists():
            path.unlink()
            removed.append(path)
    _refresh_caches(base or data_home())
    return removed


def _refresh_caches(base: Path) -> None:
    """Tell the launcher now rather than at the next login (where the tools exist)."""
    for tool, target in (
        ("update-desktop-database", base / "applications"),
        ("gtk-update-icon-cache", base / "icons" / "hicolor"),
    ):
        program = shutil.which(tool)
        if program and target.is_dir():
            subprocess.run(
                [program, "-q", str(target)] if tool.startswith("update") else
                [program, "-q", "-t", str(target)],
                check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10,
            )  # fmt: skip
