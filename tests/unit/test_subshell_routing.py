"""Which shell answers: the subshell only for editing requests while the kernel is busy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.features import KernelFeatures
from tkconsole.models.subshells import EDITOR_REQUESTS, shell_for, waits_for_main

kinds = st.sampled_from([*sorted(EDITOR_REQUESTS), "execute_request", "history_request",
                         "comm_msg", "kernel_info_request"])  # fmt: skip


def test_editing_requests_go_to_the_subshell_only_while_busy() -> None:
    assert shell_for("complete_request", True, "s1") == "s1"
    assert shell_for("inspect_request", True, "s1") == "s1"
    assert shell_for("is_complete_request", True, "s1") == "s1"
    assert shell_for("complete_request", False, "s1") is None  # idle: the main shell


@given(kinds, st.booleans(), st.none() | st.text(min_size=1))
def test_nothing_else_ever_goes_to_a_subshell(kind: str, busy: bool, subshell: str | None) -> None:
    routed = shell_for(kind, busy, subshell)
    assert routed is None or (kind in EDITOR_REQUESTS and busy and routed == subshell)
    assert waits_for_main(kind, busy, subshell) == (
        busy and kind in EDITOR_REQUESTS and subshell is None
    )


def test_kernelspec_metadata_adds_features() -> None:
    features = KernelFeatures.from_kernel_info({"supported_features": []}, {"debugger": True})
    assert features.debugger and features.listed() == ["debugger"]
    assert KernelFeatures.from_kernel_info({}, "not a mapping").listed() == []
