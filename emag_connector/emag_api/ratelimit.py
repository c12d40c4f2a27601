"""Rate budgets: how many calls one eMAG account may make, and when.

eMAG API v4.4.9, 1.5: all ``order`` routes together may make 12 requests per
second and 720 per minute; every other resource together 3 per second and 180
per minute (cumulative: a stock update, an AWB and a price update count
together); invalid requests count too. The EAN search (2.10) has its own quota
of 5/s, 200/min and 5,000/day.

A budget hands out *slots*: the caller reserves the next free instant at which
one more call keeps every window within its limit, then sleeps until then. The
sliding-window rule is stricter than eMAG's fixed windows, so a schedule that
satisfies it never trips eMAG's limiter. Reserving is quick and holds no lock
while the caller waits, so several workers share one budget fairly.

``MemoryRateBudget`` shares the budget between the threads of one process. The
Odoo addon provides a budget kept in PostgreSQL, so that every worker process
of every Odoo server draws on the same one.
"""

import threading
import time

ORDERS = "orders"
OTHER = "other"
EAN_SEARCH = "ean_search"

#: group -> ((max calls, window in seconds), ...)
LIMITS = {
    ORDERS: ((12, 1.0), (720, 60.0)),
    OTHER: ((3, 1.0), (180, 60.0)),
    EAN_SEARCH: ((5, 1.0), (200, 60.0), (5000, 86400.0)),
}


def route_group(route):
    """The budget a route draws on: ``"order/read"`` -> ``ORDERS``.

    ``order/attachments/save`` is documented as its own resource; it draws on
    the stricter budget of the other resources, which is safe either way.
    """
    if route.startswith("documentation/find_by_eans"):
        return EAN_SEARCH
    if route.split("/", 1)[0] == "order" and not route.startswith("order/attachments"):
        return ORDERS
    return OTHER


def history_size(limits):
    return max(count for count, _period in limits)


def next_slot(history, now, limits):
    """The earliest instant >= ``now`` at which one more call respects ``limits``.

    ``history`` holds the instants of the previous calls (and reservations), in
    ascending order. A call at ``t`` is allowed when fewer than ``count`` calls
    fall in ``(t - period, t]``, i.e. when ``t >= history[-count] + period``.
    """
    slot = max(now, history[-1]) if history else now
    for count, period in limits:
        if len(history) >= count:
            slot = max(slot, history[-count] + period)
    return slot


def window_violations(instants, limits):
    """Pairs (limit, window start) where ``instants`` break ``limits``; [] if none.

    Used by tests and benchmarks to check a schedule of calls after the fact.
    """
    instants = sorted(instants)
    found = []
    for count, period in limits:
        for i in range(len(instants) - count):
            if instants[i + count] - instants[i] < period - 1e-9:
                found.append(((count, period), instants[i]))
                break
    return found


class RateBudget:
    """Interface of a rate budget shared by the calls of one eMAG account."""

    limits = LIMITS

    def reserve(self, key, group):
        """Reserve the next slot of ``group`` for account ``key``.

        Return the number of seconds the caller must wait before calling.
        """
        raise NotImplementedError


class NoRateBudget(RateBudget):
    """No pacing at all (eMAG's 429 answers still apply)."""

    def reserve(self, key, group):
        return 0.0


class MemoryRateBudget(RateBudget):
    """A budget shared by the threads of one process."""

    def __init__(self, clock=time.time, limits=None):
        self.clock = clock
        self.limits = limits or LIMITS
        self._lock = threading.Lock()
        self._history = {}

    def reserve(self, key, group):
        limits = self.limits[group]
        with self._lock:
            now = self.clock()
            history = self._history.setdefault((key, group), [])
            slot = next_slot(history, now, limits)
            history.append(slot)
            del history[: -history_size(limits)]
            return slot - now
