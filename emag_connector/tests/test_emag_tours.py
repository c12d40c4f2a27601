"""Browser tests: the tours of ``static/tests/tours/`` in a headless Chromium,
against an eMAG sandbox served from this process.

Jobs run at once while a tour runs (queue_job's ``QUEUE_JOB__NO_DELAY``), so
that a button that enqueues one (Import Reference Data, Publish, Read Orders
Now, Validate, Retry) has had its effect on eMAG and in Odoo when the tour's
next step looks. Without Chromium, Odoo skips these tests ("Chrome executable
not found", logged at INFO)."""

import os
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..emag_api.sandbox import EmagSandbox
from .common import make_pricelist, make_sale_tax, use_currency

#: seconds a whole tour may take (each step has its own timeout in the tour)
TOUR_TIMEOUT = 300
USERNAME, PASSWORD = "seller", "secret"
PART_NUMBER_KEY = "D5DD9BBBM"


class EmagTourCase(HttpCase):
    """A Romanian company selling a product with stock, an eMAG sandbox per
    test, and queue jobs run at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls._romanian_company()
        cls.ron = use_currency(cls.env, "RON")
        cls.pricelist = make_pricelist(cls.env, cls.ron, name="eMAG tour RON")
        cls.tax21 = make_sale_tax(
            cls.env, "TVA 21% inclus (tour)", 21, price_include_override="tax_included"
        )
        cls.env.ref("base.user_admin").password = "admin"

    @classmethod
    def _romanian_company(cls):
        """The company and its warehouse in Bucharest (whatever the database
        has, demo data included): eMAG's AWBs need the sender's county and
        phone."""
        romania = cls.env.ref("base.ro")
        address = {
            "street": "Strada Depozitului 10",
            "city": "Bucuresti",
            "zip": "030000",
            "state_id": cls.env.ref("base.RO_B").id,
            "country_id": romania.id,
            "phone": "+40 21 300 0000",
        }
        cls.company.write(dict(address, account_fiscal_country_id=romania.id))
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse.partner_id.write(address)
        # stock_sms, when installed, would ask to confirm texting the customer
        if "stock_move_sms_validation" in cls.company._fields:
            cls.company.stock_move_sms_validation = False

    def setUp(self):
        super().setUp()
        self.sandbox = EmagSandbox(username=USERNAME, password=PASSWORD)
        self.sandbox.start()
        self.addCleanup(self.sandbox.stop)
        # every job runs where it is enqueued; queue_job warns once per job
        # that it does so, which is the point here
        self.enterContext(patch.dict(os.environ, {"QUEUE_JOB__NO_DELAY": "1"}))
        self.enterContext(mute_logger("odoo.addons.queue_job.utils"))

    def _account(self, **values):
        """An account on the sandbox, as the seller makes it: a name and the
        URL, the platform's currency and its pricelist."""
        return self.env["emag.account"].create(
            {
                "name": "eMAG Tour",
                "platform": "custom",
                "api_url": self.sandbox.base_url,
                "custom_currency_id": self.ron.id,
                "pricelist_id": self.pricelist.id,
                "warehouse_id": self.warehouse.id,
                **values,
            }
        )

    def _product(self, name, code, stock=0):
        product = self.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "is_storable": True,
                "list_price": 121.0,  # 100.00 + 21% VAT
                "weight": 0.5,
                "taxes_id": [Command.set(self.tax21.ids)],
            }
        )
        if stock:
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, stock
            )
        return product

    def _seed_order(self, offer_id, name):
        line = {
            "product_id": offer_id,
            "name": name,
            "part_number_key": PART_NUMBER_KEY,
            "sale_price": "100.0000",
            "vat": "0.21",
            "quantity": 1,
        }
        return self.sandbox.seed_orders([{"payment_mode_id": 1, "products": [line]}])[0]

    def _binding(self, account, seeded):
        return self.env["emag.order"].search(
            [("account_id", "=", account.id), ("emag_order_id", "=", seeded["id"])]
        )

    def _health_total(self, account):
        account.invalidate_recordset()
        return account.health_total


