from odoo import api, models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_available_quantity(self, product_id, location_id, *args, **kwargs):
        """Every change of on-hand or reserved quantity passes here (done moves,
        reservations and their release, inventory adjustments). Remember the
        product and warehouse; the eMAG offers are marked dirty once, when the
        transaction commits."""
        result = super()._update_available_quantity(
            product_id, location_id, *args, **kwargs
        )
        warehouse = location_id.warehouse_id
        if warehouse:
            precommit = self.env.cr.precommit
            if "emag.stock_changes" not in precommit.data:
                precommit.data["emag.stock_changes"] = {}
                precommit.add(self._emag_flush_stock_changes)
            changes = precommit.data["emag.stock_changes"]
            changes.setdefault(warehouse.id, set()).add(product_id.id)
        return result

    def _emag_flush_stock_changes(self):
        changes = self.env.cr.precommit.data.pop("emag.stock_changes", {})
        self.env["emag.offer"]._emag_mark_dirty(changes)
        # precommit runs after the main flush: write what the marking did
        self.env.flush_all()
