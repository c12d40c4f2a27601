from odoo.addons.queue_job.controllers.main import RunJobController

from ..tools.jobs import job_alive


class EmagRunJobController(RunJobController):
    """queue_job's job runner, with a lock held while each job runs, so that a
    job whose worker died is told from one still running (see
    ``queue.job._emag_requeue_dead_jobs``)."""

    def _try_perform_job(self, env, job):
        with job_alive(env.cr.dbname, job.db_record().id):
            return super()._try_perform_job(env, job)
