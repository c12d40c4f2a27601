import json
import logging
import threading
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..emag_api import EmagServerError
from ..models import emag_call_log
from .common import EmagSandboxCase
from .test_emag_order import EmagOrderCase

CUSTOMER = {
    "name": "Ion Ascunsu",
    "phone_1": "0722999111",
    "email": "ion.ascunsu@example.com",
    "billing_street": "Strada Ascunsa 7",
    "shipping_contact": "Maria Ascunsu",
}
PERSONAL = ("Ascuns", "0722999111", "ion.ascunsu@example.com")
LOGGER = "odoo.addons.emag_connector.models.emag_call_log"


def set_param(env, key, value):
    env["ir.config_parameter"].sudo().set_param(key, value)


@tagged("post_install", "-at_install")
class TestCallLog(EmagOrderCase):
    def setUp(self):
        super().setUp()
        # the log is written on a cursor of its own: in tests, one that
        # shares the test's transaction
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        set_param(self.env, emag_call_log.SAMPLE_PARAM, 0)

    def _logs(self, *domain):
        return self.env["emag.call.log"].search(
            [("account_id", "=", self.account.id), *domain]
        )

    def _calls_of(self, record):
        """The calls its smart button shows (a server action per model)."""
        kind = record._name.split(".")[1]
        button = self.env.ref(f"emag_connector.emag_call_log_action_{kind}")
        action = button.with_context(
            active_model=record._name, active_id=record.id, active_ids=record.ids
        ).run()
        self.assertEqual(action["res_model"], "emag.call.log")
        return self.env["emag.call.log"].search(action["domain"])

    def test_a_call_of_another_thread_is_written_by_the_clients_thread(self):
        client = self.account._emag_client()
        sender = threading.Thread(target=client.read_vat_rates)
        sender.start()
        sender.join()
        self.assertFalse(self._logs())  # the sender never opens a cursor
        client.call_log.flush()
        self.assertEqual(self._logs().route, "vat/read")

    def test_a_call_is_logged_once_with_its_route_status_and_ids(self):
        seeded = self._seed()
        self.account._emag_client().read_order(seeded["id"], 3)
        log = self._logs()
        self.assertEqual(len(log), 1)
        self.assertEqual((log.route, log.method), ("order/read", "POST"))
        self.assertEqual((log.http_status, log.outcome), (200, "ok"))
        self.assertFalse(log.is_error)
        self.assertEqual(log.emag_ids, f" order:{seeded['id']} ")
        self.assertEqual(log.entity_count, 1)
        self.assertGreaterEqual(log.duration_ms, 0)
        self.assertEqual(log.company_id, self.account.company_id)
        self.assertFalse(log.job_uuid)
        # a success keeps its bodies only when sampled
        self.assertFalse(log.request_body or log.response_body)
        set_param(self.env, emag_call_log.SAMPLE_PARAM, 100)
        self.account._emag_client().read_order(seeded["id"], 3)
        sampled = self._logs() - log
        self.assertEqual(json.loads(sampled.request_body)["data"]["id"], seeded["id"])
        self.assertIn(str(seeded["id"]), sampled.response_body)

    def test_a_failing_call_keeps_its_bodies_and_emags_messages(self):
        self.sandbox.seed_offers([{"id": 101, "status": 1, "sale_price": 10}])
        self.sandbox.inject_fault(
            "is_error", route="offer/save", messages=["Offer 101: price too low"]
        )
        (outcome,) = self.account._emag_client().save_light_offers(
            [{"id": 101, "sale_price": 1}]
        )
        self.assertTrue(outcome.error)
        log = self._logs()
        self.assertEqual(
            (log.route, log.outcome, log.is_error), ("offer/save", "emag_error", True)
        )
        self.assertEqual(log.messages, "Offer 101: price too low")
        self.assertEqual(
            json.loads(log.request_body), {"data": [{"id": 101, "sale_price": 1}]}
        )
        self.assertTrue(json.loads(log.response_body)["isError"])
        self.assertEqual(log.emag_ids, " offer:101 ")
        # eMAG's server error
        self.sandbox.inject_fault("5xx", route="vat/read", status=503)
        raised = None
        try:  # not assertRaises: its savepoint would undo the row, here
            self.account._emag_client().read_vat_rates()
        except EmagServerError as exc:
            raised = exc
        self.assertTrue(raised)
        failed = self._logs(("route", "=", "vat/read"))
        self.assertEqual((failed.outcome, failed.http_status), ("http_error", 503))
        self.assertIn("HTTP 503", failed.messages)

    def test_personal_data_of_an_order_read_is_never_stored(self):
        set_param(self.env, emag_call_log.SAMPLE_PARAM, 100)
        seeded = self._seed(customer=CUSTOMER, observation="Sunati pe Ion Ascunsu")
        self._pull()
        logs = self._logs()
        reads = logs.filtered(lambda log: log.route == "order/read")
        self.assertTrue(
            any(str(seeded["id"]) in (log.response_body or "") for log in reads)
        )
        self.assertTrue(any('"customer": "***"' in log.response_body for log in reads))
        for log in logs:
            stored = f"{log.request_body} {log.response_body} {log.messages}"
            for text in (*PERSONAL, self.account.password):
                self.assertNotIn(text, stored, log.route)

    def test_a_broken_log_never_breaks_the_call(self):
        with (
            patch.object(emag_call_log, "INSERT", "INSERT INTO emag_no_such_table"),
            patch.object(emag_call_log, "_warned", set()),
            mute_logger("odoo.sql_db"),
        ):
            with self.assertLogs(LOGGER, "WARNING"):
                rates = self.account._emag_client().read_vat_rates()
            self.assertTrue(rates)
            # warned once per process
            with self.assertNoLogs(LOGGER, "WARNING"):
                self.assertTrue(self.account._emag_client().read_vat_rates())
        self.assertFalse(self._logs())

    def test_a_job_is_linked_to_its_calls(self):
        self._seed()
        # the account is an argument of the job, not one of its records
        job = self.env["emag.order"].with_delay()._job_pull_orders(self.account)
        job.perform()
        logs = self._logs()
        self.assertTrue(logs)
        self.assertEqual(set(logs.mapped("job_uuid")), {job.uuid})
        self.assertEqual(logs.job_id.uuid, job.uuid)

    def test_the_cleanup_deletes_old_rows_in_batches(self):
        write = self.env["emag.call.log"]._emag_writer(self.account)
        for _i in range(5):
            write({"route": "vat/read", "status": 200, "duration": 0.1})
        logs = self._logs()
        now = fields.Datetime.now()
        for log, days in zip(logs[1:], (10, 31, 40, 40), strict=True):
            self.env.cr.execute(
                "UPDATE emag_call_log SET create_date = %s WHERE id = %s",
                [now - timedelta(days=days), log.id],
            )
        Log = self.env["emag.call.log"]
        set_param(self.env, emag_call_log.DAYS_PARAM, 30)
        self.assertEqual(Log._cron_cleanup(batch=2), 2)
        self.assertEqual(Log._cron_cleanup(batch=2), 1)
        self.assertEqual(Log._cron_cleanup(batch=2), 0)
        self.assertEqual(self._logs(), logs[:2])  # today's, and 10 days old
        set_param(self.env, emag_call_log.DAYS_PARAM, 5)
        Log._cron_cleanup()
        self.assertEqual(self._logs(), logs[0])

    def test_the_smart_buttons_find_the_calls_of_an_order_and_an_offer(self):
        first, second = self._seed(), self._seed()
        self._pull()
        binding = self._binding(first["id"])
        calls = self._calls_of(binding)
        self.assertIn("order/acknowledge", calls.mapped("route"))
        for log in calls:
            self.assertIn(f" order:{first['id']} ", log.emag_ids)
        others = self._calls_of(self._binding(second["id"]))
        self.assertTrue(others)
        self.assertFalse(calls & others)
        # an offer's read back, not another offer's
        offers = self.env["emag.offer"].search(
            [("account_id", "=", self.account.id), ("emag_offer_id", "in", [101, 102])]
        )
        for offer in offers:
            offer._job_readback()
        headphones = offers.filtered(lambda o: o.emag_offer_id == 101)
        calls = self._calls_of(headphones)
        self.assertEqual(calls.mapped("route"), ["product_offer/read"])
        self.assertEqual(calls.emag_ids, " offer:101 ")

    def test_an_awb_finds_its_save_even_when_eMAG_refused_it(self):
        seeded = self._seed()
        self._pull()
        binding = self._binding(seeded["id"])
        awb = self.env["emag.awb"].create({"order_id": binding.id})
        write = self.env["emag.call.log"]._emag_writer(self.account)
        request = json.dumps({"data": {"order_id": seeded["id"], "cod": 10}})
        write(
            {
                "route": "awb/save",
                "request": request,
                "status": 200,
                "response": '{"isError": true, "messages": ["No courier"]}',
                "error": "EmagValidationError",
                "duration": 0.2,
            }
        )
        refused = self._logs(("route", "=", "awb/save"))
        self.assertEqual(self._calls_of(awb), refused)
        # issued: its label read names the AWB
        write(
            {
                "route": "awb/save",
                "request": request,
                "status": 200,
                "response": json.dumps(
                    {"isError": False, "results": {"awb": [{"emag_id": 555}]}}
                ),
                "duration": 0.2,
            }
        )
        write(
            {
                "route": "awb/read_pdf",
                "method": "GET",
                "params": {"emag_id": 555, "awb_format": "A4"},
                "status": 200,
                "duration": 0.2,
            }
        )
        awb.emag_id = 555
        self.assertEqual(len(self._calls_of(awb)), 3)
        self.assertEqual(len(self._calls_of(binding) & self._calls_of(awb)), 2)

    def test_a_return_finds_its_reads(self):
        rma = self.env["emag.rma"].create(
            {"account_id": self.account.id, "emag_id": 777}
        )
        write = self.env["emag.call.log"]._emag_writer(self.account)
        for emag_id in (777, 778):
            write(
                {
                    "route": "rma/read",
                    "request": json.dumps({"data": {"emag_id": emag_id}}),
                    "status": 200,
                    "response": '{"isError": false, "results": []}',
                    "duration": 0.1,
                }
            )
        calls = self._calls_of(rma)
        self.assertEqual((calls.route, calls.emag_ids), ("rma/read", " rma:777 "))


