"""Editing the input: the key table, highlighting, completion, call tips, history keys,
the pager, the find bar, Enter and typing ahead, answering input()."""
