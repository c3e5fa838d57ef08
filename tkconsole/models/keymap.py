"""The one table of key bindings, and the user's overrides merged into it.

Chords are written the way people write them (``Ctrl+Shift+Z``, ``Ctrl+.``,
``Home``) and turned into Tk event sequences here, so the UI binds exactly
what this table says.  Raw Tk sequences (``<Control-Key-l>``) are accepted
too.  Pure: no Tk, so the table and the merge are tested without a display.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# action -> default chords.  Keys that only matter inside a popup, the pager
# or a search bar (arrows in a list, q to close...) belong to those widgets.
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "execute": ("Enter", "KP_Enter"),
    "execute-now": ("Shift+Enter", "Shift+KP_Enter"),
    "interrupt": ("Ctrl+C",),  # copies instead when something is selected
    "restart": ("Ctrl+.",),
    "complete": ("Tab",),
    "inspect": ("Shift+Tab",),
    "history-previous": ("Up",),
    "history-next": ("Down",),
    "reverse-search": ("Ctrl+R",),
    "input-start": ("Home", "Ctrl+A"),
    "input-end": ("End", "Ctrl+E"),
    "kill-to-end": ("Ctrl+K",),
    "kill-to-start": ("Ctrl+U",),
    "clear-screen": ("Ctrl+L",),
    "clear-input": ("Escape",),
    "undo": ("Ctrl+Z",),
    "redo": ("Ctrl+Shift+Z",),
    "zoom-in": ("Ctrl++", "Ctrl+=", "Ctrl+KP_Add", "Ctrl+WheelUp"),
    "zoom-out": ("Ctrl+-", "Ctrl+KP_Subtract", "Ctrl+WheelDown"),
    "zoom-wheel": ("Ctrl+Wheel",),  # platforms that report a wheel delta
    "zoom-reset": ("Ctrl+0", "Ctrl+KP_0"),
    "find": ("Ctrl+F",),
    "select-all": ("Ctrl+Shift+A",),
    # the variables pane and the debugger (ui/debug)
    "variables": ("F4",),
    "debug": ("Ctrl+Shift+D",),
    "debug-continue": ("F5",),
    "debug-stop": ("Shift+F5",),
    "debug-step-over": ("F10",),
    "debug-step-into": ("F11",),
    "debug-step-out": ("Shift+F11",),
    # the window's actions (tabs, files): bound by the main window on every console
    "new-tab": ("Ctrl+T",),
    "new-tab-same-kernel": ("Ctrl+Shift+T",),
    "close-tab": ("Ctrl+W",),
    "next-tab": ("Ctrl+Tab", "Ctrl+PageDown"),
    "previous-tab": ("Ctrl+Shift+Tab", "Ctrl+PageUp"),
    "save-as": ("Ctrl+S",),
    "quit": ("Ctrl+Q",),
}

MODIFIERS = {
    "ctrl": "Control", "control": "Control", "shift": "Shift", "alt": "Alt",
    "option": "Option", "meta": "Meta", "cmd": "Command", "command": "Command",
}  # fmt: skip
MODIFIER_ORDER = ("Control", "Command", "Alt", "Option", "Meta", "Shift")

KEY_ALIASES = {
    "enter": "Return", "return": "Return", "esc": "Escape", "escape": "Escape",
    "tab": "Tab", "space": "space", "backspace": "BackSpace", "del": "Delete",
    "delete": "Delete", "ins": "Insert", "insert": "Insert", "home": "Home", "end": "End",
    "pageup": "Prior", "pagedown": "Next", "prior": "Prior", "next": "Next",
    "up": "Up", "down": "Down", "left": "Left", "right": "Right",
}  # fmt: skip
CHAR_KEYSYMS = {
    " ": "space", "!": "exclam", '"': "quotedbl", "#": "numbersign", "$": "dollar",
    "%": "percent", "&": "ampersand", "'": "apostrophe", "(": "parenleft",
    ")": "parenright", "*": "asterisk", "+": "plus", ",": "comma", "-": "minus",
    ".": "period", "/": "slash", ":": "colon", ";": "semicolon", "<": "less",
    "=": "equal", ">": "greater", "?": "question", "@": "at", "[": "bracketleft",
    "\\": "backslash", "]": "bracketright", "^": "asciicircum", "_": "underscore",
    "`": "grave", "{": "braceleft", "|": "bar", "}": "braceright", "~": "asciitilde",
}  # fmt: skip
WHEEL = {"wheelup": "Button-4", "wheeldown": "Button-5", "wheel": "MouseWheel"}
WHEEL_NAMES = {"Button-4": "WheelUp", "Button-5": "WheelDown", "MouseWheel": "Wheel"}
_KEYSYM = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_RAW = re.compile(r"<[A-Za-z0-9_<>-]+>\Z")


@dataclass(frozen=True)
class Chord:
    """Modifiers (Tk names, canonical order) and one keysym or wheel event."""

    modifiers: tuple[str, ...]
    key: str

    def sequences(self) -> tuple[str, ...]:
        """The Tk event sequences for this chord (Shift+Tab needs two on X11)."""
        mods = "".join(m + "-" for m in self.modifiers)
        if self.key in WHEEL.values():
            return (f"<{mods}{self.key}>",)
        main = f"<{mods}Key-{self.key}>"
        if self.key == "Tab" and "Shift" in self.modifiers:
            others = "".join(m + "-" for m in self.modifiers if m != "Shift")
            return (main, f"<{others}Key-ISO_Left_Tab>")
        return (main,)

    def __str__(self) -> str:
        key = WHEEL_NAMES.get(self.key, self.key)
        mods = {"Control": "Ctrl", "Command": "Cmd"}
        return "+".join([*(mods.get(m, m) for m in self.modifiers), key])


def parse_chord(spec: str) -> Chord:
    """``"Ctrl+Shift+Z"`` -> Chord; raises ``ValueError`` naming what is wrong."""
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(f"{spec!r} is not a key chord")
    spec = spec.strip()
    if spec == "+" or spec.endswith("++"):
        *mod_names, key_name = [*spec[:-2].split("+"), "+"] if len(spec) > 1 else ["+"]
    else:
        *mod_names, key_name = spec.split("+")
    modifiers = set()
    for name in mod_names:
        mod = MODIFIERS.get(name.strip().lower())
        if mod is None:
            raise ValueError(f"unknown modifier {name!r} in {spec!r}")
        modifiers.add(mod)
    key = _keysym(key_name.strip(), "Shift" in modifiers)
    if key is None:
        raise ValueError(f"unknown key {key_name!r} in {spec!r}")
    return Chord(tuple(m for m in MODIFIER_ORDER if m in modifiers), key)


def _keysym(name: str, shifted: bool) -> str | None:
    if name.lower() in WHEEL:
        return WHEEL[name.lower()]
    if len(name) == 1:
        if name.isalpha() and name.isascii():
            return name.upper() if shifted else name.lower()
        if name.isdigit() and name.isascii():
            return name
        return CHAR_KEYSYMS.get(name)
    if name.lower() in KEY_ALIASES:
        return KEY_ALIASES[name.lower()]
    if re.fullmatch(r"[Ff]([1-9]|1[0-9]|2[0-4])", name):
        return name.upper()
    return name if _KEYSYM.match(name) else None


def to_sequences(spec: str) -> tuple[str, ...]:
    """Tk sequences for a chord, or a raw ``<...>`` sequence passed through."""
    if isinstance(spec, str) and spec.startswith("<"):
        if not _RAW.match(spec):
            raise ValueError(f"{spec!r} is not a Tk event sequence")
        return (spec,)
    return parse_chord(spec).sequences()


def default_keymap() -> dict[str, tuple[str, ...]]:
    """The built-in table as Tk sequences."""
    return {action: _sequences(chords) for action, chords in DEFAULT_KEYS.items()}


def _sequences(chords: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for chord in chords:
        out += [s for s in to_sequences(chord) if s not in out]
    return tuple(out)


def merge(overrides: Mapping[str, Any]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The table with the user's ``[keys]`` applied, plus warnings; never raises.

    An override replaces an action's chords (an empty list unbinds it); a key
    the user gives to one action is taken away from whatever had it before,
    so no key ever triggers two actions.
    """
    table = default_keymap()
    warnings: list[str] = []
    claimed: dict[str, str] = {}  # sequence -> action the user gave it to
    for action in sorted(overrides, key=str):
        if action not in table:
            warnings.append(f"[keys] unknown action {action!r} ignored")
            continue
        sequences = _user_sequences(action, overrides[action], warnings)
        if sequences is None:
            continue
        mine = []
        for seq in sequences:
            if seq in claimed:
                warnings.append(f"[keys] {seq} is already bound to {claimed[seq]!r}")
                continue
            claimed[seq] = action
            mine.append(seq)
        table[action] = tuple(mine)
    for action, chords in table.items():
        table[action] = tuple(s for s in chords if claimed.get(s, action) == action)
    return table, warnings


