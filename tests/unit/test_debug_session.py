"""The debug session model: the DAP sequence, the execute gate, stopping and
stepping, and hostile replies and events, all without a kernel or a display."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models.debug import effects as fx
from tkconsole.models.debug.cellfiles import CellFiles, murmur2_x86
from tkconsole.models.debug.session import DebugSession
from tkconsole.models.debug.variables import VariableRows, page, sorted_rows

SEED = 0xC70F6907
PREFIX = "/tmp/ipykernel_1/"
CELL1 = "def f(x):\n    y = x + 1\n    return y * 2\n"


class Kernel:
    """Records what the session sends; answers like ipykernel when asked."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []
        self.session = DebugSession(self.send)
        self.session.set_available(True)

    def send(self, content: dict) -> str:
        msg_id = f"m{len(self.sent)}"
        self.sent.append((msg_id, content))
        return msg_id

    def commands(self) -> list[str]:
        return [content["command"] for _id, content in self.sent]

    def answer_all(self) -> list[fx.Effect]:
        """Answer every request not yet answered, as ipykernel would."""
        out: list[fx.Effect] = []
        done = 0
        while done < len(self.sent):
            msg_id, request = self.sent[done]
            done += 1
            out += self.session.on_reply(msg_id, self.reply_to(request))
        return out

    def reply_to(self, request: dict) -> dict:
        command, args = request["command"], request["arguments"]
        body: dict[str, Any] = {}
        if command == "debugInfo":
            body = {"isStarted": False, "hashMethod": "Murmur2", "hashSeed": SEED,
                    "tmpFilePrefix": PREFIX, "tmpFileSuffix": ".py"}  # fmt: skip
        elif command == "dumpCell":
            body = {"sourcePath": f"{PREFIX}{murmur2_x86(args['code'], SEED)}.py"}
        elif command == "stackTrace":
            body = {"stackFrames": [
                {"id": 6, "name": "f", "line": 2, "source": {"path": self.path(CELL1)}},
                {"id": 7, "name": "<module>", "line": 1, "source": {"path": self.path("f(3)")}},
            ]}  # fmt: skip
        elif command == "scopes":
            body = {"scopes": [{"name": "Locals", "variablesReference": 8},
                               {"name": "Globals", "variablesReference": 9}]}  # fmt: skip
        elif command in ("variables", "inspectVariables"):
            body = {"variables": [{"name": "x", "type": "int", "value": "3",
                                   "variablesReference": 0}]}  # fmt: skip
        elif command == "evaluate":
            body = {"result": "30"}
        return {"type": "response", "request_seq": request["seq"], "success": True,
                "command": command, "body": body}  # fmt: skip

    @staticmethod
    def path(code: str) -> str:
        return f"{PREFIX}{murmur2_x86(code, SEED)}.py"


def started(breakpoints: dict[int, list[int]] | None = None) -> Kernel:
    kernel = Kernel()
    session = kernel.session
    session.cells.note(1, CELL1)
    for cell, lines in (breakpoints or {}).items():
        for line in lines:
            session.toggle_breakpoint(cell, line)
    session.start()
    kernel.answer_all()
    return kernel


def test_the_cell_hash_is_ipykernels() -> None:
    # the file names a real ipykernel 7 gave these cells (seed 0xC70F6907)
    assert murmur2_x86(CELL1, SEED) == 612248605
    assert murmur2_x86("f(3)", SEED) == 608181891
    assert murmur2_x86("", SEED) != murmur2_x86("é", SEED)


def test_start_sends_the_sequence_and_every_breakpoint() -> None:
    kernel = started({1: [2]})
    assert kernel.commands() == [
        "debugInfo", "initialize", "attach", "dumpCell", "setBreakpoints",
        "setExceptionBreakpoints", "configurationDone",
    ]  # fmt: skip
    arguments = kernel.sent[4][1]["arguments"]
    assert arguments["source"]["path"] == kernel.path(CELL1)
    assert arguments["breakpoints"] == [{"line": 2}]
    assert kernel.session.state == "running"
    seqs = [content["seq"] for _id, content in kernel.sent]
    assert seqs == sorted(set(seqs))


