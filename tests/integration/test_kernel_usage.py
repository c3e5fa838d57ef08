"""Kernel usage: the numbers match what psutil reads for the kernel process, follow
an allocation, show in the status bar, stop while the window is hidden, and are
not asked for again from a kernel that does not answer."""

from __future__ import annotations

import psutil
import pytest
from conftest import pump, run_and_wait, wait_for
from fake_kernel import PlainKernel

from tkconsole.models.settings import KernelSettings, Settings

MB = 2**20


def pss(pid: int) -> int:
    """What ipykernel reports: PSS where Linux has it."""
    info = psutil.Process(pid).memory_full_info()
    return getattr(info, "pss", info.rss)


def fast_polls() -> Settings:
    return Settings(kernel=KernelSettings(usage_interval=1))


def test_kernel_memory_matches_psutil_and_follows_an_allocation(root, make_console):
    console = make_console(settings=fast_polls())
    pid = console.conn.manager.provisioner.process.pid
    usage = wait_for(root, lambda: console.kernel_usage, 15, "a usage reply")
    assert usage["pid"] == pid
    assert usage["kernel_memory"] == pytest.approx(pss(pid), rel=0.2)
    before = usage["kernel_memory"]
    run_and_wait(root, console, "block = b'x' * (200 * 2**20)")
    grown = wait_for(
        root, lambda: console.kernel_usage["kernel_memory"] >= before + 180 * MB, 15,
        "the 200 MB to show",
    )  # fmt: skip
    assert grown
    assert console.kernel_usage["kernel_memory"] == pytest.approx(pss(pid), rel=0.2)


def test_status_bar_shows_cpu_and_memory(root, make_console):
    from tkconsole.ui.statusbar import StatusBar

    console = make_console(settings=fast_polls())
    bar = StatusBar(console.winfo_toplevel(), console)
    bar.pack(side="bottom", fill="x")
    shown = wait_for(root, lambda: "MB" in bar.usage.label.cget("text") and bar.usage.label["text"])
    assert shown.startswith("CPU ") and "of host" in shown
    assert bar.usage.spark.winfo_ismapped() or len(console.model.usage.samples) < 2


def test_no_polling_while_the_window_is_hidden(root, make_console):
    console = make_console(settings=fast_polls())
    wait_for(root, lambda: console.kernel_usage, 15, "a usage reply")
    top = console.winfo_toplevel()
    top.withdraw()
    wait_for(root, lambda: not console.usage_poll.polling, 5, "the poll to stop")
    count = len(console.model.usage.samples)
    pump(root, 2.5)  # two and a half intervals
    assert not console.usage_poll.polling
    assert len(console.model.usage.samples) <= count + 1  # at most the answer in flight
    top.deiconify()
    wait_for(root, lambda: len(console.model.usage.samples) > count + 1, 10, "polls again")


@pytest.fixture
def plain_kernel(tmp_path):
    kernel = PlainKernel(tmp_path)
    yield kernel
    kernel.stop()


def test_a_kernel_that_does_not_answer_gets_no_timer(root, make_console, plain_kernel):
    console = make_console(connection_file=str(plain_kernel.connection_file), settings=fast_polls())
    wait_for(root, lambda: console.usage_poll.answers is False, 15, "the poller to give up")
    asked = [kind for kind, _header in plain_kernel.requests].count("usage_request")
    assert asked == 1 and not console.usage_poll.polling and console.kernel_usage is None
