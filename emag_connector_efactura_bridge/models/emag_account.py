from odoo import fields, models


class EmagAccount(models.Model):
    _inherit = "emag.account"

    efactura_attach_policy = fields.Selection(
        [
            ("posted", "When the invoice is posted"),
            ("sent", "When it is sent to e-Factura"),
            ("validated", "When ANAF validated it"),
        ],
        string="Attach Invoices",
        default="posted",
        required=True,
        help="When the invoice PDF of an eMAG order may be attached on eMAG. "
        "The PDF must exist in Odoo in any case (Print & Send). The e-Factura "
        "state is the one Odoo's Romanian localisation keeps: this connector "
        "never sends anything to ANAF.",
    )
