"""ipywidgets' models as plain data: the widget manager and its helpers (no Tk)."""

from .manager import ModelObserver, WidgetManager, WidgetModel

__all__ = ["ModelObserver", "WidgetManager", "WidgetModel"]
