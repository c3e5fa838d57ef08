"""The settings loader: pure, no display."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models import settings as settings_mod
from tkconsole.models.settings import Settings, load_settings, settings_from_dict


def test_missing_file_means_defaults_and_no_warning(tmp_path):
    got = load_settings(tmp_path / "settings.toml")
    assert got.warnings == ()
    assert got.font.size == 11 and got.history.size == 10000
    assert got.output.scrollback_lines == 100000 and got.output.fold_threshold == 10000


def test_a_full_file_is_read(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(
        """
        [font]
        family = "DejaVu Sans Mono"
        size = 14
        [appearance]
        theme = "darkly"
        [completion]
        popup = false
        [history]
        size = 50
        [keys]
        find = "Ctrl+G"
        clear-input = []
        [output]
        scrollback_lines = 5000
        fold_threshold = 300
        """
    )
    got = load_settings(path)
    assert got.warnings == ()
    assert (got.font.family, got.font.size) == ("DejaVu Sans Mono", 14)
    assert got.appearance.theme == "darkly"
    assert got.completion.popup is False
    assert got.history.size == 50
    assert got.keys == {"find": "Ctrl+G", "clear-input": []}
    assert (got.output.scrollback_lines, got.output.fold_threshold) == (5000, 300)


def test_broken_file_warns_with_file_and_line_and_uses_defaults(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[font]\nsize = 12\nfamily = "unterminated\n')
    got = load_settings(path)
    assert got.font.size == 11  # nothing from a broken file is trusted
    (warning,) = got.warnings
    assert str(path) in warning and "line 3" in warning and "defaults" in warning


def test_undecodable_file_warns(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xff\xfe[font]\n")
    got = load_settings(path)
    assert got.warnings and str(path) in got.warnings[0]


def test_bad_values_warn_one_by_one(tmp_path):
    got = settings_from_dict(
        {"font": {"size": "big", "family": "Mono"}, "history": {"size": -3}, "colours": {}},
        tmp_path / "x.toml",
    )
    assert got.font.family == "Mono" and got.font.size == 11 and got.history.size == 10000
    assert len(got.warnings) == 3
    assert any("[font] size" in w and "integer" in w for w in got.warnings)
    assert any("[history] size" in w and "between" in w for w in got.warnings)
    assert any("[colours]" in w for w in got.warnings)
    assert all(str(tmp_path / "x.toml") in w for w in got.warnings)


def test_true_is_not_an_integer():
    got = settings_from_dict({"font": {"size": True}, "calltips": {"enabled": 1}})
    assert got.font.size == 11 and got.calltips.enabled is True
    assert len(got.warnings) == 2


def test_directories_follow_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TKCONSOLE_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("TKCONSOLE_DATA_DIR", str(tmp_path / "d"))
    assert settings_mod.config_dir() == tmp_path / "c"
    assert Settings().history_file() == tmp_path / "d" / "history.sqlite"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "settings.toml").write_text("[font]\nsize = 9\n")
    assert load_settings().font.size == 9


def test_the_test_session_never_uses_the_real_home():
    import conftest

    assert settings_mod.config_dir().is_relative_to(conftest.SANDBOX)
    assert settings_mod.data_dir().is_relative_to(conftest.SANDBOX)


TOML_VALUES = st.recursive(
    st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
TABLES = st.sampled_from([*settings_mod.SECTIONS, "keys", "other"])
KEYS = st.sampled_from(["size", "family", "theme", "popup", "max_lines", "file", "x", "scale"])


@given(st.dictionaries(TABLES, st.dictionaries(KEYS, TOML_VALUES) | TOML_VALUES))
def test_any_parsed_toml_gives_well_typed_settings(data):
    got = settings_from_dict(data)
    defaults = Settings()
    for section in settings_mod.SECTIONS:
        for field in dataclasses.fields(getattr(defaults, section)):
            value = getattr(getattr(got, section), field.name)
            if (section, field.name) == ("appearance", "scale"):  # "auto" or a number
                assert value == "auto" or (type(value) in (int, float) and 0.5 <= value <= 4)
                continue
            assert type(value) is type(getattr(getattr(defaults, section), field.name))
    assert all(isinstance(w, str) for w in got.warnings)
