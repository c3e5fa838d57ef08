"""Which cell a debugger path is, and which path a cell is.

ipykernel compiles every cell under a file name made from a hash of its
code (``debugInfo`` says how: ``hashMethod`` Murmur2, ``hashSeed``,
``tmpFilePrefix``, ``tmpFileSuffix``), so a breakpoint in any earlier cell
maps to a path without asking, and a stack frame's path maps back to the
``In [n]`` it came from.  Paths the kernel reports itself (``dumpCell``)
are remembered too, and win.
"""

from __future__ import annotations

from dataclasses import dataclass, field

M = 0x5BD1E995
MASK = 0xFFFFFFFF


def murmur2_x86(text: str, seed: int) -> int:
    """MurmurHash2, 32 bits, over the UTF-8 bytes of ``text`` (as ipykernel hashes cells)."""
    data = text.encode("utf-8")
    length = len(data)
    h = (seed ^ length) & MASK
    end = length & ~3
    for i in range(0, end, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * M) & MASK
        k ^= k >> 24
        k = (k * M) & MASK
        h = ((h * M) & MASK) ^ k
    tail = data[end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * M) & MASK
    h ^= h >> 13
    h = (h * M) & MASK
    return h ^ (h >> 15)


@dataclass
class CellFiles:
    """Cell numbers, their code and their paths; one per console."""

    prefix: str = ""
    suffix: str = ".py"
    seed: int | None = None  # None: the kernel named no hash we know
    code: dict[int, str] = field(default_factory=dict)
    _paths: dict[int, str] = field(default_factory=dict)
    _cells: dict[str, int] = field(default_factory=dict)

    def configure(self, info: dict[str, object]) -> None:
        """Read a ``debugInfo`` body (bad fields leave the old values)."""
        method, seed = info.get("hashMethod"), info.get("hashSeed")
        prefix, suffix = info.get("tmpFilePrefix"), info.get("tmpFileSuffix")
        good_seed = isinstance(seed, int) and not isinstance(seed, bool)
        if isinstance(method, str) and method.lower() == "murmur2" and good_seed:
            self.seed = int(str(seed)) & MASK
        if isinstance(prefix, str) and isinstance(suffix, str):
            self.prefix, self.suffix = prefix, suffix
        for cell, code in self.code.items():
            self._map(cell, self.computed(code))

    def note(self, cell: int, code: str) -> None:
        """Cell ``cell`` runs (or ran) ``code``."""
        self.code[cell] = code
        self._map(cell, self.computed(code))

    def dumped(self, cell: int, path: str) -> None:
        """The kernel said where it put the cell (a ``dumpCell`` reply)."""
        self._map(cell, path)

    def path_of(self, cell: int) -> str | None:
        return self._paths.get(cell)

    def cell_of(self, path: str) -> int | None:
        return self._cells.get(path)

    def computed(self, code: str) -> str | None:
        if self.seed is None or not self.prefix:
            return None
        return f"{self.prefix}{murmur2_x86(code, self.seed)}{self.suffix}"

    def _map(self, cell: int, path: str | None) -> None:
        if path:
            self._paths[cell] = path
            self._cells[path] = cell
