"""The user's settings: one TOML file, read once, never fatal.

``load_settings()`` always returns usable ``Settings``: a missing file means
the defaults, a broken one means the defaults plus a warning that names the
file and the line, and a bad value means that value's default plus a
warning.  The warnings travel with the settings so the console can show
them where the user will see them.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from .atomic import atomic_write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_ENV = "TKCONSOLE_CONFIG_DIR"
DATA_ENV = "TKCONSOLE_DATA_DIR"
FILE_NAME = "settings.toml"


def config_dir() -> Path:
    """Where the settings file lives: ``$TKCONSOLE_CONFIG_DIR`` or the platform's."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("tkconsole", appauthor=False))


def data_dir() -> Path:
    """Where history (and other state) lives: ``$TKCONSOLE_DATA_DIR`` or the platform's."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("tkconsole", appauthor=False))


Encryption = Literal["auto", "required", "off"]
Restore = Literal["on", "off", "always"]


@dataclass(frozen=True)
class FontSettings:
    family: str = ""  # empty: the platform's fixed-width font
    size: int = 11


@dataclass(frozen=True)
class AppearanceSettings:
    theme: str = "auto"  # "auto": light_theme or dark_theme, as the desktop is set
    light_theme: str = "bootstrap-light"
    dark_theme: str = "bootstrap-dark"
    scale: str | float = "auto"  # "auto": the desktop's (Xft.dpi), or a factor (1.0 = 96 dpi)
    highlight: bool = True
    light_style: str = "default"  # Pygments style names
    dark_style: str = "monokai"


@dataclass(frozen=True)
class CompletionSettings:
    popup: bool = True  # several matches: a popup list (else only the common prefix)
    insert_single: bool = True  # one match: insert it without asking
    show_types: bool = True
    max_items: int = 1000
    indent: int = 4  # spaces Tab inserts on a blank line


@dataclass(frozen=True)
class CalltipSettings:
    enabled: bool = True
    max_lines: int = 12


@dataclass(frozen=True)
class HistorySettings:
    size: int = 10000  # entries kept in the history file
    file: str = ""  # empty: history.sqlite in the data directory
    kernel_history: bool = True  # also load the kernel's own history_request tail


@dataclass(frozen=True)
class OutputSettings:
    scrollback_lines: int = 100000  # 0 = unlimited
    fold_threshold: int = 10000  # characters: longer lines are folded
    squeeze_lines: int = 200000  # lines of one cell's stream output; 0 = never squeeze
    prefer_plain_tables: bool = False  # a DataFrame shows its text/plain, not its HTML table


@dataclass(frozen=True)
class KernelSettings:
    encryption: Encryption = "auto"  # CurveZMQ for kernels we launch
    launch_timeout: int = 120  # s a kernel (local, or on a gateway) may take to come up
    usage_interval: int = 3  # s between kernel CPU/memory polls in the status bar; 0 = off
    memory_warning: int = 80  # % of the host's memory: the kernel's share past it shows in red


@dataclass(frozen=True)
class SessionSettings:
    restore: Restore = "on"  # on: offer to reopen the last tabs; always: reopen them; off


# The allowed values of string settings that are a choice.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("kernel", "encryption"): get_args(Encryption),
    ("session", "restore"): get_args(Restore),
}

# (low, high) bounds for integer settings; values outside are a warning.
LIMITS = {
    ("font", "size"): (4, 96),
    ("completion", "max_items"): (1, 100000),
    ("completion", "indent"): (1, 16),
    ("calltips", "max_lines"): (1, 200),
    ("history", "size"): (0, 10_000_000),
    ("output", "scrollback_lines"): (0, 100_000_000),
    ("output", "fold_threshold"): (10, 100_000_000),
    ("output", "squeeze_lines"): (0, 100_000_000),
    ("kernel", "launch_timeout"): (1, 86_400),
    ("kernel", "usage_interval"): (0, 3600),
    ("kernel", "memory_warning"): (1, 100),
}

SECTIONS = {
    "font": FontSettings,
    "appearance": AppearanceSettings,
    "completion": CompletionSettings,
    "calltips": CalltipSettings,
    "history": HistorySettings,
    "output": OutputSettings,
    "kernel": KernelSettings,
    "session": SessionSettings,
}


@dataclass(frozen=True)
class Settings:
    font: FontSettings = field(default_factory=FontSettings)
    appearance: AppearanceSettings = field(default_factory=AppearanceSettings)
    completion: CompletionSettings = field(default_factory=CompletionSettings)
    calltips: CalltipSettings = field(default_factory=CalltipSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    kernel: KernelSettings = field(default_factory=KernelSettings)
    session: SessionSettings = field(default_factory=SessionSettings)
    keys: Mapping[str, Any] = field(default_factory=dict)  # action -> chord(s); see keymap
    path: Path | None = None  # the file these came from, if any
    warnings: tuple[str, ...] = ()

    def history_file(self) -> Path:
        """The SQLite history file these settings point at."""
        if self.history.file:
            return Path(self.history.file).expanduser()
        return data_dir() / "history.sqlite"


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (default: ``config_dir()/settings.toml``); never raises."""
    path = path or config_dir() / FILE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(path=path)
    except OSError as exc:
        return Settings(path=path, warnings=(f"Cannot read settings file {path}: {exc}",))
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        where = _where(exc)
        warning = f"Settings file {path} is broken{where}: {_reason(exc)}. Using the defaults."
        return Settings(path=path, warnings=(warning,))
    return settings_from_dict(data, path)


