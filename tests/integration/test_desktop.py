"""The window as a desktop citizen: it follows the system's light/dark, scales with
``Xft.dpi``, comes back where it was, and installs a launcher entry.

The portal is a fake on a private, real dbus-daemon (real D-Bus messages);
gsettings is the real one with its keyfile backend in a temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, wait_for
from fake_portal import SessionBus

from tkconsole.connector import Connector
from tkconsole.models.contrast import parse_hex, relative_luminance
from tkconsole.models.settings import AppearanceSettings, Settings
from tkconsole.ui.mainwindow import MainWindow

DARK_BG, LIGHT_BG = "#212529", "#ffffff"  # bootstrap-dark's and bootstrap-light's Text


@pytest.fixture
def window_on(root, tmp_path):
    made: list[MainWindow] = []

    def factory(settings: Settings | None = None) -> MainWindow:
        window = MainWindow(
            Connector(recent_path=tmp_path / "recent.json"),
            master=root,
            settings=settings or Settings(),
        )
        window.root.geometry("700x400+0+0")
        made.append(window)
        return window

    yield factory
    for window in made:
        if not window.closing:
            window.close()
    from tkconsole.ui.themes import apply_theme

    apply_theme("bootstrap-light")


@pytest.fixture
def bus(tmp_path, monkeypatch):
    if not shutil.which("dbus-daemon"):
        pytest.fail("dbus-daemon is missing: run the README test command")
    session = SessionBus(tmp_path)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session.address)
    yield session
    session.close()


def shown_background(window: MainWindow) -> str:
    """The background a console in the window is drawn with now."""
    tab = window.open_kernel("python3")
    return str(tab.console.text.cget("background"))


def console_background(window: MainWindow) -> str:
    tab = window.tabs.current()
    assert tab is not None
    return str(tab.console.text.cget("background"))


def test_the_theme_follows_the_portal_to_dark_and_back_within_a_second(root, window_on, bus):
    bus.start_portal(2)  # the desktop prefers light
    window = window_on()
    assert shown_background(window) == LIGHT_BG
    for value, background, theme in (
        (1, DARK_BG, "bootstrap-dark"),
        (2, LIGHT_BG, "bootstrap-light"),
    ):
        bus.set_scheme(value)
        start = time.monotonic()
        wait_for(
            root,
            lambda b=background: console_background(window) == b,
            1.0,
            f"the console to turn {background}",
        )
        assert time.monotonic() - start < 1.0 and window.theme == theme


def test_a_dark_desktop_at_start_opens_dark_in_the_configured_dark_theme(root, window_on, bus):
    bus.start_portal(1)
    window = window_on(Settings(appearance=AppearanceSettings(dark_theme="nord-dark")))
    assert window.theme == "nord-dark"
    assert relative_luminance(parse_hex(shown_background(window))) < 0.1  # a dark console


def test_an_explicit_theme_is_never_overridden(root, window_on, bus):
    bus.start_portal(2)
    window = window_on(Settings(appearance=AppearanceSettings(theme="minty-light")))
    assert window.theme == "minty-light" and window.follower is None
    bus.set_scheme(1)  # the desktop goes dark
    end = time.monotonic() + 1.5  # longer than a followed switch takes (test above)
    while time.monotonic() < end:
        root.update()
    assert window.theme == "minty-light"


def test_choosing_a_theme_by_hand_stops_following_and_auto_starts_again(root, window_on, bus):
    bus.start_portal(2)
    window = window_on()
    themes = window.menus["View"].nametowidget(window.menus["View"].entrycget(0, "menu"))
    themes.invoke(themes.index("dracula-dark"))
    assert window.follower is None and window.theme == "dracula-dark"
    themes.invoke(themes.index("Auto (follow the system)"))
    assert window.follower is not None and window.theme == "bootstrap-light"
    bus.set_scheme(1)
    wait_for(root, lambda: window.theme == "bootstrap-dark", 1.0, "the dark theme")
    assert 'theme = "auto"' in Path(window.settings_path()).read_text()


def test_gsettings_color_scheme_is_read_and_followed(root, window_on, tmp_path, monkeypatch):
    if not shutil.which("gsettings"):
        pytest.fail("gsettings is missing: run the README test command")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)  # no portal: gsettings
    monkeypatch.setenv("GSETTINGS_BACKEND", "keyfile")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))

    def gsettings_set(value: str) -> None:
        subprocess.run(
            ["gsettings", "set", "org.gnome.desktop.interface", "color-scheme", value], check=True
        )

    gsettings_set("prefer-dark")
    window = window_on()
    assert window.theme == "bootstrap-dark" and shown_background(window) == DARK_BG
    gsettings_set("default")
    wait_for(root, lambda: console_background(window) == LIGHT_BG, 2.0, "the light theme")


# ------------------------------------------------------------------ scaling
SCALE_PROBE = textwrap.dedent(
    """
    import json, sys, tkinter.font as tkfont
    from tkconsole.app import launch
    window = launch(["--execute", "from IPython.display import Math; Math(r'\\\\frac{a}{b}')"])
    console = window.console
    def check():
        if not (console.is_idle() and console.writer.rich.images):
            window.root.after(50, check); return
        photo = next(iter(console.writer.rich.images.values()))[0]
        font = tkfont.Font(font=console.text.cget("font"))
        console.update()
        out = {"linespace": font.metrics("linespace"), "math_h": photo.height(),
               "scaling": float(window.root.tk.call("tk", "scaling"))}
        from PIL import ImageGrab
        w = window.root
        x, y = w.winfo_rootx(), w.winfo_rooty()
        box = (x, y, x + w.winfo_width(), y + w.winfo_height())
        ImageGrab.grab(bbox=box, xdisplay=sys.argv[2]).save(sys.argv[1])
        print("SCALE " + json.dumps(out), flush=True)
        window.close()
    window.root.after(50, check)
    window.root.mainloop()
    """
)


def run_at_dpi(dpi: int, shot: Path, tmp_path: Path) -> dict:
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write),
            "-screen",
            "0",
            "1600x1200x24",
            "-dpi",
            "96",
            "-noreset",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = ":" + pipe.readline().strip()
    try:
        env = {
            **os.environ,
            "DISPLAY": display,
            "TKCONSOLE_CONFIG_DIR": str(tmp_path / f"config{dpi}"),
            "TKCONSOLE_DATA_DIR": str(tmp_path / f"data{dpi}"),
        }
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        subprocess.run(
            ["xrdb", "-nocpp", "-merge"], input=f"Xft.dpi: {dpi}\n", text=True, env=env, check=True
        )
        done = subprocess.run(
            [sys.executable, "-c", SCALE_PROBE, str(shot), display],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("SCALE ")]
        assert lines, done.stdout + done.stderr
        return json.loads(lines[-1][len("SCALE ") :])
    finally:
        xvfb.terminate()
        xvfb.wait(5)


def test_xft_dpi_192_doubles_the_font_and_the_math(tmp_path):
    shots = os.environ.get("TKCONSOLE_SHOTS")  # docs/images, to refresh the docs' pictures
    normal = run_at_dpi(96, tmp_path / "scale-96.png", tmp_path)
    double = run_at_dpi(192, tmp_path / "scale-192.png", tmp_path)
    assert double["scaling"] == pytest.approx(2 * normal["scaling"], rel=0.01)
    assert double["linespace"] / normal["linespace"] == pytest.approx(2, rel=0.15)
    assert double["math_h"] / normal["math_h"] == pytest.approx(2, rel=0.15)
    for name in ("scale-96.png", "scale-192.png"):
        if shots:
            shutil.copy(tmp_path / name, Path(shots) / name)


# ------------------------------------------------------------------ window place, launcher
PLACE_PROBE = textwrap.dedent(
    """
    import sys
    from tkconsole.connector import Connector
    from tkconsole.ui.mainwindow import MainWindow
    window = MainWindow(Connector())
    window.root.update()
    if sys.argv[1] == "move":
        window.root.geometry("640x420+130+90")
        window.root.update()
    print("GEOMETRY " + window.root.wm_geometry(), flush=True)
    window.close()
    """
)


def test_the_window_comes_back_where_it_was_and_never_off_screen(display, tmp_path):
    env = {
        **os.environ,
        "TKCONSOLE_DATA_DIR": str(tmp_path / "data"),
        "TKCONSOLE_CONFIG_DIR": str(tmp_path / "config"),
    }

    def run(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", PLACE_PROBE, mode],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "GEOMETRY" in done.stdout, done.stderr
        return next(
            line.split()[1] for line in done.stdout.splitlines() if line.startswith("GEOMETRY")
        )

    run("move")
    assert run("stay") == "640x420+130+90"
    saved = tmp_path / "data" / "window.json"
    layouts = json.loads(saved.read_text())
    for key in layouts:  # the same layout, but the window was left far off screen
        layouts[key].update(x=9000, y=-5000, width=5000)
    saved.write_text(json.dumps(layouts))
    width, height, x, y = (int(n) for n in run("stay").replace("+", "x").split("x"))
    assert (width, height) == (1280, 420) and (x, y) == (0, 0)  # the test display: 1280x1024


def test_install_desktop_writes_a_valid_entry_and_icons_and_uninstall_removes_them(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    done = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--install-desktop"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "share" / "applications" / "tkconsole.desktop"
    check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    text = entry.read_text()
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    program = exec_line[len("Exec=") :].split(" -m ")[0].strip('"')
    assert Path(program).is_absolute() and os.access(program, os.X_OK)  # no PATH needed
    launched = subprocess.run(
        [program, "-m", "tkconsole", "--version"],
        env={"PATH": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert launched.stdout.startswith("tkconsole ")
    icons = sorted((tmp_path / "share" / "icons" / "hicolor").glob("*/apps/tkconsole.png"))
    assert len(icons) == 7
    from PIL import Image

    with Image.open(tmp_path / "share/icons/hicolor/48x48/apps/tkconsole.png") as icon:
        assert icon.size == (48, 48)
    done = subprocess.run(
        [sys.executable, "-m", "tkconsole", "--uninstall-desktop"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and not entry.exists()
    assert not list((tmp_path / "share" / "icons").rglob("tkconsole.png"))


def test_screen_reader_names_only_where_tk_has_tk_accessible(root, window_on):
    from tkconsole.ui.accessibility import available, describe

    window = window_on()
    tab = window.open_kernel("python3")
    has_it = tuple(int(p) for p in root.tk.call("info", "patchlevel").split(".")[:2]) >= (9, 1)
    assert available(root) is has_it
    assert describe(tab.console.text, "console") is has_it  # and never raises on Tk 8.6
    if has_it:
        name = root.tk.call("tk", "accessible", "get_acc_name", tab.console.text)
        assert "console" in str(name)
