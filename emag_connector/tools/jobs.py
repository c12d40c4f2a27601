from contextlib import contextmanager

from odoo.sql_db import db_connect

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api import EmagError

#: seconds before retrying a job after an eMAG error that did not say when
DEFAULT_RETRY_SECONDS = 60


@contextmanager
def emag_retryable():
    """Turn eMAG's passing failures (429, 5xx, network) into job retries.

    queue_job postpones a job that raises ``RetryableJobError`` instead of
    failing it; every other error still fails the job with its message.
    """
    try:
        yield
    except EmagError as exc:
        if not exc.retryable:
            raise
        seconds = getattr(exc, "retry_after", None) or DEFAULT_RETRY_SECONDS
        raise RetryableJobError(str(exc), seconds=max(1, round(seconds))) from exc


#: advisory lock class (first key) of the lock a running job holds; the second
#: key is the queue_job row id
JOB_ALIVE_LOCK = 0x454D4147  # "EMAG"


@contextmanager
def job_alive(dbname, job_id):
    """Hold a lock for as long as a job runs, on a connection of its own.

    PostgreSQL releases it when the transaction ends, or when the worker's
    connection goes away with a worker that was killed (out of memory, a
    restart during a deploy). A job left "started" whose lock is free was
    abandoned: ``queue.job._emag_requeue_dead_jobs`` requeues it.
    """
    with db_connect(dbname).cursor() as cr:
        cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [JOB_ALIVE_LOCK, job_id])
        yield
