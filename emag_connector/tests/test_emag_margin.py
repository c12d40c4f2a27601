from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .test_emag_order import EmagOrderCase


@tagged("post_install", "-at_install")
class TestMargin(EmagOrderCase):
    """eMAG's commission per offer, the margin it leaves on the offer and on
    the order, and the account's margin floor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.headphones.write({"standard_price": 50.0, "taxes_id": cls.tax21.ids})
        cls.offer = cls.env["emag.offer"].search(
            [("account_id", "=", cls.account.id), ("emag_offer_id", "=", 101)]
        )

    def setUp(self):
        super().setUp()
        self.sandbox.seed_offers(
            [{"id": 101, "category_id": 506, "sale_price": 100, "status": 1}]
        )
        self.sandbox.seed_commissions({506: 8.5})

    def _read(self, offers=None):
        (offers or self.offer)._job_read_commissions()

    def test_the_commission_is_read_with_its_date(self):
        self._read()
        self.assertTrue(self.offer.commission_known)
        self.assertEqual(self.offer.commission_percent, 8.5)
        self.assertTrue(self.offer.commission_date)
        (call,) = self.sandbox.calls("commission/estimate")
        self.assertEqual(call.method, "GET")
        self.assertEqual(call.path, "/api/v1/commission/estimate/101")

    def test_an_unreadable_commission_leaves_the_margin_unknown_not_zero(self):
        self.offer.pushed_values = {"sale_price": 100.0}
        self.sandbox.inject_fault("malformed", route="commission/estimate")
        self._read()
        self.assertFalse(self.offer.commission_known)
        self.assertIn("not JSON", self.offer.commission_message)
        self.assertFalse(self.offer.margin_known)
        # an offer eMAG does not know: the same
        other = self._product("Carte noua", "CN-1", 150)
        offer = self.env["emag.offer"].search([("product_id", "=", other.id)])
        offer.pushed_values = {"sale_price": 10.0}
        self._read(offer)
        self.assertFalse(offer.commission_known)
        self.assertIn("404", offer.commission_message)

    def test_the_margin_of_the_price_sent(self):
        self.offer.pushed_values = {"sale_price": 100.0}
        self._read()
        # 100 ex-VAT, 121 with VAT: eMAG keeps 8.5% of 121 = 10.285; cost 50
        self.assertTrue(self.offer.margin_known)
        self.assertAlmostEqual(self.offer.margin, 39.715, places=2)
        self.assertAlmostEqual(self.offer.margin_percent, 39.7, places=1)
        self.assertFalse(self.offer.margin_below_floor)
        self.account.margin_floor = 45
        self.offer._emag_update_margins()
        self.assertTrue(self.offer.margin_below_floor)
        found = self.env["emag.offer"].search([("margin_below_floor", "=", True)])
        self.assertEqual(found, self.offer)

    def test_a_price_below_the_floor_is_held_back_unless_forced(self):
        self.offer.write({"min_sale_price": 50, "max_sale_price": 200})
        self.account.margin_floor = 45
        self.assertFalse(self.offer._emag_price_problem(100.0))  # unknown: sent
        self._read()
        problem = self.offer._emag_price_problem(100.0)
        self.assertIn("below the account's floor of 45", problem)
        self.assertFalse(self.offer._emag_price_problem(150.0))
        changes = self.offer._emag_changes(
            {self.offer.id: 5}, {self.offer.id: 100.0}, force=True
        )
        self.assertNotIn("sale_price", changes)
        self.assertEqual(changes["stock"][0]["value"], 5)
        self.assertIn("floor", self.offer.sync_error)
        self.offer.sell_below_floor = True
        self.assertFalse(self.offer._emag_price_problem(100.0))

    def test_the_order_line_keeps_the_commission_and_margin(self):
        self._read()
        seeded = self._seed(products=[self._line(101, "82.6446", quantity=2)])
        self._pull()
        sale = self._binding(seeded["id"]).sale_order_id
        line = sale.order_line.filtered("emag_line_id")
        # 100 with VAT a unit: eMAG keeps 8.50 a unit; cost 50 a unit
        self.assertAlmostEqual(line.emag_commission, 17.0, places=2)
        self.assertAlmostEqual(line.emag_margin, 2 * (82.6446 - 8.5 - 50), places=2)
        self.assertTrue(sale.emag_margin_known)
        self.assertAlmostEqual(sale.emag_margin, line.emag_margin, places=2)
        report = self.env["sale.report"]._read_group(
            [
                ("emag_sale", "=", True),
                ("order_reference", "=", f"sale.order,{sale.id}"),
            ],
            [],
            ["emag_margin:sum", "emag_commission:sum"],
        )
        self.assertAlmostEqual(report[0][0], line.emag_margin, places=2)
        self.assertAlmostEqual(report[0][1], 17.0, places=2)

    def test_an_order_of_an_offer_without_commission_has_no_margin(self):
        seeded = self._seed()
        self._pull()
        sale = self._binding(seeded["id"]).sale_order_id
        self.assertFalse(sale.order_line.filtered("emag_line_id").emag_margin_known)
        self.assertFalse(sale.emag_margin_known)

    def test_a_new_price_reads_the_commission_again(self):
        self.offer.write(
            {"state": "published", "min_sale_price": 1, "max_sale_price": 1000}
        )
        self.headphones.list_price = 121.0  # 100 without VAT
        with trap_jobs() as trap:
            self.offer._emag_counted_push(self.account, force=True)
            trap.assert_jobs_count(1, only=self.offer._job_read_commissions)
            trap.perform_enqueued_jobs()
        self.assertTrue(self.offer.commission_known)
        self.assertTrue(self.offer.margin_known)
