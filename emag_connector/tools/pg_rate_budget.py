"""The eMAG rate budget shared through PostgreSQL.

Every Odoo worker process (HTTP workers, cron workers, queue_job runners, on
one server or several) reserves its eMAG call slots in one table row per eMAG
account and route group. The row is locked for the few milliseconds of the
reservation, in a transaction of its own, so the caller's transaction is never
involved and nothing is held while the caller waits for its slot. The database
clock is the single clock of every worker.
"""

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo.sql_db import db_connect

from ..emag_api.ratelimit import (
    LIMITS,
    RateBudget,
    history_size,
    next_slot,
    pace,
    slowed_down,
)


def create_table(cr):
    cr.execute(
        """
        CREATE TABLE IF NOT EXISTS emag_rate_budget (
            budget_key varchar NOT NULL,
            route_group varchar NOT NULL,
            slots double precision[] NOT NULL DEFAULT '{}',
            PRIMARY KEY (budget_key, route_group)
        )
        """
    )
    # eMAG's last 429: the pace it left, since when, and its Retry-After
    cr.execute(
        """
        ALTER TABLE emag_rate_budget
            ADD COLUMN IF NOT EXISTS pace double precision NOT NULL DEFAULT 1,
            ADD COLUMN IF NOT EXISTS slowed_at double precision NOT NULL DEFAULT 0,
            ADD COLUMN IF NOT EXISTS not_before double precision NOT NULL DEFAULT 0
        """
    )


class PgRateBudget(RateBudget):
    """A ``RateBudget`` whose reservations live in the database ``dbname``."""

    def __init__(self, dbname, limits=None):
        self.dbname = dbname
        self.limits = limits or LIMITS

    def reserve(self, key, group):
        slot, now = self.reserve_slot(key, group)
        return slot - now

    def reserve_slot(self, key, group):
        """Reserve a slot; return (slot, now) in seconds of the database clock."""
        with self._cursor() as cr:
            return self.reserve_in(cr, key, group)

    def slow_down(self, key, group, retry_after):
        with self._cursor() as cr:
            factor, since, _not_before, _history, now = self._locked_row(cr, key, group)
            factor, since = slowed_down((factor, since), now)
            cr.execute(
                "UPDATE emag_rate_budget SET pace = %s, slowed_at = %s, "
                "not_before = %s WHERE budget_key = %s AND route_group = %s",
                [factor, since, now + retry_after, key, group],
            )
        return 0.0

    def _cursor(self):
        # A connection of its own: commits at once, whatever the caller's
        # transaction does afterwards; the row lock serializes the workers,
        # READ COMMITTED lets the one that waited read what its predecessor
        # committed.
        cr = db_connect(self.dbname).cursor()
        cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        return cr

    def _locked_row(self, cr, key, group):
        cr.execute(
            "INSERT INTO emag_rate_budget (budget_key, route_group) "
            "VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [key, group],
        )
        cr.execute(
            "SELECT pace, slowed_at, not_before, slots FROM emag_rate_budget "
            "WHERE budget_key = %s AND route_group = %s FOR NO KEY UPDATE",
            [key, group],
        )
        row = cr.fetchone()
        # read the clock once the lock is ours
        cr.execute("SELECT extract(epoch FROM clock_timestamp())::float8")
        return (*row, cr.fetchone()[0])

    def reserve_in(self, cr, key, group):
        """Reserve a slot in the transaction of ``cr``; the row stays locked
        until that transaction ends."""
        limits = self.limits[group]
        factor, since, not_before, history, now = self._locked_row(cr, key, group)
        slot = next_slot(history, now, limits, pace((factor, since), now), not_before)
        history = (history + [slot])[-history_size(limits) :]
        cr.execute(
            "UPDATE emag_rate_budget SET slots = %s "
            "WHERE budget_key = %s AND route_group = %s",
            [history, key, group],
        )
        return slot, now
