from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from ..emag_api import EmagError
from .test_emag_order import EmagOrderCase


@tagged("post_install", "-at_install")
class TestOverview(EmagOrderCase):
    """eMAG > Overview: a card per account counting what needs the seller,
    each count opening the records behind it."""

    def _backdate(self, records, field, **delta):
        """Move ``field`` of ``records`` into the past (create_date and
        write_date cannot be written through the ORM)."""
        when = fields.Datetime.now() - timedelta(**delta)
        self.env.flush_all()
        self.env.cr.execute(
            f'UPDATE "{records._table}" SET "{field}" = %s WHERE id IN %s',
            [when, tuple(records.ids)],
        )
        records.invalidate_recordset([field])

    def _opened(self, item):
        """The records ``action_open_health`` opens for one item."""
        action = self.account.with_context(health_item=item).action_open_health()
        return self.env[action["res_model"]].search(action["domain"])

    def _health(self):
        self.account.invalidate_recordset()
        return {
            item: self.account[item]
            for item, _model, _label in self.account._health_items()
            if self.account[item]
        }

    def test_an_account_with_nothing_to_do_shows_nothing(self):
        self._seed()
        self._pull()
        self.assertEqual(self._health(), {})
        self.assertEqual(self.account.health_total, 0)

    def test_an_order_in_exception_is_counted_and_opened_for_retry(self):
        seeded = self._seed(products=[self._line(999, "10")])  # unknown offer
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "exception")
        self.assertEqual(self._health()["health_orders_exception"], 1)
        self.assertEqual(self._opened("health_orders_exception"), binding)
        with trap_jobs() as trap:
            binding.action_retry()
            trap.assert_jobs_count(1, only=binding._job_import)

    def test_an_order_not_acknowledged_after_the_alert_delay(self):
        seeded = self._seed()
        with trap_jobs():  # the acknowledgement job never runs
            self.env["emag.order"]._emag_import(
                self.account, self.sandbox.orders[seeded["id"]]
            )
        binding = self._binding(seeded["id"])
        self.assertFalse(binding.acknowledged)
        self.assertNotIn("health_orders_unacknowledged", self._health())
        self._backdate(binding, "create_date", minutes=31)
        self.assertEqual(self._health()["health_orders_unacknowledged"], 1)
        self.assertEqual(self._opened("health_orders_unacknowledged"), binding)

    def test_an_order_near_its_shipping_deadline_until_its_delivery_is_done(self):
        soon = fields.Datetime.now() + timedelta(hours=2)
        later = fields.Datetime.now() + timedelta(days=3)
        urgent = self._seed(
            maximum_date_for_shipment=self.account._emag_local(soon).strftime(
                "%Y-%m-%d %H:%M:%S"
            )
        )
        relaxed = self._seed(
            maximum_date_for_shipment=self.account._emag_local(later).strftime(
                "%Y-%m-%d %H:%M:%S"
            )
        )
        self._pull()
        binding = self._binding(urgent["id"])
        self.assertAlmostEqual(
            binding.shipping_deadline,
            soon.replace(microsecond=0),
            delta=timedelta(seconds=1),
        )
        self.assertEqual(self._opened("health_orders_late"), binding)
        self.assertNotIn(
            self._binding(relaxed["id"]), self._opened("health_orders_late")
        )
        picking = binding.sale_order_id.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with trap_jobs():
            picking.with_context(skip_sms=True).button_validate()
        self.assertNotIn("health_orders_late", self._health())

    def test_without_emag_deadline_the_handling_time_gives_one(self):
        self.account.default_handling_time = 2
        seeded = self._seed()
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(
            binding.shipping_deadline, binding.emag_date + timedelta(days=2)
        )

    def test_a_cancellation_after_shipping_is_counted(self):
        seeded = self._seed()
        self._pull()
        binding = self._binding(seeded["id"])
        picking = binding.sale_order_id.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with trap_jobs():
            picking.with_context(skip_sms=True).button_validate()
        self.sandbox.update_order(seeded["id"], status=0, reason_cancellation=2)
        self._pull()
        self.assertEqual(binding.emag_status, "0")
        self.assertEqual(self._opened("health_orders_cancelled"), binding)

    def test_offers_awbs_returns_and_jobs_that_need_someone(self):
        offer = self.env["emag.offer"].search(
            [("account_id", "=", self.account.id), ("emag_offer_id", "=", 101)]
        )
        seeded = self._seed()
        self._pull()
        offer.write({"state": "published", "sync_error": "Offer 101: price too low"})
        binding = self._binding(seeded["id"])
        awb = self.env["emag.awb"].create(
            {
                "order_id": binding.id,
                "picking_id": binding.sale_order_id.picking_ids.id,
                "state": "error",
                "error_message": "Locality unknown",
            }
        )
        rma = self.env["emag.rma"].create(
            {"account_id": self.account.id, "emag_id": 777, "request_status": "2"}
        )
        Job = self.env["queue.job"]
        job = Job.with_context(_job_edit_sentinel=Job.EDIT_SENTINEL).create(
            {
                "uuid": "emag-overview-test",
                "model_name": "emag.order",
                "method_name": "_job_import",
                "records": self.env["emag.order"],
                "args": (),
                "kwargs": {},
                "state": "failed",
                "channel": "root.emag.orders",
            }
        )
        health = self._health()
        self.assertEqual(health["health_offers_refused"], 1)
        self.assertEqual(health["health_awb_errors"], 1)
        self.assertEqual(health["health_returns_to_answer"], 1)
        self.assertEqual(health["health_jobs_failed"], 1)
        self.assertEqual(self._opened("health_offers_refused"), offer)
        self.assertEqual(self._opened("health_awb_errors"), awb)
        self.assertEqual(self._opened("health_returns_to_answer"), rma)
        self.assertEqual(self._opened("health_jobs_failed"), job)
        self.assertEqual(offer.problem, "Offer 101: price too low")
        with trap_jobs() as trap:
            awb.action_retry()
            trap.assert_jobs_count(1, only=awb._job_issue)
        self.assertEqual(awb.state, "pending")

    def test_the_card_hides_what_the_reader_may_not_see(self):
        user = self.env["res.users"].create(
            {
                "name": "eMAG viewer",
                "login": "emag_overview_viewer",
                "groups_id": [
                    (6, 0, [self.env.ref("emag_connector.group_emag_user").id])
                ],
            }
        )
        self.env["emag.offer"].search(
            [("account_id", "=", self.account.id), ("emag_offer_id", "=", 101)]
        ).sync_error = "refused"
        account = self.account.with_user(user)
        self.assertEqual(account.health_offers_refused, 1)
        self.assertEqual(account.health_jobs_failed, 0)  # no right on jobs


