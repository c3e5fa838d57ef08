"""The console names the output mark itself, so start-up need not import the writer."""

from __future__ import annotations


def test_console_keeps_the_output_mark_name():
    from tkconsole.ui import console
    from tkconsole.ui.output import writer

    assert console.OUT == writer.OUT