@tagged("post_install", "-at_install")
class TestCallLogCommitted(EmagSandboxCase):
    """Workers see committed data only: the account is committed in a cursor
    of its own, and removed afterwards with its calls."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            account = self.env(cr=cr)["emag.account"].create(
                {
                    "name": "eMAG call log",
                    "platform": "custom",
                    "api_url": self.sandbox.base_url,
                    "username": "seller",
                    "password": "secret",
                    "custom_currency_id": self.env.company.currency_id.id,
                }
            )
            self.account_id = account.id
        self.addCleanup(self._remove_committed)

    def _remove_committed(self):
        with self.registry.cursor() as cr:
            self.env(cr=cr)["emag.account"].browse(self.account_id).unlink()

    def _count(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM emag_call_log WHERE account_id = %s",
                [self.account_id],
            )
            return cr.fetchone()[0]

    def test_a_call_stays_logged_when_its_caller_rolls_back(self):
        with self.registry.cursor() as cr:
            account = self.env(cr=cr)["emag.account"].browse(self.account_id)
            self.assertTrue(account._emag_client().read_vat_rates())
            cr.rollback()
        self.assertEqual(self._count(), 1)


@tagged("post_install", "-at_install")
class TestAccessLog(HttpCase):
    def test_the_access_log_never_shows_a_callback_token(self):
        token = "Tok3n-never-logged_x"
        # logging.INFO: Odoo names its level 25 "INFO" too
        with self.assertLogs("werkzeug", logging.INFO) as logs:
            self.url_open(f"/emag/callback/{token}/order?order_id=5")
        output = "\n".join(logs.output)
        self.assertIn("/emag/callback/***/order?order_id=5", output)
        self.assertNotIn(token, output)
