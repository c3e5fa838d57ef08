"""``jslink`` / ``jsdlink``: attributes kept equal in the front-end.

A LinkModel (both ways) or DirectionalLinkModel (source to target) names
``[IPY_MODEL_<id>, attribute]`` pairs; when the source changes, here, the
target is set and its change sent to the kernel, as ipywidgets' own
front-end does.  No kernel round trip lies between the two widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .state import model_id

LINK_MODELS = {"LinkModel": True, "DirectionalLinkModel": False}  # name -> both ways


@dataclass(frozen=True)
class Link:
    source: tuple[str, str]
    target: tuple[str, str]
    both_ways: bool


def _end(value: object) -> tuple[str, str] | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        ref, attr = model_id(value[0]), value[1]
        if ref is not None and isinstance(attr, str) and attr:
            return ref, attr
    return None


def parse_link(model_name: object, state: dict[str, Any]) -> Link | None:
    """The link a Link model's state describes, or None if it is not a valid one."""
    if model_name not in LINK_MODELS:
        return None
    source, target = _end(state.get("source")), _end(state.get("target"))
    if source is None or target is None:
        return None
    return Link(source, target, LINK_MODELS[model_name])


def propagations(
    link: Link, model: str, keys: set[str]
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """(from, to) pairs this change of ``model``'s ``keys`` must copy across."""
    out = []
    if link.source[0] == model and link.source[1] in keys:
        out.append((link.source, link.target))
    if link.both_ways and link.target[0] == model and link.target[1] in keys:
        out.append((link.target, link.source))
    return out
