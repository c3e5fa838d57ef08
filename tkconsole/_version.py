"""The version, in a module of its own so any layer can show it without importing
the package's lazy ``ConsoleWidget`` (which pulls in the transport)."""

__version__ = "0.1.0"
