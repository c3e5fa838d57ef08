"""The terminal screen model against a plain reference terminal."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models.ansi import AnsiParser, Control
from tkconsole.models.terminal import (
    Block,
    Screen,
    Update,
    after_newlines,
    last_lines_start,
    row_text,
)


class ListView:
    """Applies ``Update``s to a list of lines, as the Tk view does to its Text."""

    def __init__(self) -> None:
        self.frozen: list[str] = []
        self.live: list[str] = [""]

    def apply(self, update: Update | None) -> None:
        if update is None:
            return
        if update.start >= 0:
            texts = [r.text if isinstance(r, Block) else row_text(r) for r in update.rows]
            lines = "\n".join(texts).split("\n")
            if update.start < len(self.live):
                self.live[update.start :] = lines
            else:
                assert update.start == len(self.live)
                self.live.extend(lines)
        self.frozen.extend(self.live[: update.advance])
        del self.live[: update.advance]

    def text(self) -> str:
        return "\n".join(self.frozen + self.live)


class Reference:
    """An unbounded character-grid terminal: slow and obviously right."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = [[]]
        self.row = self.col = 0

    def put(self, text: str) -> None:
        for char in text:
            if char == "\n":
                self.down()
                self.col = 0
                continue
            row = self.rows[self.row]
            row.extend(" " * (self.col - len(row)))
            if self.col < len(row):
                row[self.col] = char
            else:
                row.append(char)
            self.col += 1

    def down(self) -> None:
        self.row += 1
        if self.row == len(self.rows):
            self.rows.append([])

    def control(self, seg: Control) -> None:
        kind, n, row = seg.kind, seg.n, self.rows[self.row]
        if kind == "cr":
            self.col = 0
        elif kind == "bs":
            self.col = max(0, self.col - 1)
        elif kind == "cursor_column":
            self.col = max(0, n - 1)
        elif kind == "cursor_forward":
            self.col += n
        elif kind == "cursor_back":
            self.col = max(0, self.col - n)
        elif kind == "cursor_up":
            self.row = max(0, self.row - n)
        elif kind == "cursor_down":
            for _ in range(n):
                self.down()
        elif kind == "erase_line":
            if n == 0:
                del row[self.col :]
            elif n == 1:
                row[: self.col] = " " * min(self.col, len(row))
                row.extend(" " * (self.col - len(row)))
            else:
                row.clear()

    def text(self) -> str:
        return "\n".join("".join(r) for r in self.rows)


def run(chunks: list[str], live_rows: int, flush_every: int) -> tuple[str, str]:
    parser, screen, view, ref = AnsiParser(), Screen(live_rows), ListView(), Reference()
    for i, chunk in enumerate(chunks):
        segments = parser.feed(chunk)
        screen.feed(segments, "k")
        for seg in segments:
            if isinstance(seg, Control):
                ref.control(seg)
            else:
                ref.put(seg.text)
        if i % flush_every == 0:
            view.apply(screen.flush())
    view.apply(screen.flush())
    return view.text(), ref.text()


FRAGMENTS = ["abc", "x", "0123456789", "\n", "\r", "\b", "\x1b[K", "\x1b[1K", "\x1b[2K",
             "\x1b[A", "\x1b[2A", "\x1b[B", "\x1b[5G", "\x1b[3C", "\x1b[2D", "\x1b[31m", "\x1b[0m",
             "\n\n\n", "line\nline\nline\n", "█▌"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join), max_size=12),
    st.integers(1, 4),
)
def test_matches_reference_terminal_within_the_window(chunks, flush_every):
    shown, expected = run(chunks, live_rows=1000, flush_every=flush_every)
    assert shown == expected


PLAIN = ["abc", "x", "\n", "\r", "\x1b[K", "\x1b[2K", "\x1b[32m", "\n" * 7, "a\nb\nc\nd\ne\nf\n"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PLAIN), max_size=12).map("".join), max_size=12),
    st.integers(1, 4),
    st.integers(1, 4),
)
def test_small_window_and_bulk_lines_lose_nothing(chunks, live_rows, flush_every):
    shown, expected = run(chunks, live_rows=live_rows, flush_every=flush_every)
    assert shown == expected


def test_progress_bar_storm_redraws_one_line():
    screen = Screen()
    parser = AnsiParser()
    screen.feed(parser.feed("".join(f"\r{i:5d}/20000" for i in range(20001))), "k")
    update = screen.flush()
    assert update.start == 0 and len(update.rows) == 1
    assert row_text(update.rows[0]) == "20000/20000"


def test_only_rewrites_tells_a_bar_step_from_new_rows():
    parser, screen = AnsiParser(), Screen()
    screen.feed(parser.feed("0/3"), "k")
    assert not screen.only_rewrites()  # never drawn: the view holds nothing yet
    screen.flush()
    assert not screen.changed() and not screen.only_rewrites()
    screen.feed(parser.feed("\r1/3"), "k")
    assert screen.changed() and screen.only_rewrites()
    screen.feed(parser.feed("\r2/3\n"), "k")  # a new row: draw now
    assert screen.changed() and not screen.only_rewrites()
    screen.flush()
    screen.feed(parser.feed("".join(f"{i}\n" for i in range(100))), "k")  # rows leave
    assert not screen.only_rewrites()


def test_flood_leaves_only_the_window_live():
    screen = Screen(live_rows=64)
    screen.write("".join(f"{i}\n" for i in range(100_000)), "k")
    update = screen.flush()
    assert any(isinstance(row, Block) for row in update.rows)
    assert len(update.rows) <= 66  # one block, not 100,000 rows
    assert update.advance == 100_000 - 63
    assert len(screen.rows) == 64 and screen.rows[-1] == []


def test_nested_bars_rewrite_their_own_rows():
    parser, screen, view = AnsiParser(), Screen(), ListView()
    for step in range(3):
        # outer bar on row 0, inner bar on row 1, cursor back up: as tqdm does
        frame = f"\router {step}/3\n\rinner {step}/3\x1b[A"
        screen.feed(parser.feed(frame), "k")
        view.apply(screen.flush())
    screen.feed(parser.feed("\n\n"), "k")
    view.apply(screen.flush())
    assert view.text() == "outer 2/3\ninner 2/3\n"


# ---------------------------------------------------------------- cutting texts by lines
@given(st.text(alphabet="ab\n", max_size=3000), st.integers(min_value=-2, max_value=1500))
def test_after_newlines_is_just_after_the_nth_newline(text, n):
    ends = [i + 1 for i, c in enumerate(text) if c == "\n"]
    expected = 0 if n <= 0 else ends[n - 1] if n <= len(ends) else -1
    assert after_newlines(text, n) == expected


@given(st.text(alphabet="ab\n", max_size=3000), st.integers(min_value=0, max_value=1500))
def test_last_lines_start_keeps_the_last_n_lines(text, n):
    start = last_lines_start(text, n)
    assert text[start:].count("\n") == min(n, text.count("\n"))
    assert start == 0 or text[start - 1] == "\n"


def test_after_newlines_in_a_million_lines():
    text = "".join(f"{i}\n" for i in range(1_000_000))
    cut = after_newlines(text, 765_432)
    assert text[cut:].startswith("765432\n")
    assert text[last_lines_start(text, 3) :] == "999997\n999998\n999999\n"
