"""Platform icons made from assets/icon.png at build time (nothing binary to commit)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def platform_icon(png: Path, out_dir: Path, platform: str = sys.platform) -> Path | None:
    """The icon file PyInstaller wants on ``platform``: an .ico, an .icns, or None.

    Windows embeds an .ico in the executable and macOS puts an .icns in the
    app bundle; Linux executables carry no icon (the window sets the PNG).
    """
    if platform == "win32":
        suffix, options = ".ico", {"sizes": ICO_SIZES}
    elif platform == "darwin":
        suffix, options = ".icns", {}
    else:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"tkconsole{suffix}"
    with Image.open(png) as image:
        image.convert("RGBA").save(target, **options)
    return target
