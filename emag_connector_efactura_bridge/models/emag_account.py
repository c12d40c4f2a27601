from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


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
    health_efactura_rejected = fields.Integer(
        string="Rejected by e-Factura", compute="_compute_health"
    )

    def _health_items(self):
        return super()._health_items() + [
            ("health_efactura_rejected", "account.move", _lt("Rejected by e-Factura"))
        ]

    def _health_domain(self, item):
        if item == "health_efactura_rejected":
            return [
                ("emag_order_id.account_id", "in", self.ids),
                ("state", "=", "posted"),
                ("emag_efactura_rejected", "=", True),
            ]
        return super()._health_domain(item)
