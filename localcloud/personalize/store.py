"""The resources of one account and region, their statuses and ARNs.

Statuses move as on the service: ``CREATE PENDING`` → ``CREATE IN_PROGRESS`` → ``ACTIVE``
(or ``CREATE FAILED`` with a ``failureReason``). Resources with no work behind them move by
the clock (``PENDING_S``, then ``IN_PROGRESS_S``); import jobs, solution versions and
campaigns are moved by the background job doing their work.
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from localcloud.personalize.errors import InvalidNextToken, NotFound

PENDING, IN_PROGRESS, ACTIVE, FAILED = "CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "CREATE FAILED"


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


#: Seconds a resource stays CREATE PENDING, then CREATE IN_PROGRESS (LOCALCLOUD_PERSONALIZE_STEP_S each).
STEP_S = _seconds("LOCALCLOUD_PERSONALIZE_STEP_S", 0.3)

KIND_NAMES = {"schema": "schema", "datasetGroup": "dataset group", "dataset": "dataset",
              "datasetImportJob": "dataset import job", "solution": "solution",
              "solutionVersion": "solution version", "campaign": "campaign", "eventTracker": "event tracker",
              "filter": "filter"}


@dataclass
class Resource:
    """One Personalize resource: what Describe shows, plus the local state behind it."""

    kind: str
    arn: str
    name: str
    shown: dict[str, Any]
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    status: str | None = None        # set by a background job; None: moves by the clock
    failure: str | None = None
    state: dict[str, Any] = field(default_factory=dict)

    def current_status(self) -> str:
        if self.status is not None:
            return self.status
        age = time.time() - self.created
        return PENDING if age < STEP_S else IN_PROGRESS if age < 2 * STEP_S else ACTIVE

    def move(self, status: str, failure: str | None = None) -> None:
        self.status, self.failure, self.updated = status, failure, time.time()

    def describe(self, with_status: bool = True) -> dict[str, Any]:
        doc = dict(self.shown)
        doc["creationDateTime"] = self.created
        doc["lastUpdatedDateTime"] = max(self.updated, self.created if self.status else
                                         min(time.time(), self.created + 2 * STEP_S))
        if with_status:
            doc["status"] = self.current_status()
        if self.failure:
            doc["failureReason"] = self.failure
        return doc


class Store:
    """Every resource of one account and region, by ARN (one lock for all of it)."""

    def __init__(self, account: str, region: str):
        self.account, self.region = account, region
        self.lock = threading.RLock()
        self.resources: dict[str, Resource] = {}

    def arn(self, kind_path: str) -> str:
        return f"arn:aws:personalize:{self.region}:{self.account}:{kind_path}"

    def add(self, resource: Resource) -> Resource:
        self.resources[resource.arn] = resource
        return resource

    def get(self, kind: str, arn: Any) -> Resource:
        found = self.resources.get(arn) if isinstance(arn, str) else None
        if found is None or found.kind != kind:
            raise NotFound(f"Could not find the {KIND_NAMES[kind]} with ARN {arn}")
        return found

    def of_kind(self, kind: str, **matching: Any) -> list[Resource]:
        found = [r for r in self.resources.values() if r.kind == kind
                 and all(r.shown.get(k) == v for k, v in matching.items() if v is not None)]
        return sorted(found, key=lambda r: r.created, reverse=True)

    def by_name(self, kind: str, name: str) -> Resource | None:
        return next((r for r in self.resources.values() if r.kind == kind and r.name == name), None)

    def remove(self, arn: str) -> None:
        self.resources.pop(arn, None)


def summary(resource: Resource, *keys: str) -> dict[str, Any]:
    """The members of ``resource``'s Describe document a List call shows (those it has)."""
    doc = resource.describe()
    return {k: doc[k] for k in keys if k in doc}


def short_id() -> str:
    return uuid.uuid4().hex[:8]


def page(items: list[dict], params: dict, key: str) -> dict:
    """One page of a List call: ``maxResults`` (default 100) from ``nextToken`` on."""
    token = params.get("nextToken")
    try:
        start = int(token) if token else 0
    except ValueError:
        raise InvalidNextToken(f"Invalid next token: {token}") from None
    if start < 0 or start > len(items):
        raise InvalidNextToken(f"Invalid next token: {token}")
    size = int(params.get("maxResults") or 100)
    out: dict[str, Any] = {key: items[start:start + size]}
    if start + size < len(items):
        out["nextToken"] = str(start + size)
    return out


_STORES: dict[tuple[str, str], Store] = {}
_STORES_LOCK = threading.Lock()


def store_for(account: str, region: str) -> Store:
    """The store of ``account`` in ``region`` (created empty on first use)."""
    with _STORES_LOCK:
        key = (account, region)
        if key not in _STORES:
            _STORES[key] = Store(account, region)
        return _STORES[key]
