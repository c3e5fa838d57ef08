"""The soak, short: rounds of mixed work in one window leave nothing behind.

The benchmark (``python -m benchmarks --only soak``) runs it for 20 minutes
and reports figures; here a few rounds (floods, images, tracebacks,
ipywidgets created and closed, tqdm bars, tabs opened and closed) must
leave the counts of Tk images, text tags, widgets, pending ``after``
callbacks and threads where they were after the warm-up rounds.
"""

from __future__ import annotations

from test_app_window import kernels_dir, make_window, ready

from benchmarks.soak import COUNTS, Soak, flat

__all__ = ["kernels_dir", "make_window"]  # fixtures, used by name
ROUNDS = 14  # 3 of them warm-up; under 100 cells keep the prompt narrower than In [100]: (a
# wider one is a new margin tag, bounded by the prompt's digits)


def test_short_soak_keeps_images_tags_widgets_timers_and_threads_flat(
    root, make_window, kernels_dir
):
    window = make_window()
    ready(root, window.open_kernel("python3"))
    soak = Soak(window, step=root.update)
    figures = soak.run(0.0, tabs=6, min_rounds=ROUNDS)
    assert figures["tabs"] == 6 and figures["rounds"] == ROUNDS
    grown = [g for g in flat(figures, rss_slack_mb=float("inf")) if not g.startswith("rss")]
    assert grown == [], (
        {key: figures[key] for key in COUNTS}, figures["new_tags"], figures["new_images"]
    )  # fmt: skip
