"""The Tk side: the console view, output drawing, input editing, windows and dialogs.

No zmq, tornado or jupyter_client here, and no ``tkconsole.kernel``: the
console talks to a connection through the interface the models declare.
"""
