"""Drawing one MIME bundle into the console's Text at an index.

The choice of representation is ``models.mime.choose``; this module only
knows how to put each kind on screen: images as Tk photo images (scaled to
the kernel's width/height metadata and the screen's DPI), Markdown as text
tags, HTML as laid-out plain text, LaTeX as its source.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import tkinter as tk
from tkinter import filedialog
from tkinter import font as tkfont
from typing import Any

from ..models.mime import choose
from .fold import insert_bounded
from .guarded_text import GuardedText

# Size gate: markup past this many characters is shown as its source, folded,
# never handed to a renderer (Markdown/HTML cost 1-2 ms per 1,000 characters here).
MARKUP_LIMIT = 10_000
PLAIN_LIMIT = 10_000  # plain text past this (or with a long line) is drawn bounded
BASE_DPI_SCALING = 96 / 72  # Tk's "tk scaling" on an ordinary 96 dpi screen
IMAGE_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
MARKDOWN_LIGHT = {
    "md-code": {"background": "#eef0f2", "foreground": "#9a3412"},
    "md-codeblock": {"background": "#f3f4f6"},
    "md-link": {"foreground": "#0550ae"},
    "md-url": {"foreground": "#6e7781"},
    "md-quote": {"foreground": "#57606a"},
    "md-listmarker": {"foreground": "#0550ae"},
    "md-hr": {"foreground": "#8c959f"},
}
MARKDOWN_DARK = {
    "md-code": {"background": "#2d333b", "foreground": "#ffa657"},
    "md-codeblock": {"background": "#22272e"},
    "md-link": {"foreground": "#58a6ff"},
    "md-url": {"foreground": "#8b949e"},
    "md-quote": {"foreground": "#8b949e"},
    "md-listmarker": {"foreground": "#58a6ff"},
    "md-hr": {"foreground": "#6e7681"},
}


def _svg_renderer() -> Any:
    try:
        import cairosvg  # optional: not a dependency

        return cairosvg
    except Exception:  # any failure means "no renderer"
        return None


class RichRenderer:
    """Renders bundles for one console; keeps its images alive while shown."""

    def __init__(self, text: GuardedText, base_font: tkfont.Font) -> None:
        self.text = text
        self.images: dict[str, tuple[tk.PhotoImage, bytes, str]] = {}
        self._svg = _svg_renderer()
        self.fold_at = PLAIN_LIMIT  # set by the writer from the settings
        self.before_change = lambda: None  # the writer's: folds must not split live rows
        self._configure_markdown(base_font)

    def can_render(self, mime: str) -> bool:
        return mime != "image/svg+xml" or self._svg is not None

    def choose(self, data: dict) -> str | None:
        return choose(data, self.can_render)

    # ------------------------------------------------------------------ drawing
    def insert(self, index: str, data: dict, metadata: dict, kind: str = "stdout") -> None:
        """Draw the richest representation of ``data`` at ``index`` (no newline after)."""
        mime = self.choose(data)
        if mime is None:
            return
        value = data[mime]
        try:
            if mime.startswith("image/"):
                self._image(index, mime, value, metadata.get(mime, metadata))
                return
        except Exception as exc:  # a bad image must not break the console
            self.text.write(index, f"[image could not be shown: {exc}]", ("stderr",))
            return
        if mime.startswith("text/") and len(value) > (
            PLAIN_LIMIT if mime == "text/plain" else MARKUP_LIMIT
        ):  # the size gate: bounded plain text, whatever the type
            fold_at = min(self.fold_at, PLAIN_LIMIT)
            bounded = value.rstrip("\n")
            insert_bounded(
                self.text, index, bounded, (kind,), fold_at, before_change=self.before_change
            )
            return
        if mime == "text/markdown":
            self._markdown(index, value)
        elif mime == "text/html":
            from ..models.htmltext import html_to_text  # loaded on first use

            self.text.write(index, html_to_text(value).rstrip("\n"), (kind,))
        else:
            self.text.write(index, value.rstrip("\n"), (kind,))

    def _markdown(self, index: str, source: str) -> None:
        from ..models.markdown import render_markdown  # loaded on first use

        args: list[Any] = []
        for chunk, styles in render_markdown(source):
            args += (chunk, tuple(f"md-{s}" for s in sorted(styles)))
        if args and isinstance(args[-2], str):
            args[-2] = args[-2].rstrip("\n")
        if args:
            self.text.write(index, *args)

    def _image(self, index: str, mime: str, value: str, meta: dict) -> None:
        raw = base64.b64decode(value) if mime != "image/svg+xml" else value.encode()
        if mime == "image/svg+xml":
            raw, mime = self._svg.svg2png(bytestring=raw), "image/png"
        photo = self._photo(raw, mime, meta)
        name = str(photo)
        self.images[name] = (photo, raw, mime)
        tag = f"img:{name}"
        self.text.image_create(index, image=photo, name=name)
        self.text.tag_add(tag, name)
        self.text.tag_bind(tag, "<Button-3>", lambda e, n=name: self._menu(e, n))

    def _photo(self, raw: bytes, mime: str, meta: dict) -> tk.PhotoImage:
        from PIL import Image, ImageTk

        image = Image.open(io.BytesIO(raw))
        size = self._target_size(image.size, meta)
        if size != image.size:
            image = image.resize(size, Image.LANCZOS)
        elif mime in ("image/png", "image/gif"):
            # Tk decodes these itself, faster than a Pillow round trip
            return tk.PhotoImage(master=self.text, data=base64.b64encode(raw).decode())
        return ImageTk.PhotoImage(image, master=self.text)

    def _target_size(self, size: tuple[int, int], meta: dict) -> tuple[int, int]:
        """Honour width/height metadata, then scale for a high-DPI screen."""
        w, h = size
        want_w, want_h = meta.get("width"), meta.get("height")
        if isinstance(want_w, int | float) and want_w > 0:
            h = round(h * want_w / w) if not want_h else int(want_h)
            w = int(want_w)
        elif isinstance(want_h, int | float) and want_h > 0:
            w, h = round(w * want_h / h), int(want_h)
        scale = float(self.text.tk.call("tk", "scaling")) / BASE_DPI_SCALING
        if scale >= 1.5:  # only clearly high-DPI screens: avoid blurring
            w, h = round(w * scale), round(h * scale)
        return max(1, w), max(1, h)

    # ------------------------------------------------------------------ image menu
    def _menu(self, event: tk.Event, name: str) -> None:
        menu = tk.Menu(self.text, tearoff=False)
        menu.add_command(label="Copy image", command=lambda: self.copy_image(name))
        menu.add_command(label="Save image as…", command=lambda: self.save_image(name))
        menu.tk_popup(event.x_root, event.y_root)

    def copy_image(self, name: str) -> None:
        """PNG on the clipboard where xclip can put it there; else a data URI."""
        _photo, raw, mime = self.images[name]
        xclip = shutil.which("xclip")
        if xclip and self.text.tk.call("tk", "windowingsystem") == "x11":
            subprocess.run(
                [xclip, "-selection", "clipboard", "-t", mime], input=raw, check=False, timeout=5
            )
            return
        self.text.clipboard_clear()
        self.text.clipboard_append(f"data:{mime};base64," + base64.b64encode(raw).decode())

    def save_image(self, name: str, path: str | None = None) -> None:
        _photo, raw, mime = self.images[name]
        ext = IMAGE_EXT.get(mime, "png")
        path = path or filedialog.asksaveasfilename(
            parent=self.text, defaultextension=f".{ext}", filetypes=[(mime, f"*.{ext}")]
        )
        if path:
            with open(path, "wb") as f:
                f.write(raw)

    def forget_deleted(self) -> None:
        """Drop images whose text was trimmed or cleared away."""
        alive = set(self.text.image_names())
        for name in [n for n in self.images if n not in alive]:
            del self.images[name]

    # ------------------------------------------------------------------ tags
    def _configure_markdown(self, base: tkfont.Font) -> None:
        family, size = base.actual("family"), int(base.actual("size"))
        text = self.text
        self.fonts = {}
        for level, grow in zip(range(1, 7), (1.6, 1.35, 1.2, 1.1, 1.0, 1.0), strict=True):
            f = tkfont.Font(text, family=family, size=round(size * grow), weight="bold")
            self.fonts[f"h{level}"] = f
            text.tag_configure(f"md-h{level}", font=f, spacing1=4, spacing3=2)
        for style, opts in (
            ("em", {"slant": "italic"}),
            ("strong", {"weight": "bold"}),
        ):
            f = tkfont.Font(text, family=family, size=size, **opts)
            self.fonts[style] = f
            text.tag_configure(f"md-{style}", font=f)
        text.tag_configure("md-codeblock", lmargin1=12, lmargin2=12)
        text.tag_configure("md-link", underline=True)
        text.tag_configure("md-quote", lmargin1=16, lmargin2=16)
        self.set_dark(False)

    def set_dark(self, dark: bool) -> None:
        """Markdown colours for a light or a dark background."""
        colours = MARKDOWN_DARK if dark else MARKDOWN_LIGHT
        for tag, options in colours.items():
            self.text.tag_configure(tag, **options)
