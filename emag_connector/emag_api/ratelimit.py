"""Rate budgets: how many calls one eMAG account may make, and when.

eMAG API v4.4.9, 1.5: all ``order`` routes together may make 12 requests per
second and 720 per minute; every other resource together 3 per second and 180
per minute (cumulative: a stock update, an AWB and a price update count
together); invalid requests count too. The EAN search (2.10) has its own quota
of 5/s, 200/min and 5,000/day.

A budget hands out *slots*: the caller reserves the next free instant at which
one more call keeps every window within its limit, then sleeps until then. The
sliding-window rule is stricter than eMAG's fixed windows, so a schedule that
satisfies it never trips eMAG's limiter; each window is also taken ``GUARD``
seconds longer, because a call reaches eMAG a little after its slot. Reserving
is quick and holds no lock while the caller waits, so several workers share
one budget fairly.

When eMAG answers 429 anyway (it lowers its limits on campaign days), the
caller reports it with ``slow_down``: every worker drawing on the budget then
waits for eMAG's Retry-After, and the budget runs at half its pace, halved
again at each new 429 and doubled back every ``RECOVERY`` seconds without one.

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


#: seconds added to every window: eMAG counts a call when it arrives (in fixed
#: windows of its own clock), a little after its slot; a caller that wakes up
#: later than this after its slot takes a new one (see the client)
GUARD = 0.02
#: seconds without a 429 after which a slowed-down budget doubles its pace
RECOVERY = 60.0
#: the slowest pace a budget falls to: 1/64 of eMAG's documented limits
MIN_PACE = 1 / 64


def history_size(limits):
    return max(count for count, _period in limits)


def pace(slowdown, now):
    """The share of the documented limits usable at ``now``: 1.0, or less
    after eMAG's 429s. ``slowdown`` is (pace, since) as ``slowed_down`` made
    it, or None."""
    if not slowdown or slowdown[0] >= 1.0:
        return 1.0
    factor, since = slowdown
    doublings = max(now - since, 0.0) / RECOVERY
    return 1.0 if doublings > 10 else min(1.0, factor * 2**doublings)


def slowed_down(slowdown, now):
    """The (pace, since) after a 429 at ``now``: half the pace of that moment."""
    return max(MIN_PACE, pace(slowdown, now) / 2), now


def next_slot(history, now, limits, factor=1.0, not_before=0.0):
    """The earliest instant >= ``now`` at which one more call respects ``limits``.

    ``history`` holds the instants of the previous calls (and reservations), in
    ascending order. A call at ``t`` is allowed when fewer than ``count`` calls
    fall in ``(t - period - GUARD, t]``. Slowed down to ``factor`` (< 1), every
    period is ``1 / factor`` longer and calls are evenly spaced; nothing goes
    before ``not_before`` (eMAG's Retry-After).
    """
    slot = max(now, not_before, history[-1] if history else now)
    for count, period in limits:
        if len(history) >= count:
            slot = max(slot, history[-count] + period / factor + GUARD)
    if factor < 1.0 and history:
        gap = min(period / count for count, period in limits) / factor
        slot = max(slot, history[-1] + gap)
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

    def slow_down(self, key, group, retry_after):
        """eMAG answered 429 on ``group``: slow down every caller of the budget.

        Return the seconds the caller itself must still wait before calling
        again (0 when its next reservation carries the wait).
        """
        raise NotImplementedError


class NoRateBudget(RateBudget):
    """No pacing at all: the caller waits for eMAG's Retry-After by itself."""

    def reserve(self, key, group):
        return 0.0

    def slow_down(self, key, group, retry_after):
        return retry_after


class MemoryRateBudget(RateBudget):
    """A budget shared by the threads of one process."""

    def __init__(self, clock=time.time, limits=None):
        self.clock = clock
        self.limits = limits or LIMITS
        self._lock = threading.Lock()
        self._history = {}
        self._slowdown = {}  # (key, group) -> (pace, since, not_before)

    def reserve(self, key, group):
        limits = self.limits[group]
        with self._lock:
            now = self.clock()
            history = self._history.setdefault((key, group), [])
            factor, since, not_before = self._slowdown.get((key, group), (1, 0, 0))
            slot = next_slot(
                history, now, limits, pace((factor, since), now), not_before
            )
            history.append(slot)
            del history[: -history_size(limits)]
            return slot - now

    def slow_down(self, key, group, retry_after):
        with self._lock:
            now = self.clock()
            factor, since, _ = self._slowdown.get((key, group), (1, 0, 0))
            self._slowdown[key, group] = (
                *slowed_down((factor, since), now),
                now + retry_after,
            )
        return 0.0
