"""Rate budgets on a fake clock: nothing here sleeps."""

import itertools
import threading

import pytest

from emag_connector.emag_api import ratelimit
from emag_connector.emag_api.ratelimit import (
    EAN_SEARCH,
    GUARD,
    LIMITS,
    ORDERS,
    OTHER,
    MemoryRateBudget,
    next_slot,
    route_group,
    window_violations,
)
from emag_connector.emag_api.sandbox import FakeClock


def approx(seconds, guard):
    """Instants ``seconds`` of a schedule whose windows are ``guard`` longer:
    the call at n whole seconds goes out at n * (1 + guard)."""
    return pytest.approx([n * (1 + guard) for n in seconds])


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
    assert instants == approx([0, 0, 0, 1, 1, 1, 2, 2, 2, 3], GUARD)


def test_orders_twelve_per_second():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    start = clock.time()
    instants = [t - start for t in reserve_many(budget, clock, 25, group=ORDERS)]
    assert instants == approx([0] * 12 + [1] * 12 + [2], GUARD)


def test_minute_limit_of_other_routes():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    start = clock.time()
    instants = reserve_many(budget, clock, 181)
    # 180 calls fit in the first minute (3 a second); the 181st waits for it
    # 180 calls at 3 a second fill the first minute; none breaks it
    assert instants[179] - start == pytest.approx(59 * (1 + GUARD))
    assert instants[180] - start == pytest.approx(60 * (1 + GUARD))
    assert window_violations(instants, LIMITS[OTHER]) == []


def test_minute_limit_binds_after_a_burst_of_idle_time():
    """Spread calls use the minute budget: 180 in 60 s, then wait for the window."""
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time, limits={OTHER: ((3, 1.0), (6, 60.0))})
    start = clock.time()
    instants = [t - start for t in reserve_many(budget, clock, 8)]
    guarded = [0, 0, 0, 1 + GUARD, 1 + GUARD, 1 + GUARD, 60 + GUARD, 60 + GUARD]
    assert instants == pytest.approx(guarded)


def test_groups_and_accounts_are_independent():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    for _ in range(3):
        assert budget.reserve("a", OTHER) == 0
    assert budget.reserve("a", ORDERS) == 0
    assert budget.reserve("b", OTHER) == 0
    assert budget.reserve("a", OTHER) == pytest.approx(1 + GUARD)


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
    assert max(slots) - clock.time() == pytest.approx(26 * (1 + GUARD))


def test_window_violations_detects_a_fourth_call_in_a_second():
    assert window_violations([0, 0.2, 0.4, 0.9], LIMITS[OTHER]) == [((3, 1.0), 0)]
    assert window_violations([0, 0.2, 0.4, 1.0], LIMITS[OTHER]) == []


def test_next_slot_is_never_before_a_reserved_future_slot():
    assert next_slot([10.0], 5.0, LIMITS[OTHER]) == 10.0
    assert ratelimit.history_size(LIMITS[EAN_SEARCH]) == 5000


def test_a_schedule_with_late_arrivals_stays_within_fixed_windows():
    """eMAG counts calls in fixed windows when they arrive, a little after
    their slot: with every arrival up to the guard late, no window of eMAG's
    receives one call too many."""
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    slots = reserve_many(budget, clock, 400, group=ORDERS)
    lateness = [GUARD * 0.99 * ((i * 7) % 10) / 10 for i in range(len(slots))]
    arrivals = [slot + late for slot, late in zip(slots, lateness, strict=True)]
    for count, period in LIMITS[ORDERS]:
        windows = {}
        for arrival in arrivals:
            window = int(arrival // period)
            windows[window] = windows.get(window, 0) + 1
        assert max(windows.values()) <= count
    # and the budget is used: 400 calls at 12 a second, less the guard
    assert len(slots) / (slots[-1] - slots[0]) > 0.95 * 12


def test_a_429_slows_every_caller_down_until_emag_accepts_again():
    clock = FakeClock()
    budget = MemoryRateBudget(clock=clock.time)
    reserve_many(budget, clock, 3)
    assert budget.slow_down("acct", OTHER, retry_after=6.0) == 0.0
    start = clock.time()
    # nobody calls before eMAG's Retry-After, then at half the pace, evenly
    instants = [t - start for t in reserve_many(budget, clock, 4)]
    assert instants[0] == pytest.approx(6.0)
    gaps = [b - a for a, b in itertools.pairwise(instants)]
    # (a little less than 2/3 s apart: the pace already recovers)
    assert all(0.6 < gap <= 2 / 3 for gap in gaps), gaps
    # another 429 halves it again; other groups and accounts are untouched
    budget.slow_down("acct", OTHER, retry_after=0)
    before = clock.time()
    reserve_many(budget, clock, 2)
    assert clock.time() - before > 1.2  # where 2 calls took 2/3 s before
    assert budget.reserve("acct", ORDERS) == 0
    assert budget.reserve("other", OTHER) == 0
    # the pace doubles back every RECOVERY seconds without a 429
    clock.sleep(2 * ratelimit.RECOVERY)
    assert ratelimit.pace(budget._slowdown["acct", OTHER][:2], clock.time()) == 1.0
    assert [budget.reserve("acct", OTHER) for _ in range(3)] == [0, 0, 0]


def test_the_pace_never_falls_below_its_floor():
    slowdown = None
    for _ in range(20):
        slowdown = ratelimit.slowed_down(slowdown, 100.0)
    assert ratelimit.pace(slowdown, 100.0) == ratelimit.MIN_PACE
