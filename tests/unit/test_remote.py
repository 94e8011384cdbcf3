"""RemoteRecommender against a tiny in-process stand-in for the deployed API, and evaluation through it."""
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp

from recommender.evaluation import metrics as ev
from recommender.evaluation.remote import (RemoteError, RemoteRecommender, RemoteRequestError, agreement, api_profile,
                                evaluate_remote, latency_summary, subset)

CATALOGUE = [f"p{i}" for i in range(8)]  # the stand-in ranks by this order: p0 best
SCHEMA = [{"name": "AGE", "type": "integer", "minimum": 18, "maximum": 90},
          {"name": "SEX", "type": "categorical", "values": ["F", "M"]}]


class FakeApi(BaseHTTPRequestHandler):
    """The API contract, minimally: fixed ranking minus the chosen items; 400s with a message."""

    def log_message(self, *args):  # keep test output clean
        pass

    def _answer(self, status, document):
        raw = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):
        if self.path.endswith("/metadata-schema"):
            return self._answer(200, {"fields": SCHEMA})
        return self._answer(404, {"message": f"no route {self.path}"})

    def do_POST(self):
        time.sleep(self.server.delay)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.bodies.append(body)
        if self.server.broken:
            return self._answer(502, {"message": "the workflow failed"})
        items = body.get("items", [])
        unknown = [i for i in items if i not in CATALOGUE]
        if unknown:
            return self._answer(400, {"message": f"unknown product id {unknown[0]!r}; GET /products lists them"})
        ranked = [i for i in CATALOGUE if i not in items][: body["k"]]
        recs = [{"item_id": i, "name": i.upper(), "category": "c", "score": 1.0 - CATALOGUE.index(i) / 10,
                 "reason": "popular with all customers"} for i in ranked]
        return self._answer(200, {"request_id": "0" * 32, "mode": body["mode"], "recommendations": recs})


@pytest.fixture(name="api")
def api_fixture():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    server.delay, server.broken, server.bodies = 0.0, False, []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url(server):
    return f"http://127.0.0.1:{server.server_address[1]}/restapis/x/prod/_user_request_"


def test_each_mode_is_posted_and_answered_like_model_recommend(api):
    client = RemoteRecommender(url(api) + "/")
    chosen = ["p0", "p2", "p3", "p5", "p7"]

    products = client.recommend(items=chosen, k=2)
    meta = client.recommend(metadata={"AGE": 40}, k=3)
    both = client.recommend(items=chosen, metadata={"SEX": "F"}, k=3)

    assert [r["item_id"] for r in products] == ["p1", "p4"]
    assert set(products[0]) >= {"item_id", "score", "reason"} and isinstance(products[0]["score"], float)
    assert [r["item_id"] for r in meta] == ["p0", "p1", "p2"]
    assert [r["item_id"] for r in both] == ["p1", "p4", "p6"]
    assert [b["mode"] for b in api.bodies] == ["products", "metadata", "both"]
    assert api.bodies[1] == {"mode": "metadata", "k": 3, "metadata": {"AGE": 40}}
    assert client.last_document["mode"] == "both"
    assert len(client.latencies) == 3 and all(0 < s < 5 for s in client.latencies)


def test_metadata_schema_is_read_from_the_api(api):
    assert RemoteRecommender(url(api)).metadata_schema() == SCHEMA


@pytest.mark.parametrize("items, metadata, expected", [
    (None, None, "give items"),
    (["p0", "p1", "p2"], None, "exactly 5 items; you gave 3"),
])
def test_requests_the_api_would_refuse_are_stopped_before_sending(api, items, metadata, expected):
    with pytest.raises(ValueError, match=expected):
        RemoteRecommender(url(api)).recommend(items=items, metadata=metadata)
    assert api.bodies == []


def test_a_400_surfaces_the_apis_message(api):
    with pytest.raises(RemoteRequestError, match="answered 400: unknown product id 'nope'") as caught:
        RemoteRecommender(url(api)).recommend(items=["p0", "p1", "p2", "p3", "nope"])
    assert caught.value.status == 400 and isinstance(caught.value, ValueError)


def test_a_server_failure_is_a_remote_error_not_a_value_error(api):
    api.broken = True
    with pytest.raises(RemoteError, match="answered 502: the workflow failed") as caught:
        RemoteRecommender(url(api)).recommend(metadata={"AGE": 40})
    assert not isinstance(caught.value, ValueError)


def test_connection_refused_says_to_deploy():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(RemoteError, match="cannot reach .*invoke deploy") as caught:
        RemoteRecommender(f"http://127.0.0.1:{port}/api", timeout=2).recommend(metadata={"AGE": 40})
    assert caught.value.status is None


