"""The kernel ownership model: who may end which kernel without asking."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.ownership import KernelOwnership, Question, is_exit_command


def test_a_kernel_we_started_used_by_one_tab_ends_without_asking():
    owners = KernelOwnership()
    owners.attach("t1", "k", started=True)
    assert owners.question("t1", "exit") is None
    assert owners.question("t1", "restart") is None
    assert owners.question("t1", "shutdown") is None
    assert owners.question("t1", "close") == Question("close", True, ())


def test_someone_elses_kernel_always_asks_except_for_closing_the_tab():
    owners = KernelOwnership()
    owners.attach("t1", "k", started=False)
    for action in ("exit", "restart", "shutdown", "quit"):
        assert owners.question("t1", action) == Question(action, False, ())
    assert owners.question("t1", "close") is None
    assert owners.kernels_to_quit(["t1"]) == []


def test_a_shared_kernel_names_the_other_tabs():
    owners = KernelOwnership()
    owners.attach("t1", "k", started=True)
    owners.attach("t2", "k", started=False)
    owners.attach("t3", "other", started=True)
    assert owners.question("t1", "exit") == Question("exit", True, ("t2",))
    assert owners.question("t2", "shutdown") == Question("shutdown", True, ("t1",))
    assert owners.question("t1", "close") == Question("close", True, ("t2",))
    assert owners.question("t2", "close") is None  # t1 holds it: closing t2 ends nothing
    assert owners.others("t2") == ["t1"] and owners.owner("t2") == "t1"
    assert owners.kernels_to_quit(["t1", "t2", "t3"]) == [["t1", "t2"], ["t3"]]


def test_the_kernel_stays_ours_after_its_tab_closes_while_another_uses_it():
    owners = KernelOwnership()
    owners.attach("t1", "k", started=True)
    owners.attach("t2", "k", started=False)
    owners.detach("t1")
    assert owners.ours("t2") and owners.owner("t2") is None
    assert owners.kernels_to_quit(["t2"]) == [["t2"]]
    assert owners.question("t2", "close") == Question("close", True, ())  # the last one holds it
    owners.detach("t2")
    assert owners.kernel_of("t2") is None and owners.question("t2", "exit") is None


def test_a_kernel_shut_down_from_one_tab_tells_the_others_and_asks_no_more():
    owners = KernelOwnership()
    owners.attach("t1", "k", started=True)
    owners.attach("t2", "k", started=False)
    assert owners.shut_down("t2") == ["t1"]
    assert owners.ended_by("t1") == "t2"
    assert owners.question("t1", "close") is None
    assert owners.kernels_to_quit(["t1", "t2"]) == []
    owners.attach("t3", "k", started=True)  # the same identity launched again: a new kernel
    assert owners.ended_by("t3") is None and owners.others("t3") == []


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 2), st.booleans(), st.booleans())))
def test_every_tab_is_on_at_most_one_kernel_and_others_never_include_itself(steps):
    owners = KernelOwnership()
    for tab, kernel, started, closing in steps:
        if closing:
            owners.detach(tab)
        else:
            owners.attach(tab, kernel, started)
    for tab in range(6):
        assert tab not in owners.others(tab)
        kernel = owners.kernel_of(tab)
        if kernel is None:
            assert owners.question(tab, "exit") is None
        else:
            assert all(owners.kernel_of(o) == kernel for o in owners.others(tab))


def test_exit_words_only_as_the_whole_input():
    assert is_exit_command("exit") and is_exit_command(" quit() \n")
    assert not is_exit_command("exit(keep_kernel=True)") and not is_exit_command("exit = 1")
