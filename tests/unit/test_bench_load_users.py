"""The load benchmark's paced users keep their own phase, so an open loop is not one burst per period.

locust patches the standard library (gevent) when imported, so the users file is exercised in a
subprocess with a fake clock.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, os, sys, types
os.environ["LOAD_PACING"] = sys.argv[1]
import bench.load_users as users
clock = [100.0]
users.time = types.SimpleNamespace(monotonic=lambda: clock[0])
user = types.SimpleNamespace(_next_start=100.7)   # on_start chose a point 0.7 s into the period
starts = [100.7]
for took in json.loads(sys.argv[2]):              # how long each request took
    clock[0] = starts[-1] + took
    clock[0] += users.Visitor.wait_time(user)
    starts.append(round(clock[0], 6))
print(json.dumps(starts))
"""


def _starts(pacing: float, took: list[float]) -> list[float]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(pacing), json.dumps(took)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_paced_user_starts_on_its_own_schedule_and_a_late_answer_restarts_it_from_then():
    assert _starts(2.0, [0.3, 1.9, 5.0, 0.1]) == [100.7, 102.7, 104.7, 109.7, 111.7]


def test_an_unpaced_user_sends_the_next_request_at_once():
    assert _starts(0.0, [0.3, 0.2]) == [100.7, 101.0, 101.2]
