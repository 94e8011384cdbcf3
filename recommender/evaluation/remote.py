"""The deployed recommender through its HTTP API, and its evaluation on held-out users.

`RemoteRecommender` is a small standard-library client of the deployed stack's API
(``POST /recommendations``, ``GET /metadata-schema``) that answers like
``Model.recommend`` and times every request. `evaluate_remote` runs an evaluation
protocol (recommender.evaluation.metrics) through it, so notebook 03 can put the deployed
stack's figures beside the offline ones for the same users.

Example::

    api = RemoteRecommender("http://127.0.0.1:4566/restapis/abc/prod/_user_request_")
    api.recommend(items=["mortgage", "credit_card", "payroll_account", "taxes", "loans"], k=3)
    # -> [{"item_id", "score", "reason", "name", "category"}, ...] best first
    api.latencies   # seconds per answered request
"""
from __future__ import annotations

import json
import math
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import numpy as np

from recommender.evaluation import metrics as ev

CHOSEN_ITEMS = 5  # the API takes exactly this many products in modes products and both
API_MODES = {"items": "products", "meta": "metadata", "both": "both"}  # protocol mode -> API mode


class RemoteError(RuntimeError):
    """The API could not be reached or did not answer; ``status`` is the HTTP status (None: no answer)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RemoteRequestError(RemoteError, ValueError):
    """The API refused the request (4xx); the message is the API's own."""


class RemoteRecommender:
    """Recommendations from a deployed stack, in the shape ``Model.recommend`` returns.

    Parameters
    ----------
    api_url : str
        The API's base URL, as `invoke deploy` prints it (no trailing route).
    timeout : float
        Seconds to wait for each answer.

    Attributes
    ----------
    latencies : list of float
        Round-trip seconds of every answered request, in order.
    last_document : dict or None
        The full document the last ``POST /recommendations`` answered (request_id, created_at, ...).
    """

    def __init__(self, api_url: str, timeout: float = 10.0):
        if not isinstance(api_url, str) or not api_url.startswith(("http://", "https://")):
            raise ValueError(f"api_url must be an http(s) URL such as `invoke deploy` prints; got {api_url!r}")
        if not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r}")
        self.api_url = api_url.rstrip("/")
        self.timeout = float(timeout)
        self.latencies: list[float] = []
        self.last_document: dict | None = None

    def recommend(self, items=None, metadata=None, k: int = 10) -> list[dict]:
        """Ask ``POST /recommendations``; the mode follows the inputs (products, metadata or both).

        Parameters
        ----------
        items : list of str, optional
            Exactly 5 distinct product ids (the API's rule for modes products and both).
        metadata : dict, optional
            Customer details, ``{FIELD: value}`` (``GET /metadata-schema`` lists the fields).
        k : int
            How many recommendations (1..50).

        Returns
        -------
        list of dict
            ``{"item_id", "score", "reason", "name", "category"}`` best first.

        Raises
        ------
        ValueError
            Neither items nor metadata, or not exactly 5 items (checked before sending).
        RemoteRequestError
            The API refused the request (a ValueError too); the message is the API's.
        RemoteError
            The API could not be reached, timed out or failed.
        """
        items = list(items) if items else []
        metadata = dict(metadata) if metadata else {}
        if not items and not metadata:
            raise ValueError("give items (5 product ids), metadata, or both; the API has no popularity-only mode")
        if items and len(items) != CHOSEN_ITEMS:
            raise ValueError(f"the API takes exactly {CHOSEN_ITEMS} items; you gave {len(items)}")
        mode = "both" if items and metadata else ("products" if items else "metadata")
        body = {"mode": mode, "k": int(k)}
        if items:
            body["items"] = items
        if metadata:
            body["metadata"] = metadata
        document = self._call("POST", "/recommendations", body)
        recommendations = document.get("recommendations") if isinstance(document, dict) else None
        if not isinstance(recommendations, list):
            raise RemoteError(f"POST {self.api_url}/recommendations answered without a recommendations list")
        try:
            answer = [{"item_id": str(r["item_id"]), "score": float(r["score"]), "reason": r.get("reason", ""),
                       "name": r.get("name", ""), "category": r.get("category", "")} for r in recommendations]
        except (KeyError, TypeError, ValueError):
            raise RemoteError(f"POST {self.api_url}/recommendations answered recommendations without "
                              "an item_id and a numeric score each") from None
        self.last_document = document
        return answer

    def metadata_schema(self) -> list[dict]:
        """The customer fields the deployed model knows (``GET /metadata-schema``)."""
        return self._call("GET", "/metadata-schema")["fields"]

    def _call(self, method: str, path: str, body: dict | None = None):
        url = self.api_url + path
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise _http_error(method, url, error) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise _timeout(method, url, self.timeout) from None
            raise RemoteError(f"cannot reach {url} ({error.reason}); is the stack deployed? "
                              "`invoke deploy` starts it and prints the API URL") from None
        except (TimeoutError, socket.timeout):
            raise _timeout(method, url, self.timeout) from None
        except (ConnectionError, OSError) as error:  # e.g. the connection dropped mid-answer
            raise RemoteError(f"{method} {url} failed: {error}") from None
        self.latencies.append(time.perf_counter() - started)
        try:
            return json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RemoteError(f"{method} {url} answered something that is not JSON: {raw[:200]!r}") from None


