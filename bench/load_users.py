"""The locust users of `invoke bench --suite load` (bench/load.py runs locust on this file).

Each user POSTs /recommendations (the three modes in turn) and appends every answered document
to LOAD_RESULTS (one JSON line each), so bench/load.py can read every result back by id and
compare it. LOAD_PACING > 0 paces each user (one request every LOAD_PACING s: an open loop
while answers take less than that); 0 sends the next request as soon as the last one answered
(a closed loop).
"""
from __future__ import annotations

import itertools
import json
import os
import random

import gevent

from locust import FastHttpUser, constant, constant_pacing, events, task

FIVE = ["current_account", "payroll_account", "credit_card", "mortgage", "short_term_deposit"]
BODIES = [{"mode": "products", "items": FIVE, "k": 10},
          {"mode": "metadata", "metadata": {"AGE": 41, "INCOME": 52000}, "k": 10},
          {"mode": "both", "items": FIVE, "metadata": {"AGE": 29}, "k": 10}]
PACING = float(os.environ.get("LOAD_PACING", "0"))
_turn = itertools.count()
_answers: list[str] = []


class Visitor(FastHttpUser):
    """A client of the API asking for recommendations."""

    wait_time = constant_pacing(PACING) if PACING > 0 else constant(0)
    connection_timeout = 10.0
    network_timeout = 60.0

    def on_start(self) -> None:
        """A paced user starts at a random point of its period: users started together (locust
        spawns them in batches) would otherwise stay in step and arrive as one burst per period."""
        if PACING > 0:
            gevent.sleep(random.uniform(0, PACING))

    @task
    def recommend(self) -> None:
        body = BODIES[next(_turn) % len(BODIES)]
        with self.client.post("/recommendations", json=body, name="POST /recommendations",
                              catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}: {answer.text[:200] if answer.text else ''}")
                return
            _answers.append(answer.text)


@events.test_stop.add_listener
def _save(**_kwargs) -> None:
    with open(os.environ["LOAD_RESULTS"], "w") as out:
        out.writelines(line + "\n" for line in _answers)
