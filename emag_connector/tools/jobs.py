from contextlib import contextmanager

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
