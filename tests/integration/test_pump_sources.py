"""The pump drains one queue per window: a second one is refused, never ignored."""

from __future__ import annotations

import pytest

from tkconsole.kernel.loop import MessageQueue, shared_loop
from tkconsole.ui.pump import pump_for


def test_a_second_queue_for_the_same_window_is_an_error_not_a_silent_loss(root):
    source = shared_loop().queue  # the one every connection delivers to
    assert pump_for(root, source).queue is source
    with pytest.raises(ValueError, match="another queue"):
        pump_for(root, MessageQueue())
    assert pump_for(root, source).queue is source  # the first one is still drained