def settings_from_dict(data: Mapping[str, Any], path: Path | None = None) -> Settings:
    """Validate parsed TOML: unknown or ill-typed entries become warnings."""
    warnings: list[str] = []
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "keys":
            if isinstance(value, Mapping):
                values["keys"] = dict(value)
            else:
                warnings.append("[keys] must be a table of action = chord(s); ignored")
        elif name in SECTIONS:
            values[name] = _section(name, value, warnings)
        else:
            warnings.append(f"Unknown settings table [{name}] ignored")
    where = f" in {path}" if path else ""
    return Settings(**values, path=path, warnings=tuple(w + where for w in warnings))


def _section(name: str, value: Any, warnings: list[str]) -> Any:
    cls = SECTIONS[name]
    if not isinstance(value, Mapping):
        warnings.append(f"[{name}] must be a table; using its defaults")
        return cls()
    defaults = cls()
    fields = {f.name for f in dataclasses.fields(cls)}
    chosen: dict[str, Any] = {}
    for key, item in value.items():
        if key not in fields:
            warnings.append(f"Unknown setting [{name}] {key} ignored")
            continue
        default = getattr(defaults, key)
        problem = _check(name, key, item, default)
        if problem:
            warnings.append(f"[{name}] {key} {problem}; using {default!r}")
        else:
            chosen[key] = item
    return cls(**chosen)


def _check(section: str, key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` can't replace ``default`` (None if it can)."""
    if (section, key) == ("appearance", "scale"):
        return _check_scale(value)
    if type(value) is not type(default):
        return f"must be {_kind(default)}, not {value!r}"
    choices = CHOICES.get((section, key))
    if choices and value not in choices:
        return f"must be one of {', '.join(choices)}, not {value!r}"
    low_high = LIMITS.get((section, key))
    if low_high and not low_high[0] <= value <= low_high[1]:
        return f"must be between {low_high[0]} and {low_high[1]}, not {value!r}"
    return None


def _check_scale(value: Any) -> str | None:
    """``"auto"`` or a number from 0.5 to 4."""
    if value == "auto":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f'must be "auto" or a number, not {value!r}'
    if not 0.5 <= value <= 4:
        return f"must be between 0.5 and 4, not {value!r}"
    return None


def _kind(value: Any) -> str:
    return {bool: "true or false", int: "an integer", str: "a string"}.get(type(value), "valid")


def _where(exc: Exception) -> str:
    line = getattr(exc, "lineno", None)
    if line is None:
        text = str(exc)
        marker = "(at line "
        if marker in text:
            line = text.split(marker, 1)[1].split(",", 1)[0].rstrip(")")
    return f" (line {line})" if line else ""


def _reason(exc: Exception) -> str:
    msg = getattr(exc, "msg", None) or str(exc)
    return msg.split(" (at line ")[0]


def save_setting(section: str, key: str, value: str, path: Path | None = None) -> Path:
    """Set one string setting in the file, keeping everything else as written.

    The line ``key = ...`` of ``[section]`` is replaced (or added, with the
    table if missing); the file is replaced atomically.  Returns the path.
    """
    path = path or config_dir() / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    atomic_write(path, set_in_toml(text, section, key, value))
    return path


def set_in_toml(text: str, section: str, key: str, value: str) -> str:
    """``text`` with ``key = "value"`` set in table ``[section]`` (pure, for tests)."""
    line = f"{key} = {_toml_string(value)}"
    lines = text.splitlines()
    start = next((i for i, raw in enumerate(lines) if _table(raw) == section), None)
    if start is None:
        block = ([""] if lines and lines[-1].strip() else []) + [f"[{section}]", line]
        return "\n".join(lines + block) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if _table(lines[i])), len(lines))
    for i in range(start + 1, end):
        if lines[i].split("=", 1)[0].strip() == key and "=" in lines[i]:
            comment = lines[i].split("#", 1)[1] if "#" in lines[i].split("=", 1)[1] else None
            lines[i] = line + (f"  #{comment}" if comment is not None else "")
            return "\n".join(lines) + "\n"
    lines.insert(start + 1, line)
    return "\n".join(lines) + "\n"


def _table(line: str) -> str | None:
    stripped = line.split("#", 1)[0].strip()
    if stripped.startswith("[") and stripped.endswith("]") and not stripped.startswith("[["):
        return stripped[1:-1].strip()
    return None


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
