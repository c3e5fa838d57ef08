"""tkconsole: a lightweight Tk console for Jupyter kernels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

__all__ = ["ConsoleWidget", "__version__"]

if TYPE_CHECKING:
    from .embed import ConsoleWidget


def __getattr__(name: str) -> Any:
    # Lazy, so ``python -m tkconsole`` can launch the kernel before Tk loads.
    if name == "ConsoleWidget":
        from .embed import ConsoleWidget

        return ConsoleWidget
    raise AttributeError(name)