@tagged("post_install", "-at_install")
class TestEmagTours(EmagTourCase):
    def test_first_run(self):
        """Account setup, Test Connection, reference data, publish, orders
        read, delivery validated, AWB and label, an empty Overview."""
        account = self._account()
        product = self._product("Casti Bluetooth Tur", "CBT-1", stock=10)
        offer = self.env["emag.offer"].create(
            {
                "account_id": account.id,
                "product_id": product.id,
                "publish_mode": "pnk",
                "part_number_key": PART_NUMBER_KEY,
                "min_sale_price": 50,
                "max_sale_price": 200,
            }
        )
        seeded = self._seed_order(offer.emag_offer_id, product.name)

        self.start_tour("/odoo", "emag_first_run", login="admin", timeout=TOUR_TIMEOUT)

        # the credentials typed, the connection tested, the AWB settings chosen
        account.invalidate_recordset()
        self.assertEqual(account.connection_state, "ok")
        self.assertEqual(account.sudo().username, USERNAME)
        self.assertEqual(account.pickup_address_id.address_id, "1001")
        self.assertEqual(account.courier_account_id.emag_id, 5186)
        self.assertTrue(self.sandbox.calls("vat/read"))
        # the offer published on eMAG, 8 units (10 less the buffer of 2) at
        # 100.00 without VAT
        self.assertEqual(offer.state, "published", offer.sync_error)
        sent = self.sandbox.offers[offer.emag_offer_id]
        self.assertEqual(sent["part_number_key"], PART_NUMBER_KEY)
        self.assertEqual(float(sent["sale_price"]), 100.0)
        # the order read once, one confirmed sale order, acknowledged
        binding = self._binding(account, seeded)
        self.assertEqual(binding.state, "done", binding.exception_message)
        sale = binding.sale_order_id
        self.assertEqual(
            self.env["sale.order"].search_count([("emag_order_id", "=", binding.id)]),
            1,
        )
        self.assertEqual(sale.state, "sale")
        self.assertTrue(binding.acknowledged)
        # the delivery validated, its AWB issued on eMAG with its label
        picking = sale.picking_ids
        self.assertEqual(picking.state, "done")
        awb = picking.emag_awb_id
        self.assertEqual(awb.state, "issued", awb.error_message)
        (request,) = (call.body["data"] for call in self.sandbox.calls("awb/save"))
        self.assertEqual(request["sender"]["address_id"], "1001")
        self.assertEqual(request["courier_account_id"], 5186)
        self.assertEqual(request["cod"], 140.99)  # 121.00 + 19.99 shipping
        self.assertEqual(
            awb.awb_number, self.sandbox.awbs[awb.emag_id]["awb"][0]["awb_number"]
        )
        self.assertEqual(
            (awb.label_id.res_model, awb.label_id.res_id), ("stock.picking", picking.id)
        )
        self.assertTrue(awb.label_id.raw.startswith(b"%PDF"))
        # finalized on eMAG; nothing left for the seller
        self.assertEqual(self.sandbox.orders[seeded["id"]]["status"], 4)
        self.assertEqual(self._health_total(account), 0)

    def test_overview_retry(self):
        """An order in exception, its cause fixed, retried from the Overview."""
        account = self._account(username=USERNAME, password=PASSWORD)
        seeded = self._seed_order(777, "Boxa Portabila Tur")
        self.env["emag.order"]._job_pull_orders(account)  # runs its jobs at once
        binding = self._binding(account, seeded)
        self.assertEqual(binding.state, "exception")
        self.assertEqual(self._health_total(account), 1)
        # the seller fixes the cause: the offer sold as 777 on eMAG
        product = self._product("Boxa Portabila Tur", "BPT-1")
        self.env["emag.offer"].create(
            {"account_id": account.id, "product_id": product.id, "emag_offer_id": 777}
        )

        self.start_tour(
            "/odoo", "emag_overview_retry", login="admin", timeout=TOUR_TIMEOUT
        )

        binding.invalidate_recordset()
        self.assertEqual(binding.state, "done", binding.exception_message)
        sale = binding.sale_order_id
        self.assertEqual(sale.state, "sale")
        self.assertIn(product, sale.order_line.product_id)
        self.assertTrue(binding.acknowledged)
        self.assertEqual(self.sandbox.orders[seeded["id"]]["status"], 2)
        self.assertEqual(self._health_total(account), 0)