def test_a_kernel_without_the_feature_says_so() -> None:
    kernel = Kernel()
    kernel.session.set_available(False)
    assert kernel.session.start() == [fx.Notice("This kernel has no debugger.")]
    assert kernel.sent == [] and kernel.session.state == "off"


def test_an_execute_with_breakpoints_waits_for_them() -> None:
    kernel = started()
    session = kernel.session
    session.toggle_breakpoint(2, 1)  # the input, not yet run: nothing to send
    assert kernel.commands()[-1] == "configurationDone"
    assert session.before_execute(2, "f(3)") is False
    assert kernel.commands()[-2:] == ["dumpCell", "setBreakpoints"]
    assert fx.Released() in kernel.answer_all()
    assert session.before_execute(3, "1 + 1") is True  # no breakpoints there


def test_stopping_the_debugger_lets_a_held_execute_go() -> None:
    kernel = started({2: [1]})
    assert kernel.session.before_execute(2, "f(3)") is False
    assert fx.Released() in kernel.session.stop()
    assert kernel.session.before_execute(3, "g()") is True


def test_stopped_lists_frames_and_locals_and_maps_cells() -> None:
    kernel = started({1: [2]})
    session = kernel.session
    session.before_execute(2, "f(3)")
    kernel.answer_all()
    out = session.on_event({"type": "event", "event": "stopped", "body": {"threadId": 1}})
    assert fx.Changed("state") in out and session.state == "stopped"
    out = kernel.answer_all()
    assert session.stopped_at() == (1, 2)
    assert session.frame_list() == [("f", 1, 2), ("<module>", 2, 1)]
    arrived = [e for e in out if isinstance(e, fx.VariablesArrived)]
    names = [item["name"] for item in arrived[-1].items]
    assert names == ["x", "Globals"]  # locals, then the other scopes as rows
    assert session.evaluate("x * 10") == []
    assert fx.Evaluated("x * 10", "30", False) in kernel.answer_all()
    session.step("over")
    assert kernel.sent[-1][1]["command"] == "next" and session.state == "running"
    assert session.stopped_at() is None


def test_replies_are_matched_by_message_not_by_seq() -> None:
    kernel = started()
    session = kernel.session
    session.rich_inspect("x")
    msg_id, _request = kernel.sent[-1]
    # ipykernel answers richInspectVariables with "sequence_seq", not "request_seq"
    reply = {"type": "response", "sequence_seq": 99, "success": True,
             "command": "richInspectVariables", "body": {"data": {"text/plain": "42"}}}  # fmt: skip
    assert session.on_reply("someone-else", reply) == []
    assert session.on_reply(msg_id, reply) == [fx.RichArrived("x", {"text/plain": "42"}, {})]
    assert session.on_reply(msg_id, reply) == []  # once only


def test_a_restarted_kernel_gets_debugging_and_breakpoints_again() -> None:
    kernel = started({1: [2]})
    before = len(kernel.sent)
    kernel.session.kernel_restarted()
    kernel.answer_all()
    assert kernel.commands()[before:] == [
        "debugInfo", "initialize", "attach", "dumpCell", "setBreakpoints",
        "setExceptionBreakpoints", "configurationDone",
    ]  # fmt: skip


def test_after_an_interrupt_the_next_execute_sends_breakpoints_again() -> None:
    kernel = started({1: [2]})
    before = len(kernel.sent)
    kernel.session.interrupted()
    assert kernel.session.before_execute(2, "f(3)") is False
    kernel.answer_all()
    assert kernel.commands()[before:] == ["dumpCell", "setBreakpoints"]


