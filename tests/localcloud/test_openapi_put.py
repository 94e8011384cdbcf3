"""REST APIs from an OpenAPI body through PutRestApi (overwrite and merge): MOCK integrations import
and the CORS preflight answers; merged paths replace, not duplicate, their resources."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.cloud]

ORIGIN = "http://site.example"
CORS = {
    "method.response.header.Access-Control-Allow-Origin": f"'{ORIGIN}'",
    "method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
    "method.response.header.Access-Control-Allow-Headers": "'Content-Type,X-Amz-Date'",
}


def _preflight(path: str, cors: dict) -> dict:
    header = {"schema": {"type": "string"}}
    return {"options": {
        "responses": {"200": {"description": "CORS", "headers": {
            name.rsplit(".", 1)[1]: header for name in cors}}},
        "x-amazon-apigateway-integration": {
            "type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
            "responses": {"default": {"statusCode": "200", "responseParameters": cors}}},
    }}


def _document(paths: dict) -> bytes:
    return json.dumps({"openapi": "3.0.1", "info": {"title": "cors", "version": "1"}, "paths": paths}).encode()


def _options(cloud, api_id: str, path: str) -> tuple[int, dict]:
    url = f"{cloud.endpoint}/restapis/{api_id}/dev/_user_request_{path}"
    request = urllib.request.Request(url, method="OPTIONS", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


@pytest.mark.parametrize("mode", ["overwrite", "merge"])
def test_put_rest_api_imports_a_mock_preflight(cloud, mode):
    api = cloud.client("apigateway")
    api_id = api.create_rest_api(name=f"cors-{mode}")["id"]
    api.put_rest_api(restApiId=api_id, mode=mode, body=_document({"/things": _preflight("/things", CORS)}))
    api.create_deployment(restApiId=api_id, stageName="dev")

    status, headers = _options(cloud, api_id, "/things")
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Access-Control-Allow-Methods"] == "GET,POST,OPTIONS"
    assert headers["Access-Control-Allow-Headers"] == "Content-Type,X-Amz-Date"
    resources = api.get_resources(restApiId=api_id)["items"]
    integration = api.get_integration(restApiId=api_id, httpMethod="OPTIONS",
                                      resourceId=next(r["id"] for r in resources if r["path"] == "/things"))
    assert integration["type"] == "MOCK"


def test_repeated_put_replaces_methods_without_duplicating_resources(cloud):
    api = cloud.client("apigateway")
    api_id = api.create_rest_api(name="cors-repeat")["id"]
    api.put_rest_api(restApiId=api_id, mode="overwrite", body=_document({"/things": _preflight("/things", CORS)}))
    changed = dict(CORS, **{"method.response.header.Access-Control-Allow-Origin": "'http://other.example'"})
    both = {"/things": _preflight("/things", changed), "/things/{id}": _preflight("/things/{id}", CORS)}
    for mode in ("merge", "overwrite"):
        api.put_rest_api(restApiId=api_id, mode=mode, body=_document(both))
        api.create_deployment(restApiId=api_id, stageName="dev")
        paths = sorted(r["path"] for r in api.get_resources(restApiId=api_id)["items"])
        assert paths == ["/", "/things", "/things/{id}"], mode
        status, headers = _options(cloud, api_id, "/things")
        assert (status, headers["Access-Control-Allow-Origin"]) == (200, "http://other.example"), mode
        assert _options(cloud, api_id, "/things/42")[0] == 200


def test_a_document_moto_cannot_import_is_a_client_error_not_a_retryable_500(cloud):
    from botocore.exceptions import ClientError

    api = cloud.client("apigateway")
    api_id = api.create_rest_api(name="bad-doc")["id"]
    with pytest.raises(ClientError) as raised:
        api.put_rest_api(restApiId=api_id, mode="overwrite", body=b'{"openapi": "3.0.1", "paths": {"/x": {"get": {"responses": 5}}}}')
    assert "OpenAPI" in raised.value.response["Error"]["Message"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
