from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestCallbacks(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["emag.account"].create(
            {
                "name": "eMAG callbacks",
                "platform": "custom",
                "api_url": "http://127.0.0.1:9/api-3",
                "username": "seller",
                "password": "secret",
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Casti", "is_storable": True}
        )
        cls.offer = cls.env["emag.offer"].create(
            {
                "account_id": cls.account.id,
                "product_id": product.id,
                "emag_offer_id": 4242,
            }
        )
        cls.offer.state = "published"

    def _get(self, token, kind, query="product_id=4242"):
        return self.url_open(f"/emag/callback/{token}/{kind}?{query}")

    def test_documentation_callback_reads_the_offer_back_in_a_job(self):
        with trap_jobs() as trap:
            response = self._get(self.account.callback_token, "documentation")
            self.assertEqual(response.status_code, 200)
            trap.assert_jobs_count(1)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.method_name, "_job_readback")
            self.assertEqual(job.recordset, self.offer)

    def test_order_callback_imports_the_order_in_a_job(self):
        with trap_jobs() as trap:
            response = self._get(self.account.callback_token, "order", "order_id=555")
            self.assertEqual(response.status_code, 200)
            trap.assert_jobs_count(1)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.method_name, "_job_import")
            # the job reads the order from eMAG: only the id is taken
            self.assertEqual(job.args, (self.account, 555, None))

    def test_an_id_that_cannot_be_an_emag_id_costs_nothing(self):
        for value in ("-5", "0", "abc", "12.5", "1e3", "12345678901234567890123"):
            with trap_jobs() as trap:
                response = self._get(
                    self.account.callback_token, "order", f"order_id={value}"
                )
                self.assertEqual(response.status_code, 200, value)
                trap.assert_jobs_count(0)
        # the largest id an eMAG order can have here still wakes an import
        with trap_jobs() as trap:
            self._get(self.account.callback_token, "order", "order_id=2147483647")
            trap.assert_jobs_count(1)

    def test_awb_callback_reads_the_awb_status_in_a_job(self):
        order = self.env["emag.order"].create(
            {"account_id": self.account.id, "emag_order_id": 555}
        )
        awb = self.env["emag.awb"].create(
            {"order_id": order.id, "emag_id": 9755945, "state": "issued"}
        )
        with trap_jobs() as trap:
            response = self._get(self.account.callback_token, "awb", "awb_id=9755945")
            self.assertEqual(response.status_code, 200)
            self._get(self.account.callback_token, "awb", "awb_id=1")  # not ours
            trap.assert_jobs_count(1)
            job = trap.enqueued_jobs[0]
            self.assertEqual(
                (job.method_name, job.recordset), ("_job_read_status", awb)
            )

    def test_order_callback_with_a_wrong_token_does_nothing(self):
        with trap_jobs() as trap:
            response = self._get("wrong", "order", "order_id=555")
            self.assertEqual(response.status_code, 404)
            trap.assert_jobs_count(0)

    def test_wrong_token_does_nothing(self):
        with trap_jobs() as trap:
            response = self._get("not-the-token", "documentation")
            self.assertEqual(response.status_code, 404)
            trap.assert_jobs_count(0)

    def test_unknown_callback_kind(self):
        with trap_jobs() as trap:
            response = self._get(self.account.callback_token, "nonsense")
            self.assertEqual(response.status_code, 404)
            trap.assert_jobs_count(0)

    def test_callback_url_is_shown_to_managers(self):
        self.assertIn(
            f"/emag/callback/{self.account.callback_token}/", self.account.callback_url
        )
        other = self.env["emag.account"].create(
            {"name": "Other", "platform": "emag_bg", "username": "u", "password": "p"}
        )
        self.assertNotEqual(other.callback_token, self.account.callback_token)
        self.assertGreaterEqual(len(other.callback_token), 32)

    def test_return_callback_reads_the_return_in_a_job(self):
        with trap_jobs() as trap:
            response = self._get(self.account.callback_token, "return", "rma_id=321")
            self.assertEqual(response.status_code, 200)
            trap.assert_jobs_count(1)
            job = trap.enqueued_jobs[0]
            self.assertEqual(job.method_name, "_job_import")
            self.assertEqual(job.args, (self.account, 321, None))
        # without an id, the account's returns are read
        with trap_jobs() as trap:
            self._get(self.account.callback_token, "return", "")
            trap.assert_jobs_count(1)
            self.assertEqual(trap.enqueued_jobs[0].method_name, "_job_pull_returns")
        # an id that cannot be eMAG's, or a wrong token, costs nothing
        with trap_jobs() as trap:
            self._get(self.account.callback_token, "return", "rma_id=-5")
            self.assertEqual(self._get("wrong", "return", "rma_id=3").status_code, 404)
            trap.assert_jobs_count(0)