def _user_sequences(action: str, value: Any, warnings: list[str]) -> list[str] | None:
    chords = [value] if isinstance(value, str) else value
    if not isinstance(chords, list) or not all(isinstance(c, str) for c in chords):
        warnings.append(f"[keys] {action} must be a chord or a list of chords; ignored")
        return None
    sequences: list[str] = []
    given = [c for c in chords if c.strip()]
    for chord in given:
        try:
            sequences += [s for s in to_sequences(chord) if s not in sequences]
        except ValueError as exc:
            warnings.append(f"[keys] {action}: {exc}")
    if given and not sequences:
        return None  # nothing usable: keep the default rather than lose the action
    return sequences


def label(sequence: str) -> str:
    """A Tk sequence as a menu shows it: ``<Control-Shift-Key-Z>`` -> ``Ctrl+Shift+Z``."""
    parts = [p for p in sequence.strip("<>").split("-") if p not in ("Key", "KeyPress")]
    if parts[-2:] in (["Button", "4"], ["Button", "5"]):
        parts[-2:] = ["-".join(parts[-2:])]
    *mods, key = parts
    chars = {v: k for k, v in CHAR_KEYSYMS.items()}
    key = WHEEL_NAMES.get(key) or chars.get(key) or (key.upper() if len(key) == 1 else key)
    names = {"Control": "Ctrl", "Command": "Cmd"}
    return "+".join([*(names.get(m, m) for m in mods), key])
