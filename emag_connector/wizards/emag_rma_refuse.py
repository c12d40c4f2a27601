from odoo import _, fields, models
from odoo.exceptions import UserError


class EmagRmaRefuse(models.TransientModel):
    """Refuse a received eMAG return: eMAG's refusal reason on each product
    and the shipping tax charged to the customer."""

    _name = "emag.rma.refuse"
    _description = "Refuse an eMAG Return"

    rma_id = fields.Many2one(
        "emag.rma", string="eMAG Return", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="rma_id.currency_id")
    reject_reason = fields.Integer(
        string="eMAG Refusal Reason ID",
        required=True,
        help="The id of the refusal reason in eMAG's list of return rejection reasons.",
    )
    return_tax_value = fields.Monetary(
        string="Shipping Tax Charged",
        help="Shipping tax (VAT included) the customer pays for the refused "
        "return, in the platform's currency; 0 for none.",
    )
    note = fields.Text(help="Kept in the return's chatter; not sent to eMAG.")

    def action_confirm(self):
        self.ensure_one()
        if self.reject_reason <= 0:
            raise UserError(_("Give eMAG's refusal reason id."))
        if self.return_tax_value < 0:
            raise UserError(_("The shipping tax cannot be negative."))
        rma = self.rma_id
        changes = {"reject_reason": self.reject_reason}
        if self.return_tax_value:
            changes["return_tax_value"] = self.return_tax_value
        rma._emag_request_status(4, **changes)
        if self.note:
            rma.message_post(body=_("Refused: %s", self.note))
        return {"type": "ir.actions.act_window_close"}
