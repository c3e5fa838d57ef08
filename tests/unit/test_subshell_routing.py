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


def test_help_queries_are_recognised() -> None:
    from tkconsole.models.subshells import help_query

    assert help_query("len?") == ("len", 0)
    assert help_query("  math.floor?? ") == ("math.floor", 1)
    assert help_query("?len") == ("len", 0)
    for code in ("len", "len(1)?", "?len?", "a = b?", "math.?", "", "???x"):
        assert help_query(code) is None, code


@given(st.text(max_size=30))
def test_a_help_query_names_an_identifier_in_the_code(code: str) -> None:
    from tkconsole.models.subshells import help_query

    found = help_query(code)
    if found is not None:
        name, level = found
        assert name in code and level in (0, 1) and name.replace(".", "_").isidentifier()


def test_a_subshell_or_usage_status_leaves_the_main_state_alone() -> None:
    from tkconsole.models.conversation import ConversationModel

    model = ConversationModel("s")
    model.receive("events", {"msg_type": "ready", "header": {"msg_type": "ready"},
                             "parent_header": {}, "content": {"kernel_info": {}}})  # fmt: skip
    model.execute("time.sleep(8)", "e1")
    parents = (
        {"msg_id": "c1", "msg_type": "complete_request", "subshell_id": "x"},
        {"msg_id": "u1", "msg_type": "usage_request"},
        {"msg_id": "k1", "msg_type": "kernel_info_request", "subshell_id": "x"},
    )
    for parent in parents:
        for state in ("busy", "idle"):
            msg = {"msg_type": "status", "header": {"msg_type": "status"},
                   "parent_header": {**parent, "session": "s"},
                   "content": {"execution_state": state}}  # fmt: skip
            model.receive("iopub", msg)
    assert model.kernel_state == "busy" and model.mode == "executing"
