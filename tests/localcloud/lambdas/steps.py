"""Fidelity-suite Lambda used by the state machines: doubles a number, or labels it."""


def handler(event, context):
    if event.get("op") == "label":
        return {"n": event["n"], "label": f"n={event['n']}"}
    return {"n": int(event["n"]) * 2}
