from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .test_emag_order import EmagOrderCase


@tagged("post_install", "-at_install")
class TestAwb(EmagOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        client = cls.account._emag_client()
        cls.env["emag.address"]._emag_import(cls.account, client)
        cls.env["emag.courier.account"]._emag_import(cls.account, client)
        cls.pickup = cls.env["emag.address"].search(
            [("account_id", "=", cls.account.id), ("address_id", "=", "1001")]
        )
        cls.account.pickup_address_id = cls.pickup
        cls.env.company.phone = "+40 21 300 0000"
        cls.headphones.weight = 0.5

    def _order(self, quantity=1, **order):
        order.setdefault("products", [self._line(101, "82.6446", quantity=quantity)])
        seeded = self._seed(**order)
        self._pull()
        binding = self._binding(seeded["id"])
        self.assertEqual(binding.emag_status, "2", binding.exception_message)
        return binding, binding.sale_order_id.picking_ids

    def _validate(self, picking, quantity=None):
        """The Validate button, then the jobs it enqueued. Returns what the
        button returned (a wizard) when it did not validate."""
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
        with trap_jobs() as trap:
            result = picking.button_validate()
            self._run_jobs(trap)
        return result

    def _cluj(self):
        """The county and country of a warehouse in Cluj (whatever address the
        company has, demo data included)."""
        return {
            "state_id": self.env.ref("base.RO_CJ").id,
            "country_id": self.env.ref("base.ro").id,
        }

    def _awb_request(self):
        (call,) = self.sandbox.calls("awb/save")
        return call.body["data"]

    def test_validate_issues_one_awb_attaches_the_label_and_finalizes(self):
        binding, picking = self._order(payment_mode_id=1, shipping_tax="19.99")
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        awb = picking.emag_awb_id
        self.assertEqual(awb.state, "issued", awb.error_message)
        request = self._awb_request()
        self.assertEqual(request["order_id"], binding.emag_order_id)
        self.assertEqual(request["cod"], 119.99)  # 100.00 + 19.99 shipping
        self.assertEqual(request["sender"]["address_id"], "1001")
        self.assertEqual(request["sender"]["phone1"], "+40213000000")
        self.assertEqual(request["receiver"]["locality_id"], 8801)
        self.assertEqual(request["receiver"]["street"], "Strada Exemplu 1")
        self.assertEqual((request["parcel_number"], request["weight"]), (1, 0.5))
        # every id eMAG returned is stored, the tracking number set
        stored = self.sandbox.awbs[awb.emag_id]
        self.assertEqual(awb.reservation_id, stored["reservation_id"])
        self.assertEqual(awb.awb_number, stored["awb"][0]["awb_number"])
        self.assertEqual(awb.awb_barcode, stored["awb"][0]["awb_barcode"])
        self.assertEqual(awb.courier_name, "Sameday")
        self.assertEqual(picking.carrier_tracking_ref, awb.awb_number)
        # the label, downloaded and attached to the delivery
        self.assertEqual(awb.label_id.res_model, "stock.picking")
        self.assertEqual(awb.label_id.res_id, picking.id)
        self.assertTrue(awb.label_id.raw.startswith(b"%PDF"))
        self.assertIn(awb.awb_number.encode(), awb.label_id.raw)
        # finalized on eMAG, and read back
        self.assertEqual(self.sandbox.orders[binding.emag_order_id]["status"], 4)
        self.assertEqual(binding.emag_status, "4")
        self.assertTrue(binding.finalized_date)
        # a retried job, or the delivery done again, asks for no second AWB
        with trap_jobs() as trap:
            self.assertEqual(awb._job_issue(), "already issued")
            picking._action_done()
            trap.assert_jobs_count(0)
        self.assertEqual(self.sandbox.call_count("awb/save"), 1)
        self.assertEqual(len(binding.awb_ids), 1)

    def test_backorder_gets_its_own_awb_without_cash_on_delivery(self):
        binding, picking = self._order(quantity=2, payment_mode_id=1)
        wizard = self._validate(picking, quantity=1)
        self.assertEqual(wizard["res_model"], "stock.backorder.confirmation")
        with trap_jobs() as trap:
            Form(
                self.env[wizard["res_model"]].with_context(**wizard["context"])
            ).save().process()
            self._run_jobs(trap)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.emag_awb_id.state, "issued")
        backorder = binding.sale_order_id.picking_ids - picking
        self.assertEqual(backorder.state, "assigned")
        self.assertFalse(backorder.emag_awb_ids)
        self._validate(backorder)
        self.assertEqual(backorder.emag_awb_id.state, "issued")
        first, second = (c.body["data"] for c in self.sandbox.calls("awb/save"))
        self.assertEqual(first["cod"], 219.99)
        self.assertEqual(second["cod"], 0)  # the first parcel collects the money
        self.assertNotEqual(
            picking.carrier_tracking_ref, backorder.carrier_tracking_ref
        )
        self.assertEqual(len(binding.awb_ids), 2)

    def test_card_order_to_a_locker(self):
        _binding, picking = self._order(
            payment_mode_id=3,
            payment_status=1,
            details={"locker_id": "LOCKER-123", "locker_name": "easybox Piata Romana"},
        )
        self._validate(picking)
        request = self._awb_request()
        self.assertEqual(request["cod"], 0)
        self.assertEqual(request["locker_id"], "LOCKER-123")
        self.assertEqual(picking.emag_awb_id.state, "issued")

    def test_enforced_courier_account_wins_over_the_account_default(self):
        self.account.courier_account_id = self.env["emag.courier.account"].search(
            [("account_id", "=", self.account.id), ("emag_id", "=", 5186)]
        )
        _binding, picking = self._order(enforced_vendor_courier_accounts=[7241])
        self._validate(picking)
        self.assertEqual(self._awb_request()["courier_account_id"], 7241)
        self.assertEqual(picking.emag_awb_id.courier_name, "FAN Courier")
        # an order that allows it gets the account's courier
        _binding, other = self._order()
        self._validate(other)
        requests = [c.body["data"] for c in self.sandbox.calls("awb/save")]
        self.assertEqual(requests[-1]["courier_account_id"], 5186)

    def test_no_courier_allowed_means_no_awb(self):
        _binding, picking = self._order(enforced_vendor_courier_accounts=[])
        self._validate(picking)
        awb = picking.emag_awb_id
        self.assertEqual(awb.state, "error")
        self.assertIn("enforced courier accounts is empty", awb.error_message)
        self.assertEqual(self.sandbox.call_count("awb/save"), 0)
        self.assertIn(awb.error_message, picking.message_ids[0].body)

    def test_no_awb_for_an_order_cancelled_on_emag(self):
        binding, picking = self._order()
        self.sandbox.update_order(binding.emag_order_id, status=0)
        self._validate(picking)
        self.assertEqual(picking.emag_awb_id.state, "error")
        self.assertIn("is cancelled", picking.emag_awb_id.error_message)
        self.assertEqual(self.sandbox.call_count("awb/save"), 0)

    def test_an_awb_issued_outside_odoo_is_not_issued_again(self):
        """An order finalized on eMAG while Odoo holds no AWB (issued in eMAG's
        interface, or by a call whose answer was lost) gets no second one."""
        binding, picking = self._order()
        self.sandbox.update_order(binding.emag_order_id, status=4)
        self._validate(picking)
        self.assertEqual(picking.emag_awb_id.state, "error")
        self.assertIn("already finalized", picking.emag_awb_id.error_message)
        self.assertEqual(self.sandbox.call_count("awb/save"), 0)

    def test_parcels_asked_before_validation(self):
        self.account.awb_ask_parcels = True
        _binding, picking = self._order()
        action = self._validate(picking)
        self.assertEqual(action["res_model"], "emag.awb.wizard")
        self.assertEqual(picking.state, "assigned")  # not validated yet
        wizard = self.env["emag.awb.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.line_ids.parcel_number, 1)
        self.assertEqual(wizard.line_ids.weight, 0.5)
        wizard.line_ids.write({"parcel_number": 0, "envelope_number": 0})
        with self.assertRaisesRegex(UserError, "at least one parcel"):
            wizard.action_confirm()
        wizard.line_ids.write({"parcel_number": 2, "weight": 3.5})
        with trap_jobs() as trap:
            wizard.action_confirm()
            self._run_jobs(trap)
        self.assertEqual(picking.state, "done")
        request = self._awb_request()
        self.assertEqual((request["parcel_number"], request["weight"]), (2, 3.5))

    def test_awb_by_hand_when_validation_does_nothing(self):
        self.account.delivery_action = "none"
        binding, picking = self._order()
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.emag_awb_ids)
        self.assertEqual(self.sandbox.call_count("order/save"), 0)
        action = picking.action_emag_issue_awb()
        wizard = self.env["emag.awb.wizard"].browse(action["res_id"])
        self.assertFalse(wizard.validate_picking_ids)
        with trap_jobs() as trap:
            wizard.action_confirm()
            self._run_jobs(trap)
        self.assertEqual(picking.emag_awb_id.state, "issued")
        self.assertEqual(binding.emag_status, "4")
        with self.assertRaisesRegex(UserError, "already has an eMAG AWB"):
            picking._emag_request_awb()

    def test_prepared_policy_only_marks_the_order_prepared(self):
        self.account.delivery_action = "prepared"
        binding, picking = self._order()
        self._validate(picking)
        self.assertEqual(self.sandbox.orders[binding.emag_order_id]["status"], 3)
        self.assertEqual(binding.emag_status, "3")
        self.assertEqual(self.sandbox.call_count("awb/save"), 0)

    def test_sender_from_the_warehouse_address(self):
        self.account.pickup_address_id = False
        partner = self.account.warehouse_id.partner_id
        partner.write(
            {
                "street": "Strada Fabricii 5",
                "city": "Cluj-Napoca",
                "zip": "400001",
                **self._cluj(),
            }
        )
        _binding, picking = self._order()
        self._validate(picking)
        sender = self._awb_request()["sender"]
        self.assertNotIn("address_id", sender)
        self.assertEqual(sender["locality_id"], 9312)
        self.assertEqual(sender["street"], "Strada Fabricii 5")
        # the locality is now known: no second lookup
        _binding, other = self._order()
        self._validate(other)
        self.assertEqual(self.sandbox.call_count("locality/read"), 1)

    def test_unknown_warehouse_locality_is_explained(self):
        self.account.pickup_address_id = False
        self.account.warehouse_id.partner_id.city = "Nicaieri"
        _binding, picking = self._order()
        self._validate(picking)
        self.assertEqual(picking.emag_awb_id.state, "error")
        self.assertIn("no locality matches", picking.emag_awb_id.error_message)

    def test_label_download_again_replaces_it(self):
        self.account.awb_format = "ZPL"
        _binding, picking = self._order()
        self._validate(picking)
        awb = picking.emag_awb_id
        first = awb.label_id
        self.assertTrue(first.name.endswith(".zpl"))
        self.assertIn(b"^XA", first.raw)
        with trap_jobs() as trap:
            picking.action_emag_download_label()
            self._run_jobs(trap)
        self.assertNotEqual(awb.label_id, first)
        self.assertFalse(first.exists())

    def test_a_finalized_order_is_cancelled_only_within_48_hours(self):
        binding, picking = self._order()
        self._validate(picking)
        self.assertEqual(binding.emag_status, "4")
        sale = binding.sale_order_id
        wizard = self.env["emag.order.cancel"].create({"sale_order_id": sale.id})
        binding.finalized_date = fields.Datetime.now() - timedelta(hours=47)
        wizard._check_allowed(binding)  # still allowed
        binding.finalized_date = fields.Datetime.now() - timedelta(hours=49)
        with self.assertRaisesRegex(UserError, "finalized more than 48 hours ago"):
            wizard.action_confirm()
        self.assertEqual(sale.state, "sale")
        self.assertEqual(self.sandbox.call_count("order/save"), 0)

    def test_a_warehouse_user_validates(self):
        user = self.env["res.users"].create(
            {
                "name": "Depozit",
                "login": "depozit-awb",
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        _binding, picking = self._order()
        self._validate(picking.with_user(user))
        self.assertEqual(picking.emag_awb_id.state, "issued")
        self.assertEqual(
            picking.with_user(user).emag_awb_id.awb_number, picking.carrier_tracking_ref
        )

    def test_the_awb_waits_for_the_acknowledgement(self):
        seeded = self._seed()
        with trap_jobs():  # imported; the acknowledgement has not run yet
            self.env["emag.order"]._emag_import(self.account, seeded)
        picking = self._binding(seeded["id"]).sale_order_id.picking_ids
        picking.move_ids.quantity = 1
        with trap_jobs() as trap:
            picking.button_validate()
            (job,) = trap.enqueued_jobs
            with self.assertRaisesRegex(RetryableJobError, "not acknowledged yet"):
                job.perform()
        self.assertEqual(picking.emag_awb_id.state, "pending")
        self.assertEqual(self.sandbox.call_count("awb/save"), 0)

    def test_one_parcel_per_package_and_their_weight(self):
        _binding, picking = self._order(quantity=2)
        line = picking.move_line_ids
        line.quantity = 1
        line.copy({"quantity": 1, "move_id": line.move_id.id})
        for move_line, weight in zip(picking.move_line_ids, (1.2, 0.8), strict=True):
            move_line.result_package_id = self.env["stock.quant.package"].create(
                {"shipping_weight": weight}
            )
        self.assertEqual(
            picking._emag_parcels(),
            {"parcel_number": 2, "envelope_number": 0, "weight": 2.0},
        )
        with trap_jobs() as trap:
            picking.button_validate()
            self._run_jobs(trap)
        request = self._awb_request()
        self.assertEqual((request["parcel_number"], request["weight"]), (2, 2.0))

    def test_picking_in_two_steps_marks_prepared_then_issues_the_awb(self):
        self.account.warehouse_id.delivery_steps = "pick_ship"
        binding, pickings = self._order()
        pick = pickings.filtered(lambda p: p.picking_type_code == "internal")
        self._validate(pick)
        ship = binding.sale_order_id.picking_ids - pick
        self.assertEqual(ship.picking_type_code, "outgoing")
        self.assertEqual(self.sandbox.orders[binding.emag_order_id]["status"], 3)
        self.assertEqual(binding.emag_status, "3")
        self.assertFalse(pick.emag_awb_ids)
        self._validate(ship)
        self.assertEqual(ship.emag_awb_id.state, "issued")
        self.assertEqual(binding.emag_status, "4")
        self.assertEqual(self.sandbox.call_count("order/save"), 1)
        self.assertEqual(self.sandbox.call_count("awb/save"), 1)

    def test_courier_status_is_read_from_emag(self):
        _binding, picking = self._order()
        self._validate(picking)
        awb = picking.emag_awb_id
        self.sandbox.awbs[awb.emag_id]["status"].append(
            {"code": "DLV", "name": "Delivered", "description": "AWB delivered"}
        )
        with trap_jobs() as trap:
            awb.action_refresh_status()
            self._run_jobs(trap)
        self.assertEqual(
            (awb.courier_status_code, awb.courier_status), ("DLV", "Delivered")
        )
        self.assertIn("Delivered", picking.message_ids[0].body)
        self.assertEqual(self.sandbox.call_count("awb/read"), 1)

    def test_a_server_error_on_the_awb_is_retried_only_when_it_is_safe(self):
        binding, picking = self._order(quantity=2)
        self.sandbox.inject_fault("5xx", route="awb/save")
        wizard = self._validate_partially(picking)
        # the order's first AWB: a retry re-reads the order first
        (job,) = [j for j in wizard if j.method_name == "_job_issue"]
        with self.assertRaises(RetryableJobError):
            job.perform()
        self.assertEqual(picking.emag_awb_id.state, "pending")
        with trap_jobs() as trap:
            job.perform()
            self._run_jobs(trap)
        self.assertEqual(
            picking.emag_awb_id.state, "issued", picking.emag_awb_id.error_message
        )
        # a later AWB: the order is finalized either way, so a person checks
        backorder = binding.sale_order_id.picking_ids - picking
        self.sandbox.inject_fault("5xx", route="awb/save")
        self._validate(backorder)
        self.assertEqual(backorder.emag_awb_id.state, "error")
        self.assertIn("did not say whether", backorder.emag_awb_id.error_message)
        self.assertEqual(len(binding.awb_ids.filtered("emag_id")), 1)

    def _validate_partially(self, picking):
        """Validate one unit, keep a backorder; return the jobs enqueued."""
        picking.move_ids.quantity = 1
        with trap_jobs() as trap:
            wizard = picking.button_validate()
            Form(
                self.env[wizard["res_model"]].with_context(**wizard["context"])
            ).save().process()
            return list(trap.enqueued_jobs)

    def test_a_failing_locality_lookup_is_retried(self):
        self.account.pickup_address_id = False
        self.account.warehouse_id.partner_id.write(
            {"street": "Strada Fabricii 5", "city": "Cluj-Napoca", **self._cluj()}
        )
        _binding, picking = self._order()
        self.sandbox.inject_fault("5xx", route="locality/read")
        picking.move_ids.quantity = 1
        with trap_jobs() as trap:
            picking.button_validate()
            (job,) = trap.enqueued_jobs
            with self.assertRaises(RetryableJobError):
                job.perform()
            self.assertEqual(picking.emag_awb_id.state, "pending")
            job.perform()
            self._run_jobs(trap)
        self.assertEqual(
            picking.emag_awb_id.state, "issued", picking.emag_awb_id.error_message
        )
