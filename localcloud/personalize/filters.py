"""Filter expressions: parsed at CreateFilter, applied to the ranked items at GetRecommendations.

The local cloud evaluates item filters over the Items dataset and the user's interactions:
``INCLUDE|EXCLUDE ItemID WHERE Items.FIELD IN|NOT IN (...)``, comparisons (``= < <= > >=``) on
numeric Items fields, ``Interactions.EVENT_TYPE IN|NOT IN (...)``, ``AND``/``OR`` inside an
expression, ``$PARAMETERS`` filled from ``filterValues``, and expressions chained with ``|``
(each one applied in turn). ``CurrentUser``/``CurrentItem`` conditions and user-segment
filters are refused at CreateFilter with a message saying so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from localcloud.personalize.errors import InvalidInput

_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<param>\$[A-Za-z_][A-Za-z0-9_]*)|(?P<num>-?\d+(?:\.\d+)?)'
                    r'|(?P<op><=|>=|!=|[=<>(),|])|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?))')
COMPARISONS = {"=", "<", "<=", ">", ">="}
MAX_EVENT_TYPE_HISTORY = 100  # the service considers a user's 100 latest interactions per event type


@dataclass
class Condition:
    dataset: str          # "ITEMS" | "INTERACTIONS"
    field: str
    op: str               # "IN" | "NOT IN" | a comparison
    values: list          # literals and ("param", NAME)


@dataclass
class Clause:
    include: bool
    conditions: list[Condition]
    joins: list[str]      # "AND" / "OR" between consecutive conditions


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise InvalidInput(f"Invalid filter expression near {text[pos:pos + 20]!r}")
        out.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    return out


def parse(expression: str, fields: dict[str, dict[str, dict]]) -> list[Clause]:
    """Parse and check ``expression`` against the dataset group's schemas (``{"ITEMS": fields, ...}``)."""
    clauses = []
    for part in _split(_tokens(expression), "|"):
        clauses.append(_clause(part, fields))
    if not clauses:
        raise InvalidInput("The filter expression is empty")
    return clauses


def _split(tokens, separator: str):
    """The runs of ``tokens`` between ``separator`` operators (the last one even when empty)."""
    part: list = []
    for token in tokens:
        if token == ("op", separator):
            yield part
            part = []
        else:
            part.append(token)
    yield part


def _clause(tokens: list, fields: dict) -> Clause:
    words = [t[1].upper() if t[0] == "word" else t[1] for t in tokens]
    if len(words) < 4 or words[0] not in ("INCLUDE", "EXCLUDE") or words[2] != "WHERE":
        raise InvalidInput("Each filter expression reads INCLUDE|EXCLUDE ItemID WHERE dataset.FIELD IN (values)")
    if words[1] != "ITEMID":
        raise InvalidInput(f"The local cloud evaluates item filters only (ItemID), not {tokens[1][1]}")
    if "IF" in words:
        raise InvalidInput("The local cloud does not evaluate IF CurrentUser conditions in filters")
    conditions, joins, i = [], [], 3
    while i < len(tokens):
        condition, i = _condition(tokens, words, i, fields)
        conditions.append(condition)
        if i < len(tokens):
            if words[i] not in ("AND", "OR"):
                raise InvalidInput(f"Expected AND or OR in the filter expression, found {tokens[i][1]!r}")
            joins.append(words[i])
            i += 1
    if len({c.dataset for c in conditions}) > 1:
        raise InvalidInput("One filter expression cannot use Interactions and Items together; chain two "
                           "expressions with |")
    return Clause(words[0] == "INCLUDE", conditions, joins)


def _condition(tokens, words, i, fields) -> tuple[Condition, int]:
    ref = tokens[i][1] if tokens[i][0] == "word" else ""
    dataset, _, field = ref.partition(".")
    dataset, field = dataset.upper(), field.upper()
    if dataset in ("CURRENTUSER", "CURRENTITEM", "USERS"):
        raise InvalidInput(f"The local cloud does not evaluate {ref} in filters")
    if dataset not in ("ITEMS", "INTERACTIONS") or not field:
        raise InvalidInput(f"Expected Items.FIELD or Interactions.EVENT_TYPE, found {tokens[i][1]!r}")
    if dataset not in fields:
        raise InvalidInput(f"The filter uses {dataset.title()} but the dataset group has no {dataset.title()} dataset")
    if dataset == "INTERACTIONS" and field != "EVENT_TYPE":
        raise InvalidInput("Filters on interactions can only use EVENT_TYPE")
    if dataset == "ITEMS" and field not in fields["ITEMS"]:
        raise InvalidInput(f"Items.{field} is not a field of the Items schema")
    i += 1
    if i < len(words) and words[i] == "NOT" and i + 1 < len(words) and words[i + 1] == "IN":
        op, i = "NOT IN", i + 2
    elif i < len(words) and words[i] == "IN":
        op, i = "IN", i + 1
    elif i < len(words) and words[i] in COMPARISONS:
        op, i = words[i], i + 1
        value, i = _value(tokens, i)
        return Condition(dataset, field, op, [value]), i
    else:
        raise InvalidInput(f"Expected IN, NOT IN or a comparison after {ref}")
    if i >= len(tokens) or tokens[i] != ("op", "("):
        raise InvalidInput(f"Expected ( after {op}")
    values, i = [], i + 1
    while i < len(tokens) and tokens[i] != ("op", ")"):
        value, i = _value(tokens, i)
        values.append(value)
        if i < len(tokens) and tokens[i] == ("op", ","):
            i += 1
    if i >= len(tokens):
        raise InvalidInput("Unclosed ( in the filter expression")
    return Condition(dataset, field, op, values), i + 1


