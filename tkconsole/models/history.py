"""Input history: a SQLite file written one entry at a time, and the two ways
of walking it (Up/Down with a prefix, and Ctrl+R's incremental search).

The store never raises into the console.  A locked file gives a warning and
a history kept in memory for this session; a corrupt one is moved aside
(so nothing is destroyed) and replaced by a fresh file.  Each entry is
committed as it is added, so a crash loses nothing; the commit runs on a
writer thread of the store's own (started with the first entry), so the
Tk thread never waits for the disk while a cell starts.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL,
    language TEXT NOT NULL,
    source TEXT NOT NULL,
    time REAL NOT NULL
)
"""
LOCK_TIMEOUT = 0.3  # s to wait for another process's lock; the UI thread waits too


class HistoryStore:
    """Entries oldest-first in memory; ``add`` also appends them to the file."""

    def __init__(self, path: Path | None, size: int = 10000) -> None:
        self.path = path
        self.size = size
        self.session = uuid.uuid4().hex
        self.warnings: list[str] = []
        self._older: list[tuple[str, str]] = []  # the kernel's own tail, never written
        self._entries: list[tuple[str, str]] = []  # (language, source)
        self._db: sqlite3.Connection | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._failures: deque[str] = deque()  # from the writer thread
        if path is not None:
            self._open(path)

    # ------------------------------------------------------------- opening
    def _open(self, path: Path) -> None:
        try:
            self._db, self._entries = self._connect(path)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self._warn(f"History file {path} is locked by another program ({exc}); "
                           "this session's history will not be saved.")  # fmt: skip
                return
            self._recover(path, exc)
        except sqlite3.DatabaseError as exc:
            self._recover(path, exc)
        except OSError as exc:
            self._warn(f"Cannot use history file {path} ({exc}); history kept in memory only.")

    def _connect(self, path: Path) -> tuple[sqlite3.Connection, list[tuple[str, str]]]:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Opened and read here; written only by the writer thread afterwards.
        db = sqlite3.connect(str(path), timeout=LOCK_TIMEOUT, check_same_thread=False)
        try:
            db.execute(SCHEMA)
            self._trim(db)
            rows = db.execute(
                "SELECT language, source FROM history ORDER BY id DESC LIMIT ?", (self.size,)
            ).fetchall()
        except BaseException:
            db.close()
            raise
        return db, rows[::-1]

    def _trim(self, db: sqlite3.Connection) -> None:
        (count,) = db.execute("SELECT count(*) FROM history").fetchone()
        if count > self.size + self.size // 10:
            db.execute(
                "DELETE FROM history WHERE id NOT IN "
                "(SELECT id FROM history ORDER BY id DESC LIMIT ?)",
                (self.size,),
            )
            db.commit()

    def _recover(self, path: Path, exc: Exception) -> None:
        """A corrupt file: keep it under another name, start a fresh one."""
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(aside)
            self._db, self._entries = self._connect(path)
        except (OSError, sqlite3.Error) as again:
            self._warn(f"History file {path} is unreadable ({exc}; {again}); "
                       "history kept in memory only.")  # fmt: skip
            return
        self._warn(f"History file {path} was unreadable ({exc}); it was moved to "
                   f"{aside.name} and a fresh history started.")  # fmt: skip

    def _warn(self, message: str) -> None:
        self.warnings.append(message)

    # ------------------------------------------------------------- using
    def entries(self, language: str | None = None) -> list[str]:
        """Sources oldest-first: the kernel's tail, then ours (of ``language`` if given)."""
        rows = self._older + self._entries
        return [src for lang, src in rows if language is None or lang in (language, "")]

    def add(self, source: str, language: str = "") -> None:
        """Remember ``source``; its commit is handed to the writer thread at once.

        A write that fails is reported by ``take_warning``.
        """
        if not source.strip():
            return
        self._entries.append((language, source))
        if len(self._entries) > self.size:
            del self._entries[: len(self._entries) - self.size]
        if self._db is None:
            return
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="tkconsole-history")
        self._writer.submit(self._write, language, source, time.time())

    def _write(self, language: str, source: str, when: float) -> None:
        db = self._db
        if db is None:  # an earlier write failed
            return
        try:
            db.execute(
                "INSERT INTO history (session, language, source, time) VALUES (?, ?, ?, ?)",
                (self.session, language, source, when),
            )
            db.commit()
        except sqlite3.Error as exc:
            self._db = None
            db.close()
            self._failures.append(
                f"History could not be saved to {self.path} ({exc}); kept in memory only."
            )

    def flush(self) -> None:
        """Wait until every entry added so far is committed (or has failed)."""
        if self._writer is not None:
            self._writer.submit(lambda: None).result()

    def take_warning(self) -> str | None:
        """The message of a write that failed since the last call, if any."""
        return self._failures.popleft() if self._failures else None

    def add_older(self, sources: Iterable[str], language: str = "") -> None:
        """The kernel's own history: older than ours, not written, no duplicates of ours."""
        known = {src for _lang, src in self._older + self._entries}
        for source in sources:
            if source.strip() and source not in known:
                known.add(source)
                self._older.append((language, source))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)  # pending entries are committed first
            self._writer = None
        if self._db is not None:
            self._db.close()
            self._db = None


class HistoryWalk:
    """Up/Down through entries starting with ``prefix``; the draft waits at the end."""

    def __init__(self, entries: Sequence[str], draft: str, prefix: str) -> None:
        self.draft = draft
        seen = {draft}
        self.matches: list[str] = []
        for source in reversed(entries):
            if source.startswith(prefix) and source not in seen:
                seen.add(source)
                self.matches.append(source)
        self.pos = -1  # -1: the draft; 0: the newest match

    def previous(self) -> str | None:
        """The next older match, or None at the oldest."""
        if self.pos + 1 >= len(self.matches):
            return None
        self.pos += 1
        return self.matches[self.pos]

    def next(self) -> str | None:
        """The next newer match, the draft after the newest, or None past it."""
        if self.pos < 0:
            return None
        self.pos -= 1
        return self.draft if self.pos < 0 else self.matches[self.pos]


class ReverseSearch:
    """Ctrl+R: the newest entry containing the query, then older ones on demand.

    Matching ignores case unless the query has a capital letter in it.
    """

    def __init__(self, entries: Sequence[str]) -> None:
        self.entries = entries
        self.query = ""
        self.index: int | None = None

    @property
    def match(self) -> str | None:
        return None if self.index is None else self.entries[self.index]

    def search(self, query: str) -> str | None:
        """Start over from the newest entry with a new query."""
        self.query = query
        self.index = self._find(len(self.entries), skip=None)
        return self.match

    def older(self) -> str | None:
        """The next older entry that matches and differs from the current one."""
        start = len(self.entries) if self.index is None else self.index
        found = self._find(start, skip=self.match)
        if found is not None:
            self.index = found
        return None if found is None else self.match

    def _find(self, before: int, skip: str | None) -> int | None:
        query = self.query
        fold = query == query.lower()
        for i in range(before - 1, -1, -1):
            source = self.entries[i]
            if source == skip:
                continue
            if query in (source.lower() if fold else source):
                return i
        return None

    def span(self) -> tuple[int, int] | None:
        """Where the query sits in the current match (character offsets)."""
        match = self.match
        if match is None or not self.query:
            return None
        hay = match.lower() if self.query == self.query.lower() else match
        start = hay.find(self.query)
        return (start, start + len(self.query)) if start >= 0 else None
