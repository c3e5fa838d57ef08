"""What a kernel says it can do, read from its ``kernel_info_reply``.

Features come from ``supported_features`` (kernel protocol 5.5), the older
``debugger: true`` flag and the kernelspec's ``metadata`` (JupyterLab reads
``{"debugger": true}`` there), never from protocol version numbers: a kernel may
speak 5.5 and still lack subshells, and ipykernel 6 announced its debugger
only with the flag. Anything malformed reads as "no such feature".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEBUGGER = "debugger"
SUBSHELLS = "kernel subshells"


@dataclass(frozen=True)
class KernelFeatures:
    names: frozenset[str] = frozenset()

    @classmethod
    def from_kernel_info(cls, info: object, spec_metadata: object = None) -> KernelFeatures:
        """The features of a ``kernel_info_reply`` content and a kernelspec's
        ``metadata`` (any values accepted)."""
        names: set[str] = set()
        for source in (info, spec_metadata):
            if not isinstance(source, Mapping):
                continue
            listed = source.get("supported_features")
            if isinstance(listed, (list, tuple)):
                names.update(name for name in listed if isinstance(name, str))
            if source.get("debugger") is True:
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
