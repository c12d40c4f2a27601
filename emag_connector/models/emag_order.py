"""eMAG orders: every eMAG order becomes exactly one sale order.

Intake (``emag_order_intake.py``): ``_job_pull_orders`` (cron, every 5
minutes) and the order callbacks (``controllers/main.py``) enqueue one
``_job_import`` per order. The import
(``_emag_import``) locks the order's binding row, ignores stale data, and
either creates the sale order (``_emag_create_sale_order``: this is where an
eMAG order becomes a sale order) or applies eMAG's changes to it. The
acknowledgement is a job of its own, enqueued in the same transaction as the
sale order, so it runs only once the sale order is committed.

Exactly once: a unique constraint on (account, eMAG order id), a row lock per
order while it is imported, and the check that the binding has no sale order
yet before one is created.
"""

import json
import logging

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api.orders import order_currencies, order_total, sale_lines
from ..emag_api.status import ORDER_STATUS_LABELS
from ..tools.bindings import locked_binding

_logger = logging.getLogger(__name__)

ORDER_STATUSES = [(str(k), v) for k, v in sorted(ORDER_STATUS_LABELS.items())]
PAYMENT_MODES = {1: "cod", 2: "transfer", 3: "card"}


class EmagOrder(models.Model):
    _name = "emag.order"
    _description = "eMAG Order"
    _inherit = ["mail.thread", "mail.activity.mixin", "emag.order.intake"]
    _order = "emag_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, precompute=True
    )
    emag_order_id = fields.Integer(string="eMAG Order", required=True, index=True)
    order_type = fields.Selection(
        [("3", "Fulfilled by seller"), ("2", "Fulfilled by eMAG")],
        default="3",
        required=True,
    )
    emag_status = fields.Selection(ORDER_STATUSES, string="eMAG Status", tracking=True)
    emag_date = fields.Datetime(string="Order Date", readonly=True)
    emag_modified = fields.Datetime(
        string="Modified on eMAG",
        readonly=True,
        help="eMAG's 'modified' of the data last applied: older data is ignored.",
    )
    emag_read_at = fields.Datetime(
        string="Read from eMAG",
        readonly=True,
        help="When an import last read the order from eMAG by its id: a "
        "callback that came before needs no read of its own.",
    )
    payment_mode = fields.Selection(
        [("cod", "Cash on delivery"), ("transfer", "Bank transfer"), ("card", "Card")],
        readonly=True,
    )
    payment_status = fields.Selection(
        [("0", "Not paid"), ("1", "Paid")], readonly=True, tracking=True
    )
    emag_total = fields.Monetary(
        string="eMAG Total",
        currency_field="currency_id",
        readonly=True,
        help="What the customer pays, with VAT, computed from eMAG's order.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        readonly=True,
        help="The currency of eMAG's amounts: the platform's on the order's date.",
    )
    sale_order_id = fields.Many2one(
        "sale.order", readonly=True, index=True, ondelete="restrict", copy=False
    )
    state = fields.Selection(
        [
            ("pending", "To import"),
            ("done", "Imported"),
            ("cancelled", "Cancelled before import"),
            ("exception", "Exception"),
        ],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    exception_message = fields.Text(readonly=True)
    acknowledged = fields.Boolean(readonly=True, copy=False)
    acknowledged_date = fields.Datetime(readonly=True, copy=False)
    reason_cancellation = fields.Integer(readonly=True)
    shipping_deadline = fields.Datetime(
        readonly=True,
        index="btree_not_null",
        help="When the parcel must be handed to the courier: eMAG's "
        "maximum_date_for_shipment, else the order date plus the account's "
        "handling time.",
    )
    finalized_date = fields.Datetime(
        readonly=True, help="When eMAG finalized the order (its first AWB)."
    )
    awb_ids = fields.One2many("emag.awb", "order_id", string="AWBs")
    raw_payload = fields.Text(
        readonly=True,
        help="The order exactly as eMAG sent it last; order/save sends it back.",
    )
    invoice_ids = fields.One2many(
        "account.move",
        "emag_order_id",
        string="Invoices",
        readonly=True,
        groups="account.group_account_invoice",
        help="Invoices and credit notes of the order, and where their PDF is "
        "on its way to eMAG.",
    )

    _sql_constraints = [
        (
            "emag_order_uniq",
            "unique(account_id, emag_order_id)",
            "This eMAG order is already imported for this account.",
        ),
    ]

    @api.depends("emag_order_id")
    def _compute_name(self):
        for order in self:
            order.name = f"eMAG {order.emag_order_id}"

    def _payload(self):
        self.ensure_one()
        return json.loads(self.raw_payload or "{}")

    # ------------------------------------------------------------------
    # Import: exactly one sale order per eMAG order
    # ------------------------------------------------------------------

    @api.model
    def _emag_binding(self, account, order):
        """The binding of the order, created once, locked for this import."""
        return locked_binding(
            self.with_context(mail_create_nolog=True),
            [("account_id", "=", account.id), ("emag_order_id", "=", int(order["id"]))],
            {
                "account_id": account.id,
                "emag_order_id": int(order["id"]),
                "order_type": str(order.get("type") or 3),
            },
            lambda: self._emag_busy(order),
        )

    @api.model
    def _emag_busy(self, order):
        return RetryableJobError(
            _("eMAG order %s is being imported by another worker.", order["id"]),
            seconds=5,
        )

    @api.model
    def _emag_import(self, account, order, read_at=None):
        """Apply eMAG's order: create its sale order, or update it.
        ``read_at``: when the order was read by its id, just before."""
        binding = self.sudo()._emag_binding(account.sudo(), order)
        if not binding.sale_order_id:
            # an order and its sale order made in one go: nothing to track yet
            binding = binding.with_context(tracking_disable=True)
        if read_at:
            binding.emag_read_at = read_at
        modified = account._emag_datetime(order.get("modified"))
        if binding.emag_modified and modified and modified < binding.emag_modified:
            _logger.info("eMAG order %s: stale data ignored", order["id"])
            return "stale"
        status = int(order.get("status") or 0)
        binding.write(
            {
                "emag_status": str(status),
                "emag_modified": modified or binding.emag_modified,
                "emag_date": account._emag_datetime(order.get("date")),
                "payment_mode": PAYMENT_MODES.get(
                    int(order.get("payment_mode_id") or 0)
                ),
                "payment_status": str(int(order.get("payment_status") or 0)),
                "reason_cancellation": int(order.get("reason_cancellation") or 0),
                "finalized_date": account._emag_datetime(
                    order.get("finalization_date")
                ),
                "shipping_deadline": account._emag_shipping_deadline(order),
                "raw_payload": json.dumps(order, ensure_ascii=False),
            }
        )
        if binding.sale_order_id:
            binding._emag_update_sale_order(order)
            return "updated"
        if status == 0:
            binding.state = "cancelled"
            return "cancelled"
        try:
            with self.env.cr.savepoint():
                binding._emag_create_sale_order(order)
        except UserError as exc:
            binding.write({"state": "exception", "exception_message": str(exc)})
            binding.message_post(body=_("Not imported: %s", exc))
            if binding._emag_to_acknowledge(status) and account.acknowledge_exceptions:
                binding._emag_enqueue_acknowledge()
            return "exception"
        if binding._emag_to_acknowledge(status):
            binding._emag_enqueue_acknowledge()
        return "created"

    def _emag_create_sale_order(self, order):
        """The sale order of an eMAG order, confirmed: customer, lines (products
        by seller offer id, SGR deposits, shipping, vouchers) each with one tax,
        in the currency eMAG charged, totals to the cent."""
        self.ensure_one()
        account = self.account_id
        partner, invoice, delivery = self.env["res.partner"]._emag_partners(
            account, order
        )
        code = self._emag_currency_code(order)
        pricelist = account._emag_order_pricelist(code, self.name)
        taxes = {}  # one lookup per VAT rate and kind of line, not per line
        lines = [
            Command.create(self._emag_sale_line_values(line, taxes))
            for line in sale_lines(order)
        ]
        if not lines:
            raise UserError(_("eMAG order %s has no active product.", order["id"]))
        fbe = self.order_type == "2"
        warehouse = account.fbe_warehouse_id if fbe else account.warehouse_id
        if not warehouse:
            raise UserError(
                _(
                    "Set the warehouse of orders fulfilled by eMAG on the account %s.",
                    account.name,
                )
            )
        values = {
            "partner_id": partner.id,
            "partner_invoice_id": invoice.id,
            "partner_shipping_id": delivery.id,
            "company_id": account.company_id.id,
            "pricelist_id": pricelist.id or False,
            "team_id": account.team_id.id or False,
            "warehouse_id": warehouse.id,
            "client_order_ref": self.name,
            "origin": self.name,
            "date_order": self.emag_date or fields.Datetime.now(),
            "emag_order_id": self.id,
            "order_line": lines,
        }
        position = account._emag_fiscal_position()
        if position:
            values["fiscal_position_id"] = position.id
        sale = self.env["sale.order"].create(values)
        if sale.currency_id.name != code:
            raise UserError(
                _(
                    "eMAG order %(order)s is in %(code)s, its sale order would be "
                    "in %(currency)s: set a pricelist in %(code)s on the eMAG "
                    "account.",
                    order=order["id"],
                    code=code,
                    currency=sale.currency_id.name,
                )
            )
        expected = order_total(order)
        if sale.currency_id.compare_amounts(sale.amount_total, float(expected)):
            raise UserError(
                _(
                    "eMAG order %(order)s: the sale order totals %(odoo)s, eMAG's "
                    "order %(emag)s %(code)s.",
                    order=order["id"],
                    odoo=sale.amount_total,
                    emag=expected,
                    code=code,
                )
            )
        sale.action_confirm()
        self.write(
            {
                "sale_order_id": sale.id,
                "emag_total": float(expected),
                "currency_id": sale.currency_id.id,
                "state": "done",
                "exception_message": False,
            }
        )
        return sale

    def _emag_currency_code(self, order):
        """The currency of the order's amounts: the one its lines give, else the
        platform's on the order's date (BGN on eMAG Bulgaria before 2026)."""
        self.ensure_one()
        codes = order_currencies(order)
        if len(codes) > 1:
            raise UserError(
                _(
                    "eMAG order %(order)s has lines in several currencies "
                    "(%(codes)s): it cannot become one sale order.",
                    order=order["id"],
                    codes=", ".join(sorted(codes)),
                )
            )
        if codes:
            return codes.pop()
        account = self.account_id
        day = account._emag_local(self.emag_date) if self.emag_date else None
        return account._emag_currency_code(day)

    def _emag_sale_line_values(self, line, taxes):
        """A sale order line from an eMAG line (``emag_api.orders.SaleLine``);
        ``taxes`` keeps the tax found for each (VAT rate, kind of line)."""
        account = self.account_id
        margin = {}
        if line.kind == "product":
            offer = self._emag_offer(line)
            product = offer.product_id or self._emag_product(line)
            margin = offer._emag_line_margin(line) if offer else {}
        else:
            product = account._emag_service_product(line.kind)
        name = line.name
        kind = "deposit" if line.kind == "deposit" else "any"
        if (line.vat_rate, kind) not in taxes:
            taxes[line.vat_rate, kind] = account._emag_sale_tax(line.vat_rate, kind)
        if line.kind == "voucher" and line.offered_by:
            name = _("%(name)s (offered by %(by)s)", name=line.name, by=line.offered_by)
        return {
            "product_id": product.id,
            "name": name or product.display_name,
            "product_uom_qty": float(line.quantity),
            "price_unit": float(line.unit_price),
            "tax_id": [Command.set(taxes[line.vat_rate, kind].ids)],
            "emag_line_id": line.emag_line_id if line.kind == "product" else False,
            **margin,
        }

    def _emag_offer(self, line):
        """The offer of an order line, by its seller offer id."""
        return self.env["emag.offer"].search(
            [
                ("account_id", "=", self.account_id.id),
                ("emag_offer_id", "=", line.offer_id or 0),
            ],
            limit=1,
        )

    def _emag_product(self, line):
        """The product of an order line without an offer: by part number."""
        account = self.account_id
        product = self.env["product.product"].search(
            [
                ("default_code", "=", line.part_number or ""),
                ("company_id", "in", [account.company_id.id, False]),
            ],
            limit=1,
        )
        if not product:
            raise UserError(
                _(
                    "Unknown product on eMAG order %(order)s: no offer with seller "
                    "offer id %(offer)s and no product with internal reference "
                    "%(ref)s (%(name)s).",
                    order=self.emag_order_id,
                    offer=line.offer_id,
                    ref=line.part_number,
                    name=line.name,
                )
            )
        return product

    def _emag_update_sale_order(self, order):
        """eMAG changed an imported order: cancellation, products, quantities."""
        self.ensure_one()
        sale = self.sale_order_id
        if int(order.get("status") or 0) == 0 and sale.state != "cancel":
            self._emag_cancel_sale_order()
            return
        if sale.state != "sale" or int(order.get("status") or 0) in (4, 5):
            # a finalized order changes only by a return (storno, status 5),
            # which Odoo already has as a return picking and a credit note
            return
        wanted = {
            line.emag_line_id: line
            for line in sale_lines(order)
            if line.kind == "product"
        }
        for so_line in sale.order_line.filtered("emag_line_id"):
            line = wanted.get(so_line.emag_line_id)
            quantity = float(line.quantity) if line else 0.0
            if so_line.product_uom_qty != quantity:
                so_line.write(
                    {"product_uom_qty": quantity, "price_unit": so_line.price_unit}
                )
                self.message_post(
                    body=_(
                        "eMAG changed %(product)s to %(qty)s.",
                        product=so_line.product_id.display_name,
                        qty=quantity,
                    )
                )

    def _emag_cancel_sale_order(self):
        """eMAG cancelled the order: cancel the sale order and release its stock
        when nothing has shipped; otherwise ask a person."""
        sale = self.sale_order_id
        shipped = sale.picking_ids.filtered(lambda p: p.state == "done")
        if shipped:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("eMAG cancelled an order that has shipped"),
                note=_(
                    "eMAG cancelled order %(order)s (reason %(reason)s) but "
                    "%(pickings)s is done: stop the parcel or handle the return.",
                    order=self.emag_order_id,
                    reason=self.reason_cancellation,
                    pickings=", ".join(shipped.mapped("name")),
                ),
                user_id=sale.user_id.id or self.env.uid,
            )
            return
        sale.with_context(emag_sync=True, disable_cancel_warning=True)._action_cancel()
        self.message_post(
            body=_("Cancelled by eMAG (reason %s).", self.reason_cancellation)
        )

    # ------------------------------------------------------------------
    # Exceptions
    # ------------------------------------------------------------------

    def action_retry(self):
        """Import again an order in exception, reading it from eMAG."""
        for binding in self:
            self._emag_enqueue_import(
                binding.account_id, order_id=binding.emag_order_id
            )
        return True
