"""The API's OpenAPI document as Terraform renders it (templatefile + yamldecode, anchors dropped)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "terraform" / "modules" / "api" / "openapi.yaml.tftpl"
VALUES = {
    "title": "test recommender API",
    "api_invoke_arn": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                      "arn:aws:lambda:us-east-1:123456789012:function:test-api/invocations",
    "cors_origin": "http://site.example",
}


def render(values: dict[str, str] | None = None) -> dict:
    """What ``terraform/modules/api/main.tf`` builds from the template, as a dict.

    Only ``${name}`` interpolations are used in the template (no directives); a new one
    must be added to VALUES, or rendering fails here as it would in Terraform.
    """
    values = {**VALUES, **(values or {})}
    text = TEMPLATE.read_text()
    assert "%{" not in text, "the template uses a Terraform directive this helper does not render"
    missing = set(re.findall(r"\$\{(\w+)\}", text)) - set(values)
    assert not missing, f"template variables without a value: {missing}"
    document = yaml.safe_load(re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], text))
    return {key: value for key, value in document.items() if key != "x-cors-preflight"}
