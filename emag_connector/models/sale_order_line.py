from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    emag_line_id = fields.Integer(
        string="eMAG Line", copy=False, help="products[].id of the eMAG order."
    )
