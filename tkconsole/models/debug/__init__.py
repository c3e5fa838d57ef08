"""The Jupyter debug protocol (DAP over ``debug_request``/``debug_event``), as pure models.

``dap`` checks what the kernel says and turns it into typed records,
``cellfiles`` maps cells to the file names the kernel compiles them under,
``session`` is the debugger's state machine, ``variables`` the rows the
variables pane shows.  No Tk, no sockets: tested without a display.
"""
