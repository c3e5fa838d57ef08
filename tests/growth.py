"""Linear-time checks without wall-clock limits: compare the time for 4n against n.

Times are the process's CPU time, so other work on a shared machine does not count,
with the garbage collector off while timing (as ``timeit`` does): its passes cost
in proportion to what earlier tests left alive, not to the input.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def best_time(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def assert_linear(make: Callable[[int], Callable[[], object]], n: int = 5_000) -> None:
    """Four times the input may take at most ~8x the time (quadratic would be 16x).

    Tiny timings are dominated by noise, so the small case is floored at 2 ms and
    taken as the best of three; the big case, long enough to be steady, runs once.
    A failing comparison is measured again, up to three times: a quadratic case
    fails every time.
    """
    make(n)()  # warm caches (regex compilation, lazy imports)
    for _attempt in range(3):
        small = max(best_time(make(n)), 0.002)
        big = best_time(make(4 * n), repeat=1)
        if big < 8 * small:
            return
    raise AssertionError(f"n={n}: {small:.4f}s, 4n: {big:.4f}s")
