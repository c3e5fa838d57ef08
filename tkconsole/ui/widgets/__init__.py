"""ipywidgets drawn with Tk: one small view class per model family, chosen by a registry
table from ``_model_name``; the state lives in ``models/widgets``."""
