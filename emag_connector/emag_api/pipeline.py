"""Sending save batches while the next ones are prepared.

A large push is paced by eMAG's rate budget (3 requests a second): the caller
has work to do between requests (computing quantities and prices, building
the next batch, recording the last one's result). ``SaveQueue`` sends the
batches from a thread of its own, one after the other at the budget's pace,
so that this work happens while the sender waits for its next slot instead of
delaying it. The caller stays the only one to touch its own data: outcomes
come back to it through ``outcomes()``.
"""

import contextlib
import queue
import sys
import threading

#: batches prepared ahead of the sender: enough to cover a pause of the
#: caller (computing the next chunk of offers: about 4 s for the largest, while
#: 32 batches last 10 s at 3 a second), little enough to hold in memory
DEPTH = 32

_DONE = object()
#: seconds a thread holds the interpreter before another may run, while a
#: queue sends: the caller computes (CPU-bound) while the sender must wake up
#: on its slot, or it loses the slot (Python's default is 5 ms)
SWITCH_INTERVAL = 0.001


class SaveQueue:
    """Batches sent by ``client.save(route, batch)`` in a background thread."""

    def __init__(self, client, depth=DEPTH):
        self.client = client
        self._todo = queue.Queue(maxsize=depth)
        self._done = queue.Queue()
        self._error = None
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._switch_interval, SWITCH_INTERVAL))
        self._thread = threading.Thread(
            target=self._run, name="emag-save-queue", daemon=True
        )
        self._thread.start()

    def _run(self):
        while True:
            item = self._todo.get()
            if item is _DONE:
                return
            route, batch = item
            try:
                self._done.put(self.client.save(route, batch))
            except Exception as exc:  # noqa: BLE001 (handed to the caller)
                self._error = exc
                return

    def put(self, route, batch):
        """Queue one batch (waits while ``depth`` batches are queued)."""
        self._put((route, batch))

    def _put(self, item):
        while True:
            self._raise()
            try:
                self._todo.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def outcomes(self):
        """The outcomes of the batches sent since the last call; raises the
        error that stopped the sender, if any."""
        found = []
        while True:
            try:
                found.extend(self._done.get_nowait())
            except queue.Empty:
                self._flush_log()
                self._raise()
                return found

    def _flush_log(self):
        """The client's call log writes, from this (the caller's) thread, the
        rows of the calls the sender made: the sender never waits for it."""
        flush = getattr(self.client.call_log, "flush", None)
        if flush:
            flush()

    def close(self):
        """Wait for every queued batch; return the outcomes not taken yet."""
        try:
            if self._thread.is_alive():
                self._put(_DONE)
                self._thread.join()
        finally:
            sys.setswitchinterval(self._switch_interval)
        return self.outcomes()

    def abort(self):
        """The caller stops (an error): the sender ends after the batches
        already queued, and the interpreter's switch interval is restored.
        Nothing after ``close``."""
        sys.setswitchinterval(self._switch_interval)
        self._flush_log()
        with contextlib.suppress(queue.Full):  # it stops after those batches
            self._todo.put_nowait(_DONE)

    def _raise(self):
        if self._error is not None:
            raise self._error
