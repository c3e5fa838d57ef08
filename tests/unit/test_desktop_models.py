"""The desktop's light/dark, scale, window place and launcher entry: pure decisions."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models import appearance as look
from tkconsole.models.desktop_entry import desktop_entry, exec_quote
from tkconsole.models.settings import settings_from_dict
from tkconsole.models.window_layout import (
    Placement,
    fit_on_screen,
    load_layouts,
    parse_geometry,
    save_layout,
)


def test_each_platform_answer_reads_as_light_or_dark() -> None:
    assert [look.scheme_from_portal(v) for v in (0, 1, 2, True, "1")] == [
        "unknown", "dark", "light", "unknown", "unknown",
    ]  # fmt: skip
    assert look.scheme_from_gsettings("'prefer-dark'\n") == "dark"
    assert look.scheme_from_gsettings("color-scheme: 'default'") == "light"  # a monitor line
    assert look.scheme_from_gtk_theme("'Adwaita-dark'") == "dark"
    assert look.scheme_from_gtk_theme("'Adwaita'") == "light"
    kde = "[General]\nX=1\n[Colors:Window]\nBackgroundNormal=35,38,41\n"
    assert look.scheme_from_kdeglobals(kde) == "dark"
    assert look.scheme_from_kdeglobals(kde.replace("35,38,41", "239,240,241")) == "light"
    assert look.scheme_from_windows(0) == "dark" and look.scheme_from_windows(1) == "light"
    assert look.scheme_from_macos("Dark\n", 0) == "dark"
    assert look.scheme_from_macos("", 1) == "light"  # the key is absent in light mode


def test_auto_picks_the_configured_pair_and_a_name_always_wins() -> None:
    assert look.choose_theme("auto", "dark", "flatly", "darkly") == "darkly"
    assert look.choose_theme("auto", "unknown", "flatly", "darkly") == "flatly"
    assert look.choose_theme("superhero", "light", "flatly", "darkly") == "superhero"


def test_xft_dpi_and_the_scale_it_gives() -> None:
    resources = "Xft.antialias:\t1\nXft.dpi:\t192\nXft.hinting:\t1\n"
    assert look.xft_dpi(resources) == 192.0
    assert look.xft_dpi("Xcursor.size: 24\n") is None
    assert look.xft_dpi("Xft.dpi: 0\n") is None
    assert look.scale_factor("auto", 192.0) == 2.0
    assert look.scale_factor("auto", None) is None  # Tk's own guess stands
    assert look.scale_factor(1.25, 192.0) == 1.25  # a number in the settings wins
    assert look.scale_factor(9, None) == look.MAX_SCALE
    assert look.tk_scaling(1.0) == 96 / 72


def test_scale_setting_takes_auto_or_a_number_and_explains_the_rest() -> None:
    assert settings_from_dict({"appearance": {"scale": 1.5}}).appearance.scale == 1.5
    assert settings_from_dict({"appearance": {"scale": 2}}).appearance.scale == 2
    bad = settings_from_dict({"appearance": {"scale": "huge", "theme": "auto"}})
    assert bad.appearance.scale == "auto" and "scale" in bad.warnings[0]
    assert settings_from_dict({}).appearance.theme == "auto"


screens = st.tuples(st.integers(320, 8000), st.integers(200, 5000))
places = st.builds(
    Placement,
    st.integers(1, 20000),
    st.integers(1, 20000),
    st.integers(-20000, 20000),
    st.integers(-20000, 20000),
    st.booleans(),
)


@given(places, screens)
def test_a_remembered_place_always_fits_on_the_screen(place: Placement, screen) -> None:
    width, height = screen
    fitted = fit_on_screen(place, width, height)
    assert fitted.x >= 0 and fitted.x + fitted.width <= width
    assert fitted.y >= 0 and fitted.y + fitted.height <= height
    assert fitted.width <= max(place.width, 320) and fitted.maximized == place.maximized
    on_screen = 0 <= place.x <= width - place.width and 0 <= place.y <= height - place.height
    if on_screen and place.width >= 320 and place.height >= 200:
        assert fitted == place  # a usable place already on screen is kept as it was


def test_places_are_kept_per_layout_and_a_damaged_file_is_no_place(tmp_path: Path) -> None:
    path = tmp_path / "window.json"
    save_layout(path, "1920x1080", Placement(800, 600, 10, 20))
    save_layout(path, "3840x1080", Placement(1000, 700, 2000, 50, maximized=True))
    layouts = load_layouts(path)
    assert layouts["1920x1080"] == Placement(800, 600, 10, 20)
    assert layouts["3840x1080"].maximized
    path.write_text(json.dumps({"1x1": {"width": "wide"}, "2x2": [1]}))
    assert load_layouts(path) == {}
    path.write_text("{not json")
    assert load_layouts(path) == {}
    assert parse_geometry("960x640+12+-3") == Placement(960, 640, 12, -3)
    assert parse_geometry("garbage") is None


def test_the_launcher_entry_names_the_interpreter_by_its_path() -> None:
    entry = desktop_entry(["/home/a b/.tkconsole/bin/python", "-m", "tkconsole"])
    assert 'Exec="/home/a b/.tkconsole/bin/python" -m tkconsole\n' in entry
    assert "StartupWMClass=Tkconsole\n" in entry and "Icon=tkconsole\n" in entry
    assert exec_quote("/opt/app/tkconsole") == "/opt/app/tkconsole"
    assert exec_quote('a"$b') == '"a\\"\\$b"'
    assert exec_quote("50%") == '"50%%"'
