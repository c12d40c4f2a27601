"""eMAG return statuses pushed from Odoo, and the money of a finalized return.

The seller's buttons (Approve, Refuse, Received, Finalize) and the return
picking's validation (``stock_picking.py``, Received) check eMAG's status
matrix (§7.2) in Odoo and enqueue ``_job_push_status``: eMAG is never called
in the user's transaction. The job reads the request again, leaves it alone
when eMAG already shows the status, otherwise sends it back (rma/save, every
key read) and imports what eMAG then shows. A refusal stays on the return
(``push_error``) with a Retry.

A finalized return (whoever finalized it) enqueues ``_job_settle``: the draft
credit note (Odoo's reversal of the customer invoice, for the returned
quantities; the accountant posts it, and its PDF then reaches eMAG like any
invoice) and, for orders the seller fulfils, the order reversed on eMAG:
status 5 (returned) when every product came back, otherwise a partial storno
(order/save with ``is_storno``) with the reduced quantities (§5.5.3).
"""

import copy
from collections import defaultdict

from odoo import Command, _, fields, models
from odoo.exceptions import UserError

from ..emag_api import EmagValidationError
from ..emag_api.schemas import validation_messages
from ..emag_api.schemas.rma import Rma
from ..emag_api.status import (
    ORDER_STATUS_FINALIZED,
    ORDER_STATUS_RETURNED,
    RMA_STATUS_LABELS,
    TransitionRefused,
    check_order_transition,
    check_rma_transition,
)
from ..tools.jobs import emag_retryable


