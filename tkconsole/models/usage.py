"""The kernel's CPU and memory, from its ``usage_reply`` (control channel).

ipykernel 6.11 and later answer ``usage_request`` with the kernel's CPU
(``kernel_cpu``, percent of one core, summed over its child processes),
its memory (``kernel_memory``, bytes; PSS where the system has it), and
the host's (``host_virtual_memory``, psutil's fields).  Kernels without it
never answer, so the poller gives up after the first silence.  The last
minute of samples feeds the status bar's sparkline.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

WINDOW = 60.0  # s of samples kept for the sparkline
LARGEST = 2**62  # bytes or percent past this are nonsense


@dataclass(frozen=True)
class Sample:
    when: float
    cpu: float  # percent of one core
    memory: int  # bytes


class KernelUsage:
    """The last usage reply and the samples of the last minute."""

    def __init__(self) -> None:
        self.last: dict[str, Any] | None = None  # the newest valid reply's content
        self.samples: deque[Sample] = deque()

    def accept(self, content: object, now: float) -> bool:
        """Keep a reply's content if it carries the kernel's memory; False if not."""
        if not isinstance(content, dict):
            return False
        memory, cpu = _number(content.get("kernel_memory")), _number(content.get("kernel_cpu", 0))
        if memory is None or cpu is None or memory < 0:
            return False
        self.last = dict(content)
        self.samples.append(Sample(now, max(cpu, 0.0), int(memory)))
        while self.samples and now - self.samples[0].when > WINDOW:
            self.samples.popleft()
        return True

    def forget(self) -> None:
        """A new kernel (restart): its predecessor's numbers no longer apply."""
        self.last = None
        self.samples.clear()

    def host_memory(self) -> int | None:
        """The host's total memory in bytes, when the kernel said."""
        host = (self.last or {}).get("host_virtual_memory")
        total = _number(host.get("total")) if isinstance(host, dict) else None
        return int(total) if total is not None and total > 0 else None

    def memory_share(self) -> float | None:
        """The kernel's memory as a fraction of the host's (None: unknown)."""
        total = self.host_memory()
        if total is None or not self.samples:
            return None
        return self.samples[-1].memory / total

    def over(self, percent: int) -> bool:
        share = self.memory_share()
        return share is not None and share * 100 >= percent

    def summary(self) -> str:
        """``CPU 12% · 340 MB`` (empty before the first answer)."""
        if not self.samples:
            return ""
        newest = self.samples[-1]
        return f"CPU {newest.cpu:.0f}% · {human_bytes(newest.memory)}"

    def memory_trend(self) -> list[float]:
        """The minute's memory samples scaled to 0..1 (the sparkline's heights)."""
        values = [s.memory for s in self.samples]
        if not values:
            return []
        low, high = min(values), max(values)
        span = high - low
        return [(v - low) / span if span else 0.5 for v in values]


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _number(value: object) -> float | None:
    """``value`` if it is a finite, sane number (a kernel may send anything,
    10**400 included), else None."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return float(value) if abs(value) < LARGEST else None  # inf and nan fail too
