"""ipympl's figure (``%matplotlib widget``): drawn from the frames the kernel sends.

The kernel renders; this view shows its PNG frames (a ``diff`` frame is
composited over the last one), sends mouse events in figure pixels, runs the
toolbar (home, back, forward, pan, zoom, save) and asks for a smaller figure
when the console is narrower than it.  The messages are matplotlib's
WebAgg ones, as ipympl carries them in ``custom`` widget messages.
"""

from __future__ import annotations

import io
import json
import tkinter as tk
from functools import partial
from tkinter import filedialog, ttk
from typing import Any

import ttkbootstrap as tb
from PIL import Image, ImageTk

from ...models.widgets.values import number
from ..bindings import modifier_state
from .base import WidgetView, plain

MAX_FRAME_BYTES = 64 * 1024 * 1024
TOOLS = (("home", "Home"), ("back", "Back"), ("forward", "Forward"),
         ("pan", "Pan"), ("zoom", "Zoom"), ("download", "Save"))  # fmt: skip
RESIZE_DELAY_MS = 150
MARGIN = 40  # px the figure leaves free in the console's width
BUTTON_MASKS = ((0x100, 1), (0x400, 2), (0x200, 4))  # Tk state bit -> JS "buttons" bit


class CanvasView(WidgetView):
    def build(self) -> None:
        self.header = ttk.Label(self.body)
        self.toolbar = ttk.Frame(self.body)
        self.canvas = tk.Canvas(
            self.body, width=1, height=1, highlightthickness=0, cursor="crosshair"
        )
        self.footer = ttk.Label(self.body, foreground="#57606a")
        self.header.pack(side="top", anchor="w")
        self.canvas.pack(side="top", anchor="w")
        self.footer.pack(side="top", anchor="w", fill="x")
        self.frame: Image.Image | None = None
        self.photo: ImageTk.PhotoImage | None = None
        self._item = self.canvas.create_image(0, 0, anchor="nw")
        self._band = self.canvas.create_rectangle(
            0, 0, 0, 0, outline="#000000", dash=(3, 3), state="hidden"
        )
        self._motion: dict | None = None
        self._motion_after: str | None = None
        self._resize_after: str | None = None
        self._natural: tuple[int, int] | None = None
        self._toolbar_model = self.host.manager.resolve(self.get("toolbar"))
        self._tool_vars: dict[str, tk.BooleanVar] = {}
        self._build_toolbar()
        self._bind_mouse()
        self.host.on_resize(self, self._console_resized)
        if self.model.model_id not in self.host.initialized:  # once per figure, as ipympl's model
            self.host.initialized.add(self.model.model_id)
            for kind in ("send_image_mode", "refresh", "initialized"):
                self._send({"type": kind})
        else:
            self._send({"type": "refresh"})

    # ------------------------------------------------------------ toolbar
    def _build_toolbar(self) -> None:
        for name, label in TOOLS:
            if name in ("pan", "zoom"):
                var = self._tool_vars[name] = tk.BooleanVar(self)
                button: ttk.Widget = tb.Checkbutton(
                    self.toolbar, text=label, variable=var, bootstyle="outline-toolbutton",
                    command=lambda n=name: self._tool(n),
                )  # fmt: skip
            else:
                command = lambda n=name: self._tool(n)  # noqa: E731
                button = tb.Button(self.toolbar, text=label, bootstyle="outline", command=command)
            button.pack(side="left", padx=1)

    def _tool(self, name: str) -> None:
        if name == "download":
            self.save()
            return
        target = (
            self._toolbar_model.model_id if self._toolbar_model is not None else self.model.model_id
        )
        self.host.manager.send_custom(target, {"type": "toolbar_button", "name": name})
        if name in ("pan", "zoom") and self._toolbar_model is not None:
            current = self._toolbar_model.get("_current_action")
            action = "" if current == name else name
            self.host.manager.set_state(self._toolbar_model.model_id, {"_current_action": action})
            for tool, var in self._tool_vars.items():
                var.set(tool == action)

    def save(self, path: str | None = None) -> None:
        """The figure as shown, to a PNG file."""
        if self.frame is None:
            return
        path = path or filedialog.asksaveasfilename(
            parent=self, title="Save figure", initialfile="figure.png",
            defaultextension=".png", filetypes=[("PNG image", "*.png")],
        )  # fmt: skip
        if path:
            self.frame.save(path, format="PNG")

    # ------------------------------------------------------------ state
    def refresh(self, keys: set[str]) -> None:
        label = plain(self.get("_figure_label"))
        self.header.configure(text=label)
        if self.get("header_visible", True) and label:
            self.header.pack(side="top", anchor="w", before=self.canvas)
        else:
            self.header.pack_forget()
        message = self.get("_message")
        self.footer.configure(text=message if isinstance(message, str) else "")
        visible = self.get("toolbar_visible", True) not in (False, "hidden")
        if visible:
            self.toolbar.pack(side="top", anchor="w", before=self.canvas)
        else:
            self.toolbar.pack_forget()
        if "_size" in keys:
            size = self.get("_size")
            if isinstance(size, list | tuple) and len(size) == 2:
                w, h = int(number(size[0])), int(number(size[1]))
                if w > 0 and h > 0 and self.frame is None:
                    self._natural = self._natural or (w, h)
                    self.canvas.configure(width=w, height=h)

    def model_custom(self, content: dict, buffers: list[bytes]) -> None:
        raw = content.get("data")
        try:
            message = json.loads(raw) if isinstance(raw, str) else {}
        except ValueError:
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "binary" and buffers:
            self._show_frame(buffers[0])
        elif kind == "draw":
            self._send({"type": "draw"})
        elif kind == "rubberband":
            self._rubberband(message)
        elif kind == "navigate_mode":
            mode = str(message.get("mode", "")).lower()
            for tool, var in self._tool_vars.items():
                var.set(tool == mode)

    def _show_frame(self, png: bytes) -> None:
        if len(png) > MAX_FRAME_BYTES:
            return
        try:
            image = Image.open(io.BytesIO(png)).convert("RGBA")
        except Exception:  # a frame Pillow cannot read is skipped
            return
        diff = self.get("_image_mode") == "diff"
        if diff and self.frame is not None and self.frame.size == image.size:
            self.frame = Image.alpha_composite(self.frame, image)
        else:
            self.frame = image
        self.photo = ImageTk.PhotoImage(self.frame, master=self)
        self.canvas.itemconfigure(self._item, image=self.photo)
        self.canvas.configure(width=self.frame.width, height=self.frame.height)
        self._natural = self._natural or self.frame.size
        self.frames_shown = getattr(self, "frames_shown", 0) + 1
        self._send({"type": "ack"})

    def _rubberband(self, message: dict) -> None:
        coords = [number(message.get(k), -1) for k in ("x0", "y0", "x1", "y1")]
        if self.frame is None or min(coords) < 0:
            self.canvas.itemconfigure(self._band, state="hidden")
            return
        height = self.frame.height
        x0, y0, x1, y1 = coords
        self.canvas.coords(self._band, x0, height - y0, x1, height - y1)
        self.canvas.itemconfigure(self._band, state="normal")
        self.canvas.tag_raise(self._band)

    # ------------------------------------------------------------ mouse
    def _bind_mouse(self) -> None:
        c = self.canvas
        for number_ in (1, 2, 3):
            c.bind(
                f"<ButtonPress-{number_}>",
                partial(self._button, kind="button_press", number_=number_),
            )
            c.bind(
                f"<ButtonRelease-{number_}>",
                partial(self._button, kind="button_release", number_=number_),
            )
            c.bind(
                f"<Double-Button-{number_}>",
                partial(self._button, kind="dblclick", number_=number_),
            )
        c.bind("<Motion>", self._moved)
        c.bind("<Enter>", lambda e: self._mouse(e, "figure_enter", 0))
        c.bind("<Leave>", lambda e: self._mouse(e, "figure_leave", 0))
        c.bind("<Button-4>", lambda e: self._scroll(e, 1))
        c.bind("<Button-5>", lambda e: self._scroll(e, -1))
        c.bind("<MouseWheel>", lambda e: self._scroll(e, 1 if e.delta > 0 else -1))

    def _event(self, event: tk.Event, kind: str, button: int, buttons: int | None = None) -> dict:
        state = modifier_state(event)
        mask = buttons if buttons is not None else _buttons(state)
        modifiers = [name for bit, name in ((4, "ctrl"), (1, "shift"), (8, "alt")) if state & bit]
        return {
            "type": kind, "x": event.x, "y": event.y, "button": button, "buttons": mask,
            "step": 0, "modifiers": modifiers,
        }  # fmt: skip

    def _mouse(self, event: tk.Event, kind: str, button: int) -> None:
        self._send(self._event(event, kind, button))

    def _button(self, event: tk.Event, kind: str, number_: int) -> None:
        self._flush_motion()
        js_button = {1: 0, 2: 1, 3: 2}[number_]
        bit = {1: 1, 2: 4, 3: 2}[number_]
        held = _buttons(modifier_state(event))
        after = held | bit if kind != "button_release" else held & ~bit
        self._send(self._event(event, kind, js_button, after))

    def _moved(self, event: tk.Event) -> None:
        """Motion is throttled (``pan_zoom_throttle`` ms): the latest position wins."""
        self._motion = self._event(event, "motion_notify", 0)
        if self._motion_after is None:
            delay = int(min(max(number(self.get("pan_zoom_throttle"), 33.0), 0), 1000))
            self._motion_after = self.after(delay, self._flush_motion)

    def _flush_motion(self) -> None:
        if self._motion_after is not None:
            self.after_cancel(self._motion_after)
            self._motion_after = None
        motion, self._motion = self._motion, None
        if motion is not None:
            self._send(motion)

    def _scroll(self, event: tk.Event, step: int) -> str | None:
        if not self.get("capture_scroll"):
            return None  # the console scrolls, as a notebook page does
        message = self._event(event, "scroll", 0)
        message["step"] = step
        self._send(message)
        return "break"

    # ------------------------------------------------------------ resizing
    def _console_resized(self, width: int) -> None:
        if self._natural is None or not self.get("resizable", True):
            return
        natural_w, natural_h = self._natural
        want = min(natural_w, max(100, width - MARGIN))
        current = self.frame.width if self.frame is not None else natural_w
        if abs(want - current) < 4:
            return
        if self._resize_after is not None:
            self.after_cancel(self._resize_after)
        height = round(natural_h * want / natural_w)
        self._resize_after = self.after(RESIZE_DELAY_MS, self._resize, want, height)

    def _resize(self, width: int, height: int) -> None:
        self._resize_after = None
        self._send({"type": "resize", "width": width, "height": height})

    def _send(self, content: dict[str, Any]) -> None:
        self.host.manager.send_custom(self.model.model_id, content)


def _buttons(state: int) -> int:
    mask = 0
    for tk_bit, js_bit in BUTTON_MASKS:
        if state & tk_bit:
            mask |= js_bit
    return mask
