"""Rate budgets on a fake clock: nothing here sleeps."""

import threading

import pytest

from emag_connector.emag_api import ratelimit
from emag_connector.emag_api.ratelimit import (
    EAN_SEARCH,
    LIMITS,
    ORDERS,
    OTHER,
    MemoryRateBudget,
    next_slot,
    route_group,
    window_violations,
)
from emag_connector.emag_api.sandbox import FakeClock


def reserve_many(budget, clock, count, group=OTHER, key="acct"):
    """Reserve ``count`` slots, 'sleeping' on the fake clock; return call instants."""
    instants = []
    for _ in range(count):
        clock.sleep(budget.reserve(key, group))
        instants.append(clock.time())
    return instants


@pytest.mark.parametrize(
    "route,group",
    [
        ("order/read", ORDERS),
        ("order/save", ORDERS),
        ("order/count", ORDERS),
        ("order/acknowledge/123", ORDERS),
        ("order/attachments/save", OTHER),
        ("product_offer/save", OTHER),
        ("offer/save", OTHER),
        ("offer_stock/17", OTHER),
        ("awb/save", OTHER),
        ("rma/read", OTHER),
        ("documentation/find_by_eans", EAN_SEARCH),
    ],
)
def test_route_groups(route, group):
    assert route_group(route) == group


def test_other_routes_three_per_second():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    start = clock.time()
    instants = [t - start for t in reserve_many(budget, clock, 10)]
    assert instants == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3]


def test_orders_twelve_per_second():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    start = clock.time()
    instants = [t - start for t in reserve_many(budget, clock, 25, group=ORDERS)]
    assert instants == [0] * 12 + [1] * 12 + [2]


def test_minute_limit_of_other_routes():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    start = clock.time()
    instants = reserve_many(budget, clock, 181)
    # 180 calls fit in the first minute (3 a second); the 181st waits for it
    assert instants[179] - start == 59
    assert instants[180] - start == 60
    assert window_violations(instants, LIMITS[OTHER]) == []


def test_minute_limit_binds_after_a_burst_of_idle_time():
    """Spread calls use the minute budget: 180 in 60 s, then wait for the window."""
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time, limits={OTHER: ((3, 1.0), (6, 60.0))})
    start = clock.time()
    instants = [t - start for t in reserve_many(budget, clock, 8)]
    assert instants == [0, 0, 0, 1, 1, 1, 60, 60]


def test_groups_and_accounts_are_independent():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    for _ in range(3):
        assert budget.reserve("a", OTHER) == 0
    assert budget.reserve("a", ORDERS) == 0
    assert budget.reserve("b", OTHER) == 0
    assert budget.reserve("a", OTHER) == 1


def test_ean_search_daily_cap():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    start = clock.time()
    instants = reserve_many(budget, clock, 5001, group=EAN_SEARCH)
    assert window_violations(instants, LIMITS[EAN_SEARCH]) == []
    assert instants[5000] - start >= 86400


def test_threads_share_one_budget():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    slots, lock = [], threading.Lock()

    def worker():
        for _ in range(20):
            wait = budget.reserve("acct", OTHER)
            with lock:
                slots.append(clock.time() + wait)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(slots) == 80
    assert window_violations(slots, LIMITS[OTHER]) == []
    # and the budget is used, not wasted: 80 calls at 3/s end at 26 s
    assert max(slots) - clock.time() == 26


def test_window_violations_detects_a_fourth_call_in_a_second():
    assert window_violations([0, 0.2, 0.4, 0.9], LIMITS[OTHER]) == [((3, 1.0), 0)]
    assert window_violations([0, 0.2, 0.4, 1.0], LIMITS[OTHER]) == []


def test_next_slot_is_never_before_a_reserved_future_slot():
    assert next_slot([10.0], 5.0, LIMITS[OTHER]) == 10.0
    assert ratelimit.history_size(LIMITS[EAN_SEARCH]) == 5000
