"""How orders come in without waste or loss: the sweep of orders still new,
the acknowledgement without reads, a callback that gives way to a newer read,
and the jobs of a worker that died."""

from datetime import timedelta

from odoo import fields
from odoo.sql_db import db_connect

from odoo.addons.queue_job.tests.common import trap_jobs

from ..tools.jobs import JOB_ALIVE_LOCK
from .test_emag_order import EmagOrderCase


class TestOrderIntake(EmagOrderCase):
    def _old_order(self):
        """An order eMAG still has as new, modified long before the cursor:
        its callback and the pull that would have read it are gone."""
        seeded = self._seed(modified="2026-01-05 10:00:00", date="2026-01-05 10:00:00")
        self.account.orders_cursor = fields.Datetime.now()
        return seeded

    def test_an_order_still_new_on_emag_arrives_whatever_the_cursor(self):
        seeded = self._old_order()
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "done")
        self.assertTrue(binding.sale_order_id)
        self.assertEqual(self.sandbox.acknowledgements[seeded["id"]], 1)

    def test_an_imported_order_whose_acknowledgement_was_lost_is_acknowledged(self):
        seeded = self._old_order()
        with trap_jobs() as trap:
            self.env["emag.order"]._job_pull_orders(self.account)
            trap.enqueued_jobs[0].perform()  # the import; its acknowledgement is lost
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "done")
        self.assertFalse(binding.acknowledged)
        self._pull()
        self.assertTrue(binding.acknowledged)
        self.assertEqual(self.sandbox.acknowledgements[seeded["id"]], 1)

    def test_an_order_in_exception_waits_for_the_seller(self):
        seeded = self._old_order()
        self.sandbox.orders[seeded["id"]]["products"][0]["product_id"] = 999
        self.sandbox.orders[seeded["id"]]["products"][0]["ext_part_number"] = "NOPE"
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "exception")
        with trap_jobs() as trap:
            self.env["emag.order"]._job_pull_orders(self.account)
            self.assertEqual(trap.enqueued_jobs, [])

    def test_the_acknowledgement_reads_nothing(self):
        seeded = self._seed()
        with trap_jobs() as trap:
            self.env["emag.order"]._emag_enqueue_import(
                self.account, order_id=seeded["id"]
            )
            self._run_jobs(trap)
        binding = self._binding(seeded["id"])
        # one read by the import, none by the acknowledgement
        self.assertEqual(self.sandbox.call_count("order/read"), 1)
        self.assertEqual(self.sandbox.call_count("order/acknowledge"), 1)
        self.assertTrue(binding.acknowledged)
        self.assertEqual(binding.emag_status, "2")
        # eMAG's advice, re-read after acknowledging, is the next pull's page
        self.sandbox.orders[seeded["id"]]["products"][0]["quantity"] = 2
        self.sandbox.update_order(seeded["id"])
        self._pull()
        self.assertEqual(binding.sale_order_id.order_line[0].product_uom_qty, 2)

    def test_an_order_cancelled_before_its_acknowledgement_is_read_and_cancelled(self):
        seeded = self._seed()
        with trap_jobs() as trap:
            self.env["emag.order"]._emag_enqueue_import(
                self.account, order_id=seeded["id"]
            )
            trap.enqueued_jobs[0].perform()  # the import only
            self.sandbox.update_order(seeded["id"], status=0, reason_cancellation=2)
            binding = self._binding(seeded["id"])
            self.assertFalse(binding._job_acknowledge())
        self.assertFalse(binding.acknowledged)
        self.assertEqual(binding.emag_status, "0")
        self.assertEqual(binding.sale_order_id.state, "cancel")

    def test_a_callback_gives_way_to_a_read_made_after_it(self):
        seeded = self._seed()
        job = (
            self.env["emag.order"]
            .with_delay()
            ._job_import(self.account, seeded["id"])
            .db_record()
        )
        # another import read the order after this callback's job was made
        self._pull()
        binding = self._binding(seeded["id"])
        reads = self.sandbox.call_count("order/read")
        self.env.cr.execute(
            "UPDATE queue_job SET date_created = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(minutes=1), job.id],
        )
        binding.emag_read_at = fields.Datetime.now()
        orders = self.env["emag.order"].with_context(job_uuid=job.uuid)
        self.assertEqual(orders._job_import(self.account, seeded["id"]), "coalesced")
        self.assertEqual(self.sandbox.call_count("order/read"), reads)
        # a read older than the callback is no excuse: the job reads
        binding.emag_read_at = fields.Datetime.now() - timedelta(minutes=2)
        self.assertNotEqual(orders._job_import(self.account, seeded["id"]), "coalesced")
        self.assertEqual(self.sandbox.call_count("order/read"), reads + 1)


class TestDeadJobs(EmagOrderCase):
    def _started_job(self, minutes_ago):
        job = (
            self.env["emag.order"]
            .with_delay()
            ._job_import(self.account, 12345)
            .db_record()
        )
        job.write(
            {
                "state": "started",
                "date_started": fields.Datetime.now() - timedelta(minutes=minutes_ago),
            }
        )
        return job

    def test_a_job_left_started_by_a_dead_worker_is_requeued(self):
        dead = self._started_job(10)
        just_started = self._started_job(0)
        running = self._started_job(10)
        # a live worker holds its job's lock on a connection of its own
        worker = db_connect(self.env.cr.dbname).cursor()
        try:
            worker.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [JOB_ALIVE_LOCK, running.id]
            )
            requeued = self.env["queue.job"]._emag_requeue_dead_jobs()
        finally:
            worker.rollback()
            worker.close()
        self.assertEqual(requeued, dead)
        self.assertEqual(dead.state, "pending")
        self.assertEqual(just_started.state, "started")
        self.assertEqual(running.state, "started")
