"""Velocity (VTL) mapping templates, rendered by airspeed-ext (the engine other AWS emulators use).

airspeed-ext follows API Gateway where Velocity and API Gateway differ: an undefined
reference renders as nothing (``$missing`` → ``""``), as on AWS.
"""
from __future__ import annotations

import functools

import airspeed
from airspeed.operators import TemplateError as _EngineError


class TemplateError(ValueError):
    """The template cannot be parsed or fails while rendering; the message says where."""


@functools.lru_cache(maxsize=512)
def _compiled(template: str) -> airspeed.Template:
    compiled = airspeed.Template(template)
    compiled.ensure_compiled()  # parse once, before threads share it
    return compiled


def render(template: str, scope: dict) -> str:
    """Render ``template`` with the variables in ``scope`` (``#set`` writes into it)."""
    try:
        return _compiled(template).merge(scope)
    except _EngineError as exc:
        raise TemplateError(str(exc)) from None
