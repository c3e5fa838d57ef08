"""The history store and the two ways of walking it: pure, no display."""

from __future__ import annotations

import sqlite3
import threading

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.history import (
    WRITER_THREAD,
    HistoryStore,
    HistoryWalk,
    ReverseSearch,
)


def test_entries_survive_a_new_store_on_the_same_file(tmp_path):
    path = tmp_path / "h.sqlite"
    first = HistoryStore(path)
    first.add("a = 1", "python")
    first.add("b = 2\nc = 3", "python")
    first.add("x <- 1", "R")
    first.flush()
    second = HistoryStore(path)  # another session (first is still open)
    assert second.entries("python") == ["a = 1", "b = 2\nc = 3"]
    assert second.entries("R") == ["x <- 1"]
    assert second.warnings == []


def test_each_entry_is_committed_at_once(tmp_path):
    path = tmp_path / "h.sqlite"
    store = HistoryStore(path)
    store.add("import os")
    store.flush()  # the writer thread's commit, not a close
    # read with a separate connection, as after a crash: the row is already there
    rows = sqlite3.connect(path).execute("SELECT source FROM history").fetchall()
    assert rows == [("import os",)]


def test_every_store_writes_through_the_one_writer_thread(tmp_path):
    stores = [HistoryStore(tmp_path / f"h{i % 2}.sqlite") for i in range(10)]
    for n, store in enumerate(stores):
        store.add(f"x = {n}")
    for store in stores:
        store.flush()
    writers = [t for t in threading.enumerate() if t.name.startswith(WRITER_THREAD)]
    assert len(writers) == 1 and threading.current_thread() not in writers
    for store in stores:
        store.close()
    assert HistoryStore(tmp_path / "h1.sqlite").entries() == [f"x = {n}" for n in range(1, 10, 2)]


def test_blank_entries_are_not_kept(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    store.add("   \n")
    assert store.entries() == []


def test_size_limits_memory_and_file(tmp_path):
    path = tmp_path / "h.sqlite"
    store = HistoryStore(path, size=10)
    for i in range(30):
        store.add(f"x = {i}")
    assert store.entries() == [f"x = {i}" for i in range(20, 30)]
    store.flush()
    again = HistoryStore(path, size=10)
    assert again.entries() == [f"x = {i}" for i in range(20, 30)]
    (count,) = sqlite3.connect(path).execute("SELECT count(*) FROM history").fetchone()
    assert count == 10


def test_a_corrupt_file_is_moved_aside_and_replaced(tmp_path):
    path = tmp_path / "h.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    store = HistoryStore(path)
    assert len(store.warnings) == 1 and "unreadable" in store.warnings[0]
    store.add("still works")
    store.flush()
    assert store.take_warning() is None
    assert HistoryStore(path).entries() == ["still works"]
    (aside,) = tmp_path.glob("h.sqlite.corrupt-*")
    assert aside.read_bytes().startswith(b"this is not a database")


def test_a_locked_file_gives_a_warning_and_a_memory_store(tmp_path):
    path = tmp_path / "h.sqlite"
    first = HistoryStore(path)
    first.add("old")
    first.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = HistoryStore(path)
        assert len(store.warnings) == 1 and "locked" in store.warnings[0]
        store.add("new")
        store.flush()
        assert store.take_warning() is None  # nothing to write to: no write failed
        assert store.entries() == ["new"]
    finally:
        holder.execute("ROLLBACK")
    assert HistoryStore(path).entries() == ["old"]  # the file was left alone


def test_a_file_locked_later_only_warns_on_add(tmp_path):
    path = tmp_path / "h.sqlite"
    store = HistoryStore(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store.add("x = 1")
        store.flush()
    finally:
        holder.execute("ROLLBACK")
    warning = store.take_warning()
    assert warning and "could not be saved" in warning
    assert store.take_warning() is None  # said once
    assert store.entries() == ["x = 1"]


def test_an_unusable_directory_gives_a_memory_store(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = HistoryStore(blocker / "sub" / "h.sqlite")
    store.add("x")
    assert store.warnings and store.entries() == ["x"]


def test_kernel_history_is_older_and_not_duplicated(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite")
    store.add("ours")
    store.add_older(["k1", "ours", "k2", "k1"], "python")
    assert store.entries() == ["k1", "k2", "ours"]
    store.flush()
    assert HistoryStore(tmp_path / "h.sqlite").entries() == ["ours"]  # never written


def test_walk_filters_by_prefix_and_returns_to_the_draft():
    entries = ["print(1)", "x = 1", "print(2)", "print(2)", "y"]
    walk = HistoryWalk(entries, draft="pr", prefix="pr")
    assert walk.previous() == "print(2)"
    assert walk.previous() == "print(1)"  # duplicates shown once
    assert walk.previous() is None
    assert walk.next() == "print(2)"
    assert walk.next() == "pr"
    assert walk.next() is None


ENTRIES = st.lists(st.text(alphabet="ab\n ", max_size=4), max_size=12)


@given(ENTRIES, st.text(alphabet="ab", max_size=2))
def test_walking_up_then_down_visits_matches_newest_first_and_comes_back(entries, prefix):
    walk = HistoryWalk(entries, draft=prefix, prefix=prefix)
    ups = []
    while (entry := walk.previous()) is not None:
        ups.append(entry)
    assert all(e.startswith(prefix) and e != prefix for e in ups)
    assert len(ups) == len(set(ups))
    assert set(ups) == {e for e in entries if e.startswith(prefix) and e != prefix}
    downs = []
    while (entry := walk.next()) is not None:
        downs.append(entry)
    assert downs == [*ups[-2::-1], prefix] if ups else downs == []


def test_reverse_search_goes_older_and_ignores_case_for_lowercase_queries():
    search = ReverseSearch(["import Foo", "x = 1", "import foo", "import foo", "y"])
    assert search.search("foo") == "import foo"
    assert search.span() == (7, 10)
    assert search.older() == "import Foo"  # the duplicate is skipped
    assert search.older() is None
    assert search.match == "import Foo"  # stays on the last match
    assert search.search("Foo") == "import Foo"  # a capital makes it exact
    assert search.search("nothing") is None
