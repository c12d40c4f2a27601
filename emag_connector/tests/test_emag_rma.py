import psycopg2

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import EmagSandboxCase
from .test_invoice_attachment import EmagInvoiceCase


class EmagReturnCase(EmagInvoiceCase):
    """Returns of finalized eMAG orders, shipped by the seller and invoiced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.delivery_action = "none"  # the AWB is not what is tested
        cls.returns_location = cls.env["stock.location"].create(
            {
                "name": "eMAG returns",
                "usage": "internal",
                "location_id": cls.account.warehouse_id.view_location_id.id,
            }
        )
        cls.account.return_location_id = cls.returns_location
        cls.env["stock.quant"]._update_available_quantity(
            cls.book, cls.account.warehouse_id.lot_stock_id, 10
        )

    def _finalized_order(self, **order):
        """An order imported, invoiced, shipped and finalized on eMAG: two
        headphones and a book, with shipping."""
        order.setdefault(
            "products",
            [
                self._line(101, "82.6446", quantity=2),
                self._line(102, "10", quantity=1, vat="0.11"),
            ],
        )
        order.setdefault("shipping_tax", "19.99")
        seeded = self._seed(**order)
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "done", binding.exception_message)
        sale = binding.sale_order_id
        invoice = sale._create_invoices()
        invoice.action_post()
        for picking in sale.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            with trap_jobs():
                picking.button_validate()
        with self.sandbox._lock:
            self.sandbox._finalize(self.sandbox.orders[binding.emag_order_id])
        self._pull()
        self.assertEqual(binding.emag_status, "4")
        return binding, invoice

    def _pull_returns(self):
        with trap_jobs() as trap:
            self.env["emag.rma"]._job_pull_returns(self.account)
            self._run_jobs(trap)

    def _return(self, binding, products=None, **fields):
        rma = self.sandbox.create_return(binding.emag_order_id, products, **fields)
        self._pull_returns()
        found = self.env["emag.rma"].search(
            [("account_id", "=", self.account.id), ("emag_id", "=", rma["emag_id"])]
        )
        self.assertEqual(len(found), 1)
        return found

    def _press(self, rma, action):
        """A button of the return, then the jobs it enqueued."""
        with trap_jobs() as trap:
            getattr(rma, action)()
            calls = len(self.sandbox.requests)
            trap.assert_jobs_count(1)
            # eMAG is called by the job only, never in the user's transaction
            self.assertEqual(len(self.sandbox.requests), calls)
            self._run_jobs(trap)

    def _receive(self, rma, picking=None):
        """The warehouse validates the return picking."""
        picking = picking or rma.return_picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        with trap_jobs() as trap:
            calls = len(self.sandbox.requests)
            picking.button_validate()
            self.assertEqual(len(self.sandbox.requests), calls)
            trap.assert_jobs_count(1, only=rma._job_push_status)
            self._run_jobs(trap)
        self.assertEqual(picking.state, "done")

    def _emag_rma(self, rma):
        return self.sandbox.rmas[rma.emag_id]


@tagged("post_install", "-at_install")
class TestReturnFlow(EmagReturnCase):
    def test_request_imported_once_with_its_lines_reason_and_payload(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(
            binding,
            [{"product_id": 101, "quantity": 1, "return_reason": 7177}],
            return_reason=7177,
            observations="Nu se aude stanga",
            pickup_method=2,
            return_type=3,
            customer_account_iban="RO49AAAA1B31007593840000",
        )
        self.assertEqual(rma.state, "done", rma.exception_message)
        self.assertEqual(rma.request_status, "2")
        self.assertEqual(rma.order_id, binding)
        self.assertEqual(rma.sale_order_id, binding.sale_order_id)
        self.assertEqual(rma.return_type, "3")
        self.assertEqual(rma.pickup_method, "2")
        self.assertEqual(rma.customer_iban, "RO49AAAA1B31007593840000")
        self.assertIn("Strada Exemplu 1", rma.pickup_address)
        self.assertEqual(rma.line_ids.product_id, self.headphones)
        self.assertEqual(rma.line_ids.quantity, 1)
        # a reason eMAG's list has and Odoo did not know: kept, named by its id
        self.assertEqual(rma.reason_id.emag_id, 7177)
        self.assertEqual(rma.line_ids.reason_id, rma.reason_id)
        self.assertEqual(rma.reason_id.display_name, "Unnamed eMAG reason (7177)")
        self.assertEqual(rma.picking_id, binding.sale_order_id.picking_ids)
        self.assertIn("Nu se aude stanga", rma.raw_payload)
        # nothing comes back before the request is approved
        self.assertFalse(rma.return_picking_ids)
        # read again (a pull, a callback): still one binding, one reason
        self._pull_returns()
        rma.action_retry()
        self.assertEqual(
            self.env["emag.rma"].search_count([("order_id", "=", binding.id)]), 1
        )
        self.assertEqual(
            self.env["emag.rma.reason"].search_count([("emag_id", "=", 7177)]), 1
        )
        self.assertEqual(binding.sale_order_id.emag_rma_count, 1)

    def test_partial_return_approve_receive_finalize_storno_and_credit_note(self):
        binding, invoice = self._finalized_order()
        rma = self._return(binding, [{"product_id": 101, "quantity": 1}])
        self._press(rma, "action_approve")
        self.assertEqual(self._emag_rma(rma)["request_status"], 3)
        self.assertEqual(rma.request_status, "3")
        self.assertFalse(rma.push_status)
        # one return picking, from the delivery, into the account's location
        picking = rma.return_picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_code, "incoming")
        self.assertEqual(picking.location_dest_id, self.returns_location)
        self.assertEqual(picking.move_ids.product_id, self.headphones)
        self.assertEqual(picking.move_ids.product_uom_qty, 1)
        self.assertEqual(rma.picking_id, binding.sale_order_id.picking_ids[:1])
        # the same request read again (a late callback) makes no second one
        self.env["emag.rma"]._emag_import(self.account, self._emag_rma(rma))
        self.assertEqual(rma.return_picking_ids, picking)
        # the warehouse receives it: Received goes to eMAG in a job
        self._receive(rma)
        self.assertEqual(self._emag_rma(rma)["request_status"], 6)
        self.assertEqual(rma.request_status, "6")
        self.assertEqual(binding.sale_order_id.order_line[0].qty_delivered, 1)
        # finalized: a storno of one headphone, the book and shipping stay
        self._press(rma, "action_finalize")
        self.assertEqual(rma.request_status, "7")
        self.assertTrue(rma.settled, rma.push_error)
        order = self.sandbox.orders[binding.emag_order_id]
        self.assertEqual(order["status"], 4)
        quantities = {p["product_id"]: p["quantity"] for p in order["products"]}
        self.assertEqual(quantities, {101: 1, 102: 1})
        (storno,) = [
            call.body["data"][0]
            for call in self.sandbox.calls("order/save")
            if call.body["data"][0].get("is_storno")
        ]
        self.assertEqual(storno["status"], 4)
        # the sale order keeps what was ordered: the return is in the picking
        self.assertEqual(binding.sale_order_id.order_line[0].product_uom_qty, 2)
        # the credit note: Odoo's reversal of the invoice, for one headphone
        credit = rma.credit_note_id
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.state, "draft")
        self.assertEqual(credit.reversed_entry_id, invoice)
        self.assertEqual(credit.emag_order_id, binding)
        self.assertEqual(credit.invoice_line_ids.product_id, self.headphones)
        self.assertEqual(credit.invoice_line_ids.quantity, 1)
        self.assertAlmostEqual(credit.amount_total, 100.0, places=2)
        # settling again (a retried job) changes nothing on either side
        saves = self.sandbox.call_count("order/save")
        rma.settled = False
        self.assertEqual(rma._job_settle(), "settled")
        self.assertEqual(self.sandbox.call_count("order/save"), saves)
        self.assertEqual(rma.credit_note_id, credit)

    def test_a_storno_emag_refuses_stays_visible_and_is_retried(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(binding, [{"product_id": 102, "quantity": 1}])
        self._press(rma, "action_approve")
        self._receive(rma)
        self.sandbox.inject_fault(
            "is_error", route="order/save", messages=["Storno not possible now"]
        )
        self._press(rma, "action_finalize")
        self.assertEqual(rma.request_status, "7")
        self.assertFalse(rma.settled)
        self.assertIn("Storno not possible now", rma.push_error)
        self.assertFalse(rma.credit_note_id)  # nothing half done
        order = self.sandbox.orders[binding.emag_order_id]
        self.assertEqual([p["quantity"] for p in order["products"]], [2, 1])
        with trap_jobs() as trap:
            rma.action_retry_push()
            trap.assert_jobs_count(1, only=rma._job_settle)
            self._run_jobs(trap)
        self.assertTrue(rma.settled, rma.push_error)
        self.assertFalse(rma.push_error)
        order = self.sandbox.orders[binding.emag_order_id]
        self.assertEqual([p["quantity"] for p in order["products"]], [2, 0])
        self.assertEqual(rma.credit_note_id.invoice_line_ids.product_id, self.book)

    def test_everything_back_sets_the_order_returned(self):
        binding, invoice = self._finalized_order()
        rma = self._return(binding)
        self._press(rma, "action_approve")
        self.assertEqual(
            sorted(rma.return_picking_ids.move_ids.mapped("product_uom_qty")),
            [1.0, 2.0],
        )
        self._receive(rma)
        self._press(rma, "action_finalize")
        self.assertTrue(rma.settled, rma.push_error)
        self.assertEqual(self.sandbox.orders[binding.emag_order_id]["status"], 5)
        self.assertEqual(binding.emag_status, "5")
        # every line comes back, shipping included
        self.assertEqual(rma.credit_note_id.amount_total, invoice.amount_total)

    def test_refuse_after_receipt_with_reason_and_shipping_tax(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(binding, [{"product_id": 102, "quantity": 1}])
        self._press(rma, "action_approve")
        self._receive(rma)
        action = rma.action_refuse()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reject_reason = 12
        wizard.return_tax_value = 15.5
        wizard.note = "Produs deteriorat"
        with trap_jobs() as trap:
            wizard.save().action_confirm()
            self._run_jobs(trap)
        sent = self._emag_rma(rma)
        self.assertEqual(sent["request_status"], 4)
        self.assertEqual(sent["return_tax_value"], 15.5)
        self.assertEqual(sent["products"][0]["reject_reason"], 12)
        self.assertEqual(rma.request_status, "4")
        self.assertEqual(rma.return_tax_value, 15.5)

    def test_an_emag_user_approves_and_a_warehouse_user_receives(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(
            binding, [{"product_id": 101, "quantity": 1}], pickup_method=2
        )
        clerk = new_test_user(
            self.env, login="emag_clerk", groups="emag_connector.group_emag_user"
        )
        storekeeper = new_test_user(
            self.env, login="storekeeper", groups="stock.group_stock_user"
        )
        self._press(rma.with_user(clerk), "action_approve")
        self.assertEqual(rma.request_status, "3")
        picking = rma.return_picking_ids.with_user(storekeeper)
        self.assertEqual(picking.emag_rma_id, rma)
        self._receive(rma, picking)
        self.assertEqual(rma.request_status, "6")

    def test_forbidden_changes_are_refused_before_any_call(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(binding, [{"product_id": 101, "quantity": 1}])
        calls = len(self.sandbox.requests)
        with trap_jobs() as trap:
            with self.assertRaisesRegex(
                UserError, "New cannot be changed to Finalized"
            ):
                rma.action_finalize()
            with self.assertRaisesRegex(UserError, "New cannot be changed to Rejected"):
                rma.action_refuse()
            trap.assert_jobs_count(0)
        self.assertEqual(len(self.sandbox.requests), calls)
        self.assertFalse(rma.push_status)

    def test_a_refusal_of_emag_stays_visible_with_a_retry(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(binding, [{"product_id": 101, "quantity": 1}])
        # the customer cancelled it on eMAG meanwhile: Odoo still shows New
        self.sandbox.rmas[rma.emag_id]["request_status"] = 5
        self._press(rma, "action_approve")
        self.assertIn("Canceled cannot be changed to Acknowledged", rma.push_error)
        self.assertEqual(rma.request_status, "5")  # what eMAG shows, imported
        self.assertFalse(rma.return_picking_ids)
        self.assertEqual(self.sandbox.call_count("rma/save"), 0)
        with trap_jobs() as trap:
            rma.action_retry_push()
            trap.assert_jobs_count(1)


@tagged("post_install", "-at_install")
class TestReturnExceptions(EmagReturnCase):
    def test_more_than_delivered_is_an_exception_without_a_picking(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(
            binding, [{"product_id": 101, "quantity": 3}], request_status=3
        )
        self.assertEqual(rma.state, "exception")
        self.assertIn("3.0 to return, but 2.0 delivered", rma.exception_message)
        self.assertFalse(rma.return_picking_ids)
        self.assertTrue(rma.raw_payload)
        with self.assertRaisesRegex(UserError, "in exception"):
            rma.action_mark_received()
        # a second request for what is left of the order is checked against it
        second = self._return(binding, [{"product_id": 101, "quantity": 2}])
        self.assertEqual(second.state, "done", second.exception_message)
        third = self._return(binding, [{"product_id": 101, "quantity": 1}])
        self.assertEqual(third.state, "exception")

    def test_unknown_order_and_unknown_product(self):
        binding, _invoice = self._finalized_order()
        unknown = self.sandbox.seed_rmas(
            [{"order_id": 99999, "products": [{"product_id": 101}]}]
        )[0]
        stranger = self.sandbox.create_return(
            binding.emag_order_id, [{"product_id": 555}]
        )
        with trap_jobs() as trap:
            self.env["emag.rma"]._job_pull_returns(self.account)
            trap.perform_enqueued_jobs()
            # the order is imported first: the return follows it at a next pull
            self.assertIn(
                "_job_import", [job.method_name for job in trap.enqueued_jobs]
            )
        returns = self.env["emag.rma"].search([("account_id", "=", self.account.id)])
        by_id = {r.emag_id: r for r in returns}
        self.assertIn("not imported", by_id[unknown["emag_id"]].exception_message)
        self.assertIn("555", by_id[stranger["emag_id"]].exception_message)
        self.assertEqual(by_id[stranger["emag_id"]].state, "exception")

    def test_returns_of_orders_fulfilled_by_emag_never_touch_the_stock(self):
        fbe = self.env["stock.warehouse"].create({"name": "eMAG FBE", "code": "FBE"})
        self.account.fbe_warehouse_id = fbe
        seeded = self._seed(type=2, status=4)
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.state, "done", binding.exception_message)
        rma = self.sandbox.seed_rmas(
            [
                {
                    "order_id": binding.emag_order_id,
                    "type": 2,
                    "request_status": 3,
                    "products": [{"product_id": 101}],
                }
            ]
        )[0]
        self._pull_returns()
        found = self.env["emag.rma"].search([("emag_id", "=", rma["emag_id"])])
        self.assertEqual(found.state, "done", found.exception_message)
        self.assertEqual(found.return_kind, "2")
        self.assertFalse(found.return_picking_ids)

    def test_open_returns_are_read_again_until_final(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(binding, [{"product_id": 101, "quantity": 1}])
        # eMAG finalizes or cancels without a callback: the next pull sees it
        self.sandbox.rmas[rma.emag_id]["request_status"] = 5
        self._pull_returns()
        self.assertEqual(rma.request_status, "5")
        # older data read late does not undo it
        stale = dict(self._emag_rma(rma), request_status=2)
        self.assertEqual(
            self.env["emag.rma"]._emag_import(self.account, stale), "stale"
        )
        self.assertEqual(rma.request_status, "5")


@tagged("post_install", "-at_install")
class TestConcurrentReturnImport(EmagSandboxCase):
    """Two database cursors import one return request at once, as two
    workers do (a callback and a pull); they see committed data only."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            account = env["emag.account"].create(
                {
                    "name": "eMAG concurrent returns",
                    "platform": "custom",
                    "api_url": self.sandbox.base_url,
                    "username": "seller",
                    "password": "secret",
                    "custom_currency_id": env.company.currency_id.id,
                }
            )
            self.account_id = account.id
            cr.execute("SELECT now() at time zone 'UTC'")
            self.started = cr.fetchone()[0]
        self.addCleanup(self._remove_committed)

    def _remove_committed(self):
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            env["emag.rma"].search([("account_id", "=", self.account_id)]).unlink()
            env["emag.rma.reason"].search([("emag_id", "=", 9001)]).unlink()
            env["queue.job"].search(
                [
                    ("model_name", "in", ("emag.order", "emag.rma")),
                    ("date_created", ">=", self.started),
                ]
            ).unlink()
            env["emag.account"].browse(self.account_id).unlink()

    def test_two_workers_one_binding(self):
        rma = self.sandbox.seed_rmas(
            [{"order_id": 4242, "return_reason": 9001, "products": [{}]}]
        )[0]
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            account_a = env_a["emag.account"].browse(self.account_id)
            account_b = env_b["emag.account"].browse(self.account_id)
            env_b["emag.rma"].search_count([])  # B's transaction has begun
            # A imports it (its order is not in Odoo: an exception, kept)
            self.assertEqual(
                env_a["emag.rma"]._emag_import(account_a, rma), "exception"
            )
            # B meets A's uncommitted binding: it waits, here 0.5 s, then its
            # job is retried by queue_job
            cr_b.execute("SET lock_timeout = '500ms'")
            with (
                self.assertRaises(psycopg2.errors.LockNotAvailable),
                mute_logger("odoo.sql_db"),
            ):
                env_b["emag.rma"]._emag_import(account_b, rma)
            cr_b.rollback()
            cr_a.commit()
            # B's retry finds A's binding and reuses it
            self.assertEqual(
                env_b["emag.rma"]._emag_import(account_b, rma), "exception"
            )
            cr_b.commit()
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM emag_rma WHERE account_id = %s",
                [self.account_id],
            )
            self.assertEqual(cr.fetchone()[0], 1)
            cr.execute("SELECT count(*) FROM emag_rma_reason WHERE emag_id = 9001")
            self.assertEqual(cr.fetchone()[0], 1)