@tagged("post_install", "-at_install")
class TestRunsAndDigest(EmagOrderCase):
    def _runs(self, flow):
        return self.env["emag.account.run"].search(
            [("account_id", "=", self.account.id), ("flow", "=", flow)]
        )

    def test_a_pull_records_what_it_read_and_its_calls(self):
        # the call log writes on cursors of its own: in tests, ones that share
        # the test's transaction
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        self._seed()
        self._seed()
        self._pull()
        self._seed()
        self._pull()
        first, second = self._runs("orders").sorted("id")
        self.assertEqual((first.read_count, first.created_count), (2, 2))
        # the overlap reads the first two again: known, so updated
        self.assertEqual(second.read_count, 3)
        self.assertEqual((second.created_count, second.updated_count), (1, 2))
        self.assertEqual(second.calls, 3)  # both order types, and the new ones
        self.assertIn("3 read, 1 new, 2 updated", self.account.run_summary)
        # every call is in the log: the budget of the last hour counts them
        orders_calls = self.env["emag.call.log"].search_count(
            [("account_id", "=", self.account.id), ("route", "=like", "order/%")]
        )
        self.assertTrue(orders_calls)
        self.assertIn(f"orders {orders_calls} calls", self.account.budget_last_hour)
        # the third order changed on eMAG when it was acknowledged: read again;
        # then nothing changed: nothing to import, nothing enqueued
        self._pull()
        with trap_jobs() as trap:
            self.env["emag.order"]._job_pull_orders(self.account)
            self.assertFalse(trap.enqueued_jobs)
        third, fourth = self._runs("orders").sorted("id")[-2:]
        self.assertEqual((third.created_count, third.updated_count), (0, 1))
        self.assertEqual(
            (fourth.read_count, fourth.created_count, fourth.updated_count),
            (3, 0, 0),
        )

    def test_a_failed_pull_is_recorded_with_its_error(self):
        self.account.password = "wrong"
        # the failed run is written on a cursor of its own: in tests, one that
        # shares the test's transaction
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        raised = None
        try:
            self.env["emag.order"]._job_pull_orders(self.account)
        except (UserError, EmagError, RetryableJobError) as exc:
            raised = exc
        self.assertIsInstance(raised, EmagError, "a refused password is no race")
        run = self._runs("orders")
        self.assertEqual(run.failed_count, 1)
        self.assertTrue(run.error)
        self.account.invalidate_recordset()
        self.assertIn("Last success: never", self.account.run_summary)

    def test_the_daily_reread_catches_a_lost_cancellation_callback(self):
        lost = self._seed()
        known = self._seed()
        self._pull()
        self.sandbox.update_order(known["id"], status=0, reason_cancellation=2)
        self._pull()  # the cancellation of "known" arrived
        self.sandbox.update_order(lost["id"], status=0, reason_cancellation=24)
        # its callback is lost, and the pull's cursor has moved past it
        self.account.orders_cursor = fields.Datetime.now() + timedelta(minutes=30)
        with trap_jobs() as trap:
            self.assertEqual(
                self.env["emag.order"]._job_reread_cancellations(self.account), 1
            )
            self.assertEqual(len(trap.enqueued_jobs), 1)
            trap.perform_enqueued_jobs()
        binding = self._binding(lost["id"])
        self.assertEqual(binding.emag_status, "0")
        self.assertEqual(binding.sale_order_id.state, "cancel")
        run = self._runs("cancellations")
        self.assertEqual((run.read_count, run.updated_count), (2, 1))

    def test_the_digest_goes_to_managers_once_and_only_when_needed(self):
        manager = self.env["res.users"].create(
            {
                "name": "eMAG manager",
                "login": "emag_digest_manager",
                "company_ids": [(6, 0, self.env.company.ids)],
                "company_id": self.env.company.id,
                "groups_id": [
                    (6, 0, [self.env.ref("emag_connector.group_emag_manager").id])
                ],
            }
        )
        Account = self.env["emag.account"]
        Account._cron_health_digest()
        self.assertFalse(self.account.activity_ids)
        offer = self.env["emag.offer"].search(
            [("account_id", "=", self.account.id), ("emag_offer_id", "=", 101)]
        )
        offer.sync_error = "refused"
        Account._cron_health_digest()
        Account._cron_health_digest()
        mine = self.account.activity_ids.filtered(lambda a: a.user_id == manager)
        self.assertEqual(len(mine), 1)
        self.assertIn("Offers refused: 1", mine.note)


