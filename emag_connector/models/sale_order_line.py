from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    emag_line_id = fields.Integer(
        string="eMAG Line", copy=False, help="products[].id of the eMAG order."
    )
    emag_commission = fields.Monetary(
        string="eMAG Commission",
        copy=False,
        help="eMAG's commission on the line (its percentage of the price with "
        "VAT), from the offer's commission when the order came in.",
    )
    emag_margin = fields.Monetary(
        string="eMAG Margin",
        copy=False,
        help="The line's amount without VAT, minus eMAG's commission, minus the "
        "product's cost; empty when the commission was unknown.",
    )
    emag_margin_known = fields.Boolean(string="eMAG Margin Known", copy=False)
