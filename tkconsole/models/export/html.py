"""A session as one self-contained HTML page: no script, no network.

Images become data URIs, ANSI colours become styled spans, Markdown and
HTML outputs are rendered, formulas typeset as MathML and pandas Styler's cell
colours kept (htmlextras.py).  Everything from the kernel is escaped or passed
through the ``nh3`` sanitiser (Ammonia), which removes scripts, event
handlers, sheets and every inline style but colours and bold; images that
would load from the network are dropped, so the page reads the same offline
and runs nothing when opened.
"""

from __future__ import annotations

import base64
import html
from typing import Any

import nh3
from markdown_it import MarkdownIt

from ..ansi import AnsiParser, Color, Style, Text
from ..mime import WIDGET_VIEW
from ..record import CellRecord, SessionRecord
from ..widgets.barcolours import JUPYTERLAB_FILLS
from .htmlextras import STYLE_PROPERTIES, inline_id_styles, latex_html, with_math
from .widgethtml import Snapshot

IMAGES = ("image/png", "image/jpeg", "image/gif")
RICH_ORDER = (*IMAGES, "image/svg+xml", "text/html", "text/markdown", "text/latex", "text/plain")
BASIC = (
    "#000000", "#cd3131", "#0dbc79", "#949800", "#2472c8", "#bc3fbc", "#0f8a9e", "#5f6368",
    "#666666", "#e0443e", "#11a468", "#a5a400", "#3b8eea", "#d670d6", "#1a9fb3", "#333333",
)  # fmt: skip  # the 16 ANSI colours, darkened where needed to read on white
CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #1f2328; }
.cell { margin: 0 0 1.2em; }
pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; margin: 0;
      white-space: pre-wrap; word-break: break-all; }
