"""A subset of Velocity (VTL) for API Gateway mapping templates.

Supported: references ``$a.b``, ``${a}``, ``$!a``, method calls with arguments
(``$input.json('$')``, ``$util.escapeJavaScript($x)``), index ``$a[0]``, literals,
``#set``, ``#if``/``#elseif``/``#else``/``#end``, ``#foreach(... in ...)`` with
``$foreach.hasNext``, comparisons, ``&&``/``||``/``!``, ``+``/``-``, and ``##`` comments.
"""
from __future__ import annotations

import re

from localcloud.apigateway import vtl_expr
from localcloud.apigateway.vtl_expr import Expr, TemplateError, stringify

_DIRECTIVE = re.compile(r"#(set|if|elseif|else|end|foreach)\b|#\{(else|end)\}|##[^\n]*|\$!?\{?[A-Za-z_]")


def _balanced(text: str, start: int) -> int:
    """Index just past the parenthesis group opening at ``text[start]``."""
    depth, i, quote = 0, start, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise TemplateError("unbalanced parentheses in template")


def _reference_end(text: str, start: int) -> int:
    """End of a reference like ``$a.b('x')[0]`` beginning at ``start``."""
    m = re.compile(r"\$!?(\{[A-Za-z_]\w*\}|[A-Za-z_]\w*)").match(text, start)
    i = m.end()
    while i < len(text):
        if text[i] == "." and re.match(r"\.[A-Za-z_]", text[i:i + 2]):
            j = re.compile(r"\.[A-Za-z_]\w*").match(text, i).end()
            if j < len(text) and text[j] == "(":
                j = _balanced(text, j)
            i = j
        elif text[i] == "[":
            i = text.index("]", i) + 1
        elif text[i] == "(" and i == m.end():
            i = _balanced(text, i)
        else:
            break
    return i


def _parse(text: str) -> list:
    """Template text → nested nodes: str | ("ref", expr, quiet) | ("set", ...) | ("if", ...) | ("foreach", ...)."""
    nodes, stack, pos = [], [], 0
    current = nodes
    while pos < len(text):
        m = _DIRECTIVE.search(text, pos)
        if not m:
            current.append(text[pos:])
            break
        if m.start() > pos:
            current.append(text[pos:m.start()])
        token = m.group()
        if token.startswith("##"):
            pos = m.end()
            continue
        if token.startswith("$"):
            quiet = token.startswith("$!")
            brace = m.start() + (2 if quiet else 1)
            if text[brace:brace + 1] == "{":
                end = text.find("}", brace)
                if end < 0:
                    raise TemplateError("unclosed ${ in template")
                current.append(("ref", "$" + text[brace + 1:end], quiet))
                pos = end + 1
                continue
            end = _reference_end(text, m.start())
            ref = text[m.start():end]
            current.append(("ref", ref.replace("$!", "$", 1), quiet))
            pos = end
            continue
        word = m.group(1) or m.group(2)
        pos = m.end()
        if word in ("set", "if", "elseif", "foreach"):
            while pos < len(text) and text[pos] == " ":
                pos += 1
            if pos >= len(text) or text[pos] != "(":
                raise TemplateError(f"#{word} needs a parenthesised argument")
            end = _balanced(text, pos)
            arg = text[pos + 1:end - 1]
            pos = end
            if word == "set":
                name, _, expr = arg.partition("=")
                current.append(("set", name.strip().lstrip("$").strip("{}"), expr))
                if text[pos:pos + 1] == "\n":
                    pos += 1
            elif word == "if":
                node = ("if", [(arg, [])], None)
                current.append(node)
                stack.append((node, current))
                current = node[1][0][1]
            elif word == "elseif":
                node = stack[-1][0]
                node[1].append((arg, []))
                current = node[1][-1][1]
            else:
                var, _, expr = arg.partition(" in ")
                node = ("foreach", var.strip().lstrip("$").strip("{}"), expr, [])
                current.append(node)
                stack.append((node, current))
                current = node[3]
        elif word == "else":
            node = stack[-1][0]
            node[1].append((None, []))
            current = node[1][-1][1]
        elif word == "end":
            if not stack:
                raise TemplateError("#end without #if or #foreach")
            _, current = stack.pop()
    if stack:
        raise TemplateError("#if or #foreach without #end")
    return nodes


def _run(nodes: list, scope: dict, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "ref":
            value = Expr(node[1]).parse(scope)
            if value is None:
                out.append("" if node[2] else node[1].replace("$", "$", 1))
            else:
                out.append(stringify(value))
        elif node[0] == "set":
            scope[node[1]] = Expr(node[2]).parse(scope)
        elif node[0] == "if":
            for condition, body in node[1]:
                if condition is None or Expr(condition).parse(scope):
                    _run(body, scope, out)
                    break
        elif node[0] == "foreach":
            items = Expr(node[2]).parse(scope) or []
            items = list(items.keys()) if isinstance(items, dict) else list(items)
            outer = scope.get("foreach")
            for i, item in enumerate(items):
                scope[node[1]] = item
                scope["foreach"] = {"hasNext": i + 1 < len(items), "index": i, "count": i + 1}
                scope["velocityCount"] = i + 1
                scope["velocityHasNext"] = i + 1 < len(items)
                _run(node[3], scope, out)
            scope["foreach"] = outer


def render(template: str, scope: dict) -> str:
    """Render ``template`` with the variables in ``scope`` (mutated by ``#set``)."""
    out: list[str] = []
    _run(_parse(template), scope, out)
    return "".join(out)


vtl_expr.RENDER = render
__all__ = ["TemplateError", "render"]
