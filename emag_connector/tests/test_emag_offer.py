from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import EmagSandboxCase, make_sale_tax


class EmagOfferCase(EmagSandboxCase):
    """A storable product with 10 units in the account's warehouse, 21% VAT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.account.warehouse_id
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.env.company.country_id = cls.env.ref("base.ro")
        cls.tax = cls._make_tax("TVA 21%", 21)
        cls.product = cls._make_product("Casti Sandbox", "CS-1", "5940000000017")
        cls._set_stock(cls.product, 10)
        client = cls.account._emag_client()
        cls.env["emag.vat"]._emag_import(cls.account, client)
        cls.env["emag.category"]._emag_import(cls.account, client)
        cls.category = cls.env["emag.category"].search(
            [("account_id", "=", cls.account.id), ("emag_id", "=", 506)]
        )

    @classmethod
    def _make_tax(cls, name, amount, **values):
        return make_sale_tax(cls.env, name, amount, **values)

    @classmethod
    def _make_product(cls, name, code, barcode=False, price=100.0, taxes=None):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "barcode": barcode,
                "is_storable": True,
                "list_price": price,
                "taxes_id": [Command.set((taxes or cls.tax).ids)],
            }
        )

    @classmethod
    def _set_stock(cls, product, quantity):
        cls.env["stock.quant"]._update_available_quantity(
            product, cls.stock_location, quantity
        )

    def _offer(self, **values):
        values = {
            "account_id": self.account.id,
            "product_id": self.product.id,
            "publish_mode": "pnk",
            "part_number_key": "D5DD9BBBM",
            "min_sale_price": 50,
            "max_sale_price": 200,
            **values,
        }
        return self.env["emag.offer"].create(values)

    def _publish(self, offer):
        with trap_jobs() as trap:
            offer.action_publish()
            trap.assert_jobs_count(1, only=offer._job_publish)
            trap.perform_enqueued_jobs()

    def _commit_stock_changes(self):
        """What happens at commit: the stock hook marks offers and enqueues."""
        self.env.cr.flush()

    def _sandbox_stock(self, offer):
        return self.sandbox.offers[offer.emag_offer_id]["stock"][0]["value"]


class TestPublish(EmagOfferCase):
    def test_attach_by_part_number_key(self):
        offer = self._offer()
        self._publish(offer)
        self.assertEqual(offer.state, "published", offer.sync_error)
        sent = self.sandbox.offers[offer.emag_offer_id]
        self.assertEqual(sent["part_number_key"], "D5DD9BBBM")
        self.assertEqual(sent["stock"], [{"warehouse_id": 1, "value": 8}])
        self.assertEqual(float(sent["sale_price"]), 100.0)
        self.assertEqual(sent["vat_id"], 1)
        self.assertEqual(offer.pushed_values["stock"], 8)
        # read back once saved
        self.assertEqual(self.sandbox.call_count("product_offer/read"), 1)
        self.assertTrue(offer.readback_date)

    def test_tax_included_price_is_sent_ex_vat_to_match_odoo_to_the_cent(self):
        included = self._make_tax(
            "TVA 21% inclusă", 21, price_include_override="tax_included"
        )
        product = self._make_product("Pret cu TVA", "PT-1", price=99.99, taxes=included)
        offer = self._offer(product_id=product.id)
        self.assertAlmostEqual(offer.sale_price, 82.6364, places=4)
        self.assertEqual(round(offer.sale_price * 1.21, 2), 99.99)

    def test_attach_by_ean_checks_emag_first(self):
        self.sandbox.seed_products_by_ean(
            [
                {
                    "eans": ["5940000000017"],
                    "part_number_key": "EANPNK01",
                    "product_name": "Casti",
                    "allow_to_add_offer": True,
                    "vendor_has_offer": False,
                }
            ]
        )
        offer = self._offer(publish_mode="ean", part_number_key=False)
        self._publish(offer)
        self.assertEqual(offer.state, "published", offer.sync_error)
        (search,) = self.sandbox.calls("documentation/find_by_eans")
        self.assertEqual(search.query["eans[]"], ["5940000000017"])
        self.assertEqual(
            self.sandbox.offers[offer.emag_offer_id]["ean"], ["5940000000017"]
        )

    def test_ean_unknown_on_emag_is_refused_before_saving(self):
        offer = self._offer(publish_mode="ean", part_number_key=False)
        self._publish(offer)
        self.assertEqual(offer.state, "error")
        self.assertIn("is not on eMAG", offer.sync_error)
        self.assertEqual(self.sandbox.call_count("product_offer/save"), 0)

    def test_ean_in_a_category_the_seller_may_not_sell_in(self):
        self.sandbox.seed_products_by_ean(
            [
                {
                    "eans": ["5940000000017"],
                    "part_number_key": "EANPNK02",
                    "category_name": "Frigidere",
                    "allow_to_add_offer": False,
                }
            ]
        )
        offer = self._offer(publish_mode="ean", part_number_key=False)
        self._publish(offer)
        self.assertIn("may not sell yet", offer.sync_error)
        self.assertIn("Frigidere", offer.sync_error)
        self.assertEqual(self.sandbox.call_count("product_offer/save"), 0)

    def test_ean_of_a_product_the_seller_already_offers(self):
        self.sandbox.seed_products_by_ean(
            [
                {
                    "eans": ["5940000000017"],
                    "part_number_key": "EANPNK03",
                    "allow_to_add_offer": True,
                    "vendor_has_offer": True,
                }
            ]
        )
        # the seller's offer on that product, published before
        self.sandbox.seed_offers([{"id": 9999, "part_number_key": "EANPNK03"}])
        offer = self._offer(publish_mode="ean", part_number_key=False)
        self._publish(offer)
        self.assertIn("already have an offer", offer.sync_error)
        self.assertIn("EANPNK03", offer.sync_error)
        self.assertEqual(self.sandbox.call_count("product_offer/save"), 0)

    def _new_product_offer(self, **values):
        attribute = self.env["product.attribute"].create(
            {"name": "Tip", "value_ids": [Command.create({"name": "In-ear"})]}
        )
        template = self.env["product.template"].create(
            {
                "name": "Casti noi",
                "is_storable": True,
                "list_price": 100,
                "taxes_id": [Command.set(self.tax.ids)],
                "default_code": "CN-1",
                "barcode": "5940000000024",
                "attribute_line_ids": [
                    Command.create(
                        {
                            "attribute_id": attribute.id,
                            "value_ids": [Command.set(attribute.value_ids.ids)],
                        }
                    )
                ],
            }
        )
        return self._offer(
            **{
                "product_id": template.product_variant_id.id,
                "publish_mode": "new",
                "part_number_key": False,
                "category_id": self.category.id,
                "brand": "Sandbox Audio",
                "description": "<p>Casti in-ear</p>",
                "image_urls": "https://example.com/casti.jpg",
                "warranty": 24,
                **values,
            }
        )

    def test_new_product_with_documentation(self):
        offer = self._new_product_offer()
        self._set_stock(offer.product_id, 5)
        self._publish(offer)
        self.assertEqual(offer.state, "published", offer.sync_error)
        sent = self.sandbox.offers[offer.emag_offer_id]
        self.assertEqual(sent["category_id"], 506)
        self.assertEqual(sent["brand"], "Sandbox Audio")
        self.assertEqual(sent["ean"], ["5940000000024"])
        self.assertEqual(sent["characteristics"], [{"id": 38, "value": "In-ear"}])
        self.assertEqual(sent["images"][0]["display_type"], 1)

    def _assert_refused(self, offer, *fragments):
        with self.assertRaises(UserError) as caught:
            offer.action_publish()
        message = str(caught.exception)
        self.assertIn(offer.product_id.display_name, message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertEqual(offer.state, "draft")
        self.assertEqual(self.sandbox.call_count(), 0, "nothing may be sent")

    def test_refusals_before_any_call(self):
        self._assert_refused(
            self._offer(min_sale_price=0, max_sale_price=0),
            "set the minimum and maximum sale price",
        )

    def test_inverted_min_max(self):
        self._assert_refused(
            self._offer(min_sale_price=200, max_sale_price=50), "must be greater"
        )

    def test_price_outside_min_max(self):
        self._assert_refused(
            self._offer(min_sale_price=120, max_sale_price=200),
            "outside the bounds",
            "120",
            "200",
        )

    def test_ean_missing_in_an_ean_mandatory_category(self):
        offer = self._new_product_offer()
        offer.product_id.barcode = False
        offer.ean = False
        self._assert_refused(offer, "ean")

    def test_ean_not_6_to_14_digits(self):
        offer = self._new_product_offer(ean="59400A")
        self._assert_refused(offer, "ean")

    def test_part_number_over_25_characters(self):
        offer = self._new_product_offer(part_number="X" * 26)
        self._assert_refused(offer, "part_number", "25")

    def test_mandatory_characteristic_missing(self):
        offer = self._new_product_offer()
        # the attribute no longer names the mandatory characteristic "Tip" (38)
        offer.product_id.product_template_attribute_value_ids.attribute_id.name = "Alt"
        self._assert_refused(offer, "38")

    def test_characteristic_value_not_allowed(self):
        offer = self._new_product_offer(extra_characteristics="Tip: Bluetooth")
        self._assert_refused(offer, "Bluetooth")

    def test_stock_over_65535(self):
        product = self._make_product("Surub", "SR-1")
        self._set_stock(product, 70000)
        self._assert_refused(self._offer(product_id=product.id), "65535")

    def test_product_without_vat_mapping(self):
        tax = self._make_tax("TVA 7%", 7)
        product = self._make_product("Carte", "CR-1", taxes=tax)
        self.sandbox.reset_log()
        self._assert_refused(self._offer(product_id=product.id), "no eMAG VAT rate")


class TestStockPush(EmagOfferCase):
    def setUp(self):
        super().setUp()
        self.offer = self._offer()
        self._publish(self.offer)
        self.assertEqual(self.offer.state, "published", self.offer.sync_error)

    def _push(self, expected_jobs=1):
        with trap_jobs() as trap:
            self._commit_stock_changes()
            trap.assert_jobs_count(expected_jobs)
            trap.perform_enqueued_jobs()

    def _picking(self, picking_type, quantity, product=None):
        product = product or self.product
        src, dest = (
            (self.stock_location, self.env.ref("stock.stock_location_customers"))
            if picking_type.code == "outgoing"
            else (self.env.ref("stock.stock_location_suppliers"), self.stock_location)
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": src.id,
                "location_dest_id": dest.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": src.id,
                            "location_dest_id": dest.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def test_published_with_buffer(self):
        self.assertEqual(self._sandbox_stock(self.offer), 8)  # 10 - buffer 2

    def test_delivery_reservation_then_validation(self):
        self.sandbox.reset_log()
        picking = self._picking(self.warehouse.out_type_id, 3)
        self._push()
        # reserved units are not free: 10 - 3 reserved - 2 buffer
        self.assertEqual(self._sandbox_stock(self.offer), 5)
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self._push()
        # on hand 7, nothing reserved: still 5, and nothing new was sent
        self.assertEqual(self._sandbox_stock(self.offer), 5)
        self.assertEqual(self.sandbox.call_count("offer/save"), 1)

    def test_a_warehouse_user_without_emag_rights_moves_the_stock(self):
        user = new_test_user(
            self.env, login="magazioner", groups="stock.group_stock_user"
        )
        picking = self._picking(self.warehouse.out_type_id, 4)
        picking.move_ids.quantity = 4
        picking.move_ids.picked = True
        picking.with_user(user).button_validate()
        self.assertEqual(picking.state, "done")
        self._push()
        self.assertEqual(self._sandbox_stock(self.offer), 4)

    def test_changing_the_bounds_or_the_buffer_reaches_emag(self):
        with trap_jobs() as trap:
            self.offer.write({"max_sale_price": 300, "custom_stock_buffer": True})
            self.offer.stock_buffer = 5
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        sent = self.sandbox.offers[self.offer.emag_offer_id]
        self.assertEqual(float(sent["max_sale_price"]), 300.0)
        self.assertEqual(self._sandbox_stock(self.offer), 5)

    def test_receipt(self):
        picking = self._picking(self.warehouse.in_type_id, 20)
        picking.move_ids.quantity = 20
        picking.move_ids.picked = True
        picking.button_validate()
        self._push()
        self.assertEqual(self._sandbox_stock(self.offer), 28)

    def test_inventory_adjustment(self):
        quant = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.stock_location.id),
            ]
        )
        quant.inventory_quantity = 4
        quant.action_apply_inventory()
        self._push()
        self.assertEqual(self._sandbox_stock(self.offer), 2)

    def test_stock_out_sends_zero_and_archiving_sends_inactive(self):
        self.offer.custom_stock_buffer = True
        self.offer.stock_buffer = 20
        self.offer.action_push_now()
        with trap_jobs() as trap:
            self.offer.action_push_now()
            trap.perform_enqueued_jobs()
        self.assertEqual(self._sandbox_stock(self.offer), 0)
        with trap_jobs() as trap:
            self.product.active = False
            trap.perform_enqueued_jobs()
        self.assertEqual(self.sandbox.offers[self.offer.emag_offer_id]["status"], 0)

    def test_price_outside_bounds_is_not_sent_but_stock_is(self):
        self.product.list_price = 500
        self._set_stock(self.product, 1)
        self._push()
        sent = self.sandbox.offers[self.offer.emag_offer_id]
        self.assertEqual(float(sent["sale_price"]), 100.0)
        self.assertEqual(self._sandbox_stock(self.offer), 9)
        self.assertIn("outside the bounds", self.offer.sync_error)

    def test_scheduled_price_change_goes_with_start_date(self):
        tomorrow = fields.Date.add(fields.Date.context_today(self.offer), days=1)
        self.offer.start_date = tomorrow
        with trap_jobs() as trap:
            self.product.list_price = 150
            trap.perform_enqueued_jobs()
        (call,) = self.sandbox.calls("product_offer/save")[-1:]
        (entity,) = call.body["data"]
        self.assertEqual(entity["start_date"], tomorrow.isoformat())
        self.assertEqual(float(entity["sale_price"]), 150.0)
        self.assertEqual(self.sandbox.call_count("offer/save"), 0)

    def test_500_line_inventory_adjustment_is_one_job_and_ten_requests(self):
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Bulk {i}",
                    "is_storable": True,
                    "list_price": 100,
                    "taxes_id": [Command.set(self.tax.ids)],
                }
                for i in range(500)
            ]
        )
        offers = self.env["emag.offer"].create(
            [
                {
                    "account_id": self.account.id,
                    "product_id": p.id,
                    "min_sale_price": 50,
                    "max_sale_price": 200,
                }
                for p in products
            ]
        )
        # already on eMAG with no stock
        offers.write({"state": "published"})
        for offer in offers:
            offer.pushed_values = {
                "status": 1,
                "sale_price": 100.0,
                "stock": 0,
                "vat_id": 1,
            }
        self.sandbox.seed_offers(
            [
                {
                    "id": o.emag_offer_id,
                    "status": 1,
                    "sale_price": 100,
                    "vat_id": 1,
                    "min_sale_price": 50,
                    "max_sale_price": 200,
                    "stock": [{"warehouse_id": 1, "value": 0}],
                }
                for o in offers
            ]
        )
        self.sandbox.reset_log()
        quants = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": p.id,
                        "location_id": self.stock_location.id,
                        "inventory_quantity": 7,
                    }
                    for p in products
                ]
            )
        )
        quants.action_apply_inventory()
        with trap_jobs() as trap:
            self._commit_stock_changes()
            trap.assert_jobs_count(1)
            self.assertEqual(trap.enqueued_jobs[0].method_name, "_job_push_dirty")
            trap.perform_enqueued_jobs()
        # a machine too busy to keep the rate budget's pace may meet a 429,
        # which the client waits out and repeats: those are not extra requests
        calls = [c for c in self.sandbox.calls() if c.status != 429]
        self.assertEqual([c.route for c in calls], ["offer/save"] * 10)
        self.assertEqual([c.entities for c in calls], [50] * 10)
        self.assertTrue(all(self._sandbox_stock(o) == 5 for o in offers))


class TestReconcile(EmagOfferCase):
    def test_reconciliation_corrects_drift_seen_twice(self):
        offer = self._offer()
        self._publish(offer)
        stored = self.sandbox.offers[offer.emag_offer_id]
        stored["stock"] = [{"warehouse_id": 1, "value": 99}]
        stored["sale_price"] = 150
        # seen once: eMAG may still be applying a push; nothing is sent
        self.sandbox.reset_log()
        summary = self.env["emag.offer"]._job_reconcile(self.account)
        self.assertIn("0 corrected, 1 different once", summary)
        self.assertEqual(self.sandbox.call_count("offer/save"), 0)
        self.assertEqual(offer.drift_seen, {"stock": 99, "sale_price": 150.0})
        # seen again: Odoo's values are sent, and said field by field
        summary = self.env["emag.offer"]._job_reconcile(self.account)
        self.assertEqual(self._sandbox_stock(offer), 8)
        self.assertEqual(
            float(self.sandbox.offers[offer.emag_offer_id]["sale_price"]), 100.0
        )
        self.assertIn("1 corrected", summary)
        self.assertEqual(self.account.last_reconcile_summary, summary)
        message = offer.message_ids[:1].body
        self.assertIn("Odoo's value sent again", message)
        self.assertIn("stock 99 on eMAG, 8 in Odoo", message)
        self.assertIn("sale_price 150.0 on eMAG, 100.0 in Odoo", message)
        # repaired: the next reconciliation finds nothing
        summary = self.env["emag.offer"]._job_reconcile(self.account)
        self.assertIn("0 corrected, 0 different once", summary)
        self.assertFalse(offer.drift_seen)

    def test_a_passing_difference_is_not_repaired(self):
        offer = self._offer()
        self._publish(offer)
        stored = self.sandbox.offers[offer.emag_offer_id]
        stored["stock"] = [{"warehouse_id": 1, "value": 7}]
        self.env["emag.offer"]._job_reconcile(self.account)
        self.assertEqual(offer.drift_seen, {"stock": 7})
        # eMAG caught up before the next reconciliation
        stored["stock"] = [{"warehouse_id": 1, "value": 8}]
        self.sandbox.reset_log()
        summary = self.env["emag.offer"]._job_reconcile(self.account)
        self.assertIn("0 corrected, 0 different once", summary)
        self.assertEqual(self.sandbox.call_count("offer/save"), 0)
        self.assertFalse(offer.drift_seen)

    def test_a_price_shown_rounded_to_the_cent_is_no_drift(self):
        included = self._make_tax(
            "TVA 21% inclusă", 21, price_include_override="tax_included"
        )
        product = self._make_product("Pret cu TVA", "PT-1", price=99.99, taxes=included)
        offer = self._offer(product_id=product.id)
        self._publish(offer)
        self.assertEqual(offer.pushed_values["sale_price"], 82.6364)
        self.sandbox.offers[offer.emag_offer_id]["sale_price"] = 82.64
        for _run in range(2):
            summary = self.env["emag.offer"]._job_reconcile(self.account)
            self.assertIn("0 corrected, 0 different once", summary)

    def test_reconciliation_without_drift_sends_nothing(self):
        offer = self._offer()
        self._publish(offer)
        self.sandbox.reset_log()
        summary = self.env["emag.offer"]._job_reconcile(self.account)
        self.assertIn("0 corrected", summary)
        self.assertEqual(self.sandbox.call_count("offer/save"), 0)
        self.assertEqual(self.sandbox.call_count("product_offer/read"), 1)