.prompt { color: #0550ae; font-family: ui-monospace, monospace; font-size: 0.9em; }
.out-prompt { color: #b42318; }
.input { background: #f6f8fa; padding: 0.4em 0.6em; border-radius: 4px; }
.output { padding: 0.3em 0.6em; }
.stderr { background: #fff5f5; }
.rich img { max-width: 100%; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: 2px 6px; }
.widget { margin: 0.2em 0; }
""" + "".join(  # progress bars in JupyterLab's colours, as the console draws them
    f"progress{'.' + name if name else ''} {{ accent-color: {fill}; }}\n"
    for name, fill in JUPYTERLAB_FILLS.items()
)
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def session_html(record: SessionRecord) -> str:
    """The whole page for ``record``."""
    title = html.escape(record.display_name or record.kernel_name or "tkconsole session")
    models = record.widget_state.get("state") if record.widget_state else None
    widgets = Snapshot(models if isinstance(models, dict) else {})
    cells = "\n".join(_cell(cell, widgets) for cell in record.cells)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n{cells}\n</body>\n</html>\n"
    )


def _cell(cell: CellRecord, widgets: Snapshot) -> str:
    count = "" if cell.execution_count is None else str(cell.execution_count)
    parts = [
        '<div class="cell">',
        f'<div class="prompt">In [{count}]:</div>',
        f'<pre class="input">{html.escape(cell.source)}</pre>',
    ]
    parts += [_output(output, count, widgets) for output in cell.outputs]
    parts.append("</div>")
    return "\n".join(parts)


def _output(output: dict[str, Any], count: str, widgets: Snapshot) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        name = "stderr" if output.get("name") == "stderr" else "stdout"
        text = _joined(output.get("text", ""))
        return f'<pre class="output {name}">{ansi_html(text)}</pre>'
    if kind == "error":
        fallback = f"{output.get('ename', '')}: {output.get('evalue', '')}"
        trace = output.get("traceback") or [fallback]
        text = "\n".join(str(line) for line in trace)
        return f'<pre class="output stderr">{ansi_html(text)}</pre>'
    if kind in ("execute_result", "display_data"):
        data = output.get("data") or {}
        view = data.get(WIDGET_VIEW)
        body = widgets.widget(view.get("model_id")) if isinstance(view, dict) else None
        body = body or rich_html(data)
        if kind == "execute_result":
            prompt = f'<div class="prompt out-prompt">Out[{count}]:</div>'
            return f'{prompt}<div class="output rich">{body}</div>'
        return f'<div class="output rich">{body}</div>'
    return ""


def rich_html(data: dict[str, Any]) -> str:
    """The richest representation of a MIME bundle, safe to embed."""
    for mime in RICH_ORDER:
        value = data.get(mime)
        if value is None or value == "":
            continue
        value = _joined(value)
        if mime in IMAGES:
            payload = "".join(value.split())
            return f'<img alt="{mime}" src="data:{mime};base64,{html.escape(payload)}">'
        if mime == "image/svg+xml":  # an <img> never runs an SVG's scripts
            encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
            return f'<img alt="svg" src="data:image/svg+xml;base64,{encoded}">'
        if mime == "text/html":
            return sanitise(inline_id_styles(value))
        if mime == "text/markdown":
            return with_math(value, lambda source: sanitise(_MARKDOWN.render(source)))
        if mime == "text/latex":
            return f"<div>{latex_html(value)}</div>"
        return f"<pre>{ansi_html(value)}</pre>"
    return ""


def sanitise(fragment: str) -> str:
    """Kernel HTML without scripts, handlers, sheets or network images; of inline
    styles only the colours and bold the console itself shows."""
    clean = nh3.clean(
        fragment,
        attributes={**nh3.ALLOWED_ATTRIBUTES, "*": {*nh3.ALLOWED_ATTRIBUTES.get("*", ()), "style"}},
        filter_style_properties=STYLE_PROPERTIES,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=_no_remote_images,
        link_rel="noopener noreferrer",
    )
    return clean.replace(' style=""', "")  # a style with nothing the console shows


def _no_remote_images(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "src" and not value.startswith("data:image/"):
        return None
    return value


def ansi_html(text: str) -> str:
    """Text with ANSI escapes as escaped HTML with one styled span per coloured run."""
    parser = AnsiParser()
    out: list[str] = []
    for segment in [*parser.feed(text), *parser.flush()]:
        if not isinstance(segment, Text):
            continue  # cursor controls: the text as written is what a notebook shows too
        escaped = html.escape(segment.text, quote=False)
        css = _css(segment.style)
        out.append(f'<span style="{css}">{escaped}</span>' if css else escaped)
    return "".join(out)


def _css(style: Style) -> str:
    fg: Color | str = style.fg
    bg: Color | str = style.bg
    if style.inverse:
        fg, bg = bg if bg is not None else "#ffffff", fg if fg is not None else "#1f2328"
    rules = []
    if fg is not None:
        rules.append(f"color: {_colour(fg)}")
    if bg is not None:
        rules.append(f"background-color: {_colour(bg)}")
    if style.bold:
        rules.append("font-weight: bold")
    if style.faint:
        rules.append("opacity: 0.7")
    if style.italic:
        rules.append("font-style: italic")
    decoration = [
        name for name, flag in (("underline", style.underline), ("line-through", style.strike))
        if flag
    ]  # fmt: skip
    if decoration:
        rules.append("text-decoration: " + " ".join(decoration))
    return "; ".join(rules)


def _colour(colour: Color | str) -> str:
    if isinstance(colour, str):
        return colour
    if isinstance(colour, tuple):
        return "#{:02x}{:02x}{:02x}".format(*colour)
    return palette(int(colour or 0))


def palette(index: int) -> str:
    """xterm's 256-colour palette as ``#rrggbb``."""
    if index < 16:
        return BASIC[max(index, 0)]
    if index < 232:
        index -= 16
        levels = (0, 95, 135, 175, 215, 255)
        r, g, b = levels[index // 36], levels[index // 6 % 6], levels[index % 6]
        return f"#{r:02x}{g:02x}{b:02x}"
    grey = 8 + 10 * (min(index, 255) - 232)
    return f"#{grey:02x}{grey:02x}{grey:02x}"


def _joined(value: Any) -> str:
    """nbformat allows multi-line strings as lists of lines."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return value if isinstance(value, str) else str(value)
