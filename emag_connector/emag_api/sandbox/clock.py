"""Clocks used by the sandbox.

The sandbox never calls ``time.time()`` directly: it asks its clock, so tests can
move time forward (rate-limit windows, the 48 h order windows, ``start_date``)
without sleeping.  A client under test can share the same :class:`FakeClock` and
pass ``clock.sleep`` as its sleep function, so its back-off does not really wait.
"""

from __future__ import annotations

import threading
import time


class RealClock:
    """Wall-clock time (the default)."""

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """A manual clock: ``time()`` only moves when ``sleep``/``advance`` is called.

    The default start, 1_760_000_000 (2025-10-09 08:53:20 UTC), is an arbitrary
    fixed instant so that tests are reproducible.
    """

    def __init__(self, start: float = 1_760_000_000.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` and return the new time."""
        if seconds < 0:
            raise ValueError("FakeClock cannot go backwards")
        with self._lock:
            self._now += seconds
            return self._now

    def sleep(self, seconds: float) -> None:
        """Like ``time.sleep`` but instant: only advances the clock."""
        if seconds > 0:
            self.advance(seconds)

    def set(self, timestamp: float) -> None:
        """Jump to an absolute timestamp (may go backwards; use with care)."""
        with self._lock:
            self._now = float(timestamp)
