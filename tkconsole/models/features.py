"""What a kernel says it can do, read from its ``kernel_info_reply``.

Features come from ``supported_features`` (kernel protocol 5.5) and the older
``debugger: true`` flag, never from protocol version numbers: a kernel may
speak 5.5 and still lack subshells, and ipykernel 6 announced its debugger
only with the flag. Anything malformed reads as "no such feature".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeGuard

DEBUGGER = "debugger"
SUBSHELLS = "kernel subshells"


@dataclass(frozen=True)
class KernelFeatures:
    names: frozenset[str] = frozenset()

    @classmethod
    def from_kernel_info(cls, info: object) -> KernelFeatures:
        """The features of a ``kernel_info_reply`` content (any value accepted)."""
        if not isinstance(info, Mapping):
            return cls()
        listed = info.get("supported_features")
        names = {name for name in listed if isinstance(name, str)} if _is_list(listed) else set()
        if info.get("debugger") is True:
            names.add(DEBUGGER)
        return cls(frozenset(names))

    @property
    def debugger(self) -> bool:
        return DEBUGGER in self.names

    @property
    def subshells(self) -> bool:
        return SUBSHELLS in self.names

    def listed(self) -> list[str]:
        """The names in a stable order, for the About box and the embedding API."""
        return sorted(self.names)


def _is_list(value: object) -> TypeGuard[list[object] | tuple[object, ...]]:
    return isinstance(value, (list, tuple))
