from odoo import fields, models

from .product_template import EMAG_OFFER_FIELDS


class ProductProduct(models.Model):
    _inherit = "product.product"

    emag_offer_ids = fields.One2many("emag.offer", "product_id", string="eMAG Offers")

    def write(self, vals):
        result = super().write(vals)
        if EMAG_OFFER_FIELDS & set(vals):
            self._emag_offers_changed()
        return result

    def _emag_offers_changed(self):
        """Price, taxes or sellability changed: push the offers again."""
        offers = (
            self.env["emag.offer"]
            .sudo()
            .search([("product_id", "in", self.ids), ("state", "=", "published")])
        )
        offers._emag_set_dirty()
