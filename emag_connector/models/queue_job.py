import logging
from datetime import timedelta

from odoo import api, fields, models

from ..tools.jobs import JOB_ALIVE_LOCK

_logger = logging.getLogger(__name__)

#: a started job is looked at once it has run this long (a running job holds
#: its lock from before it is marked started: this only spares the jobs
#: started before the connector was installed or upgraded)
DEAD_JOB_AFTER = timedelta(minutes=1)


class QueueJob(models.Model):
    _inherit = "queue.job"

    @api.model
    def _emag_requeue_dead_jobs(self):
        """Requeue the eMAG jobs left "started" by a worker that died.

        A running job holds a lock (``tools.jobs.job_alive``) that PostgreSQL
        releases when its worker's connection goes away: a started job whose
        lock can be taken here has nobody running it. Jobs are idempotent, so
        running one again is safe. queue_job itself requeues only jobs stuck
        in "enqueued".
        """
        limit = fields.Datetime.now() - DEAD_JOB_AFTER
        self.flush_model(["state", "date_started", "channel"])
        self.env.cr.execute(
            """
            SELECT id FROM queue_job
             WHERE state = 'started' AND date_started < %s
               AND (channel = 'root.emag' OR channel LIKE 'root.emag.%%')
             ORDER BY id
            """,
            [limit],
        )
        dead = []
        for (job_id,) in self.env.cr.fetchall():
            # taken here, released when this transaction ends
            self.env.cr.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", [JOB_ALIVE_LOCK, job_id]
            )
            if self.env.cr.fetchone()[0]:
                dead.append(job_id)
        jobs = self.browse(dead)
        for job in jobs:
            _logger.info(
                "eMAG job %s (%s) was left started by a worker that stopped: requeued",
                job.id,
                job.name,
            )
        jobs.requeue()
        return jobs
