"""Widgets drawn still in an exported page, from saved state alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tkconsole.models.export.widgethtml import Snapshot


def entry(name: str, **state: object) -> dict:
    return {"model_name": name, "state": state}


def test_box_draws_its_children_and_a_box_inside_itself_stops():
    models = {
        "box": entry("HBoxModel", children=["IPY_MODEL_bar", "IPY_MODEL_box", "IPY_MODEL_gone"]),
        "bar": entry("IntProgressModel", value=5, max=10, bar_style="success"),
    }
    page = Snapshot(models).widget("box")
    assert page is not None
    assert '<progress class="success" max="10" value="5"></progress>' in page
    assert page.count("<progress") == 1  # the box is not drawn inside itself


def test_unknown_model_is_left_to_the_text_fallback():
    assert Snapshot({"z": entry("ZModel", value=1)}).widget("z") is None
    assert Snapshot({}).widget("missing") is None


@given(st.text(), st.text())
def test_values_from_the_kernel_are_escaped(value, description):
    models = {
        "t": entry("TextModel", value=value, description=description),
        "d": entry("DropdownModel", _options_labels=[value], index=0),
    }
    for mid in models:
        page = Snapshot(models).widget(mid) or ""
        assert "<script" not in page.lower().replace("&lt;script", "")
        assert page.count("<") == page.count(">")
