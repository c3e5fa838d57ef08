"""Output stress cases, part of ``python -m benchmarks``.

Each case runs in tkconsole (time to the next prompt, with the longest Tk
event-loop stall during it) and in a bare jupyter_client client (time to
the kernel's idle, which is the kernel's own cost) in the same run.
"""

from __future__ import annotations

import base64
import struct
import time
import zlib

from .common import bare_run, peak_rss_mb, rss_mb, timed_run, wanted_case


def solid_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG built by hand (zlib + CRC): no image library, no file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), chunk(b"IDAT", zlib.compress(rows)),
         chunk(b"IEND", b"")]
    )  # fmt: skip


_SMALL_PNG = base64.b64encode(solid_png(24, 24, (48, 144, 208))).decode()

CASES = {
    "flood_1m_lines": "for i in range(1_000_000): print(i)",
    "line_1e7_chars": "print('x' * 10**7)",
    "ansi_20k_lines": "for i in range(20000): print(f'\\x1b[3{i % 7 + 1}mline {i}\\x1b[0m')",
    "cr_bar_20k_steps": (
        "import sys\nfor i in range(20001):\n"
        "    sys.stdout.write(f'\\r{i:5d}/20000 ' + '#' * (i // 500)); sys.stdout.flush()"
    ),
    "png_50_images": (
        "import base64; from IPython.display import Image, display\n"
        f"_png = base64.b64decode('{_SMALL_PNG}')\n"
        "for _ in range(50): display(Image(data=_png))"
    ),
    "traceback_200_frames": (
        "import sys; sys.setrecursionlimit(5000)\ndef f(n): return f(n - 1) if n else 1 / 0\nf(200)"
    ),
}


def selected_cases() -> dict[str, str]:
    return {name: code for name, code in CASES.items() if wanted_case(name)}


def bare_cases(kc) -> dict:
    result = {}
    for name, code in selected_cases().items():
        start = time.perf_counter()
        bare_run(kc, code)
        result[name] = time.perf_counter() - start
    result["rss_after_stress"] = rss_mb()
    return result


def gui_cases(window, result: dict):
    """Steps (see ``common.gui_child``): run each case to its prompt."""
    for name, code in selected_cases().items():
        yield from timed_run(window, code, result, name)
        if name == "flood_1m_lines":
            result["rss_after_1m_flood"] = rss_mb()
    result["rss_after_stress"] = rss_mb()
    result["rss_peak"] = peak_rss_mb()


def metrics() -> list[tuple[str, str, str, float, str | None]]:
    """Rows for ``run.report``: each case, its stall, and memory."""
    rows = []
    for name in CASES:
        rows.append((name, name, "s", 1, "ratio"))
        rows.append((f"{name}_stall", f"{name}_longest_stall", "ms", 1000, None))
        rows.append((f"{name}_idle_to_prompt", f"{name}_idle_to_prompt", "ms", 1000, None))
        rows.append((f"{name}_all_coloured", f"{name}_all_coloured", "s", 1, None))
    rows.append(("rss_after_1m_flood", "rss_after_1m_flood", "MB", 1, None))
    rows.append(("rss_after_stress", "rss_after_stress", "MB", 1, None))
    return rows
