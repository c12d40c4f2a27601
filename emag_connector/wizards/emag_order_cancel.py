from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..emag_api.status import TransitionRefused

#: eMAG's cancellation reasons a seller may give (5.1 reason_cancellation)
SELLER_REASONS = [
    ("1", "Out of stock"),
    ("2", "Cancelled by the client"),
    ("3", "The client can not be contacted"),
    ("15", "Courier delivery term is too large"),
    ("16", "Transport tax is too large"),
    ("18", "Better offer in another store"),
    ("19", "Payment order has not been paid"),
    ("24", "By customer request"),
    ("29", "Blacklisted customer"),
    ("31", "The eMAG Marketplace partner requested the order cancellation"),
    ("33", "The product is no longer available in the stock of the partner"),
    ("34", "Other reasons"),
]


class EmagOrderCancel(models.TransientModel):
    """Cancel a sale order that came from eMAG: on eMAG too, with a reason."""

    _name = "emag.order.cancel"
    _description = "Cancel an eMAG Order"

    sale_order_id = fields.Many2one("sale.order", required=True, readonly=True)
    emag_order_id = fields.Many2one(related="sale_order_id.emag_order_id")
    reason = fields.Selection(SELLER_REASONS, required=True, default="1")

    @api.model
    def _check_allowed(self, binding):
        """eMAG's status matrix, before anything is cancelled (5.3)."""
        try:
            binding._emag_check_transition(int(binding.emag_status or 1), 0)
        except TransitionRefused as exc:
            raise UserError(
                _(
                    "%(order)s cannot be cancelled on eMAG: %(why)s",
                    order=binding.name,
                    why=exc,
                )
            ) from exc

    def action_confirm(self):
        self.ensure_one()
        binding = self.emag_order_id
        self._check_allowed(binding)
        self.sale_order_id.with_context(
            emag_sync=True, disable_cancel_warning=True
        ).action_cancel()
        binding.with_delay(
            identity_key=f"emag-order-cancel-{binding.id}",
            description=_("Cancel %s on eMAG", binding.name),
        )._job_push_cancellation(int(self.reason))
        return {"type": "ir.actions.act_window_close"}
