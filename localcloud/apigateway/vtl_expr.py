"""Expressions inside VTL templates: literals, references with calls and indexes, operators."""
from __future__ import annotations

import json
import re
from typing import Any, Callable


class TemplateError(ValueError):
    """The template uses syntax outside the supported subset."""


_TOKEN = re.compile(r"""
    (?P<ws>\s+) | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>!+\-*/%(),.\[\]{}:=]) | (?P<var>\$!?\{?[A-Za-z_]\w*\}?) | (?P<name>[A-Za-z_]\w*)
""", re.X)


class Expr:
    """One expression (``#if`` condition, ``#set`` value, reference), parsed by recursive descent."""

    def __init__(self, text: str):
        self.tokens, pos = [], 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m:
                raise TemplateError(f"unsupported expression: {text!r}")
            if m.lastgroup != "ws":
                self.tokens.append((m.lastgroup, m.group()))
            pos = m.end()
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.tokens):
            raise TemplateError("expression ended early")
        tok = self.tokens[self.i]
        if expected is not None and tok[1] != expected:
            raise TemplateError(f"expected {expected!r}, found {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self, scope: dict) -> Any:
        value = self.or_(scope)
        return value

    def or_(self, scope: dict) -> Any:
        value = self.and_(scope)
        while self.peek() in ("||", "or"):
            self.take()
            right = self.and_(scope)
            value = bool(value) or bool(right)
        return value

    def and_(self, scope: dict) -> Any:
        value = self.cmp(scope)
        while self.peek() in ("&&", "and"):
            self.take()
            right = self.cmp(scope)
            value = bool(value) and bool(right)
        return value

    def cmp(self, scope: dict) -> Any:
        left = self.add(scope)
        ops = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
               ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}
        while self.peek() in ops:
            op = self.take()[1]
            left = ops[op](left, self.add(scope))
        return left

    def add(self, scope: dict) -> Any:
        value = self.unary(scope)
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            right = self.unary(scope)
            if op == "+":
                value = (str(value) + str(right)) if isinstance(value, str) or isinstance(right, str) else value + right
            else:
                value = value - right
        return value

    def unary(self, scope: dict) -> Any:
        if self.peek() in ("!", "not"):
            self.take()
            return not self.unary(scope)
        return self.primary(scope)

    def primary(self, scope: dict) -> Any:
        kind, text = self.take()
        if kind == "str":
            body = text[1:-1]
            return RENDER(body, scope) if text[0] == '"' and "$" in body else body.replace("\\'", "'")
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "name" and text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if text == "(":
            value = self.or_(scope)
            self.take(")")
            return value
        if text == "[":
            items = []
            while self.peek() != "]":
                items.append(self.or_(scope))
                if self.peek() == ",":
                    self.take()
            self.take("]")
            return items
        if text == "{":
            mapping = {}
            while self.peek() != "}":
                key = self.or_(scope)
                self.take(":")
                mapping[key] = self.or_(scope)
                if self.peek() == ",":
                    self.take()
            self.take("}")
            return mapping
        if kind == "var":
            return self.chain(scope, text.lstrip("$!{").rstrip("}"))
        raise TemplateError(f"unexpected {text!r}")

    def chain(self, scope: dict, name: str) -> Any:
        value = scope.get(name)
        while self.peek() in (".", "["):
            if self.take()[1] == "[":
                index = self.or_(scope)
                self.take("]")
                value = _index(value, index)
                continue
            attr = self.take()[1]
            if self.peek() == "(":
                self.take("(")
                args = []
                while self.peek() != ")":
                    args.append(self.or_(scope))
                    if self.peek() == ",":
                        self.take()
                self.take(")")
                value = _call(value, attr, args)
            else:
                value = _attr(value, attr)
        return value


def _index(value: Any, index: Any) -> Any:
    try:
        return value[index]
    except (KeyError, IndexError, TypeError):
        return None


def _attr(value: Any, attr: str) -> Any:
    if isinstance(value, dict):
        return value.get(attr)
    if attr == "size" and isinstance(value, (list, str)):
        return len(value)
    return getattr(value, attr, None)


def _call(value: Any, method: str, args: list) -> Any:
    if isinstance(value, dict):
        builtin = {"get": lambda k: value.get(k), "keySet": lambda: list(value.keys()), "size": lambda: len(value),
                   "containsKey": lambda k: k in value, "isEmpty": lambda: not value, "put": value.__setitem__,
                   "entrySet": lambda: [{"key": k, "value": v} for k, v in value.items()]}
        if method in builtin:
            return builtin[method](*args)
    if isinstance(value, list):
        builtin = {"size": lambda: len(value), "get": lambda i: value[i], "isEmpty": lambda: not value,
                   "add": value.append, "contains": lambda x: x in value}
        if method in builtin:
            return builtin[method](*args)
    if isinstance(value, str):
        builtin = {"length": lambda: len(value), "toLowerCase": value.lower, "toUpperCase": value.upper,
                   "trim": value.strip, "contains": lambda s: s in value, "startsWith": value.startswith,
                   "endsWith": value.endswith, "replace": value.replace, "isEmpty": lambda: not value,
                   "substring": lambda a, b=None: value[a:b], "equals": lambda s: value == s}
        if method in builtin:
            return builtin[method](*args)
    fn = getattr(value, method, None)
    if callable(fn):
        return fn(*args)
    return None


def stringify(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return "" if value is None else str(value)


#: set by vtl.py: renders a double-quoted string literal that holds references
RENDER: Callable[[str, dict], str] = lambda text, scope: text  # noqa: E731
