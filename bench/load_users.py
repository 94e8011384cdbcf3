"""The locust users of `invoke bench --suite load` (bench/load.py runs locust on this file).

Each user POSTs /recommendations (the three modes in turn) and appends every answered document
to LOAD_RESULTS (one JSON line each), so bench/load.py can read every result back by id and
compare it. LOAD_PACING > 0 paces each user: it starts at a random point of its period, then starts a
request every LOAD_PACING s on that schedule (an open loop while answers take less than that;
a late answer makes the next request start at once); 0 sends the next request as soon as the
last one answered (a closed loop).
"""
from __future__ import annotations

import itertools
import json
import os
import random
import time

import gevent

from locust import FastHttpUser, events, task

FIVE = ["current_account", "payroll_account", "credit_card", "mortgage", "short_term_deposit"]
BODIES = [{"mode": "products", "items": FIVE, "k": 10},
          {"mode": "metadata", "metadata": {"AGE": 41, "INCOME": 52000}, "k": 10},
          {"mode": "both", "items": FIVE, "metadata": {"AGE": 29}, "k": 10}]
PACING = float(os.environ.get("LOAD_PACING", "0"))
_turn = itertools.count()
_answers: list[str] = []


class Visitor(FastHttpUser):
    """A client of the API asking for recommendations."""

    connection_timeout = 10.0
    network_timeout = 60.0
    _next_start = 0.0

    def on_start(self) -> None:
        """A paced user starts at a random point of its period: users spawned together would
        otherwise arrive as one burst per period. (locust's ``constant_pacing`` cannot keep that
        phase: it counts the first period from the user's creation, so a random first sleep is
        taken back by a shorter first wait and every user is in step again.)"""
        if PACING > 0:
            gevent.sleep(random.uniform(0, PACING))
        self._next_start = time.monotonic()

    def wait_time(self) -> float:
        """Until this user's next scheduled start (``PACING`` after the last one), or none."""
        if PACING <= 0:
            return 0.0
        self._next_start = max(self._next_start + PACING, time.monotonic())
        return max(0.0, self._next_start - time.monotonic())

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