def _value(tokens, i):
    if i >= len(tokens):
        raise InvalidInput("The filter expression ends where a value was expected")
    kind, text = tokens[i]
    if kind == "str":
        return text[1:-1].replace('\\"', '"'), i + 1
    if kind == "num":
        return float(text), i + 1
    if kind == "param":
        return ("param", text[1:]), i + 1
    raise InvalidInput(f"Expected a value, found {text!r}")


def parameters(clauses: list[Clause]) -> set[str]:
    return {v[1] for c in clauses for cond in c.conditions for v in cond.values if isinstance(v, tuple)}


def allowed(clauses: list[Clause], item_ids: list[str], item_rows: dict[str, dict],
            interacted: dict[str, set[str]], values: dict[str, str]) -> list[bool]:
    """Which of ``item_ids`` pass every expression; ``interacted`` maps event type (lower) → item ids."""
    keep = [True] * len(item_ids)
    for clause in clauses:
        mask = _clause_mask(clause, item_ids, item_rows, interacted, values)
        if mask is None:
            continue
        keep = [k and (m if clause.include else not m) for k, m in zip(keep, mask)]
    return keep


def _clause_mask(clause, item_ids, item_rows, interacted, values):
    masks = []
    for condition in clause.conditions:
        resolved = _resolve(condition.values, values)
        if resolved is None:
            if clause.include:
                raise InvalidInput("The filter's INCLUDE expression needs a value for every parameter: "
                                   f"{', '.join(sorted(parameters([clause])))} (filterValues)")
            return None  # an EXCLUDE expression without its values is not applied
        masks.append([_matches(condition, resolved, item, item_rows, interacted) for item in item_ids])
    result = masks[0]
    for join, mask in zip(clause.joins, masks[1:]):
        result = [(a and b) if join == "AND" else (a or b) for a, b in zip(result, mask)]
    return result


def _resolve(raw: list, values: dict[str, str]) -> list | None:
    out = []
    for value in raw:
        if isinstance(value, tuple):
            text = values.get(value[1])
            if text is None:
                return None
            out += [_value(tokens, 0)[0] for tokens in _split(_tokens(text), ",") if tokens]
        else:
            out.append(value)
    return out


def _matches(condition: Condition, values: list, item: str, item_rows: dict, interacted: dict) -> bool:
    if condition.dataset == "INTERACTIONS":
        wanted = {str(v).lower() for v in values}
        hit = any(item in items for kind, items in interacted.items() if kind in wanted)
        if condition.op == "NOT IN":
            return any(item in items for kind, items in interacted.items() if kind not in wanted)
        return hit
    cell = (item_rows.get(item) or {}).get(condition.field)
    if condition.op in ("IN", "NOT IN"):
        present = {str(part) for part in str(cell).split("|")} if cell is not None else set()
        wanted = {(str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in values}
        found = bool(present & wanted)
        return found if condition.op == "IN" else (cell is not None and not found)
    try:
        left, right = float(cell), float(values[0])
    except (TypeError, ValueError):
        return False
    return {"=": left == right, "<": left < right, "<=": left <= right, ">": left > right,
            ">=": left >= right}[condition.op]


def interacted_items(events: list[dict]) -> dict[str, set[str]]:
    """Event type (lower-cased) → the items of the user's latest interactions of that type."""
    by_type: dict[str, list[str]] = {}
    for event in sorted(events, key=lambda e: e.get("TIMESTAMP") or 0, reverse=True):
        kind = str(event.get("EVENT_TYPE", "")).lower()
        items = by_type.setdefault(kind, [])
        if len(items) < MAX_EVENT_TYPE_HISTORY and event.get("ITEM_ID"):
            items.append(str(event["ITEM_ID"]))
    return {kind: set(items) for kind, items in by_type.items()}


def check_values(clauses: list[Clause], values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - parameters(clauses))
    if unknown:
        raise InvalidInput(f"filterValues names {unknown[0]}, which the filter expression does not use")
