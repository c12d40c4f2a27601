from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    emag_order_id = fields.Many2one(
        "emag.order", string="eMAG Order", readonly=True, copy=False, index=True
    )
    emag_status = fields.Selection(related="emag_order_id.emag_status")
    emag_payment_mode = fields.Selection(related="emag_order_id.payment_mode")
    emag_payment_status = fields.Selection(related="emag_order_id.payment_status")