@tagged("post_install", "-at_install")
class TestPickupAwb(EmagReturnCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        client = cls.account._emag_client()
        cls.env["emag.address"]._emag_import(cls.account, client)
        cls.env["emag.courier.account"]._emag_import(cls.account, client)
        cls.account.pickup_address_id = cls.env["emag.address"].search(
            [("account_id", "=", cls.account.id), ("address_id", "=", "1001")]
        )
        cls.env.company.phone = "+40 21 300 0000"

    def test_pickup_by_the_sellers_courier_gets_one_awb_from_the_customer(self):
        binding, _invoice = self._finalized_order()
        rma = self._return(
            binding, [{"product_id": 101, "quantity": 1}], pickup_method=2
        )
        with self.assertRaisesRegex(UserError, "approved return"):
            rma.action_issue_pickup_awb()
        self._press(rma, "action_approve")
        self._press(rma, "action_issue_pickup_awb")
        awb = rma.awb_ids
        self.assertEqual(awb.state, "issued", awb.error_message)
        (call,) = self.sandbox.calls("awb/save")
        sent = call.body["data"]
        self.assertEqual(sent["rma_id"], rma.emag_id)
        self.assertEqual(sent["order_id"], binding.emag_order_id)
        self.assertEqual(sent["sender"]["locality_id"], 8801)
        self.assertEqual(sent["sender"]["street"], "Strada Exemplu 1")
        self.assertEqual(sent["receiver"]["address_id"], "1001")
        self.assertEqual(sent["cod"], 0)
        # eMAG lists it on the return; the label is on the return picking
        self.assertEqual(
            self._emag_rma(rma)["awbs"][0]["reservation_id"], awb.reservation_id
        )
        self.assertEqual(awb.picking_id, rma.return_picking_ids)
        self.assertEqual(awb.label_id.res_id, rma.return_picking_ids.id)
        self.assertEqual(rma.return_picking_ids.carrier_tracking_ref, awb.awb_number)
        # a retried job, or the button again, makes no second AWB
        self.assertEqual(awb._job_issue(), "already issued")
        with self.assertRaisesRegex(UserError, "already has a pickup AWB"):
            rma.action_issue_pickup_awb()
        self.assertEqual(self.sandbox.call_count("awb/save"), 1)
