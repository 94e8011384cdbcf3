"""The emulator's garbage collector passes run in idle gaps, and nothing frozen leaks."""
from __future__ import annotations

import gc
import threading
import weakref

from localcloud.collector import IdleCollector


def test_a_pass_runs_only_in_an_idle_gap_after_requests():
    now = [0.0]
    collector = IdleCollector(idle_s=0.5, clock=lambda: now[0])
    started, release = threading.Event(), threading.Event()

    def slow(environ, start_response):
        started.set()
        release.wait(5)
        return [b"ok"]

    app = collector.wrap(slow)
    try:
        assert not collector.poll()                      # nothing handled yet
        call = threading.Thread(target=app, args=({}, None))
        call.start()
        assert started.wait(5)
        now[0] = 10.0
        assert not collector.poll()                      # a request in flight
        release.set()
        call.join(5)
        assert not collector.poll()                      # it just finished: not idle long enough
        now[0] = 10.6
        assert collector.poll() and gc.get_freeze_count() > 0 and collector.passes == 1
        now[0] = 20.0
        assert not collector.poll()                      # nothing handled since
    finally:
        gc.unfreeze()


def test_a_cycle_frozen_while_alive_is_collected_at_the_next_pass():
    class Node:
        pass

    now = [0.0]
    collector = IdleCollector(idle_s=0.1, clock=lambda: now[0])
    app = collector.wrap(lambda environ, start_response: [])
    node = Node()
    node.me = node
    alive = weakref.ref(node)
    try:
        app({}, None)
        now[0] += 1
        assert collector.poll()                          # the node is alive: frozen
        del node                                         # now a cycle nobody reaches
        gc.collect()
        assert alive() is not None                       # plain passes skip frozen objects
        app({}, None)
        now[0] += 1
        assert collector.poll()
        assert alive() is None                           # the next idle pass unfroze and collected it
    finally:
        gc.unfreeze()
