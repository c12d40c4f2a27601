from unittest.mock import patch

import psycopg2

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from ..models import res_partner
from .common import EmagSandboxCase, make_sale_tax


class EmagOrderCase(EmagSandboxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.ro")
        cls.env.company.account_fiscal_country_id = cls.env.ref("base.ro")
        cls.tax0 = make_sale_tax(cls.env, "TVA 0%", 0)
        cls.tax21, cls.tax11 = (
            make_sale_tax(
                cls.env,
                f"TVA {rate}% inclus",
                rate,
                price_include_override="tax_included",
            )
            for rate in (21, 11)
        )
        cls.headphones = cls._product("Casti", "CS-1", 101)
        cls.book = cls._product("Carte", "CR-1", 102)
        cls.water = cls._product("Apa 6x2L", "AP-1", 103)
        cls.env["stock.quant"]._update_available_quantity(
            cls.headphones, cls.account.warehouse_id.lot_stock_id, 10
        )

    @classmethod
    def _product(cls, name, code, offer_id):
        product = cls.env["product.product"].create(
            {"name": name, "default_code": code, "is_storable": True}
        )
        cls.env["emag.offer"].create(
            {
                "account_id": cls.account.id,
                "product_id": product.id,
                "emag_offer_id": offer_id,
            }
        )
        return product

    def _line(self, offer_id, price, quantity=1, vat="0.21", **extra):
        return {
            "product_id": offer_id,
            "sale_price": price,
            "quantity": quantity,
            "vat": vat,
            **extra,
        }

    def _seed(self, **order):
        order.setdefault("products", [self._line(101, "82.6446")])
        return self.sandbox.seed_orders([order])[0]

    def _run_jobs(self, trap):
        while trap.enqueued_jobs:
            trap.perform_enqueued_jobs()

    def _pull(self):
        with trap_jobs() as trap:
            self.env["emag.order"]._job_pull_orders(self.account)
            self._run_jobs(trap)

    def _binding(self, order_id):
        return self.env["emag.order"].search(
            [("account_id", "=", self.account.id), ("emag_order_id", "=", order_id)]
        )


class TestOrderImport(EmagOrderCase):
    def _import(self, **order):
        seeded = self._seed(**order)
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "done", binding.exception_message)
        return binding, binding.sale_order_id

    def test_b2c_cash_on_delivery(self):
        binding, sale = self._import(
            payment_mode_id=1,
            shipping_tax="19.99",
            products=[self._line(101, "82.6446", quantity=2)],
        )
        # 82.6446 + 21% = 100.00 a unit; 2 units and 19.99 shipping (VAT included)
        self.assertEqual(sale.amount_total, 219.99)
        self.assertEqual(binding.emag_total, 219.99)
        self.assertEqual(sale.state, "sale")
        self.assertEqual(binding.payment_mode, "cod")
        self.assertFalse(sale.partner_id.is_company)
        self.assertEqual(sale.picking_ids.move_ids.product_uom_qty, 2)
        self.assertEqual(sale.picking_ids.state, "assigned")  # stock reserved

    def test_b2b_card_paid(self):
        customer = dict(
            self.sandbox.seed_orders([{"products": [self._line(101, "10")]}])[0][
                "customer"
            ],
            legal_entity=1,
            company="Firma Test SRL",
            code="12345678",
            is_vat_payer=1,
            registration_number="J40/123/2020",
        )
        binding, sale = self._import(
            payment_mode_id=3,
            payment_status=1,
            shipping_tax="0",
            customer=customer,
            products=[self._line(101, "49.5868")],
        )
        self.assertEqual(sale.amount_total, 60.0)
        self.assertEqual((binding.payment_mode, binding.payment_status), ("card", "1"))
        self.assertTrue(sale.partner_id.is_company)
        self.assertEqual(sale.partner_id.vat, "RO12345678")

    def test_locker_delivery(self):
        _binding, sale = self._import(
            details={"locker_id": "LOCKER-123", "locker_name": "easybox Piata Romana"},
            shipping_tax="9.99",
        )
        self.assertEqual(sale.partner_shipping_id.emag_locker_id, "LOCKER-123")
        self.assertEqual(sale.amount_total, 109.99)

    def test_multi_vat_with_vouchers_and_sgr_deposit(self):
        _binding, sale = self._import(
            shipping_tax="15.00",
            products=[
                self._line(
                    101,
                    "82.6446",
                    product_voucher_split=[
                        {
                            "voucher_id": 7,
                            "value": "-8.2645",
                            "vat_value": "-1.7355",
                            "vat": "0.21",
                            "offered_by": "seller",
                            "voucher_name": "Reducere",
                        }
                    ],
                ),
                self._line(102, "45.0450", quantity=3, vat="0.11"),
                self._line(
                    103,
                    "20.6612",
                    recycle_warranties=[
                        {
                            "quantity": 6,
                            "sale_price": 0.5,
                            "vat_rate": 0,
                            "product_name": "Taxa SGR plastic",
                        }
                    ],
                ),
            ],
            shipping_tax_voucher_split=[
                {
                    "voucher_id": 8,
                    "value": "-4.1322",
                    "vat_value": "-0.8678",
                    "vat": "0.21",
                    "offered_by": "emag",
                    "voucher_name": "Transport gratuit",
                }
            ],
        )
        # headphones 100.00, books 3 x 50.00, water 25.00, deposit 6 x 0.50,
        # shipping 15.00, vouchers -10.00 (seller) and -5.00 (eMAG)
        self.assertEqual(sale.amount_total, 100 + 150 + 25 + 3 + 15 - 10 - 5)
        vouchers = sale.order_line.filtered(
            lambda line: (
                line.product_id == self.env.ref("emag_connector.product_emag_voucher")
            )
        )
        self.assertEqual(sorted(vouchers.mapped("price_unit")), [-10.0, -5.0])
        self.assertIn("emag", " ".join(vouchers.mapped("name")))
        # exactly one tax on every line, the 0% deposit included
        for line in sale.order_line:
            self.assertEqual(len(line.tax_id), 1, line.name)
        taxes = sale.order_line.mapped("tax_id")
        self.assertEqual(taxes, self.tax21 | self.tax11 | self.tax0)
        deposit = sale.order_line.filtered(
            lambda line: (
                line.product_id == self.env.ref("emag_connector.product_emag_deposit")
            )
        )
        self.assertEqual((deposit.product_uom_qty, deposit.price_unit), (6, 0.5))
        self.assertEqual(deposit.tax_id, self.tax0)

    def test_fulfilled_by_emag_takes_no_stock_of_the_seller_and_is_not_acknowledged(
        self,
    ):
        fbe = self.env["stock.warehouse"].create({"name": "eMAG FBE", "code": "FBE"})
        self.account.fbe_warehouse_id = fbe
        binding, sale = self._import(type=2, shipping_tax="0")
        self.assertEqual(binding.order_type, "2")
        self.assertEqual(sale.warehouse_id, fbe)
        self.assertEqual(sale.amount_total, 100.0)
        seller_stock = self.headphones.with_context(
            warehouse_id=self.account.warehouse_id.id
        )
        self.assertEqual(seller_stock.free_qty, 10)
        self.assertFalse(binding.acknowledged)
        self.assertEqual(self.sandbox.call_count("order/acknowledge"), 0)

    def test_unknown_product_is_kept_in_exception_with_its_payload(self):
        seeded = self._seed(products=[self._line(999, "10", ext_part_number="NOPE")])
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "exception")
        self.assertIn("Unknown product", binding.exception_message)
        self.assertIn("NOPE", binding.exception_message)
        self.assertIn('"ext_part_number": "NOPE"', binding.raw_payload)
        self.assertFalse(binding.sale_order_id)
        # not acknowledged by default: still new on eMAG
        self.assertEqual(self.sandbox.acknowledgements.get(seeded["id"], 0), 0)
        # fixed in Odoo, then retried
        self.water.default_code = "NOPE"
        with trap_jobs() as trap:
            binding.action_retry()
            self._run_jobs(trap)
        self.assertEqual(binding.state, "done")
        self.assertEqual(self.sandbox.acknowledgements[seeded["id"]], 1)

    def test_acknowledged_after_import(self):
        seeded = self._seed()
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertTrue(binding.acknowledged)
        self.assertEqual(self.sandbox.orders[seeded["id"]]["status"], 2)
        self.assertEqual(binding.emag_status, "2")


