"""Run the garbage collector's full passes while the emulator is idle, not while callers wait.

A full (generation 2) collection scans every object the process tracks: moto's and botocore's
loaded service models, the deployed resources, every stored item and log line. In the emulator
that pass took ~90 ms after a deploy and 185 ms after a few thousand requests, and every request
in flight waited it out: under a 50 req/s open loop the slow requests (150–220 ms) fell exactly on
those passes and decided the p99.

Here, once the server has been idle for a moment after handling requests, the process collects
everything (``gc.unfreeze``, ``gc.collect``: nobody is waiting) and moves what survived into the
permanent generation (``gc.freeze``), which later passes skip. Under load the automatic passes then
scan only what was allocated since the last idle moment. Nothing leaks: reference counting frees a
frozen object when it dies, and each idle pass unfreezes first, so cycles among frozen objects are
collected then.
"""
from __future__ import annotations

import gc
import threading
import time
from typing import Callable


class IdleCollector:
    """Tracks requests in flight and collects in the gaps between them.

    Parameters
    ----------
    idle_s : float
        How long no request may have been in flight before a pass runs.
    clock : callable
        Monotonic seconds (a test passes its own).
    """

    def __init__(self, idle_s: float = 0.5, clock: Callable[[], float] = time.monotonic):
        self.idle_s, self._clock = idle_s, clock
        self._lock = threading.Lock()
        self._in_flight = 0
        self._handled = 0          # requests finished since the last pass
        self._last_done = clock()
        self.passes = 0

    def wrap(self, app: Callable) -> Callable:
        """The WSGI ``app`` with each call counted as in flight until it returns."""
        def counted(environ, start_response):
            with self._lock:
                self._in_flight += 1
            try:
                return app(environ, start_response)
            finally:
                with self._lock:
                    self._in_flight -= 1
                    self._handled += 1
                    self._last_done = self._clock()
        return counted

    def poll(self) -> bool:
        """Run a pass if requests were handled since the last one and none is in flight now."""
        with self._lock:
            if self._in_flight or not self._handled or self._clock() - self._last_done < self.idle_s:
                return False
            self._handled = 0
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.passes += 1
        return True

    def run(self, stop: threading.Event, every_s: float = 0.25) -> None:
        """Poll until ``stop`` is set (the emulator's daemon thread)."""
        while not stop.wait(every_s):
            self.poll()
