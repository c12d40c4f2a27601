from odoo import _, api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    emag_order_id = fields.Many2one(
        "emag.order", string="eMAG Order", readonly=True, copy=False, index=True
    )
    emag_status = fields.Selection(related="emag_order_id.emag_status")
    emag_payment_mode = fields.Selection(related="emag_order_id.payment_mode")
    emag_payment_status = fields.Selection(related="emag_order_id.payment_status")
    emag_rma_ids = fields.One2many(
        "emag.rma", "sale_order_id", string="eMAG Returns", readonly=True
    )
    emag_rma_count = fields.Integer(
        string="eMAG Return Count", compute="_compute_emag_rma_count"
    )
    emag_commission = fields.Monetary(
        string="eMAG Commission", compute="_compute_emag_margin"
    )
    emag_margin = fields.Monetary(
        string="eMAG Margin",
        compute="_compute_emag_margin",
        help="The products' amount without VAT, minus eMAG's commission, minus "
        "their cost (shipping, vouchers and deposits aside); empty when the "
        "commission of a product was unknown.",
    )
    emag_margin_known = fields.Boolean(
        string="eMAG Margin Known", compute="_compute_emag_margin"
    )

    @api.depends(
        "order_line.emag_margin",
        "order_line.emag_commission",
        "order_line.emag_margin_known",
    )
    def _compute_emag_margin(self):
        for sale in self:
            lines = sale.order_line.filtered("emag_line_id")
            sale.emag_commission = sum(lines.mapped("emag_commission"))
            sale.emag_margin = sum(lines.mapped("emag_margin"))
            sale.emag_margin_known = bool(lines) and all(
                lines.mapped("emag_margin_known")
            )

    def _compute_emag_rma_count(self):
        counts = dict(
            self.env["emag.rma"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for sale in self:
            sale.emag_rma_count = counts.get(sale, 0)

    def action_view_emag_rmas(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "emag_connector.action_emag_rma"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_cancel(self):
        """A seller cancelling an eMAG order says why: it is cancelled on eMAG
        too (the reason is mandatory there)."""
        from_emag = self.filtered("emag_order_id")
        if from_emag and not self.env.context.get("emag_sync"):
            from_emag.ensure_one()
            return {
                "type": "ir.actions.act_window",
                "name": _("Cancel the eMAG Order"),
                "res_model": "emag.order.cancel",
                "view_mode": "form",
                "target": "new",
                "context": {"default_sale_order_id": from_emag.id},
            }
        return super().action_cancel()
