"""The "Save image…" dialog of an image in the console has a title."""

from __future__ import annotations

import base64
import io

from conftest import run_and_wait
from PIL import Image


def test_save_image_dialog_is_titled_and_cancel_saves_nothing(root, make_console, tmp_path):
    console = make_console()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(buffer, "PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    code = (
        "import base64; from IPython.display import Image, display; "
        f"display(Image(data=base64.b64decode('{data}')))"
    )
    run_and_wait(root, console, code)
    (name,) = console.text.image_names()
    seen: list[tuple[str, str]] = []

    def answer() -> None:  # the dialog waits in its own loop: look, then press Cancel
        dialog = f"{console.text}.__tk_filedialog"
        if not root.tk.call("winfo", "exists", dialog):
            root.after(20, answer)
            return
        try:
            entry = root.tk.call(f"{dialog}.contents.f2.ent", "get")
            seen.append((str(root.tk.call("wm", "title", dialog)), str(entry)))
        finally:  # never leave the test waiting on an open dialog
            root.tk.call("::tk::dialog::file::CancelCmd", dialog)

    root.after(20, answer)
    console.writer.rich.save_image(name)  # as the right-click menu's "Save image…" does
    assert seen == [("Save image", "image.png")]
