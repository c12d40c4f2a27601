"""eMAG return requests (RMA): every return request becomes one binding.

Intake: ``_job_pull_returns`` (cron, every 15 minutes) reads the requests
placed since the account's cursor and every request still open, and the
"New return & status change" callback (``controllers/main.py``) wakes the
read of one request. The import (``_emag_import``) locks the binding's row,
checks the request against the order Odoo imported (products, quantities
delivered) and, once the request is approved, makes its return picking with
Odoo's own return wizard: the goods are in ``emag_rma_stock.py``.

Statuses pushed from Odoo (Approve, Refuse, Received, Finalize) and what
follows a finalized return (order status 5 or a storno, the credit note) are
in ``emag_rma_status.py``.

Exactly once: a unique constraint on (account, eMAG id), a row lock while a
request is imported, and the return picking made only while the binding has
none.
"""

import json
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..emag_api.schemas.rma import RMA_PICKUP_METHODS, RMA_RETURN_TYPES
from ..emag_api.status import RMA_STATUS_LABELS, RMA_STATUS_STAGE
from ..tools.bindings import locked_binding
from ..tools.jobs import emag_retryable

_logger = logging.getLogger(__name__)

RMA_STATUSES = [(str(k), v) for k, v in sorted(RMA_STATUS_LABELS.items())]
#: statuses in which eMAG still changes a request: re-read at every pull
OPEN_STATUSES = (1, 2, 3, 6)
#: statuses in which the goods come back to the seller
APPROVED_STATUSES = ("3", "6", "7")
#: read requests placed this long before the cursor again
PULL_OVERLAP = timedelta(minutes=15)