class EmagRmaStatus(models.AbstractModel):
    _name = "emag.rma.status"
    _description = "eMAG Return: Statuses and Money"

    settled = fields.Boolean(
        string="Money Settled",
        readonly=True,
        copy=False,
        help="The credit note is prepared and the order reversed on eMAG.",
    )

    # ------------------------------------------------------------------
    # The seller's buttons
    # ------------------------------------------------------------------

    def action_approve(self):
        return self._emag_request_status(3)

    def action_mark_received(self):
        return self._emag_request_status(6)

    def action_finalize(self):
        return self._emag_request_status(7)

    def action_refuse(self):
        self.ensure_one()
        self._emag_check_status(4)
        return {
            "type": "ir.actions.act_window",
            "name": _("Refuse the eMAG Return"),
            "res_model": "emag.rma.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_id": self.id},
        }

    def action_retry_push(self):
        """Send the status that failed again, or settle a finalized return."""
        for rma in self:
            if rma.push_status:
                rma._emag_enqueue_push(int(rma.push_status))
            elif rma.request_status == "7" and not rma.settled:
                rma._emag_enqueue_settle()
        return True

    def _emag_request_status(self, status, **changes):
        for rma in self:
            rma._emag_check_status(status)
            rma._emag_enqueue_push(status, **changes)
        return True

    def _emag_check_status(self, status):
        """eMAG's matrix, checked before anything is enqueued: a change it
        forbids is refused here with its reason."""
        self.ensure_one()
        if self.state == "exception":
            raise UserError(
                _(
                    "%(name)s is in exception: %(error)s",
                    name=self.name,
                    error=self.exception_message,
                )
            )
        try:
            check_rma_transition(int(self.request_status or 0), status)
        except TransitionRefused as exc:
            raise UserError(
                _("%(name)s: %(error)s", name=self.name, error=exc)
            ) from None

    def _emag_enqueue_push(self, status, **changes):
        self.ensure_one()
        self.write({"push_status": str(status), "push_error": False})
        self.with_delay(
            identity_key=f"emag-return-push-{self.id}-{status}",
            description=_(
                "%(name)s: %(status)s on eMAG",
                name=self.name,
                status=RMA_STATUS_LABELS[status],
            ),
        )._job_push_status(status, changes)

    # ------------------------------------------------------------------
    # The job: idempotent, the matrix checked on what eMAG shows now
    # ------------------------------------------------------------------

    def _job_push_status(self, status, changes=None):
        self.ensure_one()
        account = self.account_id
        client = account._emag_client()
        with emag_retryable():
            rma = client.read_rma(self.emag_id)
            if not rma:
                return self._emag_push_failed(_("eMAG has no return %s.", self.emag_id))
            current = int(rma.get("request_status") or 0)
            if current != status:
                try:
                    check_rma_transition(current, status)
                    client.save_rma(self._emag_save_payload(rma, status, changes))
                except (TransitionRefused, EmagValidationError) as exc:
                    self._emag_import(account, rma)
                    return self._emag_push_failed(str(exc))
                rma = client.read_rma(self.emag_id) or rma
        self.write({"push_status": False, "push_error": False})
        self._emag_import(account, rma)
        return RMA_STATUS_LABELS.get(status)

    def _emag_save_payload(self, rma, status, changes):
        """rma/save takes back every key read, with the new status; a refusal
        gives its reason on each product and the shipping tax charged."""
        payload = copy.deepcopy(rma)
        payload["request_status"] = status
        changes = dict(changes or {})
        reject_reason = changes.pop("reject_reason", None)
        if reject_reason:
            for product in payload.get("products") or []:
                product["reject_reason"] = reject_reason
        payload.update(changes)
        try:
            return Rma.model_validate(payload).to_save_payload()
        except ValueError as exc:
            raise EmagValidationError(
                "; ".join(validation_messages(exc)), route="rma/save"
            ) from None

    def _emag_push_failed(self, message):
        self.write({"push_error": message})
        self.message_post(body=_("Not changed on eMAG: %s", message))
        return "refused"

    # ------------------------------------------------------------------
    # The money of a finalized return
    # ------------------------------------------------------------------

    def _emag_enqueue_settle(self):
        """One settlement per order at a time: it reverses every finalized
        return of the order at once."""
        self.ensure_one()
        self.with_delay(
            identity_key=f"emag-return-settle-{self.order_id.id or self.id}",
            description=_("Settle %s", self.name),
        )._job_settle()

    def _job_settle(self):
        self.ensure_one()
        if self.settled or self.request_status != "7":
            return "nothing to do"
        try:
            with self.env.cr.savepoint():
                self._emag_prepare_credit_note()
                if self.return_kind == "3":
                    self._emag_reverse_order()
        except UserError as exc:
            return self._emag_push_failed(str(exc))
        self.write({"settled": True, "push_error": False})
        return "settled"

    def _emag_returned(self, key):
        """{line[key]: quantity} the order's finalized returns took back: all
        of them count in what eMAG's order must show, so that settling twice
        changes nothing."""
        returned = defaultdict(float)
        finalized = self.search(
            [("order_id", "=", self.order_id.id), ("request_status", "=", "7")]
        )
        for line in finalized.line_ids:
            returned[line[key]] += line.quantity
        return returned

    def _emag_reverse_order(self):
        """eMAG's order without what came back: status 5 when nothing is
        left, otherwise a storno of the returned quantities."""
        binding = self.order_id
        self.env.cr.execute(
            "SELECT id FROM emag_order WHERE id = %s FOR NO KEY UPDATE", [binding.id]
        )
        returned = self._emag_returned("seller_product_id")
        sale_lines = binding.sale_order_id.order_line.filtered("emag_line_id")
        initial = {line.emag_line_id: line.product_uom_qty for line in sale_lines}
        client = self.account_id._emag_client()
        with emag_retryable():
            order = client.read_order(binding.emag_order_id, int(binding.order_type))
            status = int(order.get("status") or 0)
            if status == ORDER_STATUS_RETURNED:
                return "returned"
            products, reduced = _storno_lines(order, initial, returned)
            if not reduced:
                return "nothing to reverse"
            if status != ORDER_STATUS_FINALIZED:
                raise UserError(
                    _(
                        "eMAG order %s is not finalized: eMAG reverses only "
                        "finalized orders, nothing was sent.",
                        binding.emag_order_id,
                    )
                )
            if any(int(p.get("quantity") or 0) for p in products if p.get("status")):
                change = dict(order, products=products, is_storno=True)
                what = _("Storno of the returned quantities")
            else:
                try:
                    check_order_transition(
                        status,
                        ORDER_STATUS_RETURNED,
                        finalized_at=binding.finalized_date or None,
                        return_days=self.account_id.return_days,
                        now=fields.Datetime.now(),
                    )
                except TransitionRefused as exc:
                    raise UserError(str(exc)) from None
                change = dict(order, status=ORDER_STATUS_RETURNED)
                what = _("Order returned (status 5)")
            (outcome,) = client.save_orders([change])
            if outcome.error:
                raise UserError(_("eMAG refused the reversal: %s", outcome.error))
            order = client.read_order(binding.emag_order_id, int(binding.order_type))
        binding._emag_import(binding.account_id, order)
        binding.message_post(body=_("%(what)s sent to eMAG.", what=what))
        return "reversed"

    def _emag_prepare_credit_note(self):
        """The draft credit note of the returned quantities: Odoo's reversal of
        the posted customer invoices, cut down to what came back (and, when
        everything came back, with the shipping and vouchers too)."""
        self.ensure_one()
        if self.credit_note_id:
            return self.credit_note_id
        sale = self.sale_order_id
        invoices = sale.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        if not invoices:
            self.message_post(
                body=_(
                    "No posted invoice on %s: no credit note was prepared.",
                    sale.name,
                )
            )
            return self.env["account.move"]
        remaining = self._emag_quantities()
        everything = self._emag_everything_returned()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(
                {
                    "reason": self.name,
                    "journal_id": invoices[0].journal_id.id,
                    "date": fields.Date.context_today(self),
                }
            )
        )
        reversal.refund_moves()
        credits = reversal.new_move_ids
        for credit in credits:
            commands = []
            for line in credit.invoice_line_ids.filtered(
                lambda x: x.display_type == "product"
            ):
                if line.product_id not in remaining:
                    if not everything:
                        commands.append(Command.unlink(line.id))
                    continue
                quantity = min(line.quantity, remaining[line.product_id])
                remaining[line.product_id] -= quantity
                if quantity:
                    commands.append(Command.update(line.id, {"quantity": quantity}))
                else:
                    commands.append(Command.unlink(line.id))
            credit.write({"invoice_line_ids": commands})
        empty = credits.filtered(lambda m: not m.invoice_line_ids)
        empty.unlink()
        credits -= empty
        self.credit_note_id = credits[:1]
        self.message_post(
            body=_(
                "Credit note prepared as a draft: %s. The accountant posts it; "
                "its PDF then goes to eMAG.",
                ", ".join(credits.mapped("display_name")),
            )
        )
        return credits

    def _emag_everything_returned(self):
        """Whether the order's finalized returns take back every product
        delivered."""
        returned = self._emag_returned("product_id")
        sale = self.sale_order_id
        return all(
            returned[line.product_id] >= line.product_uom_qty
            for line in sale.order_line.filtered("emag_line_id")
        )


def _storno_lines(order, initial, returned):
    """eMAG's order lines with the quantities that must remain: the quantity
    imported (``initial``, by eMAG line id) less what the finalized returns
    took back (``returned``, by seller product id). Returns the lines and
    whether any quantity goes down."""
    products = copy.deepcopy(order.get("products") or [])
    returned = dict(returned)
    reduced = False
    for product in products:
        if not int(product.get("status") or 0):
            continue
        seller_id = int(product.get("product_id") or 0)
        before = initial.get(int(product.get("id") or 0), product.get("quantity"))
        back = min(float(before or 0), returned.get(seller_id, 0.0))
        returned[seller_id] = returned.get(seller_id, 0.0) - back
        wanted = round(float(before or 0) - back)
        if wanted < int(product.get("quantity") or 0):
            product["quantity"] = wanted
            reduced = True
    return products, reduced
