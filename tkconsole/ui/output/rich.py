"""Drawing one MIME bundle into the console's Text at an index.

The choice of representation is ``models.mime.choose``; this module only
knows how to put each kind on screen: images as Tk photo images (scaled to
the kernel's width/height metadata and the screen's DPI), SVG through
resvg-py (``models.svgimage``: cleaned of every external reference first),
Markdown as text tags with its math typeset, HTML through ``htmlview``
(styled text, links, tables as grids), LaTeX typeset with ziamath in the
theme's text colour. Whatever cannot be typeset is shown as its source.
The parsing and typesetting libraries load on first use, not at start.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import shutil
import subprocess
import tkinter as tk
from collections.abc import Callable
from functools import partial
from tkinter import filedialog
from tkinter import font as tkfont
from typing import TYPE_CHECKING, Any, Protocol

from ...models.mime import WIDGET_VIEW, choose
from ..guarded_text import GuardedText
from ..tkparts import paint_menu
from .fold import insert_bounded
from .mathview import MathTypesetter
from .textstyles import SOURCE_TAG

if TYPE_CHECKING:
    from PIL import ImageTk

    from .htmlview import HtmlView

    Photo = tk.PhotoImage | ImageTk.PhotoImage  # Tk decodes PNG and GIF; Pillow the rest

# Size gate: markup past this many characters is shown as its source, folded,
# never handed to a renderer.  Markdown costs about 2 ms per 1,000 characters
# here; HTML 0.75 ms (a 60x20 DataFrame, pandas' largest default display, is
# 31 kB and parses in 23 ms), so HTML gets a larger allowance.
MARKUP_LIMIT = 10_000
HTML_LIMIT = 40_000
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


def _installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it (that costs start time)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _link_target(runs: list[tuple[str, frozenset[str]]], k: int) -> str:
    """A Markdown link's URL: the `` <url>`` run after its text, or the text itself
    (an autolink; ``me@example.org`` is a mail address)."""
    text = runs[k][0].strip()
    if k + 1 < len(runs) and "url" in runs[k + 1][1]:
        shown = runs[k + 1][0].strip()
        if shown.startswith("<") and shown.endswith(">"):
            return shown[1:-1]
    if "@" in text and "://" not in text:
        return "mailto:" + text
    return text


HEADING_GROWTH = (1.6, 1.35, 1.2, 1.1, 1.0, 1.0)  # h1..h6 against the console font


class WidgetEmbedder(Protocol):
    """Views of ipywidgets models (ui/widgets/host.py's ``WidgetHost``)."""

    def view(self, master: tk.Misc, model_id: Any) -> tk.Widget: ...

    def is_block(self, model_id: Any) -> bool:
        """The view is a block of rows (a VBox): it goes under ``Out[n]:``."""

    def viewless_model(self, plain: str) -> str | None:
        """The view-less widget model a text repr ("Z()") stands for, if any."""


class RichRenderer:
    """Renders bundles for one console; keeps its images alive while shown."""

    def __init__(
        self,
        text: GuardedText,
        base_font: tkfont.Font,
        widgets: WidgetEmbedder | None = None,
        fold_at: int = PLAIN_LIMIT,
        before_change: Callable[[], None] = lambda: None,
        prefer_plain_tables: bool = False,
    ) -> None:
        self.text = text
        self.images: dict[str, tuple[Photo, bytes, str]] = {}
        self.base_font = base_font
        self.prefer_plain_tables = prefer_plain_tables
        self._svg = _installed("resvg_py")
        self._math = self._svg and _installed("ziamath")
        self._html: HtmlView | None = None
        self._dark = False
        self.math_sources: dict[str, str] = {}  # image name -> LaTeX, to re-tint on theme change
        self.math = MathTypesetter(
            text, self.math_style, self._show_math, self._retinted, SOURCE_TAG
        )
        # views of widget models (ui/widgets); None: widgets are not drawn
        self.widgets = widgets
        self.fold_at = fold_at  # the writer's, from the settings
        self.before_change = before_change  # the writer's: folds must not split live rows
        self._configure_markdown(base_font)
        text.tag_configure(SOURCE_TAG, elide=True)
        text.bind("<Destroy>", self._on_destroy, add="+")
        # zoom (Editing.set_font_size) tells the console's frame, the text's master
        text.master.bind("<<ConsoleFontChanged>>", lambda _e: self.font_changed(), add="+")

    def can_render(self, mime: str) -> bool:
        if mime == WIDGET_VIEW:
            return self.widgets is not None
        if mime == "image/svg+xml":
            return self._svg
        if mime == "math":
            return self._math
        return True

    def choose(self, data: dict) -> str | None:
        return choose(data, self.can_render, self.prefer_plain_tables)

    def starts_own_line(self, data: dict) -> bool:
        """Whether a result goes on the line under ``Out[n]:`` (several lines, tables)."""
        mime = self.choose(data)
        if mime == WIDGET_VIEW:
            return self.widgets is not None and self.widgets.is_block(data[mime].get("model_id"))
        return mime == "text/html" or (mime == "text/plain" and "\n" in data["text/plain"])

    # ------------------------------------------------------------------ drawing
    def insert(self, index: str, data: dict, metadata: dict, kind: str = "stdout") -> None:
        """Draw the richest representation of ``data`` at ``index`` (no newline after)."""
        mime = self.choose(data)
        if mime is None:
            return
        value = data[mime]
        if mime == "text/plain" and self.widgets is not None:
            viewless = self.widgets.viewless_model(value)  # a widget with no view shows as "Z()"
            if viewless is not None:
                mime, value = WIDGET_VIEW, {"model_id": viewless}
        if mime == WIDGET_VIEW and self.widgets is not None:
            view = self.widgets.view(self.text, value.get("model_id"))
            self.text.window_create(index, window=view, align="top")
            return
        if mime == "image/svg+xml":
            if self._svg_image(index, value, metadata.get(mime, metadata)):
                return
            rest = {k: v for k, v in data.items() if k != mime}  # next best, never raw XML
            self.insert(index, rest, metadata, kind)
            return
        try:
            if mime.startswith("image/"):
                self._image(index, mime, value, metadata.get(mime, metadata))
                return
        except Exception as exc:  # a bad image must not break the console
            self.text.write(index, f"[image could not be shown: {exc}]", ("stderr",))
            return
        limit = {"text/plain": PLAIN_LIMIT, "text/html": HTML_LIMIT}.get(mime, MARKUP_LIMIT)
        if (
            mime.startswith("text/") and len(value) > limit
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
            from ...models.htmltext import html_to_doc  # loaded on first use

            self.html_view().insert(index, html_to_doc(value), kind)
        elif mime == "text/latex" and self._math:
            self._math_image(index, value.strip(), kind, (kind, "md-code"))
        else:
            self.text.write(index, value.rstrip("\n"), (kind,))

    def html_view(self) -> HtmlView:
        if self._html is None:
            from .htmlview import HtmlView  # loaded on first use

            self._html = HtmlView(self.text, self.base_font, self.fonts["strong"])
            self._html.set_dark(self._dark)
        return self._html

    # ------------------------------------------------------------------ typeset math, SVG
    def _zoom(self) -> float:
        scale = float(self.text.tk.call("tk", "scaling")) / BASE_DPI_SCALING
        return scale if scale >= 1.5 else 1.0

    def _svg_image(self, index: str, svg: str, meta: dict) -> bool:
        from ...models.svgimage import svg_to_png  # loaded on first use

        raw = svg_to_png(svg)
        if raw is None:
            return False
        self._image(index, "image/png", base64.b64encode(raw).decode(), meta)
        return True

    def math_style(self) -> tuple[float, str]:
        """Size in pixels and colour of typeset math: the console's font and text colour."""
        points = abs(int(self.base_font.actual("size"))) or 11
        size_px = points * float(self.text.tk.call("tk", "scaling")) * 1.15
        return size_px, str(self.text.cget("foreground"))

    def _math_image(
        self, index: str, latex: str, kind: str, fallback_tags: tuple[str, ...]
    ) -> None:
        """``latex`` at ``index``: its source now, its typeset image when the worker has it
        (``mathview``); the source stays visible if it cannot be typeset."""
        if latex:
            self.math.place(index, latex, fallback_tags)

    def _show_math(self, index: str, raw: bytes, latex: str, tags: tuple[str, ...]) -> None:
        photo = tk.PhotoImage(master=self.text, data=base64.b64encode(raw).decode())
        name = str(photo)
        self.images[name] = (photo, raw, "image/png")
        self.math_sources[name] = latex
        self.text.image_create(index, image=photo, name=name, align="center", padx=1)
        for tag in (*tags, f"img:{name}"):
            self.text.tag_add(tag, name)
        self.text.tag_bind(f"img:{name}", "<Button-3>", partial(self._menu, name=name))

    def _retinted(self, name: str, raw: bytes) -> None:
        photo = self.images[name][0] if name in self.images else None
        if isinstance(photo, tk.PhotoImage):  # a formula: always Tk's own PNG photo
            photo.configure(data=base64.b64encode(raw).decode())
            self.images[name] = (photo, raw, "image/png")

    def _markdown(self, index: str, source: str) -> None:
        from ...models.markdown import render_markdown  # loaded on first use

        runs = render_markdown(source)
        if runs:
            runs[-1] = (runs[-1][0].rstrip("\n"), runs[-1][1])
        mark = f"md{id(runs)}"
        self.text.mark_set(mark, index)
        self.text.mark_gravity(mark, "right")
        try:
            args: list[Any] = []
            for k, (chunk, styles) in enumerate(runs):
                tags = tuple(f"md-{s}" for s in sorted(styles))
                if "link" in styles:
                    tags = (*tags, self.html_view().link_tag(_link_target(runs, k)))
                if self._math and styles & {"math", "mathblock"} and chunk.strip():
                    if args:
                        self.text.write(mark, *args)
                        args = []
                    self._markdown_math(mark, chunk, styles, tags)
                elif chunk:
                    args += (chunk, tags)
            if args:
                self.text.write(mark, *args)
        finally:
            self.text.mark_unset(mark)

    def _markdown_math(
        self, mark: str, chunk: str, styles: frozenset[str], tags: tuple[str, ...]
    ) -> None:
        """A math run: display math on a line of its own, inline math in the line."""
        source = chunk.rstrip("\n")
        latex = f"$\\displaystyle {source}$" if "mathblock" in styles else source
        fallback = (*tags, "md-code")
        self._math_image(mark, latex, "stdout", fallback)
        if chunk.endswith("\n"):
            self.text.write(mark, "\n", tags)

    def _image(self, index: str, mime: str, value: str, meta: dict) -> None:
        raw = base64.b64decode(value)
        photo = self._photo(raw, mime, meta)
        name = str(photo)
        self.images[name] = (photo, raw, mime)
        tag = f"img:{name}"
        self.text.image_create(index, image=photo, name=name)
        self.text.tag_add(tag, name)
        self.text.tag_bind(tag, "<Button-3>", partial(self._menu, name=name))

    def _photo(self, raw: bytes, mime: str, meta: dict[str, Any]) -> Photo:
        from PIL import Image, ImageTk

        image: Image.Image = Image.open(io.BytesIO(raw))
        size = self._target_size(image.size, meta)
        if size != image.size:
            image = image.resize(size, Image.Resampling.LANCZOS)
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
        paint_menu(menu)
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
            parent=self.text, title="Save image", initialfile=f"image.{ext}",
            defaultextension=f".{ext}", filetypes=[(mime, f"*.{ext}")],
        )  # fmt: skip
        if path:
            with open(path, "wb") as f:
                f.write(raw)

    def _on_destroy(self, event: tk.Event) -> None:
        """Let go of the images here, on the Tk thread: left to the cycle collector, a
        PhotoImage can be freed on another thread (the typesetter's, the kernel loop's),
        where deleting it is a Tk call from the wrong thread."""
        if event.widget is self.text:
            self.images.clear()
            self.math_sources.clear()

    def forget_deleted(self) -> None:
        """Drop images whose text was trimmed or cleared away."""
        alive = set(self.text.image_names())
        for name in [n for n in self.images if n not in alive]:
            del self.images[name]
            self.math_sources.pop(name, None)
            self.text.tag_delete(f"img:{name}")  # its right-click binding goes with it
        if self._html is not None:
            self._html.forget_deleted()

    # ------------------------------------------------------------------ tags
    def _configure_markdown(self, base: tkfont.Font) -> None:
        family, size = base.actual("family"), int(base.actual("size"))
        text = self.text
        self.fonts = {}
        for level, grow in zip(range(1, 7), HEADING_GROWTH, strict=True):
            f = tkfont.Font(text, family=family, size=round(size * grow), weight="bold")
            self.fonts[f"h{level}"] = f
            text.tag_configure(f"md-h{level}", font=f, spacing1=4, spacing3=2)
        for style, f in (
            ("em", tkfont.Font(text, family=family, size=size, slant="italic")),
            ("strong", tkfont.Font(text, family=family, size=size, weight="bold")),
        ):
            self.fonts[style] = f
            text.tag_configure(f"md-{style}", font=f)
        text.tag_configure("md-codeblock", lmargin1=12, lmargin2=12)
        text.tag_configure("md-link", underline=True)
        text.tag_configure("md-quote", lmargin1=16, lmargin2=16)
        text.tag_configure("md-strike", overstrike=True)
        text.tag_configure("md-underline", underline=True)
        text.tag_configure("md-mathblock", justify="center")
        self.set_dark(False)

    def font_changed(self) -> None:
        """After a zoom: Markdown's fonts follow the console's size, tables re-measure."""
        size = int(self.base_font.actual("size"))
        for level, grow in zip(range(1, 7), HEADING_GROWTH, strict=True):
            self.fonts[f"h{level}"].configure(size=round(size * grow))
        for style in ("em", "strong"):
            self.fonts[style].configure(size=size)
        if self._html is not None:
            self._html.font_changed()

    def set_dark(self, dark: bool) -> None:
        """Markdown colours for a light or a dark background."""
        colours = MARKDOWN_DARK if dark else MARKDOWN_LIGHT
        for tag, options in colours.items():
            self.text.tag_configure(tag, **options)
        if dark != self._dark:
            for name, latex in self.math_sources.items():
                self.math.retint(name, latex)
        self._dark = dark
        if self._html is not None:
            self._html.set_dark(dark)
