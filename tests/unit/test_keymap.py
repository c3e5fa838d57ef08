"""The key table and the override merge: pure, no display."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models import keymap
from tkconsole.models.keymap import Chord, merge, parse_chord, to_sequences


@pytest.mark.parametrize(
    ("spec", "sequences"),
    [
        ("Ctrl+L", ("<Control-Key-l>",)),
        ("ctrl+shift+z", ("<Control-Shift-Key-Z>",)),
        ("Ctrl++", ("<Control-Key-plus>",)),
        ("Ctrl+.", ("<Control-Key-period>",)),
        ("Ctrl+0", ("<Control-Key-0>",)),  # a digit is a key here, never a mouse button
        ("Home", ("<Key-Home>",)),
        ("Enter", ("<Key-Return>",)),
        ("PageDown", ("<Key-Next>",)),
        ("Alt+F4", ("<Alt-Key-F4>",)),
        ("Shift+Tab", ("<Shift-Key-Tab>", "<Key-ISO_Left_Tab>")),  # X11 sends ISO_Left_Tab
        ("Ctrl+WheelUp", ("<Control-Button-4>",)),
        ("<Control-Key-x>", ("<Control-Key-x>",)),  # raw Tk passes through
    ],
)
def test_chords_become_tk_sequences(spec, sequences):
    assert to_sequences(spec) == sequences


@pytest.mark.parametrize("bad", ["", "Hyper+K", "Ctrl+", "Ctrl+Nope!", "<bad seq", 42, "Ctrl+é"])
def test_bad_chords_raise_value_error(bad):
    with pytest.raises(ValueError):
        to_sequences(bad)


KEYS = st.sampled_from(
    [*string.ascii_lowercase, *string.digits, "plus", "period", "Home", "F5", "Escape", "Up"]
)
MODS = st.sets(st.sampled_from(["Control", "Alt", "Shift", "Meta"]))


@given(MODS, KEYS)
def test_chord_text_round_trips(mods, key):
    if "Shift" in mods and len(key) == 1 and key.isalpha():
        key = key.upper()
    chord = Chord(tuple(m for m in keymap.MODIFIER_ORDER if m in mods), key)
    assert parse_chord(str(chord)) == chord


def test_every_default_action_has_a_binding_and_no_key_is_shared():
    table = keymap.default_keymap()
    assert set(table) == set(keymap.DEFAULT_KEYS)
    seen: dict[str, str] = {}
    for action, sequences in table.items():
        assert sequences, action
        for seq in sequences:
            assert seq not in seen, f"{seq} bound to {seen.get(seq)} and {action}"
            seen[seq] = action


def test_menu_labels_read_back_as_the_same_keys():
    for sequences in keymap.default_keymap().values():
        for seq in sequences:
            assert seq in to_sequences(keymap.label(seq)), seq
    assert keymap.label("<Control-Shift-Key-Z>") == "Ctrl+Shift+Z"
    assert keymap.label("<Control-Key-plus>") == "Ctrl++"


def test_override_replaces_unbinds_and_steals():
    table, warnings = merge({"find": "Ctrl+G", "clear-input": [], "undo": ["Ctrl+L"]})
    assert table["find"] == ("<Control-Key-g>",)
    assert table["clear-input"] == ()
    assert table["undo"] == ("<Control-Key-l>",)
    assert "<Control-Key-l>" not in table["clear-screen"]  # taken by undo now
    assert warnings == []


def test_bad_overrides_warn_and_keep_the_default():
    table, warnings = merge({"bogus": "Ctrl+Q", "redo": "Hyper+Q", "find": 3})
    assert table["redo"] == keymap.default_keymap()["redo"]
    assert table["find"] == keymap.default_keymap()["find"]
    assert len(warnings) == 3
    assert any("bogus" in w for w in warnings)
    assert any("Hyper" in w for w in warnings)


def test_two_actions_claiming_one_key_warns():
    table, warnings = merge({"find": "Ctrl+J", "undo": "Ctrl+J"})
    assert sum("<Control-Key-j>" in seqs for seqs in table.values()) == 1
    assert any("already bound" in w for w in warnings)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
ACTIONS = st.sampled_from([*keymap.DEFAULT_KEYS, "nonsense"])
CHORDS = st.sampled_from(["Ctrl+L", "Ctrl+K", "Home", "Escape", "Tab", "Ctrl+F", "F2", "x"])


@given(st.dictionaries(ACTIONS | st.text(max_size=8), VALUES | CHORDS | st.lists(CHORDS)))
def test_merge_never_raises_and_never_binds_a_key_twice(overrides):
    table, warnings = merge(overrides)
    assert set(table) == set(keymap.DEFAULT_KEYS)
    everything = [seq for seqs in table.values() for seq in seqs]
    assert len(everything) == len(set(everything))
    assert all(isinstance(w, str) for w in warnings)


@given(st.sampled_from(sorted(keymap.DEFAULT_KEYS)), st.lists(CHORDS, min_size=1, max_size=3))
def test_an_override_gives_the_action_exactly_its_chords(action, chords):
    table, _ = merge({action: chords})
    expected = []
    for chord in chords:
        expected += [s for s in to_sequences(chord) if s not in expected]
    assert table[action] == tuple(expected)
