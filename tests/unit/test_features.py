"""Kernel features are read from kernel_info, whatever a kernel sends."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.features import KernelFeatures

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


def test_supported_features_and_the_older_debugger_flag() -> None:
    info = {"supported_features": ["kernel subshells", "debugger"], "protocol_version": "5.5"}
    features = KernelFeatures.from_kernel_info(info)
    assert features.subshells and features.debugger
    assert features.listed() == ["debugger", "kernel subshells"]
    old = KernelFeatures.from_kernel_info({"debugger": True, "protocol_version": "5.3"})
    assert old.debugger and not old.subshells


def test_a_version_number_alone_promises_nothing() -> None:
    features = KernelFeatures.from_kernel_info({"protocol_version": "5.5"})
    assert not features.subshells and not features.debugger and features.listed() == []


@given(json_values)
def test_any_reply_content_reads_without_raising(info: object) -> None:
    features = KernelFeatures.from_kernel_info(info)
    assert all(isinstance(name, str) for name in features.names)


@given(st.dictionaries(st.just("supported_features"), json_values))
def test_only_strings_count_as_features(info: dict) -> None:
    listed = info.get("supported_features")
    expected = {x for x in listed if isinstance(x, str)} if isinstance(listed, list) else set()
    assert KernelFeatures.from_kernel_info(info).names == expected
