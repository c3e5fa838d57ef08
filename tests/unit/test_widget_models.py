"""The widget manager as plain data: protocol, links, Output capture, hostile traffic."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tkconsole.models.record import SessionRecord
from tkconsole.models.widgets import WidgetManager
from tkconsole.models.widgets.state import put_buffers, take_buffers
from tkconsole.models.widgets.values import css_pixels, format_readout, grid_columns, js_date, snap


class Sender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict, list[bytes]]] = []
        self.closed: list[str] = []

    def comm_msg(self, comm_id: str, data: dict, buffers: list[bytes]) -> None:
        self.sent.append((comm_id, data, buffers))

    def comm_close(self, comm_id: str, data: dict) -> None:
        self.closed.append(comm_id)


class Observer:
    def __init__(self) -> None:
        self.changes: list[set[str]] = []
        self.customs: list[tuple[dict, list[bytes]]] = []
        self.closed = False

    def model_changed(self, keys: set[str]) -> None:
        self.changes.append(keys)

    def model_custom(self, content: dict, buffers: list[bytes]) -> None:
        self.customs.append((content, buffers))

    def model_closed(self) -> None:
        self.closed = True


def open_model(manager: WidgetManager, comm_id: str, name: str, **state) -> None:
    data = {"state": {"_model_name": name, **state}, "buffer_paths": []}
    manager.comm_open(comm_id, "jupyter.widget", data, {"version": "2.1.0"}, [])


def make() -> tuple[WidgetManager, Sender]:
    sender = Sender()
    return WidgetManager(sender), sender


def draw(manager: WidgetManager) -> None:
    """Run what the kernel's messages did to views, as the console's drawing step does."""
    for call in manager.take_view_effects():
        call()


def test_update_from_kernel_reaches_the_observer_in_the_drawing_step():
    manager, _ = make()
    open_model(manager, "s", "IntSliderModel", value=1)
    seen = Observer()
    manager.watch("s", seen)
    manager.comm_msg("s", {"method": "update", "state": {"value": 5}}, {}, [])
    assert manager.get("s").get("value") == 5 and seen.changes == []  # the model at once
    draw(manager)
    assert seen.changes == [{"value"}] and manager.take_view_effects() == []


def test_front_end_changes_reach_the_other_views_at_once():
    manager, _ = make()
    open_model(manager, "s", "IntSliderModel", value=1)
    seen = Observer()
    manager.watch("s", seen)
    manager.set_state("s", {"value": 3})
    assert seen.changes == [{"value"}] and manager.take_view_effects() == []


def test_front_end_changes_are_coalesced_into_one_update_per_flush():
    manager, sender = make()
    open_model(manager, "s", "IntSliderModel", value=1)
    for v in range(2, 12):
        manager.set_state("s", {"value": v})
    assert sender.sent == []
    manager.flush()
    assert sender.sent == [
        ("s", {"method": "update", "state": {"value": 11}, "buffer_paths": []}, [])
    ]


def test_stale_echo_does_not_move_the_value_back():
    manager, _ = make()
    open_model(manager, "s", "IntSliderModel", value=0)
    manager.set_state("s", {"value": 3})
    manager.flush()
    manager.set_state("s", {"value": 4})
    manager.flush()
    manager.comm_msg("s", {"method": "echo_update", "state": {"value": 3}}, {}, [])
    assert manager.get("s").get("value") == 4
    manager.comm_msg("s", {"method": "echo_update", "state": {"value": 4}}, {}, [])
    assert manager.get("s").get("value") == 4


def test_buffers_land_at_their_paths_and_come_back_out():
    manager, _ = make()
    data = {"state": {"_model_name": "ImageModel", "value": None}, "buffer_paths": [["value"]]}
    manager.comm_open("i", "jupyter.widget", data, {}, [memoryview(b"\x89PNG")])
    assert manager.get("i").get("value") == b"\x89PNG"
    state, paths, buffers = take_buffers(manager.get("i").state)
    assert paths == [["value"]] and buffers == [b"\x89PNG"] and state["value"] is None


def test_bad_buffer_paths_are_skipped():
    state = {"a": [1, 2], "b": {"c": 1}}
    put_buffers(
        state, [["a", 9], ["zz", "y"], "nope", [], ["b", "c"]], [b"1", b"2", b"3", b"4", b"5"]
    )
    assert state == {"a": [1, 2], "b": {"c": b"5"}}


def test_button_click_is_a_custom_message():
    manager, sender = make()
    open_model(manager, "b", "ButtonModel", description="Go")
    manager.send_custom("b", {"event": "click"})
    assert sender.sent == [("b", {"method": "custom", "content": {"event": "click"}}, [])]


def test_custom_from_kernel_reaches_views_with_buffers():
    manager, _ = make()
    open_model(manager, "c", "MPLCanvasModel")
    seen = Observer()
    manager.watch("c", seen)
    manager.comm_msg("c", {"method": "custom", "content": {"data": "x"}}, {}, [b"png"])
    draw(manager)
    assert seen.customs == [({"data": "x"}, [b"png"])]


def test_jslink_copies_without_the_kernel_and_tells_it_after():
    manager, sender = make()
    open_model(manager, "a", "IntSliderModel", value=0)
    open_model(manager, "b", "IntSliderModel", value=0)
    open_model(
        manager, "l", "LinkModel", source=["IPY_MODEL_a", "value"], target=["IPY_MODEL_b", "value"]
    )
    manager.set_state("a", {"value": 7})
    assert manager.get("b").get("value") == 7  # at once, no message in between
    manager.set_state("b", {"value": 2})
    assert manager.get("a").get("value") == 2  # both ways
    manager.flush()
    assert {s[0] for s in sender.sent} == {"a", "b"}


def test_directional_link_goes_one_way():
    manager, _ = make()
    open_model(manager, "a", "IntSliderModel", value=1)
    open_model(manager, "b", "IntSliderModel", value=0)
    source, target = ["IPY_MODEL_a", "value"], ["IPY_MODEL_b", "value"]
    open_model(manager, "l", "DirectionalLinkModel", source=source, target=target)
    assert manager.get("b").get("value") == 1  # the target starts equal
    manager.set_state("b", {"value": 5})
    assert manager.get("a").get("value") == 1


def test_output_widget_captures_its_request_and_clears_with_wait():
    manager, _ = make()
    open_model(manager, "o", "OutputModel", msg_id="", outputs=[])
    assert not manager.capture_output("req1", "stream", {"name": "stdout", "text": "x"})
    manager.comm_msg("o", {"method": "update", "state": {"msg_id": "req1"}}, {}, [])
    assert manager.capture_output("req1", "stream", {"name": "stdout", "text": "a"})
    assert manager.capture_output("req1", "stream", {"name": "stdout", "text": "b\n"})
    assert manager.get("o").get("outputs") == [
        {"output_type": "stream", "name": "stdout", "text": "ab\n"}
    ]
    assert manager.capture_output("req1", "clear_output", {"wait": True})
    assert len(manager.get("o").get("outputs")) == 1  # kept until the next output
    assert manager.capture_output(
        "req1", "display_data", {"data": {"text/plain": "1"}, "metadata": {}}
    )
    outputs = manager.get("o").get("outputs")
    assert [o["output_type"] for o in outputs] == ["display_data"]
    assert not manager.capture_output("other", "stream", {"name": "stdout", "text": "x"})


def test_close_tells_views_and_forgets_the_model():
    manager, _ = make()
    open_model(manager, "s", "IntSliderModel", value=1)
    seen = Observer()
    manager.watch("s", seen)
    manager.comm_close("s", {})
    assert manager.get("s") is None and not seen.closed
    draw(manager)
    assert seen.closed


def test_other_comm_targets_are_closed():
    manager, sender = make()
    manager.comm_open("x", "some.other.target", {}, {}, [])
    assert sender.closed == ["x"] and manager.get("x") is None


def test_widget_state_is_saved_for_export():
    manager, _ = make()
    open_model(manager, "s", "IntSliderModel", value=4, _model_module="@jupyter-widgets/controls")
    data = {"state": {"_model_name": "ImageModel", "value": None}, "buffer_paths": [["value"]]}
    manager.comm_open("i", "jupyter.widget", data, {}, [b"abc"])
    record = SessionRecord()
    manager.save_into(record)
    state = record.widget_state["state"]
    assert record.widget_state["version_major"] == 2
    assert state["s"]["state"]["value"] == 4
    assert state["s"]["model_module"] == "@jupyter-widgets/controls"
    assert state["i"]["buffers"] == [{"path": ["value"], "encoding": "base64", "data": "YWJj"}]


def test_a_failing_view_does_not_stop_the_others():
    manager, _ = make()
    open_model(manager, "s", "IntSliderModel", value=1)

    class Broken(Observer):
        def model_changed(self, keys: set[str]) -> None:
            raise RuntimeError("boom")

    seen = Observer()
    manager.watch("s", Broken())
    manager.watch("s", seen)
    manager.comm_msg("s", {"method": "update", "state": {"value": 2}}, {}, [])
    draw(manager)
    assert seen.changes == [{"value"}]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["comm_open", "comm_msg", "comm_close", "capture"]),
            st.sampled_from(["a", "b", "", None, 3]),
            json_values,
            st.lists(st.binary(max_size=4), max_size=3),
        ),
        max_size=12,
    )
)
def test_malformed_traffic_never_raises(messages):
    manager, _ = make()
    seen = Observer()
    open_model(manager, "a", "OutputModel", msg_id="m", outputs=[])
    manager.watch("a", seen)
    for kind, comm_id, data, buffers in messages:
        if kind == "comm_open":
            manager.comm_open(comm_id, "jupyter.widget", data, {}, buffers)
        elif kind == "comm_msg":
            manager.comm_msg(comm_id, data, {}, buffers)
            if isinstance(data, dict):
                manager.comm_msg(
                    comm_id,
                    {"method": "update", "state": data, "buffer_paths": data.get("p")},
                    {},
                    buffers,
                )
        elif kind == "comm_close":
            manager.comm_close(comm_id, data)
        else:
            content = data if isinstance(data, dict) else {"text": data}
            manager.capture_output("m", "stream", content)
            manager.capture_output("m", "display_data", content)
            manager.capture_output("m", "clear_output", content)
        manager.set_state("a", {"x": 1})
        manager.flush()
    manager.export_state()


def test_value_helpers():
    assert css_pixels("300px") == 300 and css_pixels("2em") == 32 and css_pixels("50%") is None
    assert css_pixels("auto") is None and css_pixels(None) is None
    assert grid_columns("repeat(3, 100px)") == 3 and grid_columns("1fr 2fr") == 2
    assert grid_columns(None) == 1
    assert format_readout(3.14159, ".2f") == "3.14" and format_readout(7, "d", True) == "7"
    assert format_readout(2.0, "bogus%") == "2.0"
    assert snap(7.3, 0, 10, 1, integer=True) == 7 and snap(0.33, 0, 1, 0.1) == 0.3
    assert snap(50, 0, 10, 1) == 10
    assert js_date({"year": 2024, "month": 0, "date": 31}).isoformat() == "2024-01-31"
    assert js_date({"year": "x"}) is None


def test_a_widget_view_wins_the_mime_choice_only_where_widgets_are_drawn():
    from tkconsole.models.mime import WIDGET_VIEW, choose

    data = {WIDGET_VIEW: {"model_id": "abc", "version_major": 2}, "text/plain": "IntSlider()"}
    assert choose(data) == WIDGET_VIEW
    assert choose(data, lambda mime: mime != WIDGET_VIEW) == "text/plain"
    assert choose({WIDGET_VIEW: "not a dict", "text/plain": "x"}) == "text/plain"


def test_reset_closes_every_model():
    manager, _ = make()
    open_model(manager, "s", "IntSliderModel", value=1)
    seen = Observer()
    manager.watch("s", seen)
    manager.set_state("s", {"value": 2})
    manager.reset()
    assert seen.closed and not manager.models and not manager.outbox
