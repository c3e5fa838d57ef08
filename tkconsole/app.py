"""Command line: ``tkconsole``, ``jupyter tkconsole``, ``python -m tkconsole``.

The kernel is launched before Tk is even imported, so the two start in
parallel and the prompt appears about when the kernel is ready.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


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
    remote.add_argument("--token", help="the server's token (default: $JUPYTER_TOKEN)")
    remote.add_argument("--kernel-id", metavar="ID", help="attach to this kernel on --server")
    remote.add_argument(
        "--kernel-env",
        action="append",
        metavar="NAME=VALUE",
        help="a parameter for a kernel --server starts (Enterprise Gateway: KERNEL_*), repeatable",
    )
    parser.add_argument(
        "--execute", action="append", default=[], metavar="CODE", help="run CODE at start"
    )
    parser.add_argument(
        "--save-transcript", metavar="FILE", help="write what the console shows to FILE on exit"
    )
    parser.add_argument(
        "--exit-after", action="store_true", help="exit once the --execute code has run"
    )
    parser.add_argument(
        "--theme", default=None, help="ttkbootstrap theme name (default: from the settings file)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        window = launch(argv)
    except ValueError as exc:
        print(f"tkconsole: {exc}", file=sys.stderr)
        return 2
    window.root.mainloop()
    return 0


def launch(argv: list[str] | None = None):
    """Parse ``argv``, start the kernel, build the window (without its mainloop).

    Raises ``ValueError`` (a bad option combination, a ``ConnectionFileError``)
    with a one-line reason.
    """
    args = build_parser().parse_args(argv)
    from .connector import Connector
    from .targets import target_from_args

    connector = Connector()
    connection = connector.connect(target_from_args(args))  # the kernel boots while Tk loads

    from .ui.window import MainWindow

    window = MainWindow(connection, theme=args.theme, on_connect=connector.show_dialog)
    connector.serve(window)
    for code in args.execute:
        window.console.execute(code)
    if args.save_transcript or args.exit_after:
        _finish_when_done(window, args.save_transcript, args.exit_after)
    return window


def _finish_when_done(window, transcript: str | None, exit_after: bool) -> None:
    """Once the queued code has run: save the transcript, and quit if asked."""
    console = window.console

    def check() -> None:
        if not (console.is_idle() or console.is_failed()):
            window.root.after(50, check)
            return
        if transcript:
            Path(transcript).write_text(console.transcript(), encoding="utf-8")
        if exit_after:
            window.close()

    window.root.after(50, check)
