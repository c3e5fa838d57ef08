"""ttkbootstrap's theme engine and window class, without the rest of its package.

``import ttkbootstrap`` runs a package ``__init__`` that imports every widget
and dialog it ships (date picker, table view, meter, colour dropper with
``PIL.ImageGrab``, toasts, localization): 4.9 MB of RSS in a fresh process
(0.8 MB in the app, which shares most of their imports) and about 35 ms of CPU
that the app's first prompt does not need (issue 14).  The window needs only the style
engine (``ttkbootstrap.style``) and ``ttkbootstrap.window.App``, which do not
depend on that ``__init__``.  So the package module is created without running
its ``__init__``; the first access to a name it would have defined
(``ttkbootstrap.Button``, ``from ttkbootstrap import Meter``) runs it then, on
the same module, so other code (the ipywidgets views) still gets the whole
package.  ttkbootstrap itself is unchanged.
"""

from __future__ import annotations

import importlib.util
import sys
from tkinter import ttk


def _defer_package_init(name: str = "ttkbootstrap") -> None:
    """Register ``name`` as a package whose ``__init__`` runs at first attribute access."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not an ordinary package: import it the usual way
    module, loader = importlib.util.module_from_spec(spec), spec.loader

    def complete(attr: str) -> object:
        if attr.startswith("__") and attr not in ("__all__", "__version__"):
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")
        if importlib.util.find_spec(f"{name}.{attr}") is not None:
            return importlib.import_module(f"{name}.{attr}")  # a submodule: only it
        del module.__dict__["__getattr__"]  # before: the __init__'s own lookups are plain
        loader.exec_module(module)
        return getattr(module, attr)

    module.__dict__["__getattr__"] = complete
    sys.modules[name] = module


def release_icon_font() -> None:
    """Drop the icon font and glyph tables ttkbootstrap keeps after drawing a theme.

    Building a theme draws its arrows and checks from the Bootstrap Icons font
    (``IconRenderer``): the font file, its 2,078-name glyph map and ink boxes
    (JSON) and two FreeType faces stay cached for the process's lifetime,
    2.2 MB of RSS at the app's prompt, to draw nothing more until the next
    theme.  The drawn images are cached elsewhere and stay; the tables load
    again (about 20 ms) if another icon is ever drawn.
    """
    try:
        from ttkbootstrap.style.icons import IconRenderer
    except ImportError:
        return
    for attr, empty in (("_font_bytes", None), ("_glyphmap", None), ("_metrics", None)):
        if hasattr(IconRenderer, attr):
            setattr(IconRenderer, attr, empty)
    if isinstance(getattr(IconRenderer, "_font_cache", None), dict):
        IconRenderer._font_cache = {}


_defer_package_init()

from ttkbootstrap.style import BootMixin, Style  # noqa: E402
from ttkbootstrap.window import App  # noqa: E402


class Frame(BootMixin, ttk.Frame):
    """ttkbootstrap's ``Frame`` (``bootstyle=``), defined here as its package does."""


class Label(BootMixin, ttk.Label):
    """ttkbootstrap's ``Label`` (``bootstyle=``)."""


class Separator(BootMixin, ttk.Separator):
    """ttkbootstrap's ``Separator`` (``bootstyle=``)."""


__all__ = ["App", "Frame", "Label", "Separator", "Style", "release_icon_font"]
