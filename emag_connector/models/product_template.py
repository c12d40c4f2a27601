from odoo import fields, models

#: product fields whose change changes what an eMAG offer shows
EMAG_OFFER_FIELDS = {"active", "sale_ok", "list_price", "lst_price", "taxes_id"}


class ProductTemplate(models.Model):
    _inherit = "product.template"

    emag_offer_ids = fields.One2many(
        "emag.offer", "product_tmpl_id", string="eMAG Offers"
    )

    def write(self, vals):
        result = super().write(vals)
        if EMAG_OFFER_FIELDS & set(vals):
            variants = self.with_context(active_test=False).product_variant_ids
            variants._emag_offers_changed()
        return result