class TestExactlyOnce(EmagOrderCase):
    def test_callback_and_cron_and_a_retry_make_one_sale_order(self):
        seeded = self._seed()
        with trap_jobs() as trap:
            # the callback and the cron both enqueue; the identity key merges them
            self.env["emag.order"]._emag_enqueue_import(
                self.account, order_id=seeded["id"]
            )
            self.env["emag.order"]._job_pull_orders(self.account)
            self.assertEqual(len(trap.enqueued_jobs), 1)
            self._run_jobs(trap)
        binding = self._binding(seeded["id"])
        sale = binding.sale_order_id
        # the worker died after the commit, before the acknowledgement: the
        # import runs again, then the acknowledgement
        self.sandbox.orders[seeded["id"]]["status"] = 1
        with trap_jobs() as trap:
            self.env["emag.order"]._job_import(self.account, seeded["id"])
            self._run_jobs(trap)
        self.assertEqual(binding.sale_order_id, sale)
        self.assertEqual(
            self.env["sale.order"].search_count([("emag_order_id", "=", binding.id)]), 1
        )
        self.assertEqual(self.sandbox.acknowledgements[seeded["id"]], 1)

    def test_acknowledging_an_order_already_in_progress_is_done(self):
        seeded = self._seed()
        self._pull()
        binding = self._binding(seeded["id"])
        self.sandbox.orders[seeded["id"]]["status"] = 1  # as if eMAG lost it
        self.sandbox.acknowledgements[seeded["id"]] = 0
        self.assertTrue(binding._job_acknowledge())
        # run again (a retry): eMAG answers "already in progress", which is done
        self.assertTrue(binding._job_acknowledge())
        self.assertEqual(self.sandbox.orders[seeded["id"]]["status"], 2)
        self.assertEqual(self.sandbox.acknowledgements[seeded["id"]], 2)
        self.assertTrue(binding.acknowledged)
        self.assertEqual(binding.emag_status, "2")


