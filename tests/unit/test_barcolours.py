"""Progress-bar colours reach 3:1 against their trough on any page."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.contrast import AA_GRAPHICS, contrast_ratio
from tkconsole.models.widgets.barcolours import JUPYTERLAB_FILLS, bar_colours

colours = st.tuples(*[st.integers(0, 255)] * 3).map(lambda c: "#{:02x}{:02x}{:02x}".format(*c))


@given(colours, colours, st.sampled_from([*JUPYTERLAB_FILLS, "nonsense", None]))
def test_every_bar_style_stands_out_from_its_trough(background, foreground, style):
    fill, trough, _border = bar_colours(style, background, foreground)
    assert contrast_ratio(fill, trough) >= AA_GRAPHICS


def test_jupyterlab_hues_are_kept_where_they_already_read():
    assert bar_colours("danger", "#ffffff", "#212529").fill == JUPYTERLAB_FILLS["danger"]