@tagged("post_install", "-at_install")
class TestFirstSetup(EmagOrderCase):
    def _left(self):
        self.account.invalidate_recordset()
        return [text for done, text in self.account._setup_steps() if not done]

    def test_the_checklist_empties_step_by_step(self):
        self.env["emag.offer"].search([("account_id", "=", self.account.id)]).unlink()
        self.env["ir.config_parameter"].set_param("web.base.url", "http://localhost")
        self.assertEqual(self.account.setup_todo, len(self._left()))
        self.assertIn("Test Connection", self.account.setup_checklist)
        self.account.action_test_connection()
        self.assertFalse([t for t in self._left() if "Test Connection" in t])
        self.account._job_import_reference_data()
        self.account.action_propose_taxes()
        client = self.account._emag_client()
        self.env["emag.address"]._emag_import(self.account, client)
        self.account.write(
            {
                "courier_account_id": self.env["emag.courier.account"]
                .search([("account_id", "=", self.account.id)], limit=1)
                .id,
                "pickup_address_id": self.env["emag.address"]
                .search([("account_id", "=", self.account.id)], limit=1)
                .id,
            }
        )
        left = self._left()
        self.assertEqual(len(left), 2, left)  # the base URL, the first offer
        self.env["ir.config_parameter"].set_param(
            "web.base.url", "https://shop.example.com"
        )
        self._product("Lampa", "LP-1", 104)
        self.assertEqual(self._left(), [])
        self.assertEqual(self.account.setup_todo, 0)
