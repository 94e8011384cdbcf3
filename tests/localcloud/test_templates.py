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
