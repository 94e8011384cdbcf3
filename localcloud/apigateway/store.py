"""The OpenAPI documents APIs were imported from (moto keeps routes but drops validators and models)."""
from __future__ import annotations

import json
import threading
from typing import Any


class OpenApiStore:
    """OpenAPI bodies by REST API id, as sent by ImportRestApi / PutRestApi."""

    def __init__(self) -> None:
        self._docs: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def remember(self, api_id: str, body: bytes, query: str) -> None:
        doc = parse_document(body)
        if doc is None:
            return
        with self._lock:
            if "mode=overwrite" not in query and api_id in self._docs:  # PutRestApi merges by default
                merged = dict(self._docs[api_id])
                merged.setdefault("paths", {}).update(doc.get("paths", {}))
                doc = merged
            self._docs[api_id] = doc

    def forget(self, api_id: str) -> None:
        with self._lock:
            self._docs.pop(api_id, None)

    def get(self, api_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._docs.get(api_id)


def parse_document(body: bytes) -> dict[str, Any] | None:
    """JSON or YAML OpenAPI text as a dict (None when it is neither)."""
    text = body.decode("utf-8", "replace")
    try:
        doc = json.loads(text)
    except ValueError:
        try:
            import yaml

            doc = yaml.safe_load(text)
        except Exception:
            return None
    return doc if isinstance(doc, dict) else None


HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def normalise_for_moto(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` that moto's importer accepts and reads the way API Gateway does.

    moto 5.2.1 treats every key of a path item as a method and requires ``uri`` and
    ``httpMethod`` on every integration (MOCK has neither): we keep only methods, map
    ``x-amazon-apigateway-any-method`` to ``ANY`` and fill the two fields.
    """
    out = dict(doc)
    paths = {}
    for path, item in (doc.get("paths") or {}).items():
        methods = {}
        for key, operation in (item.items() if isinstance(item, dict) else ()):
            name = "any" if key == "x-amazon-apigateway-any-method" else key.lower()
            if name not in HTTP_METHODS and name != "any" or not isinstance(operation, dict):
                continue
            operation = dict(operation)
            integration = operation.get("x-amazon-apigateway-integration")
            if isinstance(integration, dict):
                integration = dict(integration)
                integration.setdefault("uri", "")
                integration.setdefault("httpMethod", "POST")
                integration["type"] = str(integration.get("type", "")).upper()
                operation["x-amazon-apigateway-integration"] = integration
            methods[name] = operation
        paths[path] = methods
    out["paths"] = paths
    return out


def coalesce_resources(api: Any) -> int:
    """Fold resources that share a path into the oldest one; returns how many were folded.

    moto 5.2.1's PutRestApi creates a new resource for every path of the document, even when
    the API has one already (``mode=merge``, and ``/`` in any mode). API Gateway merges: the
    document's methods replace those of the same verb on the existing resource and the others
    stay. Routing would otherwise pick the older, stale resource.
    """
    resources = api.resources
    kept: dict[str, Any] = {}
    folded = 0
    for resource in sorted(resources.values(), key=lambda r: len(r.get_path())):
        path = resource.get_path()
        keep = kept.setdefault(path, resource)
        if keep is resource:
            continue
        keep.resource_methods.update(resource.resource_methods)
        for child in resources.values():
            if child.parent_id == resource.id:
                child.parent_id = keep.id
        del resources[resource.id]
        folded += 1
    return folded
