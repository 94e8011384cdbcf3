"""Mapping templates (VTL), JSON-schema validation and route matching, without a server."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from localcloud.apigateway.request import InputVariable, UtilVariable, json_path, match_resource
from localcloud.apigateway.schema import validate
from localcloud.apigateway.vtl import TemplateError, render


def _scope(body: dict | str = "", **extra) -> dict:
    raw = body if isinstance(body, str) else json.dumps(body)
    return {"input": InputVariable(raw.encode(), {"id": "p1"}, {"q": ["v"]}, {"Accept": ["*/*"]}),
            "util": UtilVariable(), "context": {"requestId": "req-1", "error": {}},
            "stageVariables": {"arn": "arn:sm"}, **extra}


def test_start_sync_execution_template_renders_to_valid_json():
    template = ('{"stateMachineArn": "$stageVariables.arn", "name": "$context.requestId", '
                '"input": "$util.escapeJavaScript($input.json(\'$\'))"}')
    rendered = json.loads(render(template, _scope({"items": ["a", "b"], "note": "it's \"quoted\""})))
    assert rendered["stateMachineArn"] == "arn:sm" and rendered["name"] == "req-1"
    assert json.loads(rendered["input"]) == {"items": ["a", "b"], "note": "it's \"quoted\""}


def test_set_if_foreach_and_undefined_references():
    template = ('#set($n = $input.path(\'$.n\'))#if($n > 2)big#elseif($n == 2)two#{else}small#end|'
                '#foreach($x in $input.path(\'$.xs\'))$x#if($foreach.hasNext),#end#end|$!missing|$missing')
    # API Gateway renders an undefined reference as nothing, quiet (``$!``) or not
    assert render(template, _scope({"n": 2, "xs": [1, 2, 3]})) == "two|1,2,3||"


def test_input_params_body_and_parse_json():
    scope = _scope('{"output": "{\\"k\\": 5}"}')
    assert render("$input.params('id')-$input.params('q')", scope) == "p1-v"
    assert render("#set($o = $util.parseJson($input.path('$.output')))$o.k", scope) == "5"
    assert render("$input.body", _scope("raw text")) == "raw text"


def test_unbalanced_template_is_a_clear_error():
    with pytest.raises(TemplateError, match="#end"):
        render("#if(true)never closed", _scope())


def test_json_path_subset():
    doc = {"a": {"b": [10, {"c": "x"}]}}
    assert json_path(doc, "$.a.b[1].c") == "x"
    assert json_path(doc, "$['a']['b'][0]") == 10
    assert json_path(doc, "$.missing.b") is None


SCHEMA = {"type": "object", "required": ["mode", "items"], "additionalProperties": False,
          "properties": {"mode": {"enum": ["products", "metadata"]},
                         "items": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"$ref": "#/defs/id"}},
                         "k": {"type": "integer", "minimum": 1, "maximum": 50}},
          "defs": {"id": {"type": "string", "pattern": "^[a-z]+$"}}}


def test_schema_accepts_a_valid_document():
    assert validate({"mode": "products", "items": ["abc"], "k": 10}, SCHEMA) == []


@pytest.mark.parametrize("document, fragment", [
    ({"items": ["a"]}, 'missing required properties (["mode"])'),
    ({"mode": "x", "items": ["a"]}, "not found in enum"),
    ({"mode": "products", "items": []}, "array is too short"),
    ({"mode": "products", "items": ["A1"]}, "does not match input string"),
    ({"mode": "products", "items": ["a"], "k": 0}, "lower than the required minimum"),
    ({"mode": "products", "items": ["a"], "k": 2.5}, "does not match any allowed primitive type"),
    ({"mode": "products", "items": ["a"], "extra": 1}, "not allowed by the schema"),
])
def test_schema_reports_each_violation(document, fragment):
    errors = validate(document, SCHEMA)
    assert any(fragment in e for e in errors), errors


ONE_OF = {"$ref": "#/components/schemas/Request"}
COMPONENTS = {"components": {"schemas": {
    "Request": {"oneOf": [{"$ref": "#/components/schemas/Products"}, {"$ref": "#/components/schemas/Both"}]},
    "Products": {"type": "object", "required": ["mode", "items"], "additionalProperties": False,
                 "properties": {"mode": {"enum": ["products"]}, "items": {"$ref": "#/components/schemas/Items"},
                                "k": {"type": "integer", "minimum": 1, "maximum": 50}}},
    "Both": {"type": "object", "required": ["mode", "items", "metadata"], "additionalProperties": False,
             "properties": {"mode": {"enum": ["both"]}, "items": {"$ref": "#/components/schemas/Items"},
                            "metadata": {"type": "object", "maxProperties": 3,
                                         "additionalProperties": {"type": ["string", "number", "null"],
                                                                  "maxLength": 4}}}},
    "Items": {"type": "array", "minItems": 2, "maxItems": 3, "uniqueItems": True,
              "items": {"type": "string", "pattern": "^[a-z]+$", "format": "email"}}}}}
VALUES = [None, True, False, 0, 1, 1.0, 2.5, -1, 50, 51, 10 ** 30, "", "a", "abc", "A1", "abcde", "x@y", [], ["a"],
          ["a", "b"], ["a", "a"], ["a", "b", "c", "d"], [1, True], {}, {"age": "1"}, {"a": 1, "b": 2, "c": 3, "d": 4}]


def _documents(rng):
    """Valid documents of both shapes with up to three fields replaced, added or dropped."""
    for _ in range(1500):
        document = rng.choice([{"mode": "products", "items": ["ab", "cd"], "k": 5},
                               {"mode": "both", "items": ["ab", "cd", "ef"], "metadata": {"age": "30"}}])
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            key = rng.choice(["mode", "items", "k", "metadata", "extra"])
            if rng.random() < 0.2:
                document.pop(key, None)
            else:
                document[key] = rng.choice(["products", "both", "x"]) if key == "mode" else rng.choice(VALUES)
        yield document


@pytest.mark.parametrize("schema, root", [(SCHEMA, None), (ONE_OF, COMPONENTS)], ids=["plain", "oneOf-refs"])
def test_compiled_accept_path_agrees_with_jsonschema(schema, root):
    """Accepting through the compiled validator never lets through what jsonschema refuses, nor refuses what it accepts."""
    from jsonschema import Draft4Validator

    import random

    from localcloud.apigateway.schema import _compiled

    assert _compiled(schema, root or schema) is not None  # the accept path is compiled, not skipped
    reference = Draft4Validator(root or schema).evolve(schema=schema)
    accepted = 0
    for document in _documents(random.Random(7)):
        ok = reference.is_valid(document)
        accepted += ok
        assert (validate(document, schema, root) == []) == ok, document
    assert 200 < accepted < 1300  # both paths are exercised


def test_a_schema_the_compiler_cannot_take_is_still_checked():
    odd = {"type": "object", "properties": {"id": {"$ref": "#/nowhere/id"}}}  # a reference that resolves nowhere
    assert validate({"x": 1}, odd) == []
    assert "model" in validate({"id": 1}, odd)[0]  # the model is at fault: said so, not a crash or a silent accept


def _api(*paths: str) -> SimpleNamespace:
    resources = {str(i): SimpleNamespace(id=str(i), get_path=(lambda p=p: p)) for i, p in enumerate(paths)}
    return SimpleNamespace(resources=resources)


def test_routes_prefer_exact_then_parameter_then_greedy():
    api = _api("/", "/items", "/items/{id}", "/items/special", "/{proxy+}")
    assert match_resource(api, "/items/special")[0].get_path() == "/items/special"
    resource, params = match_resource(api, "/items/42")
    assert (resource.get_path(), params) == ("/items/{id}", {"id": "42"})
    resource, params = match_resource(api, "/other/deep/path")
    assert (resource.get_path(), params) == ("/{proxy+}", {"proxy": "other/deep/path"})
    assert match_resource(api, "/")[0].get_path() == "/"
    assert match_resource(_api("/", "/items"), "/nothing") is None
