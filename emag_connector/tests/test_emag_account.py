import socket

from odoo.exceptions import AccessError
from odoo.sql_db import db_connect
from odoo.tests import new_test_user

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import EmagSandboxCase


class TestEmagAccount(EmagSandboxCase):
    def test_platform_sets_the_api_url(self):
        account = self.env["emag.account"].create(
            {"name": "eMAG Bulgaria", "platform": "emag_bg"}
        )
        self.assertEqual(account.api_url, "https://marketplace-api.emag.bg/api-3")
        account.platform = "fd_ro"
        self.assertEqual(
            account.api_url, "https://marketplace-ro-api.fashiondays.com/api-3"
        )

    def test_connection_success(self):
        action = self.account.action_test_connection()
        self.assertEqual(self.account.connection_state, "ok")
        self.assertIn("3 VAT rates", self.account.connection_message)
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.sandbox.call_count("vat/read"), 1)
        self.assertTrue(self.account.connection_date)

    def test_connection_wrong_credentials(self):
        self.account.password = "wrong"
        action = self.account.action_test_connection()
        self.assertEqual(self.account.connection_state, "failed")
        self.assertIn("username or password", self.account.connection_message)
        self.assertIn("HTTP 401", self.account.connection_message)
        self.assertEqual(action["params"]["type"], "danger")

    def test_connection_ip_not_whitelisted(self):
        self.sandbox.allowed_ips = {"192.0.2.10"}
        self.account.action_test_connection()
        self.assertEqual(self.account.connection_state, "failed")
        self.assertIn("whitelist", self.account.connection_message)
        self.assertIn("HTTP 403", self.account.connection_message)
        # the address to whitelist, and eMAG's own answer
        self.assertIn("reaches eMAG from 127.0.0.1", self.account.connection_message)
        self.assertIn("is not whitelisted", self.account.connection_message)

    def test_connection_unreachable(self):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.account.api_url = f"http://127.0.0.1:{port}/api-3"
        self.account.action_test_connection()
        self.assertEqual(self.account.connection_state, "failed")
        self.assertIn("could not be reached", self.account.connection_message)
        self.assertIn(str(port), self.account.connection_message)

    def test_connection_refused_by_emag(self):
        self.sandbox.inject_fault(
            "is_error", route="vat/read", messages=["Your account is suspended"]
        )
        self.account.action_test_connection()
        self.assertEqual(self.account.connection_state, "failed")
        self.assertIn("Your account is suspended", self.account.connection_message)

    def test_missing_credentials_are_asked_for(self):
        self.account.username = False
        with self.assertRaisesRegex(Exception, "Set the API username and password"):
            self.account.action_test_connection()
        self.assertEqual(self.sandbox.call_count(), 0)

    def test_credentials_only_for_connector_managers(self):
        user = new_test_user(
            self.env, login="emag_user", groups="emag_connector.group_emag_user"
        )
        manager = new_test_user(
            self.env, login="emag_manager", groups="emag_connector.group_emag_manager"
        )
        as_user = self.account.with_user(user)
        self.assertEqual(as_user.name, "eMAG sandbox")
        with self.assertRaises(AccessError):
            as_user.read(["password"])
        with self.assertRaises(AccessError):
            as_user.write({"name": "renamed"})
        self.assertEqual(self.account.with_user(manager).password, "secret")

    def test_accounts_of_another_company_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other company"})
        user = new_test_user(
            self.env, login="emag_other", groups="emag_connector.group_emag_user"
        )
        user.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        visible = self.env["emag.account"].with_user(user).search([])
        self.assertNotIn(self.account, visible)

    def test_calls_draw_on_the_shared_budget(self):
        def reserved():
            # the budget commits in its own transaction: read it from another one
            with db_connect(self.env.cr.dbname).cursor() as cr:
                cr.execute(
                    "SELECT cardinality(slots) FROM emag_rate_budget "
                    "WHERE budget_key = %s AND route_group = 'other'",
                    [self.account.budget_key],
                )
                row = cr.fetchone()
            return row[0] if row else 0

        before = reserved()
        self.account._emag_client().read_vat_rates()
        self.assertEqual(reserved(), before + 1)
        self.assertEqual(self.sandbox.call_count("vat/read"), 1)

    def test_every_job_has_its_emag_channel(self):
        """Jobs take their channel and retry pattern from their job function."""
        functions = self.env["queue.job.function"].search([])
        channels = {f.name: f.channel for f in functions}
        base = type(self.env["base"])  # what every model has, queue_job's too
        for model in ("emag.account", "emag.offer", "emag.order", "emag.awb"):
            for name in dir(type(self.env[model])):
                if name.startswith("_job_") and not hasattr(base, name):
                    self.assertTrue(
                        channels.get(f"<{model}>.{name}", "").startswith("root.emag"),
                        f"{model}.{name} has no eMAG job function",
                    )
        with trap_jobs() as trap:
            self.account.action_pull_orders()
            (job,) = trap.enqueued_jobs
        self.assertEqual(job.channel, "root.emag.orders")