def _timeout(method: str, url: str, seconds: float) -> RemoteError:
    return RemoteError(f"{method} {url} gave no answer within {seconds:g} s; "
                       "raise the timeout or check the stack (`invoke status`, `invoke logs`)")


def _http_error(method: str, url: str, error: urllib.error.HTTPError) -> RemoteError:
    raw = error.read() or b""
    try:
        message = json.loads(raw)["message"]
    except (ValueError, KeyError, TypeError):
        message = raw.decode("utf-8", "replace")[:200] or error.reason
    kind = RemoteRequestError if 400 <= error.code < 500 else RemoteError
    return kind(f"{method} {url} answered {error.code}: {message}", status=error.code)


# ---- evaluation through the API ------------------------------------------------------------

def api_profile(dataset, user: int, schema: list[dict]) -> dict:
    """A dataset user's metadata as the API takes it: the schema's fields, typed, missing values left out."""
    profile = {}
    for field in schema:
        values = dataset.user_fields.get(field["name"])
        if values is None:
            continue
        value = values[user]
        if field["type"] == "categorical":
            if value is None or str(value) == "":
                continue
            profile[field["name"]] = str(value)
        elif value is not None and math.isfinite(float(value)):
            profile[field["name"]] = int(round(float(value))) if field["type"] == "integer" else float(value)
    return profile


@dataclass
class RemoteRun:
    """One protocol evaluated through the API: metrics, returned scores and each request's latency."""

    result: ev.EvalResult
    scores: np.ndarray      # (users, k) the scores the API returned, NaN past the end of a short list
    latencies: np.ndarray   # (users,) seconds


def evaluate_remote(client: RemoteRecommender, protocol: ev.Protocol, rows, dataset, item_ids, schema: list[dict],
                    k: int = 10, name: str = "deployed") -> RemoteRun:
    """Ask the API for the given protocol rows and compute the offline metrics@k from its answers.

    Parameters
    ----------
    client : RemoteRecommender
    protocol : recommender.evaluation.metrics.Protocol
        Mode "items", "meta" or "both" (the API has no popularity-only mode).
    rows : sequence of int
        Which protocol rows (users) to ask for.
    dataset : Dataset
        The dataset the protocol's users come from (for their metadata).
    item_ids : sequence of str
        The protocol's item columns, in order (``model.item_ids``).
    schema : list of dict
        ``client.metadata_schema()``: which fields to send and their types.
    """
    if protocol.mode not in API_MODES:
        raise ValueError(f"the API evaluates modes {', '.join(API_MODES)}; got {protocol.mode!r}")
    rows = np.asarray(rows, dtype=int)
    column = {str(item): j for j, item in enumerate(item_ids)}
    top = np.full((len(rows), k), -1, dtype=int)
    scores = np.full((len(rows), k), np.nan)
    latencies = np.zeros(len(rows))
    for i, row in enumerate(rows):
        items = [str(item_ids[j]) for j in protocol.revealed[row].indices]
        metadata = api_profile(dataset, protocol.users[row], schema) if protocol.mode != "items" else None
        answer = client.recommend(items=items or None, metadata=metadata, k=k)
        latencies[i] = client.latencies[-1]
        for j, rec in enumerate(answer[:k]):
            top[i, j], scores[i, j] = column[rec["item_id"]], rec["score"]
    per_user = ev.ranking_metrics(top, protocol.relevant[rows], k)
    return RemoteRun(ev.EvalResult(name, protocol.mode, per_user, _coverage(top, len(item_ids)), top),
                     scores, latencies)


def subset(result: ev.EvalResult, rows, n_items: int) -> ev.EvalResult:
    """The same evaluation restricted to some protocol rows (coverage over ``n_items`` recomputed for them)."""
    rows = np.asarray(rows, dtype=int)
    top = result.top[rows]
    coverage = _coverage(top, n_items)
    return ev.EvalResult(result.name, result.mode, {m: v[rows] for m, v in result.per_user.items()},
                         coverage, top)


def _coverage(top: np.ndarray, n_items: int) -> float:
    return len(np.unique(top[top >= 0])) / n_items if n_items else 0.0


def agreement(remote: RemoteRun, offline: ev.EvalResult, offline_scores: np.ndarray | None = None) -> dict:
    """How closely the API's answers match the offline evaluation of the same users.

    Returns ``same_top`` (share of users with the identical top-k list), ``max_ndcg_diff``
    (largest per-user |NDCG difference|) and, given the offline score matrix (users, items),
    ``max_score_diff`` (largest |score difference| on the items the API returned).
    """
    same = np.all(remote.result.top == offline.top[:, : remote.result.top.shape[1]], axis=1)
    out = {"same_top": float(same.mean()) if len(same) else float("nan"),
           "max_ndcg_diff": float(np.max(np.abs(remote.result.per_user["ndcg"] - offline.per_user["ndcg"]),
                                         initial=0.0))}
    if offline_scores is not None:
        top = remote.result.top
        returned = top >= 0
        expected = np.take_along_axis(np.asarray(offline_scores, dtype=float), np.where(returned, top, 0), axis=1)
        out["max_score_diff"] = float(np.max(np.abs(expected - remote.scores)[returned], initial=0.0))
    return out


def latency_summary(seconds) -> dict:
    """p50, p95, p99 and max of request latencies, in milliseconds."""
    ms = np.asarray(seconds, dtype=float) * 1000
    if not len(ms):
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "max": float("nan")}
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return {"n": int(len(ms)), "p50": float(p50), "p95": float(p95), "p99": float(p99), "max": float(ms.max())}
