from psycopg2.errors import LockNotAvailable, UniqueViolation

from odoo.tools import SQL


def locked_binding(model, domain, values, busy):
    """The record of ``domain``, created from ``values`` when there is none,
    then locked for the rest of the transaction: exactly once per eMAG id.

    A unique constraint settles a race between two workers creating it, and
    the row lock one between two importing it: the loser raises ``busy()``
    (a RetryableJobError) and its job runs again later, with no "bad query"
    in the log. No savepoint: the whole job is retried in a new transaction,
    which sees what the winner committed.
    """
    binding = model.search(domain)
    if not binding:
        try:
            binding = model.create(values)
        except UniqueViolation:
            raise busy() from None
    try:
        model.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                SQL.identifier(model._table),
                binding.id,
            ),
            log_exceptions=False,
        )
    except LockNotAvailable as exc:
        raise busy() from exc
    binding.invalidate_recordset()
    return binding
