"""Kernel usage: the numbers match what psutil reads for the kernel process, follow
an allocation, show in the status bar, stop while the window is hidden, and are
not asked for again from a kernel that does not answer."""

from __future__ import annotations

import psutil
import pytest
from conftest import press, pump, run_and_wait, type_text, wait_for
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


def start_cell(root, console, code: str) -> None:
    """Type ``code`` and run it without waiting for it to end."""
    type_text(console.text, code)
    press(console.text, "Return", state=1)
    wait_for(root, console.main_busy, 10, "the cell to start")


def test_no_polling_while_the_window_is_hidden(root, make_console):
    console = make_console(settings=fast_polls())
    wait_for(root, lambda: console.kernel_usage, 15, "a usage reply")
    start_cell(root, console, "import time; time.sleep(12)")
    top = console.winfo_toplevel()
    top.withdraw()
    wait_for(root, lambda: not console.usage_poll.polling, 5, "the poll to stop")
    count = len(console.model.usage.samples)
    pump(root, 2.5)  # two and a half intervals
    assert not console.usage_poll.polling
    assert len(console.model.usage.samples) <= count + 1  # at most the answer in flight
    top.deiconify()
    wait_for(root, lambda: len(console.model.usage.samples) > count + 1, 10, "polls again")
    console.interrupt()
    wait_for(root, console.is_idle, 30, "the prompt")


def test_an_idle_kernel_is_asked_once_and_a_running_cell_all_along(root, make_console):
    """No timer while idle (no wake-ups, and a server's culler sees no activity)."""
    console = make_console(settings=fast_polls())
    wait_for(root, lambda: console.kernel_usage, 15, "a usage reply")
    wait_for(root, lambda: not console.usage_poll.polling, 10, "the poll to rest")
    count = len(console.model.usage.samples)
    pump(root, 3)  # three intervals of an idle kernel
    assert len(console.model.usage.samples) == count and not console.usage_poll.polling
    start_cell(root, console, "import time; time.sleep(4)")
    wait_for(root, lambda: len(console.model.usage.samples) >= count + 2, 8, "polls while busy")
    wait_for(root, console.is_idle, 30, "the cell to end")
    wait_for(root, lambda: not console.usage_poll.polling, 10, "the poll to rest again")


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
