import threading
import time
import uuid

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo.sql_db import db_connect
from odoo.tests.common import TransactionCase

from ..emag_api.ratelimit import LIMITS, ORDERS, OTHER, window_violations
from ..tools.pg_rate_budget import PgRateBudget


class TestPgRateBudget(TransactionCase):
    """The budget shared through PostgreSQL, drawn on by several connections.

    Reservations are made, never waited for: nothing here sleeps for a slot.
    """

    def setUp(self):
        super().setUp()
        self.budget = PgRateBudget(self.env.cr.dbname)
        self.key = f"test|{uuid.uuid4()}"

    def slots_of(self, group):
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                "SELECT slots FROM emag_rate_budget "
                "WHERE budget_key = %s AND route_group = %s",
                [self.key, group],
            )
            return cr.fetchone()[0]

    def test_two_workers_together_stay_within_the_budget(self):
        def worker():
            for _ in range(15):
                self.budget.reserve_slot(self.key, OTHER)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        slots = self.slots_of(OTHER)
        self.assertEqual(len(slots), 30)
        self.assertEqual(window_violations(slots, LIMITS[OTHER]), [])
        # and the budget is used, not wasted: 30 calls at 3 a second take 9 s
        self.assertGreaterEqual(max(slots) - min(slots), 9)
        self.assertLess(max(slots) - min(slots), 10)

    def test_a_second_cursor_waits_for_the_first_one_to_commit(self):
        dbname = self.env.cr.dbname
        first = db_connect(dbname).cursor()
        first.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        try:
            early = [
                self.budget.reserve_in(first, self.key, OTHER)[0] for _ in range(3)
            ]
            second_slot = []
            thread = threading.Thread(
                target=lambda: second_slot.append(
                    self.budget.reserve_slot(self.key, OTHER)[0]
                )
            )
            thread.start()
            self.assertTrue(self._wait_until_blocked(dbname), "no lock wait seen")
            self.assertEqual(second_slot, [], "the second cursor did not wait")
            first.commit()
        finally:
            first.close()
        thread.join()
        # the 4th call of the account waits for the first second to pass
        self.assertGreaterEqual(second_slot[0], early[0] + 1)
        self.assertEqual(window_violations(early + second_slot, LIMITS[OTHER]), [])

    def test_orders_and_other_routes_have_separate_budgets(self):
        for _ in range(12):
            self.budget.reserve_slot(self.key, ORDERS)
        slot, now = self.budget.reserve_slot(self.key, OTHER)
        self.assertLess(slot - now, 0.5)
        slot, now = self.budget.reserve_slot(self.key, ORDERS)
        self.assertGreater(slot - now, 0.5)

    def test_a_rolled_back_caller_transaction_keeps_its_reservation(self):
        # the call was made even if the caller's transaction fails afterwards
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self.budget.reserve_slot(self.key, OTHER)
            self.env["emag.account"].search([], limit=1)
            _ = 1 / 0
        self.assertEqual(len(self.slots_of(OTHER)), 1)

    def test_a_429_met_by_one_worker_slows_every_worker_down(self):
        other_worker = PgRateBudget(self.env.cr.dbname)
        self.budget.reserve_slot(self.key, OTHER)
        self.assertEqual(self.budget.slow_down(self.key, OTHER, retry_after=6), 0.0)
        first, now = other_worker.reserve_slot(self.key, OTHER)
        second, _now = other_worker.reserve_slot(self.key, OTHER)
        # nobody calls before eMAG's Retry-After, then at about half the pace
        self.assertGreaterEqual(first - now, 5.9)
        self.assertGreater(second - first, 0.6)
        # the orders' budget is not slowed down by a 429 on other routes
        slot, now = other_worker.reserve_slot(self.key, ORDERS)
        self.assertLess(slot - now, 0.5)

    def _wait_until_blocked(self, dbname, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with db_connect(dbname).cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = %s AND wait_event_type = 'Lock'",
                    [dbname],
                )
                if cr.fetchone()[0]:
                    return True
            time.sleep(0.02)
        return False
