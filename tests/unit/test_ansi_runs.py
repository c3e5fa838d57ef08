"""The coloured-text fast path gives exactly what the general path gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models.ansi import AnsiParser, Style, Text
from tkconsole.models.terminal import Block, Runs, Screen, Update, runs_rows

# SGR-only pieces (the fast path's input) mixed with what must send it back
# to the general parser: controls, other escapes, escapes split across chunks.
SGR = ["\x1b[31m", "\x1b[0m", "\x1b[m", "\x1b[1;4m", "\x1b[38;5;200m", "\x1b[48:2::1:2:3m",
       "\x1b[22;39m", "\x1b[7m", "\x1b[90m"]  # fmt: skip
TEXT = ["a", "line ", "\n", "\n\n", "\t", "█", "x\ny\nz\n", "0123456789"]
OTHER = ["\r", "\b", "\x1b[K", "\x1b[2A", "\x1b]0;title\x07", "\x1b(B", "\x1b", "\x1b[", "\x1b[3",
         "\x07", "\r\n", "\x1b[" + "1;" * 200 + "m"]  # fmt: skip
chunks = st.lists(
    st.lists(st.sampled_from(SGR + TEXT + OTHER), max_size=10).map("".join), max_size=10
)
sgr_chunks = st.lists(st.lists(st.sampled_from(SGR + TEXT), max_size=12).map("".join), max_size=10)


def runs_as_texts(flat: list) -> list[Text]:
    return [Text(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]


@settings(max_examples=400, deadline=None)
@given(chunks)
def test_feed_runs_is_feed_or_declines_untouched(chunks):
    fast, slow = AnsiParser(), AnsiParser()
    for chunk in chunks:
        before = (fast.style, fast._pending, fast._skip_csi)
        runs = fast.feed_runs(chunk)
        expected = slow.feed(chunk)
        if runs is None:
            assert (fast.style, fast._pending, fast._skip_csi) == before
            assert fast.feed(chunk) == expected
        else:
            assert runs_as_texts(runs) == expected
        assert fast.style == slow.style
        assert all(isinstance(runs[i + 1], Style) for i in range(0, len(runs or []), 2))


@settings(max_examples=200, deadline=None)
@given(sgr_chunks)
def test_sgr_only_text_always_takes_the_fast_path(chunks):
    parser = AnsiParser()
    for chunk in chunks:
        assert parser.feed_runs(chunk) is not None


class StyledView:
    """Applies ``Update``s to lines of ``(char, key)``, as the Tk view does."""

    def __init__(self) -> None:
        self.frozen: list[list] = []
        self.live: list[list] = [[]]

    def apply(self, update: Update | None) -> None:
        if update is None:
            return
        if update.start >= 0:
            lines: list[list] = [[]]
            for i, row in enumerate(update.rows):
                if i:
                    lines.append([])
                rows = runs_rows(row) if isinstance(row, Runs) else [row]
                for j, r in enumerate(rows):
                    if j:
                        lines.append([])
                    runs = [(r.text, r.key)] if isinstance(r, Block) else r
                    for text, key in runs:
                        for char in text:
                            if char == "\n":
                                lines.append([])
                            else:
                                lines[-1].append((char, key))
            if update.start < len(self.live):
                self.live[update.start :] = lines
            else:
                assert update.start == len(self.live)
                self.live.extend(lines)
        self.frozen.extend(self.live[: update.advance])
        del self.live[: update.advance]

    def document(self) -> list[list]:
        return self.frozen + self.live


def show(chunks: list[str], live_rows: int, flush_every: int, fast: bool) -> tuple:
    parser, screen, view = AnsiParser(), Screen(live_rows), StyledView()
    for i, chunk in enumerate(chunks):
        runs = parser.feed_runs(chunk) if fast else None
        if runs is None:
            screen.feed(parser.feed(chunk), "out")
        else:
            screen.feed_runs(runs, "out")
        if i % flush_every == 0:
            view.apply(screen.flush())
    view.apply(screen.flush())
    return view.document(), screen.text(), screen.row, screen.col


@settings(max_examples=300, deadline=None)
@given(chunks, st.integers(1, 6), st.integers(1, 3))
def test_screen_feed_runs_draws_what_feed_draws(chunks, live_rows, flush_every):
    assert show(chunks, live_rows, flush_every, True) == show(chunks, live_rows, flush_every, False)


def test_a_coloured_flood_leaves_only_the_window_live_and_one_block():
    parser, screen = AnsiParser(), Screen(live_rows=64)
    data = "".join(f"\x1b[3{i % 7 + 1}mline {i}\x1b[0m\n" for i in range(5000))
    screen.feed_runs(parser.feed_runs(data), "out")
    update = screen.flush()
    blocks = [row for row in update.rows if isinstance(row, Runs)]
    assert len(blocks) == 1 and len(screen.rows) == 64
    assert screen.text().splitlines()[-1] == "line 4999"
    # the live rows still obey a carriage return
    screen.feed(parser.feed("\x1b[A\rLINE"), "out")
    assert screen.text().splitlines()[-1] == "LINE 4999"
