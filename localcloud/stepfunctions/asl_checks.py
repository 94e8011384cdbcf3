"""Structural checks of an ASL definition that moto's static analysers leave out."""
from __future__ import annotations

from typing import Any

TERMINAL = {"Succeed", "Fail"}
KNOWN = {"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}


def check(definition: Any, where: str = "") -> list[dict]:
    """Diagnostics (AWS's codes and wording) for one state machine or branch."""
    if not isinstance(definition, dict):
        return [_error("SCHEMA_VALIDATION_FAILED", "The definition must be a JSON object", where or "/")]
    states = definition.get("States")
    if not isinstance(states, dict) or not states:
        return [_error("SCHEMA_VALIDATION_FAILED", "The field 'States' should be a non-empty object",
                       f"{where}/States")]
    found: list[dict] = []
    start = definition.get("StartAt")
    if start not in states:
        found.append(_error("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {start}", f"{where}/StartAt"))
    for name, state in states.items():
        at = f"{where}/States/{name}"
        if not isinstance(state, dict):
            found.append(_error("SCHEMA_VALIDATION_FAILED", "A state must be a JSON object", at))
            continue
        kind = state.get("Type")
        if kind not in KNOWN:
            found.append(_error("SCHEMA_VALIDATION_FAILED", f"The value for the field 'Type' must be one of "
                                f"{sorted(KNOWN)}; found {kind!r}", f"{at}/Type"))
            continue
        targets = [("Next", state.get("Next")), ("Default", state.get("Default"))]
        targets += [(f"Choices[{i}].Next", c.get("Next")) for i, c in enumerate(state.get("Choices") or [])
                    if isinstance(c, dict)]
        targets += [(f"Catch[{i}].Next", c.get("Next")) for i, c in enumerate(state.get("Catch") or [])
                    if isinstance(c, dict)]
        for field, target in targets:
            if target is not None and target not in states:
                found.append(_error("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {target}", f"{at}/{field}"))
        if kind not in TERMINAL | {"Choice"} and not state.get("End") and "Next" not in state:
            found.append(_error("SCHEMA_VALIDATION_FAILED", "This state must have either 'Next' or 'End': true", at))
        for i, branch in enumerate(state.get("Branches") or []):
            found += check(branch, f"{at}/Branches[{i}]")
        for key in ("Iterator", "ItemProcessor"):
            if key in state:
                found += check(state[key], f"{at}/{key}")
    return found


def _error(code: str, message: str, location: str) -> dict:
    return {"severity": "ERROR", "code": code, "message": message, "location": location}
