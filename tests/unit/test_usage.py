"""The kernel-usage model: any reply content accepted or refused, never raised on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.usage import WINDOW, KernelUsage, human_bytes

MB = 2**20
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


def reply(memory: int, cpu: float = 5.0, total: int = 1000 * MB) -> dict:
    return {"kernel_memory": memory, "kernel_cpu": cpu, "pid": 1,
            "host_virtual_memory": {"total": total, "available": total // 2}}  # fmt: skip


def test_a_reply_gives_the_summary_and_the_share_of_host_memory() -> None:
    usage = KernelUsage()
    assert usage.summary() == "" and usage.last is None
    assert usage.accept(reply(250 * MB, cpu=12.4), now=0.0)
    assert usage.summary() == "CPU 12% · 250 MB"
    assert usage.memory_share() == 0.25 and usage.last == reply(250 * MB, cpu=12.4)
    assert usage.over(25) and not usage.over(26)


def test_samples_keep_one_minute_and_scale_for_the_sparkline() -> None:
    usage = KernelUsage()
    for second in range(0, 120, 3):
        usage.accept(reply((100 + second) * MB), now=float(second))
    assert usage.samples[0].when >= 117 - WINDOW
    trend = usage.memory_trend()
    assert trend[0] == 0.0 and trend[-1] == 1.0 and trend == sorted(trend)


def test_a_restarted_kernel_starts_from_nothing() -> None:
    usage = KernelUsage()
    usage.accept(reply(10 * MB), now=0.0)
    usage.forget()
    assert usage.last is None and usage.memory_trend() == [] and usage.memory_share() is None


usage_like = st.fixed_dictionaries(
    {}, optional={"kernel_memory": json_values, "kernel_cpu": json_values,
                  "host_virtual_memory": st.dictionaries(st.just("total"), json_values)},
)  # fmt: skip


@given(json_values | usage_like)
def test_any_content_is_taken_or_refused_without_raising(content: object) -> None:
    usage = KernelUsage()
    taken = usage.accept(content, now=0.0)
    assert taken == (usage.last is not None)
    usage.summary(), usage.memory_share(), usage.memory_trend(), usage.over(80)


def test_absurd_numbers_are_refused() -> None:
    usage = KernelUsage()
    assert not usage.accept({"kernel_memory": 10**400}, now=0.0)
    assert not usage.accept({"kernel_memory": float("inf")}, now=0.0)
    assert not usage.accept({"kernel_memory": 5, "kernel_cpu": float("nan")}, now=0.0)
    assert usage.accept(reply(5, total=10**400), now=0.0) and usage.memory_share() is None


def test_human_bytes() -> None:
    assert human_bytes(512) == "512 B"
    assert human_bytes(300 * MB) == "300 MB"
    assert human_bytes(3 * 1024 * MB) == "3.0 GB"
