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

from ..emag_api.ratelimit import LIMITS, RateBudget, history_size, next_slot


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
        # A connection of its own: commits at once, whatever the caller's
        # transaction does afterwards.
        with db_connect(self.dbname).cursor() as cr:
            # the row lock serializes the workers; READ COMMITTED lets the one
            # that waited read the slots its predecessor committed
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            return self.reserve_in(cr, key, group)

    def reserve_in(self, cr, key, group):
        """Reserve a slot in the transaction of ``cr``; the row stays locked
        until that transaction ends."""
        limits = self.limits[group]
        cr.execute(
            "INSERT INTO emag_rate_budget (budget_key, route_group) "
            "VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [key, group],
        )
        cr.execute(
            "SELECT slots FROM emag_rate_budget "
            "WHERE budget_key = %s AND route_group = %s FOR NO KEY UPDATE",
            [key, group],
        )
        history = cr.fetchone()[0]
        # read the clock once the lock is ours
        cr.execute("SELECT extract(epoch FROM clock_timestamp())::float8")
        now = cr.fetchone()[0]
        slot = next_slot(history, now, limits)
        history = (history + [slot])[-history_size(limits) :]
        cr.execute(
            "UPDATE emag_rate_budget SET slots = %s "
            "WHERE budget_key = %s AND route_group = %s",
            [history, key, group],
        )
        return slot, now