def test_exception_filters_are_sent_when_changed() -> None:
    kernel = started()
    kernel.session.set_exception_filter("raised", True)
    assert kernel.sent[-1][1]["arguments"] == {"filters": ["raised"]}
    kernel.session.set_exception_filter("bogus", True)
    assert kernel.sent[-1][1]["arguments"] == {"filters": ["raised"]}


def test_a_failed_start_turns_debugging_off_with_a_reason() -> None:
    kernel = Kernel()
    kernel.session.start()
    msg_id = kernel.sent[0][0]
    out = kernel.session.on_reply(msg_id, {"success": False, "message": "no debugpy"})
    assert kernel.session.state == "off"
    assert fx.Notice("The debugger could not start: no debugpy") in out


json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=25,
)
dap_like = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["response", "event"]) | json,
        "event": st.sampled_from(["stopped", "continued", "terminated", "output"]) | json,
        "success": st.booleans() | json,
        "body": st.fixed_dictionaries(
            {},
            optional={
                "threadId": json,
                "variables": json,
                "stackFrames": json,
                "scopes": json,
                "sourcePath": json,
                "result": json,
                "data": json,
                "isStarted": json,
                "hashSeed": json,
                "hashMethod": json,
                "tmpFilePrefix": json,
            },
        )
        | json,
        "message": json,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), dap_like | json), max_size=12))
def test_hostile_replies_and_events_never_break_the_session(stream: list) -> None:
    kernel = started({1: [2]})
    session = kernel.session
    session.before_execute(2, "f(3)")
    session.on_event({"event": "stopped", "body": {"threadId": 1}})
    for as_reply, content in stream:
        if as_reply and session._pending:
            msg_id = next(iter(session._pending))
            session.on_reply(msg_id, content)
        else:
            session.on_event(content)
        session.refresh_variables()
        session.step("over")
        assert session.state in ("off", "running", "stopped")
        session.stopped_at()
        session.frame_list()
    for effect in kernel.answer_all():
        if isinstance(effect, fx.VariablesArrived):
            VariableRows(effect.items).tuples()


def test_cell_files_map_paths_both_ways() -> None:
    files = CellFiles()
    files.note(3, "x = 1")
    assert files.path_of(3) is None  # no debugInfo yet: no hash to use
    files.configure({"hashMethod": "Murmur2", "hashSeed": SEED, "tmpFilePrefix": PREFIX,
                     "tmpFileSuffix": ".py"})  # fmt: skip
    path = files.path_of(3)
    assert path == f"{PREFIX}{murmur2_x86('x = 1', SEED)}.py" and files.cell_of(path) == 3
    files.configure({"hashMethod": "sha", "hashSeed": True})  # ignored
    assert files.path_of(3) == path


def test_rows_are_checked_in_steps_and_bad_items_skipped() -> None:
    items: list[Any] = [{"name": f"v{i}", "type": "int", "value": str(i)} for i in range(1000)]
    items[5] = {"name": 5}
    items[6] = "junk"
    rows = VariableRows(items)
    ticks = iter(range(10**6))
    assert rows.check(deadline=1, clock=lambda: next(ticks)) is False
    assert 0 < len(rows.rows) < 998
    assert len(rows.tuples()) == 998 and rows.done
    assert rows.tuples()[0] == ("v0", "int", "0")


def test_sorting_and_paging() -> None:
    rows = VariableRows(
        [{"name": "b", "type": "str", "value": "'z'"}, {"name": "A", "type": "int", "value": "1"},
         {"name": "special variables", "type": "", "value": "", "variablesReference": 5}]
    ).all()  # fmt: skip
    assert [r.name for r in sorted_rows(rows, "name")] == ["A", "b", "special variables"]
    assert [r.name for r in sorted_rows(rows, "type")][:2] == ["A", "b"]
    chunk, more = page(rows, 0, 2)
    assert len(chunk) == 2 and more == 1