class EmagRma(models.Model):
    _name = "emag.rma"
    _description = "eMAG Return"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "emag.rma.stock",
        "emag.rma.status",
    ]
    _order = "emag_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    account_id = fields.Many2one(
        "emag.account", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, precompute=True
    )
    emag_id = fields.Integer(string="eMAG Return", required=True, index=True)
    return_kind = fields.Selection(
        [("3", "Fulfilled by seller"), ("2", "Fulfilled by eMAG")],
        string="Fulfilment",
        default="3",
        required=True,
        readonly=True,
    )
    request_status = fields.Selection(
        RMA_STATUSES, string="eMAG Status", readonly=True, tracking=True
    )
    emag_date = fields.Datetime(string="Requested On", readonly=True)
    emag_order_number = fields.Integer(string="eMAG Order Number", readonly=True)
    order_id = fields.Many2one(
        "emag.order", string="eMAG Order", readonly=True, index=True
    )
    # Set on import, not related: a related field would make every write of
    # an order's sale order search the returns.
    sale_order_id = fields.Many2one("sale.order", readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    picking_id = fields.Many2one(
        "stock.picking",
        string="Returned Delivery",
        readonly=True,
        help="The delivery whose goods come back.",
    )
    return_picking_ids = fields.One2many(
        "stock.picking", "emag_rma_id", string="Return Pickings", readonly=True
    )
    credit_note_id = fields.Many2one(
        "account.move",
        readonly=True,
        copy=False,
        help="The draft reversal of the customer invoice for the returned "
        "quantities, prepared when the return is finalized.",
    )
    line_ids = fields.One2many("emag.rma.line", "rma_id", string="Products")
    awb_ids = fields.One2many("emag.awb", "rma_id", string="Pickup AWBs")
    customer_name = fields.Char(readonly=True)
    customer_company = fields.Char(readonly=True)
    customer_phone = fields.Char(readonly=True)
    return_type = fields.Selection(
        [(str(k), v) for k, v in RMA_RETURN_TYPES.items()],
        string="Customer Wants",
        readonly=True,
    )
    pickup_method = fields.Selection(
        [(str(k), v) for k, v in RMA_PICKUP_METHODS.items()], readonly=True
    )
    pickup_address = fields.Text(readonly=True)
    pickup_locality_id = fields.Integer(string="eMAG Pickup Locality", readonly=True)
    pickup_date = fields.Datetime(readonly=True)
    reason_id = fields.Many2one("emag.rma.reason", readonly=True)
    observations = fields.Text(string="Customer Observations", readonly=True)
    customer_iban = fields.Char(string="Customer IBAN", readonly=True)
    customer_bank = fields.Char(readonly=True)
    customer_beneficiary = fields.Char(readonly=True)
    return_tax_value = fields.Float(
        string="Refused Return Shipping Tax",
        readonly=True,
        help="Shipping tax (VAT included) charged to the customer for a refused "
        "return, in the platform's currency.",
    )
    state = fields.Selection(
        [("done", "Imported"), ("exception", "Exception")],
        default="done",
        required=True,
        readonly=True,
        tracking=True,
    )
    exception_message = fields.Text(readonly=True)
    push_status = fields.Selection(
        RMA_STATUSES,
        string="Sending Status",
        readonly=True,
        copy=False,
        help="The status on its way to eMAG.",
    )
    push_error = fields.Text(
        string="Sending Error",
        readonly=True,
        copy=False,
        help="Why eMAG, or the connector before calling it, refused the last "
        "status change.",
    )
    raw_payload = fields.Text(
        readonly=True, help="The return request exactly as eMAG sent it last."
    )

    _sql_constraints = [
        (
            "emag_rma_uniq",
            "unique(account_id, emag_id)",
            "This eMAG return is already imported for this account.",
        ),
    ]

    @api.depends("emag_id")
    def _compute_name(self):
        for rma in self:
            rma.name = _("eMAG Return %s", rma.emag_id)

    @api.depends("order_id")
    def _compute_currency_id(self):
        for rma in self:
            rma.currency_id = rma.order_id.currency_id

    # ------------------------------------------------------------------
    # Intake
    # ------------------------------------------------------------------

    @api.model
    def _job_pull_returns(self, account):
        """Read the requests placed since the account's cursor (every page),
        and those still open: eMAG calls back only for some statuses (not for
        Finalized or Canceled). An open request Odoo knows that is not among
        the open ones any more is read by its id. The cursor moves only when
        everything was read."""
        account = account.sudo()
        now = fields.Datetime.now().replace(microsecond=0)
        since = (account.returns_cursor or now - timedelta(days=30)) - PULL_OVERLAP
        with self.env["emag.account.run"]._emag_run(account, "returns") as run:
            client = account._emag_client()
            seen = {}
            with emag_retryable():
                for rma in client.read_rmas(
                    date_start=account._emag_local(since).strftime("%Y-%m-%d %H:%M:%S"),
                    date_end=account._emag_local(now).strftime("%Y-%m-%d %H:%M:%S"),
                ):
                    seen[int(rma["emag_id"])] = rma
                for status in OPEN_STATUSES[1:]:
                    for rma in client.read_rmas(request_status=status):
                        seen[int(rma["emag_id"])] = rma
            left_open = self.search(
                [
                    ("account_id", "=", account.id),
                    ("request_status", "in", [str(s) for s in OPEN_STATUSES]),
                    ("emag_id", "not in", list(seen)),
                ]
            )
            for rma in seen.values():
                self._emag_enqueue_import(account, rma)
            for binding in left_open:
                self._emag_enqueue_import(account, emag_id=binding.emag_id)
            account.write({"returns_cursor": now, "last_returns_pull": now})
            known = self.search_count(
                [("account_id", "=", account.id), ("emag_id", "in", list(seen))]
            )
            run.update(read=len(seen), updated=known, created=len(seen) - known)
        return len(seen)

    @api.model
    def _emag_enqueue_import(self, account, rma=None, emag_id=None):
        """One import job per request: from the request read, or by id
        (callbacks: the job reads the request from eMAG)."""
        emag_id = int(rma["emag_id"]) if rma else int(emag_id)
        return (
            self.sudo()
            .with_delay(
                identity_key=f"emag-return-{account.id}-{emag_id}",
                description=_("Import eMAG return %s", emag_id),
            )
            ._job_import(account, emag_id, rma)
        )

    @api.model
    def _job_import(self, account, emag_id, rma=None):
        if rma is None:
            with emag_retryable():
                rma = account._emag_client().read_rma(emag_id)
            if not rma:
                raise UserError(_("eMAG has no return %s.", emag_id))
        return self._emag_import(account, rma)

    # ------------------------------------------------------------------
    # Import: one binding per return request
    # ------------------------------------------------------------------

    @api.model
    def _emag_binding(self, account, rma):
        """The binding of the request, created once, locked for this import."""
        emag_id = int(rma["emag_id"])
        return locked_binding(
            self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True),
            [("account_id", "=", account.id), ("emag_id", "=", emag_id)],
            {
                "account_id": account.id,
                "emag_id": emag_id,
                "return_kind": "2" if int(rma.get("type") or 3) == 2 else "3",
            },
            lambda: self._emag_busy(emag_id),
        )

    @api.model
    def _emag_busy(self, emag_id):
        return RetryableJobError(
            _("eMAG return %s is being imported by another worker.", emag_id),
            seconds=5,
        )

    @api.model
    def _emag_import(self, account, rma):
        """Apply eMAG's request: the binding and its lines, checked against
        the order; the return picking once approved."""
        binding = self.sudo()._emag_binding(account.sudo(), rma)
        status = int(rma.get("request_status") or 0)
        known = int(binding.request_status or 0)
        if RMA_STATUS_STAGE.get(status, 0) < RMA_STATUS_STAGE.get(known, 0):
            _logger.info("eMAG return %s: older data ignored", binding.emag_id)
            return "stale"
        binding.write(binding._emag_values(rma))
        binding._emag_write_lines(rma)
        if not binding.picking_id and binding.return_kind == "3":
            binding.picking_id = binding._emag_deliveries()[:1]
        try:
            with self.env.cr.savepoint():
                binding._emag_check()
                if binding.request_status in APPROVED_STATUSES:
                    binding._emag_make_return_pickings()
                elif binding.request_status in ("4", "5"):
                    binding._emag_cancel_return_pickings()
        except UserError as exc:
            if binding.state != "exception" or binding.exception_message != str(exc):
                binding.write({"state": "exception", "exception_message": str(exc)})
                binding.message_post(body=_("Exception: %s", exc))
            return "exception"
        binding.write({"state": "done", "exception_message": False})
        if binding.request_status == "7" and not binding.settled:
            binding._emag_enqueue_settle()
        return "imported"

    def _emag_values(self, rma):
        account = self.account_id
        order = self.env["emag.order"].search(
            [
                ("account_id", "=", account.id),
                ("emag_order_id", "=", int(rma.get("order_id") or 0)),
            ]
        )
        address = ", ".join(
            str(rma[key])
            for key in (
                "pickup_address",
                "pickup_suburb",
                "pickup_city",
                "pickup_zipcode",
                "pickup_country",
            )
            if rma.get(key)
        )
        status = int(rma.get("request_status") or 0)
        return {
            "request_status": str(status) if status in RMA_STATUS_LABELS else False,
            "emag_date": account._emag_datetime(rma.get("date")),
            "emag_order_number": int(rma.get("order_id") or 0),
            "order_id": order.id,
            "sale_order_id": order.sale_order_id.id,
            "customer_name": rma.get("customer_name"),
            "customer_company": rma.get("customer_company"),
            "customer_phone": rma.get("customer_phone"),
            "return_type": _known(rma.get("return_type"), RMA_RETURN_TYPES),
            "pickup_method": _known(rma.get("pickup_method"), RMA_PICKUP_METHODS),
            "pickup_address": address,
            "pickup_locality_id": int(rma.get("pickup_locality_id") or 0),
            "pickup_date": account._emag_datetime(rma.get("pickup_date")),
            "reason_id": self.env["emag.rma.reason"]
            ._emag_get(rma.get("return_reason"))
            .id,
            "observations": rma.get("observations"),
            "customer_iban": rma.get("customer_account_iban"),
            "customer_bank": rma.get("customer_account_bank"),
            "customer_beneficiary": rma.get("customer_account_beneficiary"),
            "return_tax_value": float(rma.get("return_tax_value") or 0),
            "raw_payload": json.dumps(rma, ensure_ascii=False),
        }

    def _emag_write_lines(self, rma):
        """The request's products, by eMAG's return line id; the product is
        the offer's (seller id), else the one with that internal reference."""
        self.ensure_one()
        existing = {line.emag_line_id: line for line in self.line_ids}
        reasons = {self.reason_id.emag_id: self.reason_id}
        for product in rma.get("products") or []:
            reason = int(product.get("return_reason") or 0)
            if reason not in reasons:
                reasons[reason] = self.env["emag.rma.reason"]._emag_get(reason)
            emag_line_id = int(product.get("id") or 0)
            values = {
                "emag_line_id": emag_line_id,
                "seller_product_id": int(product.get("product_id") or 0),
                "product_emag_id": int(product.get("product_emag_id") or 0),
                "product_name": product.get("product_name"),
                "quantity": float(product.get("quantity") or 0),
                "reason_id": reasons[reason].id,
                "observations": product.get("observations"),
                "diagnostic": int(product.get("diagnostic") or 0),
                "reject_reason": int(product.get("reject_reason") or 0),
                "refund_value": str(product.get("refund_value") or "") or False,
                "product_id": self._emag_product(product).id,
            }
            line = existing.pop(emag_line_id, None)
            if line:
                line.write(values)
            else:
                self.env["emag.rma.line"].create(dict(values, rma_id=self.id))
        # lines eMAG no longer lists
        self.env["emag.rma.line"].browse(
            [line.id for line in existing.values()]
        ).unlink()

    def _emag_product(self, product):
        account = self.account_id
        offer = self.env["emag.offer"].search(
            [
                ("account_id", "=", account.id),
                ("emag_offer_id", "=", int(product.get("product_id") or 0)),
            ],
            limit=1,
        )
        return offer.product_id

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_retry(self):
        """Import the request again, reading it from eMAG."""
        for rma in self:
            self._emag_enqueue_import(rma.account_id, emag_id=rma.emag_id)
        return True


def _known(value, labels):
    """An eMAG code as a selection value, False when not one of ``labels``."""
    try:
        code = int(value)
    except (TypeError, ValueError):
        return False
    return str(code) if code in labels else False
