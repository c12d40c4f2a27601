from odoo import fields, models


class EmagRmaLine(models.Model):
    _name = "emag.rma.line"
    _description = "eMAG Return Product"
    _order = "rma_id, id"

    rma_id = fields.Many2one(
        "emag.rma",
        string="eMAG Return",
        required=True,
        ondelete="cascade",
        index=True,
    )
    emag_line_id = fields.Integer(string="eMAG Line", readonly=True)
    product_id = fields.Many2one(
        "product.product",
        readonly=True,
        help="The product of the seller's offer; empty when no offer of the "
        "account has the seller id eMAG gave.",
    )
    seller_product_id = fields.Integer(
        string="Seller Product ID",
        readonly=True,
        help="The seller's offer id eMAG gave for the returned product.",
    )
    product_emag_id = fields.Integer(string="eMAG Product ID", readonly=True)
    product_name = fields.Char(string="Name on eMAG", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    reason_id = fields.Many2one("emag.rma.reason", readonly=True)
    observations = fields.Text(string="Customer Observations", readonly=True)
    diagnostic = fields.Integer(readonly=True)
    reject_reason = fields.Integer(string="Refusal Reason", readonly=True)
    refund_value = fields.Char(readonly=True)