class TestCancellation(EmagOrderCase):
    def test_emag_cancellation_releases_the_reservation_and_stale_data_does_not_undo_it(
        self,
    ):
        seeded = self._seed(products=[self._line(101, "82.6446", quantity=3)])
        self._pull()
        binding = self._binding(seeded["id"])
        sale = binding.sale_order_id
        free = self.headphones.with_context(warehouse_id=self.account.warehouse_id.id)
        self.assertEqual(free.free_qty, 7)
        stale = dict(self.sandbox.orders[seeded["id"]], modified="2020-01-01 10:00:00")
        self.sandbox.update_order(seeded["id"], status=0, reason_cancellation=2)
        self._pull()
        self.assertEqual(sale.state, "cancel")
        free.invalidate_recordset(["free_qty"])
        self.assertEqual(free.free_qty, 10)
        self.assertEqual(binding.emag_status, "0")
        # an older read of the order (status 2) arrives late: ignored
        result = self.env["emag.order"]._emag_import(self.account, stale)
        self.assertEqual(result, "stale")
        self.assertEqual(sale.state, "cancel")
        self.assertEqual(binding.emag_status, "0")

    def test_quantities_and_removed_products_changed_on_emag_are_applied(self):
        seeded = self._seed(
            products=[
                self._line(101, "82.6446", quantity=3),
                self._line(102, "45.0450", quantity=1, vat="0.11"),
            ]
        )
        self._pull()
        sale = self._binding(seeded["id"]).sale_order_id
        lines = self.sandbox.orders[seeded["id"]]["products"]
        lines[0]["quantity"] = 1
        lines[1]["status"] = 0
        self.sandbox.update_order(seeded["id"], products=lines)
        self._pull()
        quantities = {
            line.product_id: line.product_uom_qty
            for line in sale.order_line.filtered("emag_line_id")
        }
        self.assertEqual(quantities, {self.headphones: 1, self.book: 0})
        self.assertEqual(
            sale.picking_ids.move_ids.filtered(
                lambda m: m.product_id == self.headphones and m.state != "cancel"
            ).product_uom_qty,
            1,
        )

    def test_seller_cancellation_goes_to_emag_with_its_reason(self):
        seeded = self._seed()
        self._pull()
        sale = self._binding(seeded["id"]).sale_order_id
        action = sale.action_cancel()
        self.assertEqual(action["res_model"], "emag.order.cancel")
        wizard = (
            self.env["emag.order.cancel"]
            .with_context(**action["context"])
            .create({"reason": "1"})
        )
        with trap_jobs() as trap:
            wizard.action_confirm()
            self._run_jobs(trap)
        self.assertEqual(sale.state, "cancel")
        emag = self.sandbox.orders[seeded["id"]]
        self.assertEqual((emag["status"], int(emag["reason_cancellation"])), (0, 1))
        (save,) = self.sandbox.calls("order/save")
        # every field read was sent back
        self.assertLessEqual(set(seeded), set(save.body["data"][0]))

    def test_a_new_order_cannot_be_cancelled_before_its_acknowledgement(self):
        seeded = self._seed()
        with trap_jobs():  # imported; the acknowledgement has not run yet
            self.env["emag.order"]._emag_import(self.account, seeded)
        binding = self._binding(seeded["id"])
        wizard = self.env["emag.order.cancel"].create(
            {"sale_order_id": binding.sale_order_id.id, "reason": "1"}
        )
        with self.assertRaisesRegex(UserError, "cannot be cancelled on eMAG"):
            wizard.action_confirm()
        self.assertEqual(binding.sale_order_id.state, "sale")