def test_a_slow_answer_times_out_with_a_clear_message(api):
    api.delay = 1.0
    client = RemoteRecommender(url(api), timeout=0.2)
    with pytest.raises(RemoteError, match="no answer within 0.2 s"):
        client.recommend(metadata={"AGE": 40})
    assert client.latencies == []


def test_a_bad_url_is_refused_at_construction():
    with pytest.raises(ValueError, match="api_url must be an http"):
        RemoteRecommender("127.0.0.1:4566/api")


def test_profile_sends_typed_known_fields_and_skips_missing_values():
    users = SimpleNamespace(user_fields={"AGE": np.array([40.0, np.nan]), "SEX": np.array(["F", ""], dtype=object),
                                         "ZIP": np.array(["1", "2"], dtype=object)})
    assert api_profile(users, 0, SCHEMA) == {"AGE": 40, "SEX": "F"}
    assert isinstance(api_profile(users, 0, SCHEMA)["AGE"], int)
    assert api_profile(users, 1, SCHEMA) == {}


@pytest.mark.parametrize("mode", ["items", "meta", "both"])
def test_evaluation_through_the_api_matches_the_offline_one_for_the_same_scorer(api, mode):
    # Given 4 users with 6-7 items each, and an offline scorer ranking like the stand-in (p0 best)
    rows = [[0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7], [0, 2, 4, 5, 6, 7], [0, 1, 3, 5, 6, 7]]
    a = sp.csr_matrix((np.ones(sum(map(len, rows))), np.concatenate(rows), np.cumsum([0] + [len(r) for r in rows])),
                      shape=(4, len(CATALOGUE)))
    meta = np.zeros((4, 2), dtype=int)
    protocol = ev.make_protocol(a, meta, mode, reveal=5, seed=1)
    popularity = np.arange(len(CATALOGUE), 0, -1, dtype=float) / 10
    offline_scores = np.tile(1.0 - np.arange(len(CATALOGUE)) / 10, (4, 1))
    offline = ev.evaluate(lambda revealed, _: np.tile(popularity, (revealed.shape[0], 1)), protocol, k=3)
    users = SimpleNamespace(user_fields={"AGE": np.array([20.0, 30, 40, 50]), "SEX": np.array(["F", "M", "F", "M"])})

    # When rows 1 and 3 are evaluated through the API
    run = evaluate_remote(RemoteRecommender(url(api)), protocol, [1, 3], users, CATALOGUE, SCHEMA, k=3)

    # Then the API was asked what the protocol reveals, and the metrics equal the offline ones for those users
    sent = api.bodies
    assert [b["mode"] for b in sent] == [{"items": "products", "meta": "metadata", "both": "both"}[mode]] * 2
    if mode != "meta":
        assert sent[0]["items"] == [CATALOGUE[j] for j in protocol.revealed[1].indices]
    if mode != "items":
        assert sent[1]["metadata"] == {"AGE": 50, "SEX": "M"}
    same = subset(offline, [1, 3], len(CATALOGUE))
    np.testing.assert_array_equal(run.result.top, same.top)
    for metric in ("ndcg", "recall", "precision", "hitrate"):
        np.testing.assert_allclose(run.result.per_user[metric], same.per_user[metric])
    assert run.result.coverage == same.coverage
    assert agreement(run, same, offline_scores[[1, 3]]) == {"same_top": 1.0, "max_ndcg_diff": 0.0,
                                                          "max_score_diff": 0.0}
    assert len(run.latencies) == 2 and latency_summary(run.latencies)["n"] == 2


def test_agreement_notices_a_different_ranking():
    offline = ev.EvalResult("ours", "items", {"ndcg": np.array([1.0, 0.5])}, 0.5, np.array([[0, 1], [2, 3]]))
    remote = SimpleNamespace(result=ev.EvalResult("deployed", "items", {"ndcg": np.array([1.0, 0.25])}, 0.5,
                                                  np.array([[0, 1], [3, 2]])), scores=np.ones((2, 2)))
    found = agreement(remote, offline, np.ones((2, 4)))
    assert found["same_top"] == 0.5 and found["max_ndcg_diff"] == 0.25 and found["max_score_diff"] == 0.0


def test_latency_summary_in_milliseconds():
    summary = latency_summary(np.arange(1, 101) / 1000)  # 1..100 ms
    assert summary["n"] == 100 and summary["p50"] == pytest.approx(50.5) and summary["max"] == pytest.approx(100)
    assert summary["p95"] == pytest.approx(95.05) and summary["p99"] == pytest.approx(99.01)
