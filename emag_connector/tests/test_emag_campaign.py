from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .test_emag_order import EmagOrderCase


@tagged("post_install", "-at_install")
class TestSmartDealsAndCampaigns(EmagOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.headphones.write(
            {"standard_price": 50.0, "taxes_id": cls.tax21.ids, "list_price": 121.0}
        )
        cls.offer = cls.env["emag.offer"].search(
            [("account_id", "=", cls.account.id), ("emag_offer_id", "=", 101)]
        )
        cls.offer.write(
            {"state": "published", "min_sale_price": 50, "max_sale_price": 200}
        )

    def setUp(self):
        super().setUp()
        self.sandbox.seed_offers(
            [{"id": 101, "category_id": 506, "sale_price": 100, "status": 1}]
        )
        self.sandbox.seed_commissions({506: 8.5})
        self.sandbox.seed_smart_deals({101: 92.5})

    def test_the_smart_deals_price_with_its_margin_applied_in_one_click(self):
        self.offer._job_read_commissions()
        self.offer._job_read_smart_deals()
        self.assertEqual(self.offer.smart_deals_price, 92.5)
        # 92.5 + 21% = 111.925; eMAG keeps 8.5% of it: 9.51; cost 50
        self.assertAlmostEqual(self.offer.smart_deals_margin_percent, 35.7, places=1)
        with trap_jobs() as trap:
            self.offer.action_apply_smart_deals()
            trap.perform_enqueued_jobs()
        self.assertEqual(self.offer.fixed_price, 92.5)
        (save,) = self.sandbox.calls("offer/save")
        self.assertEqual(save.body["data"][0]["sale_price"], 92.5)

    def test_the_smart_deals_price_respects_the_floor_and_the_bounds(self):
        self.offer._job_read_commissions()
        self.offer._job_read_smart_deals()
        self.account.margin_floor = 40
        with self.assertRaisesRegex(UserError, "below the account's floor of 40"):
            self.offer.action_apply_smart_deals()
        self.account.margin_floor = 0
        self.offer.min_sale_price = 95
        with self.assertRaisesRegex(UserError, "outside the bounds"):
            self.offer.action_apply_smart_deals()
        self.assertFalse(self.offer.fixed_price)

    def test_an_offer_without_a_smart_deals_price_says_so(self):
        self.sandbox.offers.pop(101)
        self.offer._job_read_smart_deals()
        self.assertFalse(self.offer.smart_deals_price)
        self.assertIn("not found", self.offer.smart_deals_message)

    def _wizard(self, **values):
        wizard = Form(
            self.env["emag.campaign.proposal"].with_context(
                active_model="emag.offer", active_ids=self.offer.ids
            )
        )
        wizard.campaign_id = 344
        for name, value in values.items():
            setattr(wizard, name, value)
        with wizard.line_ids.edit(0) as line:
            line.sale_price = 90.0
            line.stock = 3
        return wizard.save()

    def test_a_campaign_proposal_reserves_its_stock(self):
        self.env["stock.quant"]._update_available_quantity(
            self.headphones, self.account.warehouse_id.lot_stock_id, 10
        )
        before = self.offer._emag_channel_quantities()[self.offer.id]
        wizard = self._wizard(voucher_discount=15)
        self.assertEqual(wizard.line_ids.sale_price, 90.0)
        with trap_jobs() as trap:
            wizard.action_propose()
            trap.assert_jobs_count(1, only=self.offer._job_propose_to_campaign)
            trap.perform_enqueued_jobs()
        self.assertIn((344, 101), self.sandbox.campaign_proposals)
        sent = self.sandbox.campaign_proposals[344, 101]
        self.assertEqual((sent["stock"], sent["voucher_discount"]), (3, 15))
        self.assertEqual(self.offer.campaign_stock, 3)
        after = self.offer._emag_channel_quantities()[self.offer.id]
        self.assertEqual(after, before - 3)
        # once the campaign is over, the stock is offered again
        self.offer.campaign_until = fields.Date.today() - timedelta(days=1)
        self.assertEqual(self.offer._emag_channel_quantities()[self.offer.id], before)

    def test_every_limit_is_checked_before_the_call(self):
        wizard = self._wizard(voucher_discount=5, multideals=True)
        wizard.line_ids.stock = 300
        with self.assertRaises(UserError) as caught:
            wizard.action_propose()
        message = str(caught.exception)
        self.assertIn("stock must be 0 to 255", message)
        self.assertIn("voucher discount must be 10 to 100", message)
        self.assertIn("MultiDeals campaign needs date intervals", message)
        self.assertFalse(self.sandbox.calls("campaign_proposals/save"))
        self.assertFalse(self.offer.campaign_stock)

    def test_a_refused_proposal_gives_the_stock_back(self):
        wizard = self._wizard()
        self.sandbox.offers.pop(101)  # eMAG no longer has the offer
        with trap_jobs() as trap:
            wizard.action_propose()
            self.assertEqual(self.offer.campaign_stock, 3)
            trap.perform_enqueued_jobs()
        self.assertEqual(self.offer.campaign_stock, 0)
        self.assertIn("does not exist", self.offer.sync_error)