@tagged("post_install", "-at_install")
class TestConcurrentImport(EmagSandboxCase):
    """Two database cursors import at the same time, as two workers do.

    The workers see committed data only: what they need is committed in a
    cursor of its own, and removed afterwards.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            tax = env["account.tax"].search(
                [("name", "=", "TVA 21% concurrency")]
            ) or make_sale_tax(
                env,
                "TVA 21% concurrency",
                21,
                price_include_override="tax_included",
            )
            product = env["product.product"].search(
                [("default_code", "=", "CONC-1")]
            ) or env["product.product"].create(
                {"name": "Concurrency", "default_code": "CONC-1", "is_storable": True}
            )
            # a platform in the company's currency: nothing to activate or
            # convert while the test's own transaction holds the currencies
            currency = env.company.currency_id
            account = env["emag.account"].create(
                {
                    "name": "eMAG concurrency",
                    "platform": "custom",
                    "api_url": self.sandbox.base_url,
                    "username": "seller",
                    "password": "secret",
                    "custom_currency_id": currency.id,
                    "tax_map_ids": [Command.create({"vat_rate": 21, "tax_id": tax.id})],
                }
            )
            env["emag.offer"].create(
                {
                    "account_id": account.id,
                    "product_id": product.id,
                    "emag_offer_id": 777,
                }
            )
            self.account_id, self.code = account.id, currency.name
        self.addCleanup(self._remove_committed)

    def _remove_committed(self):
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            bindings = env["emag.order"].search([("account_id", "=", self.account_id)])
            sales = bindings.sale_order_id
            partners = sales.partner_id.commercial_partner_id
            sales.picking_ids.action_cancel()
            sales.with_context(disable_cancel_warning=True)._action_cancel()
            bindings.write({"sale_order_id": False})
            sales.unlink()
            env["queue.job"].search([("model_name", "=", "emag.order")]).filtered(
                lambda job: set(job.records.ids) <= set(bindings.ids)
            ).unlink()
            bindings.unlink()
            env["emag.offer"].search([("account_id", "=", self.account_id)]).unlink()
            env["emag.account"].browse(self.account_id).unlink()
            env["res.partner"].search([("id", "child_of", partners.ids)]).unlink()

    def _order(self, **order):
        line = {"product_id": 777, "sale_price": "10", "vat": "0.21"}
        seeded = self.sandbox.seed_orders(
            [{"products": [dict(line, currency=self.code)], **order}]
        )[0]
        return dict(self.sandbox.orders[seeded["id"]])

    def _count(self, query, *params):
        with self.registry.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchone()[0]

    def test_two_workers_one_sale_order(self):
        registry = self.registry
        order = self._order()
        with registry.cursor() as cr_a, registry.cursor() as cr_b:
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            account_a = env_a["emag.account"].browse(self.account_id)
            account_b = env_b["emag.account"].browse(self.account_id)
            # A imports the order; its transaction is still open
            result = env_a["emag.order"]._emag_import(account_a, order)
            self.assertEqual(
                result,
                "created",
                env_a["emag.order"].search([]).mapped("exception_message"),
            )
            # B, at the same time, must wait for A: it does not create a
            # second sale order (here it gives up after 0.5 s: queue_job
            # retries a job that meets a lock)
            cr_b.execute("SET lock_timeout = '500ms'")
            with (
                self.assertRaises(psycopg2.errors.LockNotAvailable),
                mute_logger("odoo.sql_db"),
            ):
                env_b["emag.order"]._emag_import(account_b, order)
            cr_b.rollback()
            cr_a.commit()
            # B's retry, once A committed, finds the sale order
            self.assertEqual(
                env_b["emag.order"]._emag_import(account_b, order), "updated"
            )
            cr_b.commit()
        self.assertEqual(
            self._count(
                "SELECT count(*) FROM sale_order so JOIN emag_order eo "
                "ON so.emag_order_id = eo.id WHERE eo.account_id = %s",
                self.account_id,
            ),
            1,
        )

    def test_an_order_being_imported_is_given_way_without_an_error(self):
        registry = self.registry
        order = self._order()
        with registry.cursor() as cr:
            account = self.env(cr=cr)["emag.account"].browse(self.account_id)
            self.env(cr=cr)["emag.order"]._emag_import(account, order)
        with registry.cursor() as cr_a, registry.cursor() as cr_b:
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            # A applies a change of the order; B meets A's lock on it
            changed = dict(order, modified="2099-01-01 00:00:00")
            account_a = env_a["emag.account"].browse(self.account_id)
            self.assertEqual(
                env_a["emag.order"]._emag_import(account_a, changed), "updated"
            )
            with (
                self.assertNoLogs("odoo.sql_db", level="ERROR"),
                self.assertRaisesRegex(RetryableJobError, "another worker"),
            ):
                env_b["emag.order"]._emag_import(
                    env_b["emag.account"].browse(self.account_id), changed
                )

    def test_two_orders_of_one_customer_make_one_partner(self):
        registry = self.registry
        customer = {"id": 4777001, "name": "Ion Concurent"}
        first, second = self._order(customer=customer), self._order(customer=customer)
        with registry.cursor() as cr_a, registry.cursor() as cr_b:
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            account_a = env_a["emag.account"].browse(self.account_id)
            account_b = env_b["emag.account"].browse(self.account_id)
            # B's transaction has begun (a job reads its order from eMAG)
            env_b["res.partner"].search_count([])
            self.assertEqual(
                env_a["emag.order"]._emag_import(account_a, first), "created"
            )
            # while A's import is open, B waits for the customer
            with (
                patch.object(res_partner, "CUSTOMER_LOCK_WAIT", 0.3),
                self.assertRaisesRegex(RetryableJobError, "another worker"),
            ):
                env_b["emag.order"]._emag_import(account_b, second)
            cr_b.rollback()
            env_b["res.partner"].search_count([])  # B's next try begins
            cr_a.commit()
            # A committed the partner after B's snapshot: B cannot see it, and
            # tries again instead of making a second partner
            with self.assertRaisesRegex(RetryableJobError, "has just imported"):
                env_b["emag.order"]._emag_import(account_b, second)
            cr_b.rollback()
            self.assertEqual(
                env_b["emag.order"]._emag_import(account_b, second), "created"
            )
            cr_b.commit()
        self.assertEqual(
            self._count(
                "SELECT count(*) FROM res_partner WHERE emag_customer_id = %s "
                "AND parent_id IS NULL",
                "4777001",
            ),
            1,
        )
        self.assertEqual(
            self._count(
                "SELECT count(DISTINCT so.partner_id) FROM sale_order so JOIN "
                "emag_order eo ON so.emag_order_id = eo.id WHERE eo.account_id = %s",
                self.account_id,
            ),
            1,
        )
