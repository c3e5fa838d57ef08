"""Command line: ``tkconsole``, ``jupyter tkconsole``, ``python -m tkconsole``.

Everything that can be refused is checked before any window (one line on
stderr, exit status 2): the options, the kernelspec, the theme, the
display.  The kernel is launched before Tk is even imported, so the two
start in parallel and the prompt appears about when the kernel is ready.

``--exit-after`` exits 0 when every input ran, 1 when one raised (unless
``--allow-errors``) and 2 when the kernel could not be started or reached.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .connector import Connector
    from .ui.mainwindow import MainWindow

EXIT_OK, EXIT_ERROR_IN_CELL, EXIT_UNUSABLE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tkconsole", description="A lightweight desktop console for Jupyter kernels."
    )
    parser.add_argument("--version", action="version", version=f"tkconsole {__version__}")
    parser.add_argument("--kernel", default=None, help="kernelspec to launch (default: python3)")
    parser.add_argument(
        "--existing",
        nargs="?",
        const="",
        default=None,
        metavar="FILE",
        help="attach to a running kernel (default: the most recent one)",
    )
    remote = parser.add_argument_group("remote kernels")
    remote.add_argument("--ssh", metavar="USER@HOST[:PORT]", help="tunnel --existing through ssh")
    remote.add_argument("--sshkey", metavar="KEY", help="private key file for --ssh")
    remote.add_argument("--server", metavar="URL", help="Jupyter Server or gateway to use")
    remote.add_argument(
        "--token",
        help="the server's or Hub's token (default: $JUPYTER_TOKEN, $JUPYTERHUB_API_TOKEN)",
    )
    remote.add_argument("--kernel-id", metavar="ID", help="attach to this kernel on --server")
    remote.add_argument(
        "--kernel-env",
        action="append",
        metavar="NAME=VALUE",
        help="a parameter for a kernel --server starts (Enterprise Gateway: KERNEL_*), repeatable",
    )
    hub = parser.add_argument_group("JupyterHub")
    hub.add_argument("--hub", metavar="URL", help="JupyterHub whose server to use")
    hub.add_argument(
        "--hub-server",
        metavar="NAME",
        help="the Hub user's named server (default: the default server); started if stopped",
    )
    parser.add_argument(
        "--execute", action="append", default=[], metavar="CODE", help="run CODE at start"
    )
    parser.add_argument(
        "--save-transcript",
        metavar="FILE",
        help="on exit, save the session to FILE: .ipynb notebook, .html page, else text",
    )
    parser.add_argument(
        "--exit-after", action="store_true", help="exit once the --execute code has run"
    )
    parser.add_argument(
        "--allow-errors", action="store_true", help="with --exit-after: exit 0 even if code raised"
    )
    parser.add_argument(
        "--theme",
        default=None,
        help='ttkbootstrap theme name, or "auto" to follow the system (default: the settings)',
    )
    desktop = parser.add_argument_group("desktop")
    desktop.add_argument(
        "--install-desktop",
        action="store_true",
        help="add tkconsole to the desktop's application launcher (entry and icons), then exit",
    )
    desktop.add_argument(
        "--uninstall-desktop", action="store_true", help="remove that launcher entry, then exit"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.install_desktop or args.uninstall_desktop:
        return desktop_entry(args.install_desktop)
    try:
        window = launch(argv)
    except ValueError as exc:
        print(f"tkconsole: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    window.root.mainloop()
    return getattr(window, "exit_code", EXIT_OK)


def check_args(args: argparse.Namespace) -> Any:
    """The target, once every refusable thing is checked; ``ValueError`` with one line."""
    from .connector import target_from_args

    target = target_from_args(args)
    if target.kind == "local" and args.kernel is not None:
        from .kernel import bundle

        known = bundle.spec_manager().find_kernel_specs()
        if args.kernel not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ValueError(f"no kernelspec named {args.kernel!r} (installed: {names})")
    if args.theme is not None:
        from .ui.themes import theme_names

        if args.theme not in [*theme_names(), "auto"]:
            raise ValueError(f"unknown theme {args.theme!r} (View → Theme lists them)")
    check_display()
    return target


def desktop_entry(install: bool) -> int:
    """``--install-desktop`` / ``--uninstall-desktop``: say what was done, exit 0."""
    from . import desktop_install

    try:
        paths = desktop_install.install() if install else desktop_install.uninstall()
    except OSError as exc:
        print(f"tkconsole: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    verb = "wrote" if install else "removed"
    print(f"tkconsole: {verb} {len(paths)} file(s): {desktop_install.entry_path()} and icons")
    return EXIT_OK


def check_display() -> None:
    """X11 needs $DISPLAY (or Wayland's); say so in one line rather than a traceback."""
    if sys.platform.startswith(("win", "darwin")):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise ValueError("no display: set DISPLAY (tkconsole is a graphical program)")


def launch(argv: list[str] | None = None):
    """Parse ``argv``, start the kernel, build the window (without its mainloop).

    Raises ``ValueError`` (a bad option, an unknown kernel or theme, no
    display, a ``ConnectionFileError``) with a one-line reason.
    """
    args = build_parser().parse_args(argv)
    from .connector import Connector

    target = check_args(args)
    connector = Connector()
    connection = connector.connect(target)  # the kernel boots while Tk loads
    from .ui.scaling import make_dpi_aware

    make_dpi_aware()
    try:
        window = _window(connector, args.theme)
    except Exception as exc:  # Tk could not open the display after all
        connection.shutdown()
        raise ValueError(f"cannot open a window: {str(exc).splitlines()[0]}") from None
    tab = window.add_console(connection, target=target)
    connector.serve(window)
    from .session_restore import offer_restore, remember_on_close

    remember_on_close(window, connector)
    window.root.after_idle(connector.keep_tokens, target)  # the keyring, once the window is up
    if not (args.execute or args.exit_after or _explicit_target(args)):
        offer_restore(window, fresh=tab)
    for code in args.execute:  # (no restored tabs then: this is the only one)
        tab.console.execute(code)
    if args.save_transcript or args.exit_after:
        _finish_when_done(window, args)
    return window


def _explicit_target(args: argparse.Namespace) -> bool:
    return any(v is not None for v in (args.kernel, args.existing, args.server, args.hub))


def _window(connector: Connector, theme: str | None) -> MainWindow:
    from .ui.mainwindow import MainWindow

    return MainWindow(connector, theme=theme)


def _finish_when_done(window: Any, args: argparse.Namespace) -> None:
    """Once the queued code has run: save the session, set the exit status, quit if asked."""
    console = window.console

    def check() -> None:
        if not (console.is_idle() or console.is_failed()):
            window.root.after(50, check)
            return
        if args.save_transcript:
            save_transcript(console, args.save_transcript)
        if args.exit_after:
            window.exit_code = exit_status(console, args.allow_errors)
            if console.failure():  # a scripted run says why on stderr too
                print(f"tkconsole: {console.failure()}", file=sys.stderr)
            window.close()

    window.root.after(50, check)


def save_transcript(console: Any, path: str) -> None:
    """``.ipynb`` / ``.html`` from the session record; any other name: the text shown."""
    from .models.export import FORMATS, atomic_write, save

    if os.path.splitext(path)[1].lower() in FORMATS:
        save(path, console.record, console.transcript(continuation_prompts=True))
    else:
        atomic_write(path, console.transcript(continuation_prompts=True))


def exit_status(console: Any, allow_errors: bool) -> int:
    if console.is_failed():
        return EXIT_UNUSABLE
    if not allow_errors and raised(console):
        return EXIT_ERROR_IN_CELL
    return EXIT_OK


def raised(console: Any) -> bool:
    """Did any input of this console raise (an execute_reply with status "error")?"""
    return console.errors > 0
