"""Input history: a SQLite file written one entry at a time, and the two ways
of walking it (Up/Down with a prefix, and Ctrl+R's incremental search).

The store never raises into the console.  A locked file gives a warning and
a history kept in memory for this session; a corrupt one is moved aside
(so nothing is destroyed) and replaced by a fresh file.  Each entry is
committed as it is added, so a crash loses nothing; the commit runs on the
process's one writer thread (``HistoryWriter``: one thread and one SQLite
connection per file, however many consoles), so the Tk thread never waits
for the disk while a cell starts.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
WRITER_THREAD = "tkconsole-history"
INSERT = "INSERT INTO history (session, language, source, time) VALUES (?, ?, ?, ?)"
Row = tuple[str, str, str, float]  # session, language, source, time


class HistoryWriter:
    """The process's one history thread: commits rows, one connection per file.

    Stores on the same file share the connection; it is closed when the
    last of them closes, or after a failed write (the next one reopens it).
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._users: dict[Path, int] = {}  # stores per file (any thread may open one)
        self._dbs: dict[Path, sqlite3.Connection] = {}  # the writer thread's alone

    def use(self, path: Path) -> None:
        with self._lock:
            self._users[path] = self._users.get(path, 0) + 1

    def release(self, path: Path) -> None:
        with self._lock:
            left = self._users.get(path, 0) - 1
            if left > 0:
                self._users[path] = left
                return
            self._users.pop(path, None)
        self._submit(self._close, path).result()  # pending rows first, then closed

    def write(self, path: Path, row: Row, failed: Callable[[str], None]) -> None:
        """Commit ``row`` on the writer thread; ``failed(reason)`` there if it cannot."""
        self._submit(self._write, path, row, failed)

    def flush(self) -> None:
        """Wait until every row handed over so far is committed (or failed)."""
        self._submit(lambda: None).result()

    def _submit(self, fn: Callable[..., None], *args: object) -> Future[None]:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix=WRITER_THREAD)
            return self._pool.submit(fn, *args)

    def _write(self, path: Path, row: Row, failed: Callable[[str], None]) -> None:
        try:
            db = self._dbs.get(path)
            if db is None:
                db = self._dbs[path] = sqlite3.connect(str(path), timeout=LOCK_TIMEOUT)
            db.execute(INSERT, row)
            db.commit()
        except sqlite3.Error as exc:
            self._close(path)
            failed(str(exc))

    def _close(self, path: Path) -> None:
        db = self._dbs.pop(path, None)
        if db is not None:
            db.close()


WRITER = HistoryWriter()


class HistoryStore:
    """Entries oldest-first in memory; ``add`` also appends them to the file."""

    def __init__(
        self, path: Path | None, size: int = 10000, writer: HistoryWriter = WRITER
    ) -> None:
        self.path = path
        self.size = size
        self.session = uuid.uuid4().hex
        self.warnings: list[str] = []
        self._older: list[tuple[str, str]] = []  # the kernel's own tail, never written
        self._entries: list[tuple[str, str]] = []  # (language, source)
        self._writer = writer
        self._writing = False  # the file is usable: entries go to the writer
        self._failures: deque[str] = deque()  # from the writer thread
        if path is not None:
            self._open(path)
        self._using = self._writing  # counted among the file's users until close()
        if self._using and path is not None:
            writer.use(path)

    # ------------------------------------------------------------- opening
    def _open(self, path: Path) -> None:
        try:
            self._entries = self._read(path)
            self._writing = True
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

    def _read(self, path: Path) -> list[tuple[str, str]]:
        """The newest entries, read here; written only by the writer thread afterwards."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), timeout=LOCK_TIMEOUT)
        try:
            db.execute(SCHEMA)
            self._trim(db)
            rows = db.execute(
                "SELECT language, source FROM history ORDER BY id DESC LIMIT ?", (self.size,)
            ).fetchall()
        finally:
            db.close()
        return rows[::-1]

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
            self._entries = self._read(path)
            self._writing = True
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
        if not self._writing or self.path is None:
            return
        row = (self.session, language, source, time.time())
        self._writer.write(self.path, row, self._failed)

    def _failed(self, reason: str) -> None:
        """Writer thread: a commit failed; this store keeps to memory from now on."""
        if self._writing:
            self._writing = False
            self._failures.append(
                f"History could not be saved to {self.path} ({reason}); kept in memory only."
            )

    def flush(self) -> None:
        """Wait until every entry added so far is committed (or has failed)."""
        if self._writing:
            self._writer.flush()

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
        """Pending entries are committed first; the file's connection goes with its last user."""
        self._writing = False
        if self._using and self.path is not None:
            self._using = False
            self._writer.release(self.path)


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
