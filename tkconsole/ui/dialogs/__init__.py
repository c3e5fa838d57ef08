"""The dialogs: Connect, the kernel picker, passwords, exit and the generic choice."""
