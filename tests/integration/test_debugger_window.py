"""The debugger's menu items and the tab's mark, in the app's window."""

from __future__ import annotations

from conftest import wait_for
from test_app_window import kernels_dir, make_window, ready

__all__ = ["kernels_dir", "make_window"]  # fixtures, imported for pytest


def keys(menu) -> dict[str, str]:
    return {
        menu.entrycget(i, "label"): menu.entrycget(i, "accelerator")
        for i in range(menu.index("end") + 1)
        if menu.type(i) == "command"
    }


def test_view_variables_and_kernel_debug_from_the_menus(root, make_window, kernels_dir):
    window = make_window()
    tab = window.open_kernel("python3")
    console = ready(root, tab)
    view, kernel = window.menus["View"], window.menus["Kernel"]
    assert keys(view)["Variables"] == "F4"
    kernel_keys = keys(kernel)
    assert kernel_keys["Debug"] == "Ctrl+Shift+D" and kernel_keys["Step over"] == "F10"
    assert kernel_keys["Continue"] == "F5" and kernel_keys["Step into"] == "F11"
    view.invoke(view.index("Variables"))
    assert console.debugger.variables_shown()
    kernel.invoke(kernel.index("Debug"))
    wait_for(root, lambda: console.debugger.state == "running", 10, "debugging on")
    wait_for(root, lambda: "debugging" in window.tabs.tab(tab.frame, "text"), 10, "the tab's mark")
    kernel.invoke(kernel.index("Debug"))
    assert console.debugger.state == "off"
    wait_for(root, lambda: "debugging" not in window.tabs.tab(tab.frame, "text"), 10, "unmarked")
